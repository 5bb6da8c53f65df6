namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The unit home page.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="LevelText">县 or 镇.</param>
/// <param name="Latest">The latest published result, or null when nothing is published.</param>
/// <param name="Quarters">Every published period, newest first.</param>
/// <param name="Trend">The same, oldest first.</param>
/// <param name="BulletinUrl">The class bulletin of the latest period, or null.</param>
/// <param name="TownsUrl">A county's towns page, or null.</param>
public sealed record UnitHomeModel(PageFrame Frame, string Code, string Name, string LevelText, ResultSummary? Latest, IReadOnlyList<ResultSummary> Quarters, IReadOnlyList<TrendPoint> Trend, string? BulletinUrl, string? TownsUrl)
{
    /// <summary>The unit's late and near-due ledger tasks, for the office and the unit itself (null: not shown).</summary>
    public LedgerDueModel? LedgerDue { get; init; }
    /// <summary>The unit's latest month (月度监测: lights, progress charts, its PDF and the published bulletin), or null.</summary>
    public UnitMonthModel? Month { get; init; }

    /// <summary>The 公示稿 mark of the latest result while its publication is provisional, else null.</summary>
    public DraftMark? Draft => Latest?.Draft;
}
