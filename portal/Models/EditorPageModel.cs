namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The YAML editor.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="RulesetId">The ruleset edited, or null for a new one.</param>
/// <param name="BaseVersion">The version the text started from.</param>
/// <param name="Yaml">The text.</param>
/// <param name="Errors">The validator's errors (line, column).</param>
/// <param name="Checked">True when the text was validated (so no errors means valid).</param>
public sealed record EditorPageModel(PageFrame Frame, string? RulesetId, int? BaseVersion, string Yaml, IReadOnlyList<BaiQianWan.Assess.Workflow.InputError> Errors, bool Checked)
{
    /// <summary>The warnings of a valid text (line, column): allowed, probably not meant; saving is not stopped.</summary>
    public IReadOnlyList<BaiQianWan.Assess.Workflow.InputError> Warnings { get; init; } = [];
}
