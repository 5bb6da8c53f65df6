namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The unit home page.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="LevelText">县 or 镇.</param>
/// <param name="Latest">The latest published quarter, or null when no quarter is published.</param>
/// <param name="Quarters">Every published quarter, newest first (a year is not a quarter: see <see cref="UnitHomeModel.Years"/>).</param>
/// <param name="Trend">The same quarters, oldest first.</param>
/// <param name="BulletinUrl">The class bulletin of the latest quarter, or null.</param>
/// <param name="TownsUrl">A county's towns page, or null.</param>
public sealed record UnitHomeModel(PageFrame Frame, string Code, string Name, string LevelText, ResultSummary? Latest, IReadOnlyList<ResultSummary> Quarters, IReadOnlyList<TrendPoint> Trend, string? BulletinUrl, string? TownsUrl)
{
    /// <summary>The unit's late and near-due ledger tasks, for the office and the unit itself (null: not shown).</summary>
    public LedgerDueModel? LedgerDue { get; init; }
    /// <summary>The unit's latest month (月度监测: lights, progress charts, its PDF and the published bulletin), or null.</summary>
    public UnitMonthModel? Month { get; init; }

    /// <summary>Every published year (年度考评, period <c>YYYY</c>), newest first: its own section, never among the quarters.</summary>
    public IReadOnlyList<YearSummary> Years { get; init; } = [];

    /// <summary>The 公示稿 mark of the latest result while its publication is provisional, else null.</summary>
    public DraftMark? Draft => Latest?.Draft;
}

/// <summary>A unit's published year (年度考评) on its home.</summary>
/// <param name="Result">The year's result: total, rank in class, grade, the annual scorecard's page and PDF.</param>
/// <param name="LevelRank">The rank among the level's ranked units, or null when the year's ruleset has no level scope.</param>
/// <param name="LevelPeers">The level's ranked units, or null likewise.</param>
/// <param name="LevelRankingUrl">The level-wide ranking's PDF (the bulletin keyed <c>level-&lt;level&gt;</c>) when the run has one
/// and the visitor may read it, else null.</param>
public sealed record YearSummary(ResultSummary Result, int? LevelRank, int? LevelPeers, string? LevelRankingUrl);
