namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A unit's published result in one period: what the home page and the scorecard page head show.</summary>
/// <param name="Period">The period.</param>
/// <param name="Class">Class.</param>
/// <param name="Total">Total.</param>
/// <param name="Rank">Rank in class.</param>
/// <param name="Peers">Units in the class.</param>
/// <param name="Grade">Grade.</param>
/// <param name="Lists">Lists.</param>
/// <param name="ScorecardUrl">The web view of the scorecard.</param>
/// <param name="PdfUrl">The PDF scorecard.</param>
public sealed record ResultSummary(BaiQianWan.Assess.Rules.Data.Period Period, string Class, decimal Total, int Rank, int Peers, string Grade, IReadOnlyList<string> Lists, string ScorecardUrl, string PdfUrl)
{
    /// <summary>The 公示稿 mark while the period's publication is provisional (公示中), else null.</summary>
    public DraftMark? Draft { get; init; }
}
