using System.Globalization;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>The range checks of a ruleset's numbers: null when the value is fine, else what it must be.</summary>
internal static class ValueChecks
{
    public static string? Positive(decimal v) => v > 0 ? null : "必须大于 0";

    public static string? NonNegative(decimal v) => v >= 0 ? null : "不能为负数";

    public static string? UnitInterval(decimal v) => v is >= 0 and <= 1 ? null : "应在 0 到 1 之间";

    /// <summary>A number as the author wrote it (invariant culture).</summary>
    public static string Format(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}
