namespace BaiQianWan.Assess.Workflow.Runs;

/// <summary>How <see cref="RunOrchestrator"/> carries runs (hosts bind these from their settings).</summary>
public sealed class RunOptions
{
    /// <summary>Actor recorded for timer-started runs (the only runs <see cref="AutoPublish"/> applies to).</summary>
    public const string TimerActor = "timer";

    /// <summary>Units per render batch (one queue message each when hosted); at least 1.</summary>
    public int BatchSize { get; init; } = 50;

    /// <summary>Publish a timer-started run as soon as it succeeds (off by default: an office reviews first).</summary>
    public bool AutoPublish { get; init; }
}
