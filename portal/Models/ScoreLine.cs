namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A named score out of a maximum (a dimension, an adjustment).</summary>
/// <param name="Name">Name.</param>
/// <param name="Score">Score.</param>
/// <param name="Max">Full marks, or null.</param>
public sealed record ScoreLine(string Name, decimal Score, decimal? Max);
