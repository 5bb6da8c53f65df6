namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A county's towns in the latest published town ranking.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="CountyName">The county.</param>
/// <param name="Period">The period, or null when none is published.</param>
/// <param name="Rows">The towns, each ranked in its own class.</param>
public sealed record TownsPageModel(PageFrame Frame, string CountyName, BaiQianWan.Assess.Rules.Data.Period? Period, IReadOnlyList<RankingRow> Rows);
