using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The office's uploads page.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Imports">Earlier imports, newest first.</param>
/// <param name="Rejected">The file just rejected, its errors bounded and grouped by kind, or null.</param>
/// <param name="Year">Default year.</param>
/// <param name="Period">Default period (the one the office chose, after a refusal or a preview).</param>
/// <param name="Rulesets">Rulesets with an active version (templates).</param>
/// <param name="Stage">The file of the refusal or preview, carried by the page to the next step (null when too large to carry).</param>
/// <param name="Preview">What a file of several periods would import, per period, waiting for the office to confirm.</param>
public sealed record UploadsPageModel(PageFrame Frame, IReadOnlyList<ImportLine> Imports, ImportErrorReport? Rejected, int Year, string Period,
    IReadOnlyList<string> Rulesets, UploadStage? Stage = null, ObservationsPreview? Preview = null);
