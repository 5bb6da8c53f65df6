using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// A monitor (<c>kind: monitor</c>, 月通报): which units are lit on which year-to-date figures of a month, with which
/// lights, escalations and rounding. Valid by construction: only <see cref="MonitorLoader"/> builds one from YAML.
/// </summary>
/// <param name="Id">Stable id (versions are assigned when stored).</param>
/// <param name="Name">Display name, e.g. 县（市、区）"百千万工程"主要指标月度通报.</param>
/// <param name="Level">The units lit.</param>
/// <param name="Classes">Listed classes, in order; a unit of another class is skipped.</param>
/// <param name="Decimals">Places of every percentage (0–6; default 2).</param>
/// <param name="Indicators">The indicators, in order.</param>
/// <param name="Lights">The lights, worst first; the last has no formula.</param>
/// <param name="Escalations">Escalations, applied in order after the lights.</param>
public sealed record MonitorDefinition(
    string Id,
    string Name,
    UnitLevel Level,
    ImmutableArray<string> Classes,
    int Decimals,
    ImmutableArray<MonitorIndicator> Indicators,
    ImmutableArray<MonitorLight> Lights,
    ImmutableArray<Escalation> Escalations)
{
    /// <summary>The position of a light id in <see cref="Lights"/> (0 = worst), or −1.</summary>
    public int LightIndex(string id)
    {
        for (var i = 0; i < Lights.Length; i++)
            if (Lights[i].Id == id) return i;
        return -1;
    }
}

/// <summary>What an indicator's figure measures (§2.1).</summary>
public enum MonitorMetric
{
    /// <summary>progress = r(a / t × 100) against a pace.</summary>
    Progress,

    /// <summary>growth = r((a − b) / |b| × 100) against the annual growth target.</summary>
    Growth,

    /// <summary>value = a against the target.</summary>
    Value,
}

/// <summary>How a progress indicator's pace (序时进度) is set.</summary>
public enum PaceKind
{
    /// <summary>r(m / 12 × 100).</summary>
    Linear,

    /// <summary>The curve's m-th value, as written.</summary>
    Curve,

    /// <summary>r(p / t × 100), the unit's own plan.</summary>
    Plan,
}

/// <summary>One indicator of a monitor.</summary>
/// <param name="Id">Matches <c>observations.indicator</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="UnitOfMeasure">Unit (亿元, %), or null.</param>
/// <param name="Metric">The figure ranked and lit.</param>
/// <param name="Better">Direction: the sign of the gap.</param>
/// <param name="Pace">Pace of a progress indicator (linear for the other metrics, unused).</param>
/// <param name="Curve">The 12 month-end pace values of <c>pace: curve</c>, else empty.</param>
/// <param name="When">Per light id, the formula that replaces that light's <c>when</c> for this indicator.</param>
/// <param name="Position">Where the indicator starts in the YAML.</param>
public sealed record MonitorIndicator(
    string Id,
    string Name,
    string? UnitOfMeasure,
    MonitorMetric Metric,
    Better Better,
    PaceKind Pace,
    ImmutableArray<decimal> Curve,
    ImmutableDictionary<string, string> When,
    SourcePosition Position)
{
    /// <summary>The formula of light <paramref name="light"/> for this indicator: its own <c>when</c>, else the light's.</summary>
    public string? FormulaFor(MonitorLight light) => When.TryGetValue(light.Id, out var own) ? own : light.When;
}

/// <summary>A traffic light (红灯, 黄灯, 绿灯 …).</summary>
/// <param name="Id">Light id, e.g. <c>red</c>.</param>
/// <param name="Name">Display name, e.g. 红灯.</param>
/// <param name="When">The formula, null for the last light.</param>
/// <param name="Position">Where the light starts in the YAML.</param>
public sealed record MonitorLight(string Id, string Name, string? When, SourcePosition Position);

/// <summary>
/// <c>{light: L, months: k, to: T}</c>: when the plain light was L or worse in each of the k months ending with m (same
/// year, none missing), month m's light becomes T if T is worse than the light so far.
/// </summary>
/// <param name="Light">The light watched (L).</param>
/// <param name="Months">How many months in a row (k ≥ 2).</param>
/// <param name="To">The light given (T, worse than L).</param>
/// <param name="Position">Where the escalation starts in the YAML.</param>
public sealed record Escalation(string Light, int Months, string To, SourcePosition Position);

/// <summary>The outcome of loading a monitor: the model when valid, else every diagnostic; always the text's SHA-256.</summary>
/// <param name="Monitor">The monitor, or null when there is any diagnostic.</param>
/// <param name="Diagnostics">Every validation error, in source order.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the UTF-8 text.</param>
public sealed record MonitorLoadResult(MonitorDefinition? Monitor, ImmutableArray<Loading.RulesetDiagnostic> Diagnostics, string Sha256)
{
    /// <summary>True when the monitor is valid and may be stored or used.</summary>
    public bool IsValid => Monitor is not null && Diagnostics.IsEmpty;
}
