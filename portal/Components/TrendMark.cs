using BaiQianWan.Assess.Portal.Models;

namespace BaiQianWan.Assess.Portal.Components;

/// <summary>One quarter on the trend chart.</summary>
/// <param name="Point">The figures.</param>
/// <param name="X">Horizontal position.</param>
/// <param name="TotalY">Vertical position of the total.</param>
/// <param name="RankY">Vertical position of the rank.</param>
public sealed record TrendMark(TrendPoint Point, double X, double TotalY, double RankY);
