namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The office's uploads page.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Imports">Earlier imports, newest first.</param>
/// <param name="RejectedFile">The file just rejected, or null.</param>
/// <param name="Errors">Its rejected rows.</param>
/// <param name="Year">Default year.</param>
/// <param name="Period">Default period.</param>
/// <param name="Rulesets">Rulesets with an active version (templates).</param>
public sealed record UploadsPageModel(PageFrame Frame, IReadOnlyList<ImportLine> Imports, string? RejectedFile, IReadOnlyList<BaiQianWan.Assess.Workflow.InputError> Errors, int Year, string Period, IReadOnlyList<string> Rulesets);
