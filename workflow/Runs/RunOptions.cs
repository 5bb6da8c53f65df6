namespace BaiQianWan.Assess.Workflow.Runs;

/// <summary>
/// How <see cref="RunService"/> carries runs: the one options type of every host (the functions app binds it from the
/// <c>Runs</c> section, the CLI's <c>run</c> from <c>--batch-size</c>).
/// </summary>
public sealed class RunOptions
{
    /// <summary>Actor recorded for timer-started runs (the only runs <see cref="AutoPublish"/> applies to).</summary>
    public const string TimerActor = "timer";

    /// <summary>The one default of <see cref="BatchSize"/>.</summary>
    public const int DefaultBatchSize = 50;

    /// <summary>Units per render batch (one queue message each when hosted); at least 1.</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>Publish a timer-started run as soon as it succeeds (off by default: an office reviews first).</summary>
    public bool AutoPublish { get; set; }

    /// <summary>
    /// With <see cref="AutoPublish"/>: publish provisionally with a notice of this many calendar days (公示), or finally when
    /// null (the default). The office then answers the units' review requests and makes the publication final.
    /// </summary>
    public int? AutoPublishNoticeDays { get; set; }
}
