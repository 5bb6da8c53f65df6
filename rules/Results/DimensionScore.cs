namespace BaiQianWan.Assess.Rules.Results;

/// <summary>A dimension's score for a unit: the sum of its applicable indicators' scores and maxima.</summary>
public sealed record DimensionScore(string Id, decimal Score, decimal Max);
