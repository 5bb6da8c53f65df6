using System.Collections.Immutable;

namespace BaiQianWan.Assess.Scorecards.Views;

/// <summary>A light of the monitor, worst first (monitor.md §3 <c>lights</c>).</summary>
internal sealed record MonthLight(string Id, string Name);

/// <summary>
/// An indicator of the monitor (§3 <c>indicators</c>), with what the documents also need from the monitor:
/// its pace kind (<c>linear</c>, <c>curve</c>, <c>plan</c>; null for growth and value) and <c>better</c>.
/// </summary>
internal sealed record MonthIndicator(string Id, string Name, string Unit, string Metric, string? PaceKind, decimal? Pace, string Better = "higher");

/// <summary>One unit's figures on one indicator in one month (§3 <c>units[].indicators[]</c>); null where not defined.</summary>
internal sealed record MonthFigures(
    string Id, decimal? Actual, decimal? Target, decimal? Baseline, decimal? Plan,
    decimal? Progress, decimal? Pace, decimal? Gap, decimal? Growth, decimal? Value,
    int? Rank, int? Peers, int? LevelRank, int? LevelPeers,
    string? Light, string? PlainLight, int? Streak, string? Missing, string Explain)
{
    /// <summary>
    /// Months 1 … m of the year so far as the month's own result gives them (§3 <c>history</c>): the metric's figure and
    /// the pace of each; empty when the result has none (the unit page then takes earlier months' results).
    /// </summary>
    public ImmutableArray<MonthHistoryPoint> History { get; init; } = [];

    /// <summary>How an escalation lit this light (e.g. 连续 2 个月黄灯及以上，升为红灯), when <see cref="Light"/> differs from <see cref="PlainLight"/>.</summary>
    public string? Escalation { get; init; }
}

/// <summary>One earlier month of an indicator: the metric's figure and the pace (progress), null where missing.</summary>
internal sealed record MonthHistoryPoint(int Month, decimal? Figure, decimal? Pace);

/// <summary>A unit of the month (§3 <c>units[]</c>).</summary>
internal sealed record MonthUnit(string Code, string Name, string Class, string? Parent, ImmutableArray<MonthFigures> Indicators);

/// <summary>
/// What the month documents read: one month's results of one monitor (monitor.md §3) and the monitor's name, level and
/// decimals. Units in the result's order (class in the monitor's order, then code).
/// </summary>
internal sealed record MonthSheet(
    string MonitorId, string MonitorName, int? Version, string MonitorSha256, string DataSha256,
    string Level, int Year, int Month, int Decimals, ImmutableArray<string> Classes,
    ImmutableArray<MonthLight> Lights, ImmutableArray<MonthIndicator> Indicators, ImmutableArray<MonthUnit> Units)
{
    /// <summary><c>2025年1–6月</c>; January <c>2025年1月</c>.</summary>
    public string PeriodText => Month == 1 ? $"{Year}年1月" : $"{Year}年1–{Month}月";

    /// <summary><c>2025-06</c>.</summary>
    public string PeriodLabel => $"{Year:D4}-{Month:D2}";
}
