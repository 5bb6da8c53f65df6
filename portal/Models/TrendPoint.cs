namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One published quarter on a unit's trend chart.</summary>
/// <param name="Label">The period as printed (e.g. 2025Q3).</param>
/// <param name="Total">Total score.</param>
/// <param name="Rank">Rank in class.</param>
/// <param name="Peers">Units in the class.</param>
public sealed record TrendPoint(string Label, decimal Total, int Rank, int Peers);
