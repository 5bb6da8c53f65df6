namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>Configuration section <c>Runs</c>.</summary>
public sealed class RunSettings
{
    /// <summary>Units per render batch (one queue message each when hosted).</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Publish a timer-started run as soon as it succeeds (off by default: an office reviews first).</summary>
    public bool AutoPublish { get; set; }

    /// <summary>
    /// How HTTP-started runs render: <c>auto</c> (the Azure queue when hosted by the Functions host on the Azure
    /// store, else in-process), <c>queue</c> or <c>inprocess</c>.
    /// </summary>
    public string Dispatch { get; set; } = "auto";
}
