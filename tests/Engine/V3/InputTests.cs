using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Tests.Engine.V3;

/// <summary>(v3) Data-only <c>inputs</c> (spec 2.7).</summary>
public class InputTests
{
    private static string Ruleset(string inputs, string formula = "weight * MIN(actual / (population * 10) / 2.5, 1)", string extra = "") =>
        RulesetYaml.County().Class("创先").Top("inputs:\n  " + Spec.Indent(inputs, 2))
            .Indicator("doctors", "每千人口医师数", $"weight: 10\nmethod: formula\nformula: \"{formula}\"").Then(extra).NoGrades().Build();

    private const string Population = "- { id: population, name: 户籍人口, unit: 万人 }";

    [Fact]
    public void An_input_is_a_formula_variable_with_the_unit_s_value()
    {
        // 1000 doctors over 50 万人 = 2 per thousand; 2 / 2.5 of the weight 10 = 8.
        var result = Spec.Evaluate(Ruleset(Population), "A 创先\nB 创先", "A,doctors,2025Q3,1000,,\nA,population,2025Q3,50,99,98\nB,doctors,2025Q3,1000,,");
        var a = result.Indicator("A", "doctors");
        Assert.Equal(8m, a.Score);
        Assert.EndsWith("；户籍人口 50 万人", a.Explain);
        // B has no population row: missing for the indicator that names it.
        Assert.NotNull(result.Indicator("B", "doctors").Missing);
        Assert.Contains("户籍人口", result.Indicator("B", "doctors").Missing);
        // Never scored, shown or listed as unknown.
        Assert.Empty(result.UnknownIndicators);
        Assert.Equal(["doctors"], result.Unit("A").Indicators.Select(i => i.Id));
    }

    [Fact]
    public void Input_ids_are_formula_names_unlike_any_variable_function_or_other_input()
    {
        static (string?, int, int) Only(string yaml)
        {
            var d = Assert.Single(RulesetLoader.Load(yaml).Diagnostics);
            return (d.Code, d.Position.Line, d.Position.Column);
        }
        // The inputs list starts on line 6; the id value of "  - { id: " is at column 11.
        Assert.Equal((RulesetCodes.InputId, 6, 11), Only(Ruleset("- { id: 2pop, name: 人口 }", "actual")));
        Assert.Equal((RulesetCodes.InputClash, 6, 11), Only(Ruleset("- { id: Actual, name: 人口 }", "actual")));
        Assert.Equal((RulesetCodes.InputClash, 6, 11), Only(Ruleset("- { id: floor, name: 人口 }", "actual")));
        Assert.Equal((RulesetCodes.InputClash, 7, 11), Only(Ruleset(Population + "\n- { id: Population, name: 人口 }")));
        // An id shared with an indicator is a duplicate id (at the indicator's id).
        Assert.Contains("重复的 id", Assert.Single(RulesetLoader.Load(Ruleset("- { id: doctors, name: 人口 }", "actual")).Diagnostics).Message);
    }

    [Fact]
    public void Adjustment_formulas_do_not_know_inputs()
    {
        var yaml = Ruleset(Population, extra: "adjustments:\n  - { id: b, name: 加分, kind: bonus, formula: population }");
        Assert.Contains("未知的名称 'population'", Assert.Single(RulesetLoader.Load(yaml).Diagnostics).Message);
    }
}
