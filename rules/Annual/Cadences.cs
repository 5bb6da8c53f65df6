using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Annual;

/// <summary>(Annual contract §1) A ruleset evaluates only periods of its cadence: <c>YYYYQn</c> for quarter, <c>YYYY</c> for year.</summary>
public static class Cadences
{
    /// <summary>True when <paramref name="period"/> is of the ruleset's cadence.</summary>
    public static bool Fits(Ruleset ruleset, Period period)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        return ruleset.Cadence == Cadence.Year ? period.IsWholeYear : period.IsQuarter;
    }

    /// <summary>Why <paramref name="period"/> cannot be evaluated with the ruleset (in Chinese), or null when it can.</summary>
    public static string? Problem(Ruleset ruleset, Period period)
    {
        if (Fits(ruleset, period)) return null;
        return ruleset.Cadence == Cadence.Year
            ? $"规则集 {ruleset.Id} 是年度考核（cadence: year），只评价整年（期间 YYYY，如 {period.Year}），不能评价 {period}"
            : $"规则集 {ruleset.Id} 是季度考核（cadence: quarter，不写 cadence 即是季度考核），" +
              $"只评价季度（期间 YYYYQn，如 {period.Year}Q4），不能评价 {period}；年度考核请用 cadence: year 的规则集";
    }

    /// <summary>The name of the cadence as written in YAML.</summary>
    public static string ToText(this Cadence cadence) => cadence == Cadence.Year ? "year" : "quarter";
}
