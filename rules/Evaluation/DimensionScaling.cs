using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>(v3, spec 2.6) A dimension's <c>cap</c> (板块封顶) and <c>factor</c> (折算) applied to the sum of its indicator scores.</summary>
internal static class DimensionScaling
{
    /// <param name="dimension">The dimension (with cap or factor).</param>
    /// <param name="raw">Σ of its indicator scores (already rounded).</param>
    /// <param name="maxSum">Σ of the maxima of its indicators that apply to the class.</param>
    /// <param name="unlimited">True when one of those maxima is null (no upper limit).</param>
    /// <param name="decimals">The ruleset's places.</param>
    public static DimensionScore Scale(Dimension dimension, decimal raw, decimal maxSum, bool unlimited, int decimals)
    {
        var factor = dimension.Factor ?? 1m;
        var capped = dimension.Cap is { } cap ? Math.Min(raw, cap) : raw;
        var score = Numbers.Round(capped * factor, decimals);
        // max = min(Σ max, cap) × factor; with an unlimited indicator, cap × factor, or null without a cap. Not rounded.
        var noLimit = unlimited && dimension.Cap is null;
        var max = noLimit ? 0m : (unlimited ? dimension.Cap!.Value : dimension.Cap is { } c ? Math.Min(maxSum, c) : maxSum) * factor;
        return new DimensionScore(dimension.Id, score, max)
        {
            Scaled = true,
            Raw = raw,
            Unlimited = noLimit,
            Explain = Explain(dimension, raw, score, decimals),
        };
    }

    /// <summary>经济发展：小计 108.00，封顶 100，× 60% = 60.00 (under the cap: 小计 18.00（上限 20）= 18.00).</summary>
    private static string Explain(Dimension dimension, decimal raw, decimal score, int decimals)
    {
        var text = $"{dimension.Name}：小计 {Numbers.Fixed(raw, decimals)}";
        if (dimension.Cap is { } cap)
            text += raw > cap ? $"，封顶 {Numbers.Plain(cap)}" : $"（上限 {Numbers.Plain(cap)}）";
        if (dimension.Factor is { } factor) text += $"，× {Numbers.Plain(factor * 100m)}%";
        return text + (text.EndsWith('）') ? "" : " ") + $"= {Numbers.Fixed(score, decimals)}";
    }
}
