namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>
/// Stable codes of every ruleset validation error: <c>RS1xxx</c> YAML structure and keys, <c>RS3xxx</c> the rule
/// language v3 additions (spec §2, each at the node the spec names); formula errors are <see cref="Formulas.FormulaCodes"/>
/// (<c>RS2xxx</c>); a monitor's own errors (<c>kind: monitor</c>, 月通报) are <see cref="Monitors.MonitorCodes"/> (<c>RS4xxx</c>).
/// Tests and tools match these, never the Chinese wording. A code is never reused for another meaning.
/// </summary>
public static class RulesetCodes
{
    /// <summary>A YAML syntax error (YamlDotNet's message, at its position; an unclosed bracket or quote just after the last node read).</summary>
    public const string YamlSyntax = "RS1001";

    /// <summary>An empty file.</summary>
    public const string Empty = "RS1002";

    /// <summary>A second YAML document in the file (at its start).</summary>
    public const string SecondDocument = "RS1003";

    /// <summary>A file over RulesetLimits.MaxCharacters (at 1:1).</summary>
    public const string TooLarge = "RS1004";

    /// <summary>More YAML nodes than RulesetLimits.MaxNodes or nesting deeper than RulesetLimits.MaxDepth (at the node past the limit).</summary>
    public const string YamlLimit = "RS1005";

    /// <summary>A mapping key that is not a scalar.</summary>
    public const string ComplexKey = "RS1006";

    /// <summary>A key written twice in one mapping (at the second).</summary>
    public const string DuplicateKey = "RS1007";

    /// <summary>A key the section does not take (at the key; a likely typo is suggested).</summary>
    public const string UnknownKey = "RS1010";

    /// <summary>A required key left out (at the mapping).</summary>
    public const string MissingKey = "RS1011";

    /// <summary>A required key with an empty value (at the value).</summary>
    public const string NullValue = "RS1012";

    /// <summary>A value that should be non-empty text (at the value).</summary>
    public const string NotText = "RS1013";

    /// <summary>A name or unit with control characters or too long (at the value).</summary>
    public const string BadName = "RS1014";

    /// <summary>An id, class or grade name that is not a valid key (at the value).</summary>
    public const string BadKeyText = "RS1015";

    /// <summary>A value that should be true or false (at the value).</summary>
    public const string NotBoolean = "RS1016";

    /// <summary>A value that should be a number (at the value).</summary>
    public const string NotNumber = "RS1017";

    /// <summary>A number outside its allowed range, or not a whole number where one is needed (at the value).</summary>
    public const string OutOfRange = "RS1018";

    /// <summary>A section that should be a mapping (at the node).</summary>
    public const string NotMapping = "RS1019";

    /// <summary>A section that should be a list (at the node).</summary>
    public const string NotList = "RS1020";

    /// <summary>A ruleset id that is not 1–32 letters, digits, _ or - (at the value).</summary>
    public const string RulesetId = "RS1030";

    /// <summary>An empty classes list.</summary>
    public const string NoClasses = "RS1031";

    /// <summary>A class named twice (at the second).</summary>
    public const string DuplicateClass = "RS1032";

    /// <summary>A class no indicator weights (at the class).</summary>
    public const string ClassUncovered = "RS1033";

    /// <summary>An empty dimensions list.</summary>
    public const string NoDimensions = "RS1034";

    /// <summary>Two dimensions with one id (at the second id).</summary>
    public const string DuplicateDimension = "RS1035";

    /// <summary>A dimension without indicators.</summary>
    public const string EmptyDimension = "RS1036";

    /// <summary>An unknown scoring method (the message lists the methods).</summary>
    public const string UnknownMethod = "RS1037";

    /// <summary>A per-class weight mapping with no entries.</summary>
    public const string EmptyWeights = "RS1038";

    /// <summary>A per-class weight for a class not in classes (at the key).</summary>
    public const string WeightClass = "RS1039";

    /// <summary>better that is not higher or lower (at the value).</summary>
    public const string Better = "RS1040";

    /// <summary>An empty bands list.</summary>
    public const string NoBands = "RS1041";

    /// <summary>A band using min where max is needed or the other way round (at the key).</summary>
    public const string BandBound = "RS1042";

    /// <summary>Two bands with the same bound (at the second).</summary>
    public const string DuplicateBand = "RS1043";

    /// <summary>kind that is not bonus, penalty or veto (at the value).</summary>
    public const string AdjustmentKind = "RS1044";

    /// <summary>A veto's grade that is not one of the grades (at grade).</summary>
    public const string VetoGrade = "RS1045";

    /// <summary>An adjustment with both per and formula (at formula).</summary>
    public const string PerAndFormula = "RS1046";

    /// <summary>A bonus or penalty with neither per nor formula (at the mapping).</summary>
    public const string NoPerOrFormula = "RS1047";

    /// <summary>grades.by that is not rankShare or score (at the value).</summary>
    public const string GradesBy = "RS1048";

    /// <summary>An empty grades.levels list.</summary>
    public const string NoGradeLevels = "RS1049";

    /// <summary>A grade named twice (at the second name).</summary>
    public const string DuplicateGrade = "RS1050";

    /// <summary>share on a grade of by: score, or min on one of by: rankShare (at the key).</summary>
    public const string GradeShareOrMin = "RS1051";

    /// <summary>share or min on the last grade, which takes the remaining units (at the key).</summary>
    public const string LastGradeKey = "RS1052";

    /// <summary>Grade shares summing to more than 1 (at the share that passes 1).</summary>
    public const string ShareSum = "RS1053";

    /// <summary>A formula that is not text (at the value).</summary>
    public const string FormulaNotText = "RS1054";

    /// <summary>An indicator or adjustment id used twice (at the second).</summary>
    public const string DuplicateItemId = "RS1055";

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
