namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One run: progress while it works, the class rankings to review, publish.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Run">The run.</param>
/// <param name="Progress">Documents so far, once evaluated.</param>
/// <param name="Classes">Rankings, once evaluated.</param>
/// <param name="CanPublish">True when it succeeded and is not the published one.</param>
/// <param name="ZipUrl">The ZIP of the period's published scorecards, when published.</param>
/// <param name="HasPrevious">True when the previous quarter has a published run to compare ranks with (较上期).</param>
public sealed record RunPageModel(PageFrame Frame, RunLine Run, BaiQianWan.Assess.Workflow.RenderProgress? Progress, IReadOnlyList<ClassRanking> Classes, bool CanPublish, string? ZipUrl, bool HasPrevious = false)
{
    /// <summary>The period's current publication when it is this run's (公示中 or 正式), else null.</summary>
    public BaiQianWan.Assess.Store.PublicationNotice? Notice { get; init; }

    /// <summary>The publish form's choices (公示 N 天 or 正式发布).</summary>
    public PublishChoice Publish { get; init; } = new(false, 5);
}
