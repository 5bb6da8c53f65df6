namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// Stable codes of the rule language v3 validation errors (spec §2, each at the node the spec names). Tests and tools
/// match these, never the Chinese wording. A code is never reused for another meaning.
/// </summary>
public static class RulesetCodes
{
    /// <summary><c>steps</c> without <c>up</c> and without <c>down</c> (at the indicator's <c>method</c>).</summary>
    public const string StepsWithoutSide = "RS3001";

    /// <summary><c>every</c> ≤ 0, <c>points</c> &lt; 0, <c>max</c> &lt; 0 or <c>base</c> &lt; 0 in <c>steps</c> (at the value).</summary>
    public const string StepsOutOfRange = "RS3002";

    /// <summary>An unknown key inside <c>up</c> or <c>down</c> (at the key).</summary>
    public const string StepsUnknownKey = "RS3003";

    /// <summary><c>zeroBelow</c> with direction lower, <c>zeroAbove</c> with direction higher, or both (at the key).</summary>
    public const string StepsThreshold = "RS3004";

    /// <summary><c>from</c> that is not a number (at the value).</summary>
    public const string StepsFrom = "RS3005";

    /// <summary><c>up: {max: ~}</c> or <c>down: {max: ~}</c>: leave <c>max</c> out for no limit (at the value).</summary>
    public const string NullMax = "RS3006";

    /// <summary><c>cap: none</c> on a method other than <c>completion</c>, or a <c>cap</c> that is another string or null (at the value).</summary>
    public const string CapNone = "RS3007";

    /// <summary>An unknown <c>metric</c> (the message lists the metrics the method takes).</summary>
    public const string Metric = "RS3008";

    /// <summary>A dimension <c>cap</c> ≤ 0 or not a number (at the value).</summary>
    public const string DimensionCap = "RS3010";

    /// <summary>A dimension <c>factor</c> ≤ 0 or not a number (at the value).</summary>
    public const string DimensionFactor = "RS3011";

    /// <summary><c>totalCap</c> ≤ 0 or not a number (at the value).</summary>
    public const string TotalCap = "RS3012";

    /// <summary><c>exclude: true</c> together with <c>grade</c> on a veto (at <c>grade</c>).</summary>
    public const string ExcludeWithGrade = "RS3020";

    /// <summary><c>exclude</c> that is not <c>true</c> or <c>false</c> (at the value).</summary>
    public const string ExcludeNotBoolean = "RS3021";

    /// <summary>A veto's <c>grade</c> when the ruleset has no <c>grades</c> (at <c>grade</c>).</summary>
    public const string VetoGradeWithoutGrades = "RS3022";

    /// <summary><c>scope</c> on <c>grades</c> that is not <c>class</c> or <c>level</c>, or any scope with <c>by: score</c> (at the value).</summary>
    public const string GradeScope = "RS3030";

    /// <summary><c>scope</c> on a list that is not <c>class</c> or <c>level</c> (at the value).</summary>
    public const string ListScope = "RS3031";

    /// <summary><c>top</c> / <c>bottom</c> that is neither a whole number ≥ 0 nor a percentage <c>P%</c>, 0 &lt; P ≤ 100 (at the value).</summary>
    public const string ListCount = "RS3032";

    /// <summary>An input id that is not a formula name <c>[A-Za-z_][A-Za-z0-9_]*</c> (at the id).</summary>
    public const string InputId = "RS3040";

    /// <summary>An input id equal (ignoring case) to a formula variable or function name, or to another input (at the id).</summary>
    public const string InputClash = "RS3041";

    /// <summary>An unknown <c>level</c> (the message lists the four levels).</summary>
    public const string Level = "RS3050";
}
