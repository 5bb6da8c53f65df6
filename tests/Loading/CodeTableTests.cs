using System.Reflection;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Tests.Loading;

/// <summary>
/// Issue 21 item 3: every validation error has a stable code. One bad ruleset per code, asserting the code, line and
/// column (never the wording), and a check that the table covers every constant of <see cref="RulesetCodes"/> and
/// <see cref="FormulaCodes"/>, so no diagnostic the loader can produce goes without a code.
/// </summary>
public class CodeTableTests
{
    // Lines: 1 id, 2 name, 3 level, 4 classes, 5 dimensions, 6 - id, 7 name, 8 indicators, 9 - id, 10 name, 11 weight,
    // 12 method, 13 cap, 14 adjustments, 15 - id, 16 name, 17 kind, 18 grades, 19 by, 20 levels, 21 好, 22 一般.
    private static readonly string Valid = ValidationTests.Valid;

    private const string Method = "method: completion\n        cap: 1.2";
    private const string Veto = "kind: veto";

    private static string R(string from, string to) => Valid.Replace(from, to);

    /// <summary>An indicator formula, single-quoted: its text starts at line 13, column 19.</summary>
    private static string F(string formula) => R(Method, $"method: formula\n        formula: '{formula}'");

    public static readonly TheoryData<string, string, int, int> Cases = new()
    {
        // YAML structure
        { RulesetCodes.YamlSyntax, R("id: t\n", "id: [t\n"), 1, 5 },
        { RulesetCodes.Empty, "", 1, 1 },
        { RulesetCodes.SecondDocument, Valid + "\n---\nid: u\n", 23, 1 },
        { RulesetCodes.TooLarge, new string('#', RulesetLimits.MaxCharacters + 1), 1, 1 },
        { RulesetCodes.YamlLimit, "a: " + new string('[', RulesetLimits.MaxDepth + 2) + new string(']', RulesetLimits.MaxDepth + 2), 1, 35 },
        { RulesetCodes.ComplexKey, Valid + "\n? [a, b]\n: 1\n", 23, 3 },
        { RulesetCodes.DuplicateKey, Valid + "\nname: 二\n", 23, 1 },
        // keys and values
        { RulesetCodes.UnknownKey, R("cap: 1.2", "cap: 1.2\n        metirc: value"), 14, 9 },
        { RulesetCodes.MissingKey, R("        weight: 10\n", ""), 9, 9 },
        { RulesetCodes.NullValue, R("weight: 10", "weight: ~"), 11, 17 },
        { RulesetCodes.NotText, R(Veto, "kind: [veto]"), 17, 11 },
        { RulesetCodes.BadName, R("name: 指标", "name: \"a\\x01b\""), 10, 15 },
        { RulesetCodes.BadKeyText, R("- id: x", "- id: a/b"), 9, 13 },
        { RulesetCodes.NotBoolean, R("cap: 1.2", "cap: 1.2\n        core: yes"), 14, 15 },
        { RulesetCodes.NotNumber, R("weight: 10", "weight: abc"), 11, 17 },
        { RulesetCodes.OutOfRange, R("weight: 10", "weight: -1"), 11, 17 },
        { RulesetCodes.NotMapping, R("  - id: v\n    name: 否决\n    kind: veto", "  - 5"), 15, 5 },
        { RulesetCodes.NotList, R("classes: [创先, 进位]", "classes: 创先"), 4, 10 },
        // sections
        { RulesetCodes.RulesetId, R("id: t\n", "id: a.b\n"), 1, 5 },
        { RulesetCodes.NoClasses, R("classes: [创先, 进位]", "classes: []"), 4, 10 },
        { RulesetCodes.DuplicateClass, R("classes: [创先, 进位]", "classes: [创先, 创先]"), 4, 15 },
        { RulesetCodes.ClassUncovered, R("weight: 10", "weight: { 创先: 10 }"), 4, 15 },
        { RulesetCodes.NoDimensions, R("dimensions:\n", "dimensions: []\nxdims:\n"), 5, 13 },
        { RulesetCodes.DuplicateDimension, R("adjustments:", "  - id: d\n    name: 二\n    indicators:\n      - { id: y, weight: 1, method: completion }\nadjustments:"), 14, 9 },
        { RulesetCodes.EmptyDimension, R("    indicators:\n", "    indicators: []\n    xind:\n"), 8, 17 },
        { RulesetCodes.UnknownMethod, R("method: completion", "method: magic"), 12, 17 },
        { RulesetCodes.EmptyWeights, R("weight: 10", "weight: {}"), 11, 17 },
        { RulesetCodes.WeightClass, R("weight: 10", "weight: { 创先: 10, 进位: 1, 其他: 1 }"), 11, 34 },
        { RulesetCodes.Better, R("cap: 1.2", "cap: 1.2\n        better: up"), 14, 17 },
        { RulesetCodes.NoBands, R(Method, "method: bands\n        bands: []"), 13, 16 },
        { RulesetCodes.BandBound, R(Method, "method: bands\n        bands: [{ max: 1, score: 1 }]"), 13, 19 },
        { RulesetCodes.DuplicateBand, R(Method, "method: bands\n        bands: [{ min: 1, score: 1 }, { min: 1, score: 2 }]"), 13, 46 },
        { RulesetCodes.AdjustmentKind, R(Veto, "kind: plus"), 17, 11 },
        { RulesetCodes.VetoGrade, R(Veto, "kind: veto\n    grade: 差"), 18, 12 },
        { RulesetCodes.PerAndFormula, R(Veto, "kind: bonus\n    per: 1\n    formula: count"), 19, 14 },
        { RulesetCodes.NoPerOrFormula, R(Veto, "kind: bonus"), 15, 5 },
        { RulesetCodes.GradesBy, R("by: rankShare", "by: magic"), 19, 7 },
        { RulesetCodes.NoGradeLevels, R("  levels:\n    - { name: 好, share: 0.3 }\n    - { name: 一般 }", "  levels: []"), 20, 11 },
        { RulesetCodes.DuplicateGrade, R("{ name: 一般 }", "{ name: 好 }"), 22, 15 },
        { RulesetCodes.GradeShareOrMin, R("{ name: 好, share: 0.3 }", "{ name: 好, min: 0.3 }"), 21, 18 },
        { RulesetCodes.LastGradeKey, R("{ name: 一般 }", "{ name: 一般, share: 0.1 }"), 22, 19 },
        { RulesetCodes.ShareSum, R("{ name: 好, share: 0.3 }", "{ name: 好, share: 0.7 }\n    - { name: 中, share: 0.6 }"), 22, 25 },
        { RulesetCodes.FormulaNotText, R(Veto, "kind: veto\n    when: [1]"), 18, 11 },
        { RulesetCodes.DuplicateItemId, R("- id: v", "- id: x"), 15, 9 },
        // v3
        { RulesetCodes.StepsWithoutSide, R(Method, "method: steps"), 12, 17 },
        { RulesetCodes.StepsOutOfRange, R(Method, "method: steps\n        base: -1\n        up: { every: 1, points: 1 }"), 13, 15 },
        { RulesetCodes.StepsUnknownKey, R(Method, "method: steps\n        up: { every: 1, points: 1, cap: 3 }"), 13, 36 },
        { RulesetCodes.StepsThreshold, R(Method, "method: steps\n        up: { every: 1, points: 1 }\n        zeroAbove: 0.5"), 14, 9 },
        { RulesetCodes.StepsFrom, R(Method, "method: steps\n        from: target\n        up: { every: 1, points: 1 }"), 13, 15 },
        { RulesetCodes.NullMax, R(Method, "method: steps\n        up: { every: 1, points: 1, max: ~ }"), 13, 41 },
        { RulesetCodes.CapNone, R(Method, "method: increment\n        cap: none"), 13, 14 },
        { RulesetCodes.Metric, R(Method, "method: rank\n        metric: share"), 13, 17 },
        { RulesetCodes.DimensionCap, R("    name: 维度\n", "    name: 维度\n    cap: 0\n"), 8, 10 },
        { RulesetCodes.DimensionFactor, R("    name: 维度\n", "    name: 维度\n    factor: x\n"), 8, 13 },
        { RulesetCodes.TotalCap, Valid + "\ntotalCap: -1\n", 23, 11 },
        { RulesetCodes.ExcludeWithGrade, R(Veto, "kind: veto\n    exclude: true\n    grade: 一般"), 19, 12 },
        { RulesetCodes.ExcludeNotBoolean, R(Veto, "kind: veto\n    exclude: yes"), 18, 14 },
        { RulesetCodes.VetoGradeWithoutGrades, R(Veto, "kind: veto\n    grade: 一般").Split("grades:")[0], 18, 12 },
        { RulesetCodes.GradeScope, R("by: rankShare", "by: rankShare\n  scope: province"), 20, 10 },
        { RulesetCodes.ListScope, Valid + "\nlists:\n  black: { bottom: 1, scope: city }\n", 24, 30 },
        { RulesetCodes.ListCount, Valid + "\nlists:\n  red: { top: -1 }\n", 24, 15 },
        { RulesetCodes.InputId, Valid + "\ninputs:\n  - { id: 1a }\n", 24, 11 },
        { RulesetCodes.InputClash, Valid + "\ninputs:\n  - { id: actual }\n", 24, 11 },
        { RulesetCodes.Level, R("level: county", "level: province"), 3, 8 },
        // formulas: lexer
        { FormulaCodes.UnexpectedCharacter, F("actual $ 1"), 13, 26 },
        { FormulaCodes.InvalidNumber, F("1e5"), 13, 19 },
        { FormulaCodes.NumberTooLarge, F("99999999999999999999999999999999"), 13, 19 },
        { FormulaCodes.DoubleEquals, F("actual == 1"), 13, 26 },
        { FormulaCodes.OtherIndicator, F("gdp.growth"), 13, 19 },
        // parser
        { FormulaCodes.Empty, F(" "), 13, 19 },
        { FormulaCodes.MissingCloseParen, F("(1 + 2"), 13, 19 },
        { FormulaCodes.ExtraCloseParen, F("1 + 2)"), 13, 24 },
        { FormulaCodes.ChainedPower, F("2^3^4"), 13, 22 },
        { FormulaCodes.UnexpectedComma, F("1, 2"), 13, 20 },
        { FormulaCodes.UnexpectedToken, F("1 + * 2"), 13, 23 },
        { FormulaCodes.MissingOperator, F("actual target"), 13, 26 },
        { FormulaCodes.Incomplete, F("1 +"), 13, 21 },
        // binder
        { FormulaCodes.UnknownName, F("foo"), 13, 19 },
        { FormulaCodes.UnknownFunction, F("SUMM(1)"), 13, 19 },
        { FormulaCodes.NotAFunction, F("actual(2)"), 13, 19 },
        { FormulaCodes.FunctionWithoutArguments, F("MIN + 1"), 13, 19 },
        { FormulaCodes.ArgumentCount, F("ABS()"), 13, 19 },
        { FormulaCodes.CountOutsideAdjustment, F("2 * count"), 13, 23 },
        { FormulaCodes.VariableOutsideIndicator, R(Veto, "kind: bonus\n    formula: actual"), 18, 14 },
        // limits
        { FormulaCodes.TooLong, F("1" + string.Concat(Enumerable.Repeat("+1", FormulaLimits.MaxCharacters / 2))), 13, 19 },
        { FormulaCodes.TooDeep, F(new string('(', FormulaLimits.MaxDepth + 1) + "1" + new string(')', FormulaLimits.MaxDepth + 1)), 13, 83 },
        { FormulaCodes.TooManyNodes, F("MIN(" + string.Join(",", Enumerable.Repeat("MIN(" + string.Join(",", Enumerable.Repeat("1", 32)) + ")", 32)) + ")"), 13, 2113 },
        { FormulaCodes.TooManyArguments, F("MIN(" + string.Concat(Enumerable.Repeat("1,", FormulaLimits.MaxArguments)) + "1)"), 13, 151 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_code_is_reported_at_its_line_and_column(string code, string yaml, int line, int column)
    {
        var result = RulesetLoader.Load(yaml);
        Assert.Null(result.Ruleset);
        var found = result.Diagnostics.Select(d => (d.Code, d.Position.Line, d.Position.Column)).ToList();
        Assert.True(found.Contains((code, line, column)), $"{code} at {line}:{column} not in: {string.Join("; ", result.Diagnostics.Select(d => $"{d.Code}@{d.Position.Line}:{d.Position.Column}"))}");
        Assert.All(result.Diagnostics, d => Assert.NotNull(d.Code));
        Assert.All(result.Diagnostics, d => Assert.True(d.Length >= 0, $"{d.Code} has no length"));
        // No stray spaces: none doubled, none at either end.
        Assert.All(result.Diagnostics, d => Assert.Equal(d.Message.Trim(), d.Message));
        Assert.All(result.Diagnostics, d => Assert.DoesNotContain("  ", d.Message));
    }

    /// <summary>A span per kind of place: a value, a key, a mapping's first line, a formula's token, a word found by position.</summary>
    public static readonly TheoryData<string, string, int, int, int> Spans = new()
    {
        { RulesetCodes.Level, R("level: county", "level: province"), 3, 8, 8 },
        { RulesetCodes.UnknownMethod, R("method: completion", "method: magic"), 12, 17, 5 },
        { RulesetCodes.NotNumber, R("weight: 10", "weight: abc"), 11, 17, 3 },
        { RulesetCodes.BadName, R("name: 指标", "name: \"a\\x01b\""), 10, 15, 8 },
        { RulesetCodes.UnknownKey, R("cap: 1.2", "cap: 1.2\n        metirc: value"), 14, 9, 6 },
        { RulesetCodes.DuplicateKey, Valid + "\nname: 二\n", 23, 1, 4 },
        { RulesetCodes.MissingKey, R("        weight: 10\n", ""), 9, 9, 5 },
        { RulesetCodes.NullValue, R("weight: 10", "weight: ~"), 11, 17, 1 },
        { RulesetCodes.WeightClass, R("weight: 10", "weight: { 创先: 10, 进位: 1, 其他: 1 }"), 11, 34, 2 },
        { RulesetCodes.ListCount, Valid + "\nlists:\n  red: { top: -1 }\n", 24, 15, 2 },
        { FormulaCodes.UnknownName, F("foo"), 13, 19, 3 },
        { FormulaCodes.UnknownFunction, F("SUMM(1)"), 13, 19, 4 },
        { FormulaCodes.DoubleEquals, F("actual == 1"), 13, 26, 2 },
        { FormulaCodes.CountOutsideAdjustment, F("2 * count"), 13, 23, 5 },
        { FormulaCodes.VariableOutsideIndicator, R(Veto, "kind: bonus\n    formula: actual"), 18, 14, 6 },
        { RulesetCodes.SecondDocument, Valid + "\n---\nid: u\n", 23, 1, 3 },
    };

    [Theory]
    [MemberData(nameof(Spans))]
    public void Each_span_has_its_length(string code, string yaml, int line, int column, int length)
    {
        var found = RulesetLoader.Load(yaml).Diagnostics.Where(d => d.Code == code && d.Position.Line == line && d.Position.Column == column).ToList();
        Assert.Equal(length, Assert.Single(found).Length);
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void The_table_covers_every_code_and_no_code_is_used_twice()
    {
        var all = Constants(typeof(RulesetCodes)).Concat(Constants(typeof(FormulaCodes))).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, c => Assert.Matches("^RS[123][0-9]{3}$", c));
        var tested = Cases.Select(row => (string)row[0]).ToList();
        Assert.Equal(all.Order(), tested.Order());
    }
}
