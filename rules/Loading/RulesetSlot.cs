using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// What a stored ruleset text is used for, and so which active slot of its level it takes: a level has one active
/// version per slot (a quarterly scoring ruleset, a yearly scoring ruleset and a monitor can be active side by side).
/// </summary>
public enum RulesetSlot
{
    /// <summary>A scoring ruleset evaluating quarters (<c>YYYYQn</c>): every ruleset without <c>kind</c> or <c>cadence</c>.</summary>
    Quarter,

    /// <summary>A scoring ruleset evaluating whole years (<c>YYYY</c>, <c>cadence: year</c>).</summary>
    Year,

    /// <summary>A monitor (<c>kind: monitor</c>) evaluating months (<c>YYYY-MM</c>).</summary>
    Monitor,
}

/// <summary>The slots' text forms (stored, and shown in listings) and the periods they evaluate.</summary>
public static class RulesetSlots
{
    /// <summary>Every slot, in order.</summary>
    public static IReadOnlyList<RulesetSlot> All { get; } = Enum.GetValues<RulesetSlot>();

    /// <summary><c>quarter</c>, <c>year</c> or <c>monitor</c>.</summary>
    public static string ToText(this RulesetSlot slot) => slot switch
    {
        RulesetSlot.Quarter => "quarter",
        RulesetSlot.Year => "year",
        RulesetSlot.Monitor => "monitor",
        _ => throw new ArgumentOutOfRangeException(nameof(slot), slot, null),
    };

    /// <summary>In words: 季度考核规则集, 年度考评规则集, 月度监测.</summary>
    public static string ToChinese(this RulesetSlot slot) => slot switch
    {
        RulesetSlot.Quarter => "季度考核规则集",
        RulesetSlot.Year => "年度考评规则集",
        RulesetSlot.Monitor => "月度监测",
        _ => throw new ArgumentOutOfRangeException(nameof(slot), slot, null),
    };

    /// <summary>Parses a text form (ordinal, lowercase).</summary>
    public static bool TryParse(string? text, out RulesetSlot slot)
    {
        foreach (var s in All)
            if (s.ToText() == text)
            {
                slot = s;
                return true;
            }
        slot = default;
        return false;
    }

    /// <summary>The slot whose rulesets evaluate <paramref name="period"/>: a month a monitor, a quarter a quarterly ruleset, a year a yearly one.</summary>
    public static RulesetSlot For(Period period) => period.IsMonth ? RulesetSlot.Monitor : period.IsQuarter ? RulesetSlot.Quarter : RulesetSlot.Year;

    /// <summary>True when the slot's rulesets evaluate <paramref name="period"/>.</summary>
    public static bool Evaluates(this RulesetSlot slot, Period period) => For(period) == slot;
}
