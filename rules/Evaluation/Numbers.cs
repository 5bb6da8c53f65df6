using System.Globalization;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>Exact-decimal helpers shared by scoring, explanations and output.</summary>
public static class Numbers
{
    /// <summary>Rounds half away from zero (spec §2), e.g. 9.425 → 9.43.</summary>
    public static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);

    /// <summary>The value without trailing zeros (scale removed), so equal numbers print the same.</summary>
    public static decimal Normalize(decimal value)
    {
        var scale = value.Scale;
        if (scale == 0) return value;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = (ulong)(uint)bits[0] | ((ulong)(uint)bits[1] << 32);
        // Mantissas over 64 bits, and zero, take the general (slower) route: dividing by 1 with 28 zeros.
        if (bits[2] != 0 || mantissa == 0) return value / 1.0000000000000000000000000000m;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }
        return new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, value < 0m, scale);
    }

    /// <summary>Invariant text of the normalized value: 9.6, 12, −0.5 (never exponent notation).</summary>
    public static string Plain(decimal value) => Normalize(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A computed number for an explanation: exact when it has at most four places, otherwise rounded to
    /// four (a non-terminating quotient such as a growth rate would print 28 digits). Scores are never
    /// shown this way: they use <see cref="Fixed"/> with the ruleset's places.
    /// </summary>
    public static string Brief(decimal value) => value.Scale <= 4 ? Plain(value) : Plain(Round(value, 4));

    /// <summary>Wraps a negative operand in parentheses, so explanations read "a − (−2.26%)", not "a − -2.26%".</summary>
    public static string Operand(string text) => text.StartsWith('-') ? $"({text})" : text;

    /// <summary>Fixed places, half away from zero: Fixed(9.6, 2) = "9.60".</summary>
    public static string Fixed(decimal value, int decimals) =>
        Round(value, decimals).ToString(FixedFormat(decimals), CultureInfo.InvariantCulture);

    /// <summary>"F0" … "F28": the format of <see cref="Fixed"/> for its places, made once (a ruleset has 0–28 places).</summary>
    internal static string FixedFormat(int decimals) =>
        (uint)decimals < (uint)FixedFormats.Length ? FixedFormats[decimals] : "F" + decimals.ToString(CultureInfo.InvariantCulture);

    private static readonly string[] FixedFormats = [.. Enumerable.Range(0, 29).Select(d => "F" + d.ToString(CultureInfo.InvariantCulture))];

    /// <summary>A ratio as a percentage with two places: 0.96 → "96.00%".</summary>
    public static string Percent(decimal ratio) => Fixed(ratio * 100m, 2) + "%";

    /// <summary>Clamps to [lo, hi]; when lo &gt; hi, gives lo (spec 2.3).</summary>
    public static decimal Clamp(decimal value, decimal lo, decimal hi) => Math.Max(lo, Math.Min(value, hi));
}
