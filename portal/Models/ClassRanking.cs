namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One class's ranking.</summary>
/// <param name="Class">Class.</param>
/// <param name="Rows">Rows by rank.</param>
public sealed record ClassRanking(string Class, IReadOnlyList<RankingRow> Rows);
