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

    /// <summary>A year run's sources: each publication it read and the period's current publication now (empty for a run
    /// without sources).</summary>
    public IReadOnlyList<SourceLine> Sources { get; init; } = [];
}

/// <summary>
/// A publication a year run read (<paramref name="Run"/>, null when read from a file without a run id) and the period's
/// current publication now (<paramref name="CurrentRun"/>, null when none is). A year run is not redone by itself when a
/// source is published again or withdrawn: the office sees it here and may run the year again.
/// </summary>
/// <param name="Period">The source's period.</param>
/// <param name="Run">The run read.</param>
/// <param name="CurrentRun">The run published for the period now.</param>
/// <param name="Changed">True when the period's current publication is no longer the one the run read.</param>
public sealed record SourceLine(string Period, string? Run, string? CurrentRun, bool Changed)
{
    /// <summary>The line of a source as the workflow reads it (<see cref="BaiQianWan.Assess.Workflow.AssessmentService.GetSourceStatusAsync"/>,
    /// the one query the API's run resource reads too).</summary>
    public static SourceLine Of(BaiQianWan.Assess.Workflow.SourceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(status.Period.ToString(), status.Run, status.CurrentRun, !status.Current);
    }
}
