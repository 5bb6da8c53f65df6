namespace BaiQianWan.Assess.Rules.Results;

/// <summary>A dimension's score for a unit: the sum of its applicable indicators' scores and maxima.</summary>
public sealed record DimensionScore(string Id, decimal Score, decimal Max)
{
    /// <summary>(v3) A dimension with <c>cap</c> or <c>factor</c>: the result also carries <see cref="Raw"/>, the max (maybe null) and the explanation.</summary>
    public bool Scaled { get; init; }

    /// <summary>(v3) Σ of the dimension's indicator scores, before cap and factor.</summary>
    public decimal Raw { get; init; }

    /// <summary>(v3) True when the dimension has no upper limit (an unlimited indicator and no cap): <see cref="Max"/> is then 0 and reported as null.</summary>
    public bool Unlimited { get; init; }

    /// <summary>(v3) e.g. 经济发展：小计 108.00，封顶 100，× 60% = 60.00.</summary>
    public string? Explain { get; init; }

    /// <summary>The maximum as reported: null when <see cref="Unlimited"/>.</summary>
    public decimal? Limit => Unlimited ? null : Max;
}
