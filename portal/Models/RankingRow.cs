namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One line of a ranking table.</summary>
/// <param name="Rank">Rank in class.</param>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="Class">Class.</param>
/// <param name="Total">Total score.</param>
/// <param name="Grade">Grade.</param>
/// <param name="Lists">Lists (红榜/黑榜 …).</param>
/// <param name="Link">Where the unit's scorecard is, or null.</param>
/// <param name="RankChange">Places gained (positive) against the comparison, or null.</param>
/// <param name="ComparedGrade">The grade compared with, or null.</param>
/// <param name="ComparedTotal">The total compared with, or null.</param>
/// <param name="Vetoed">True when a one-vote veto (一票否决) applied.</param>
/// <param name="Incomplete">True when an indicator's data was missing (数据不全).</param>
public sealed record RankingRow(int Rank, string Code, string Name, string Class, decimal Total, string Grade, IReadOnlyList<string> Lists, string? Link, int? RankChange,
    string? ComparedGrade, decimal? ComparedTotal, bool Vetoed = false, bool Incomplete = false)
{
    /// <summary>How many units were ranked in the class (shown as <c>182 / 240</c> where a table mixes classes), or null.</summary>
    public int? Peers { get; init; }
}
