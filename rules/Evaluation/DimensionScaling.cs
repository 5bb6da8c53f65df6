using System.Globalization;
using System.Runtime.CompilerServices;
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
    /// <remarks>Written into one buffer, numbers formatted in place (once per unit and dimension: no intermediate strings).
    /// A figure is <see cref="Numbers.Fixed"/> or <see cref="Numbers.Plain"/>, the same text they give.</remarks>
    private static string Explain(Dimension dimension, decimal raw, decimal score, int decimals)
    {
        var format = Numbers.FixedFormat(decimals);
        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
        text.AppendLiteral(dimension.Name);
        text.AppendLiteral("：小计 ");
        Append(ref text, Numbers.Round(raw, decimals), format);
        // Whether the text ends with the cap's closing bracket (then no space before "=").
        var closed = false;
        if (dimension.Cap is { } cap)
        {
            text.AppendLiteral(raw > cap ? "，封顶 " : "（上限 ");
            Append(ref text, Numbers.Normalize(cap), null);
            closed = raw <= cap;
            if (closed) text.AppendLiteral("）");
        }
        if (dimension.Factor is { } factor)
        {
            text.AppendLiteral("，× ");
            Append(ref text, Numbers.Normalize(factor * 100m), null);
            text.AppendLiteral("%");
            closed = false;
        }
        text.AppendLiteral(closed ? "= " : " = ");
        Append(ref text, Numbers.Round(score, decimals), format);
        return text.ToStringAndClear();
    }

    /// <summary>The invariant text of <paramref name="value"/> (as <c>ToString(format, InvariantCulture)</c>), formatted on the stack.</summary>
    private static void Append(ref DefaultInterpolatedStringHandler text, decimal value, string? format)
    {
        // The longest: a 29-digit value with 28 places (F28), its sign and point.
        Span<char> figure = stackalloc char[64];
        if (value.TryFormat(figure, out var written, format, CultureInfo.InvariantCulture)) text.AppendFormatted((ReadOnlySpan<char>)figure[..written]);
        else text.AppendLiteral(value.ToString(format, CultureInfo.InvariantCulture));
    }
}
