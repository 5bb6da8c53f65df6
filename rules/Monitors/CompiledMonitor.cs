using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// A monitor compiled once for evaluation: its elements as NRules rules (built at run time from the YAML's model and
/// compiled by NRules into a session factory). Immutable and safe to share; compiled once per monitor text in a
/// process, like <see cref="Evaluation.CompiledRuleset"/>.
/// </summary>
public sealed class CompiledMonitor
{
    private static readonly ConcurrentDictionary<string, CompiledMonitor> Cache = new(StringComparer.Ordinal);
    private const int CacheLimit = 32;

    private CompiledMonitor(MonitorDefinition monitor, string sha256)
    {
        Monitor = monitor;
        Sha256 = sha256;
        Rules = new MonitorRuleSet(monitor);
        ClassIndex = monitor.Classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        IndicatorIndex = monitor.Indicators.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
    }

    /// <summary>The monitor model.</summary>
    public MonitorDefinition Monitor { get; }

    /// <summary>SHA-256 of the monitor's text.</summary>
    public string Sha256 { get; }

    /// <summary>The names of the NRules rules the monitor became, in order (e.g. <c>figures:fai</c>, <c>light:red</c>, <c>streak</c>).</summary>
    public IReadOnlyList<string> RuleNames => Rules.RuleNames;

    internal MonitorRuleSet Rules { get; }

    internal IReadOnlyDictionary<string, int> ClassIndex { get; }

    internal IReadOnlyDictionary<string, int> IndicatorIndex { get; }

    /// <summary>Compiles a validated monitor, or returns the one already compiled from the same text.</summary>
    public static CompiledMonitor Compile(MonitorDefinition monitor, string sha256)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(sha256);
        if (Cache.TryGetValue(sha256, out var cached) && cached.Monitor == monitor) return cached;
        var compiled = new CompiledMonitor(monitor, sha256);
        if (Cache.Count >= CacheLimit) Cache.Clear();
        Cache[sha256] = compiled;
        return compiled;
    }

    /// <summary>The month result's description of this monitor.</summary>
    internal MonitorInfo Info(int? version) => new(Monitor.Id, version, Sha256, Monitor.Name, Monitor.Level, Monitor.Decimals, Monitor.Classes,
        [.. Monitor.Escalations.Select(e => new EscalationInfo(e.Light, e.Months, e.To))]);

    internal ImmutableArray<LightInfo> LightInfos => [.. Monitor.Lights.Select(l => new LightInfo(l.Id, l.Name))];
}
