using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// The evaluation of one month by a monitor (monitor contract §3): what the bulletin (月通报) and the unit pages show.
/// Written and read by <see cref="MonthResultJson"/>; the same inputs give byte-identical JSON.
/// </summary>
/// <param name="Period">The month, <c>YYYY-MM</c> (year to date).</param>
/// <param name="Monitor">Which monitor, version and text.</param>
/// <param name="DataSha256">Hash of the data read: the level's units and their rows of months 1–m (plans included).</param>
/// <param name="Lights">The lights, worst first.</param>
/// <param name="Indicators">The indicators, in the monitor's order, with the month's monitor-wide pace.</param>
/// <param name="Units">Units ordered by class (the monitor's order), then code.</param>
/// <param name="Skipped">Units of the level whose class the monitor does not list, by code.</param>
/// <param name="UnknownIndicators">The ids of month m's rows that the monitor does not know, sorted.</param>
public sealed record MonthResult(
    Period Period,
    MonitorInfo Monitor,
    string DataSha256,
    ImmutableArray<LightInfo> Lights,
    ImmutableArray<MonthIndicatorInfo> Indicators,
    ImmutableArray<MonthUnitResult> Units,
    ImmutableArray<SkippedUnit> Skipped,
    ImmutableArray<string> UnknownIndicators)
{
    /// <summary>The month m (1–12).</summary>
    public int Month => Period.Month;

    /// <summary>How many units' indicators are lit with each light (in the lights' order), then how many are missing.</summary>
    public ImmutableArray<LightCount> Totals() =>
    [
        .. Lights.Select(l => new LightCount(l.Id, Units.Sum(u => u.Indicators.Count(i => i.Light == l.Id)))),
        new LightCount("missing", Units.Sum(u => u.Indicators.Count(i => i.Missing is not null))),
    ];
}

/// <summary>The monitor a month result came from.</summary>
/// <param name="Id">Monitor id.</param>
/// <param name="Version">Stored version, null when evaluated from a file.</param>
/// <param name="Sha256">SHA-256 of the monitor's YAML text.</param>
/// <param name="Name">Display name (the bulletin's title).</param>
/// <param name="Level">The level lit.</param>
/// <param name="Decimals">Places of every percentage.</param>
/// <param name="Classes">The listed classes, in order.</param>
/// <param name="Escalate">The escalations, in order.</param>
public sealed record MonitorInfo(string Id, int? Version, string Sha256, string Name, UnitLevel Level, int Decimals,
    ImmutableArray<string> Classes, ImmutableArray<EscalationInfo> Escalate);

/// <summary>An escalation as the results show it: <c>{light, months, to}</c>.</summary>
public sealed record EscalationInfo(string Light, int Months, string To);

/// <summary>A light's id and name.</summary>
public sealed record LightInfo(string Id, string Name);

/// <summary>An indicator of the month.</summary>
/// <param name="Id">Indicator id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Unit">Unit of measure, or null.</param>
/// <param name="Metric"><c>progress</c>, <c>growth</c> or <c>value</c>.</param>
/// <param name="Pace">The month's monitor-wide pace (linear, curve), null for <c>pace: plan</c> and other metrics.</param>
/// <param name="Better"><c>higher</c> or <c>lower</c>.</param>
/// <param name="PaceBy"><c>linear</c>, <c>curve</c> or <c>plan</c> for progress, null for the other metrics.</param>
public sealed record MonthIndicatorInfo(string Id, string Name, string? Unit, string Metric, decimal? Pace, string Better, string? PaceBy);

/// <summary>One unit's month.</summary>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="Class">Its class.</param>
/// <param name="Parent">Its parent's code, or null.</param>
/// <param name="Indicators">Every indicator of the monitor, in order.</param>
/// <param name="Counts">Indicators per final light, in the lights' order, then <c>missing</c>.</param>
public sealed record MonthUnitResult(string Code, string Name, string Class, string? Parent,
    ImmutableArray<MonthIndicatorResult> Indicators, ImmutableArray<LightCount> Counts);

/// <summary>A light id (or <c>missing</c>) and a count.</summary>
public sealed record LightCount(string Light, int Count);

/// <summary>One unit's figures on one indicator in month m (§2.1–2.4); null where not defined.</summary>
/// <param name="Id">Indicator id.</param>
/// <param name="Actual">a, null without a row.</param>
/// <param name="Target">t (the annual target).</param>
/// <param name="Baseline">b.</param>
/// <param name="Plan">p.</param>
/// <param name="Progress">r(a / t × 100) (progress metric).</param>
/// <param name="Pace">The pace (progress metric).</param>
/// <param name="Gap">Ahead (≥ 0) or behind.</param>
/// <param name="Growth">r((a − b) / |b| × 100), whatever the metric, when b ≠ 0.</param>
/// <param name="Value">a.</param>
/// <param name="Rank">Competition rank in the class, null when missing.</param>
/// <param name="Peers">Class peers.</param>
/// <param name="LevelRank">Rank over every listed class, null when missing.</param>
/// <param name="LevelPeers">Level peers.</param>
/// <param name="Light">The light after escalation, null when missing.</param>
/// <param name="PlainLight">The light of §2.3 before escalation, null when missing.</param>
/// <param name="Streak">Months in a row ending with m with this light, null when missing.</param>
/// <param name="Missing">Why the indicator is missing (<c>no row</c>, <c>no target</c>, …), else null.</param>
/// <param name="Explain">The Chinese explanation (§3's templates).</param>
/// <param name="Escalation">The escalation that lit the light (the last that changed it), else null.</param>
/// <param name="History">Months 1–m: the figure, pace and lights of each (for the unit page's chart).</param>
public sealed record MonthIndicatorResult(
    string Id,
    decimal? Actual,
    decimal? Target,
    decimal? Baseline,
    decimal? Plan,
    decimal? Progress,
    decimal? Pace,
    decimal? Gap,
    decimal? Growth,
    decimal? Value,
    int? Rank,
    int Peers,
    int? LevelRank,
    int LevelPeers,
    string? Light,
    string? PlainLight,
    int? Streak,
    string? Missing,
    string Explain,
    EscalationInfo? Escalation,
    ImmutableArray<MonthPoint> History);

/// <summary>One month of an indicator's year so far: the metric's figure, the pace, the gap and the lights (null where missing).</summary>
public sealed record MonthPoint(int Month, decimal? Figure, decimal? Pace, decimal? Gap, string? PlainLight, string? Light);
