using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

/// <summary>How far the documents of a run are: what the results call for and what is stored.</summary>
/// <param name="ScorecardsExpected">One per unit in the results.</param>
/// <param name="ScorecardsStored">Scorecards stored for those units.</param>
/// <param name="BulletinsExpected">One per class with units in the results.</param>
/// <param name="BulletinsStored">Bulletins stored for those classes.</param>
public sealed record RenderProgress(int ScorecardsExpected, int ScorecardsStored, int BulletinsExpected, int BulletinsStored)
{
    /// <summary>True when every expected document is stored.</summary>
    public bool IsComplete => ScorecardsStored == ScorecardsExpected && BulletinsStored == BulletinsExpected;
}

/// <summary>A step of <see cref="Runs.RunService.CarryAsync"/> for progress display.</summary>
/// <param name="Stage">evaluate, scorecards, bulletins, complete.</param>
/// <param name="Done">Items done in this stage.</param>
/// <param name="Total">Items in this stage.</param>
public sealed record RunProgress(string Stage, int Done, int Total);

/// <summary>One unit under a draft ruleset version and under the active one.</summary>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="Class">Class under the draft.</param>
/// <param name="Total">Total under the draft.</param>
/// <param name="Rank">Rank in class under the draft.</param>
/// <param name="Grade">Grade under the draft.</param>
/// <param name="ActiveTotal">Total under the active version (null when none is active or the unit is not scored there).</param>
/// <param name="ActiveRank">Rank under the active version.</param>
/// <param name="ActiveGrade">Grade under the active version.</param>
public sealed record PreviewRow(string Code, string Name, string Class, decimal Total, int Rank, string Grade,
    decimal? ActiveTotal, int? ActiveRank, string? ActiveGrade)
{
    /// <summary>Draft total minus active total, when both exist.</summary>
    public decimal? TotalChange => ActiveTotal is { } a ? Total - a : null;

    /// <summary>Places gained under the draft (positive = better), when both exist.</summary>
    public int? RankChange => ActiveRank is { } a ? a - Rank : null;
}

/// <summary>What a draft ruleset version would do to a period's data, compared with the active version.</summary>
/// <param name="RulesetId">Ruleset id.</param>
/// <param name="Version">Draft version.</param>
/// <param name="ActiveVersion">Active version compared with, or null.</param>
/// <param name="Period">Period evaluated.</param>
/// <param name="Rows">One row per unit scored under the draft, in the draft's result order.</param>
public sealed record RulesetPreview(string RulesetId, int Version, int? ActiveVersion, Period Period, IReadOnlyList<PreviewRow> Rows);

/// <summary>One unit's light on one indicator of a draft monitor, and under the level's active monitor.</summary>
/// <param name="Indicator">The draft's indicator id.</param>
/// <param name="Light">The draft's final light id, or null (missing).</param>
/// <param name="ActiveLight">The active monitor's light for the same indicator id, or null (none active, no such indicator, missing).</param>
public sealed record MonitorPreviewCell(string Indicator, string? Light, string? ActiveLight)
{
    /// <summary>True when the two lights differ.</summary>
    public bool Changed => !string.Equals(Light, ActiveLight, StringComparison.Ordinal);
}

/// <summary>One unit under a draft monitor and under the active one.</summary>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="Class">Class.</param>
/// <param name="Cells">The draft's indicators, in its order.</param>
public sealed record MonitorPreviewRow(string Code, string Name, string Class, IReadOnlyList<MonitorPreviewCell> Cells);

/// <summary>What a draft monitor would light on a month's stored data, beside the level's active monitor.</summary>
/// <param name="MonitorId">Draft's id.</param>
/// <param name="Version">Draft's version.</param>
/// <param name="ActiveId">The level's active monitor's id, or null when none is active.</param>
/// <param name="ActiveVersion">Its version.</param>
/// <param name="Month">The month evaluated.</param>
/// <param name="Lights">The draft's lights (id, name), worst first.</param>
/// <param name="Rows">One row per unit the draft lights, in its result's order.</param>
public sealed record MonitorPreview(string MonitorId, int Version, string? ActiveId, int? ActiveVersion, Period Month,
    IReadOnlyList<(string Id, string Name)> Lights, IReadOnlyList<MonitorPreviewRow> Rows);

/// <summary>Files written by an export of published documents.</summary>
/// <param name="Period">Period exported.</param>
/// <param name="Runs">The published run of each level exported.</param>
/// <param name="Files">Paths written, relative to the export directory, with <c>/</c> separators.</param>
public sealed record ExportSummary(Period Period, IReadOnlyDictionary<UnitLevel, string> Runs, IReadOnlyList<string> Files);

/// <summary>
/// (annual §3) A publication a year run read and the period's current publication now: a year run is not redone by itself
/// when a source is published again or withdrawn; hosts show this so the office sees it and may run the year again.
/// </summary>
/// <param name="Period">The source's period (a quarter or a month).</param>
/// <param name="Run">The run whose publication the year read, or null when it was read from a file without a run id.</param>
/// <param name="Sha256">The hash of the results JSON the year read.</param>
/// <param name="CurrentRun">The run published for the period and level now, or null when none is (withdrawn).</param>
public sealed record SourceStatus(Period Period, string? Run, string Sha256, string? CurrentRun)
{
    /// <summary>True while the period's current publication is still the one the run read.</summary>
    public bool Current => string.Equals(Run, CurrentRun, StringComparison.Ordinal);
}
