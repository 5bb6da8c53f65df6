namespace BaiQianWan.Assess.Rules.Model;

/// <summary>One band of a <c>bands</c> method: its bound (a <c>min</c> or a <c>max</c>) and its score as a fraction of the weight.</summary>
/// <param name="Bound">The band's min (higher-is-better) or max (lower-is-better).</param>
/// <param name="Score">Fraction of the weight earned in this band.</param>
public sealed record Band(decimal Bound, decimal Score);
