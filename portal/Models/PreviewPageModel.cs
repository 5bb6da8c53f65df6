namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A draft version previewed against a period, beside the active version.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="RulesetId">Ruleset.</param>
/// <param name="Version">Draft version.</param>
/// <param name="ActiveVersion">Active version.</param>
/// <param name="Period">Period previewed.</param>
/// <param name="Classes">Per class.</param>
/// <param name="Error">Why no preview could be made.</param>
/// <param name="Links">Back to the editor and to the diff, and who activates.</param>
public sealed record PreviewPageModel(PageFrame Frame, string RulesetId, int Version, int? ActiveVersion, string Period, IReadOnlyList<PreviewClass> Classes, string? Error,
    PreviewLinks Links)
{
    /// <summary>A monitor's preview (its lights beside the level's active monitor's, for a month), or null for a scoring ruleset.</summary>
    public Workflow.MonitorPreview? Monitor { get; init; }
}
