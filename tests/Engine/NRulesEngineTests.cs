using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Engine;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Tests.Engine;

/// <summary>The ruleset as NRules rules: one named rule (or more) per YAML element, the trace, failures inside a rule.</summary>
public class NRulesEngineTests
{
    private static readonly string Yaml = RulesetYaml.County().Class("创先", "进位").Decimals(2)
        .Indicator("{ id: x, name: 完成, weight: 10, method: completion, core: true }")
        .Indicator("{ id: y, name: 排名, weight: {创先: 5}, method: rank, step: 0.1 }")
        .Then("adjustments:\n  - { id: b, name: 加分, kind: bonus, per: 0.5, max: 2 }\n  - { id: v, name: 否决, kind: veto, when: \"count >= 2\" }")
        .Last("lists:\n  red: { top: 1, requireTargetsMet: true }").Build();

    private static CompiledRuleset Compile(string yaml)
    {
        var loaded = RulesetLoader.Load(yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        return CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256);
    }

    [Fact]
    public void Each_yaml_element_becomes_named_rules_in_ruleset_order()
    {
        // x: metric, score; y (rank): metric, peers (ranks), score; their dimension d's subtotal; then b, v, and the
        // class-wide rules.
        Assert.Equal(
            ["indicator:x:metric", "indicator:x", "indicator:y:metric", "indicator:y:peers", "indicator:y", "dimension:d",
             "bonus:b", "veto:v", "total", "rank", "grade:好", "grade:一般", "list:red", "result"],
            Compile(Yaml).RuleNames);
    }

    [Fact]
    public void The_same_ruleset_text_compiles_once_per_process()
    {
        var loaded = RulesetLoader.Load(Yaml);
        Assert.Same(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256), CompiledRuleset.Compile(RulesetLoader.Load(Yaml).Ruleset!, loaded.Sha256));
    }

    [Fact]
    public void The_trace_names_the_rule_unit_facts_and_figure_of_every_firing()
    {
        var p = Period.OfQuarter(2025, 3);
        var data = new Dataset(
            [new Unit("A", "甲", UnitLevel.County, null, "创先"), new Unit("B", "乙", UnitLevel.County, null, "创先")],
            [new Observation("A", "x", p, 50m, 50m, null), new Observation("B", "x", p, 48m, 50m, null),
             new Observation("A", "y", p, 3m, null, null), new Observation("B", "y", p, 7m, null, null),
             new Observation("A", "b", p, 3m, null, null), new Observation("B", "v", p, 2m, null, null)]);
        var lines = new List<RuleFiring>();
        var result = Evaluator.Evaluate(Compile(Yaml), data, p, null, lines.Add);

        // x: A 50/50 × 10 = 10, B 48/50 × 10 = 9.6; y (rank, 5 points, step 0.1): B first 5, A second 4.5;
        // A's bonus 3 × 0.5 = 1.5.
        var x = lines.Where(l => l.Rule == "indicator:x").ToDictionary(l => l.Unit!, l => l.Figure);
        Assert.Equal("10", x["A"]);
        Assert.Equal("9.6", x["B"]);
        var score = lines.Single(l => l.Rule == "indicator:x" && l.Unit == "A");
        Assert.Equal(["metrics[创先/x]"], score.Matched.ToArray());
        Assert.Equal("scores[创先/x]", score.Produced);
        Assert.Equal("创先", score.Class);
        Assert.Equal("rank 2", lines.Single(l => l.Rule == "indicator:y:peers" && l.Unit == "A").Figure);
        Assert.Equal("1.5", lines.Single(l => l.Rule == "bonus:b" && l.Unit == "A").Figure);
        Assert.Equal("vetoed", lines.Single(l => l.Rule == "veto:v").Figure);
        // Totals: A 10 + 4.5 + 1.5 = 16, B 9.6 + 5 = 14.6; A is first and met its core target: the red list.
        Assert.Equal("16", lines.Single(l => l.Rule == "total" && l.Unit == "A").Figure);
        Assert.Equal("red", lines.Single(l => l.Rule == "list:red").Figure);
        Assert.Equal("A", lines.Single(l => l.Rule == "list:red").Unit);
        Assert.Equal(16m, result.Units[0].Total);
        // Firings are numbered in order, and the class-wide rules fire after the scores they collect.
        Assert.True(lines.First(l => l.Rule == "total").Firing > lines.Where(l => l.Rule.StartsWith("indicator:", StringComparison.Ordinal)).Max(l => l.Firing));
    }

    [Fact]
    public void A_class_where_no_indicator_applies_is_still_ranked()
    {
        // y applies to 创先 only and x is left out of 进位: 进位 units have no indicators, only their bonus. Validation
        // refuses such a ruleset at the class (issue 14 row 12), so the model is changed after loading: the engine
        // itself still ranks a class it is handed without indicators.
        var loaded = RulesetLoader.Load(Yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        var dimension = loaded.Ruleset!.Dimensions[0];
        var x = dimension.Indicators[0] with { Weight = Weight.ByClass([new("创先", 10m)]) };
        var model = loaded.Ruleset with { Dimensions = [dimension with { Indicators = dimension.Indicators.SetItem(0, x) }] };
        var p = Period.OfQuarter(2025, 3);
        var data = new Dataset(
            [new Unit("C", "丙", UnitLevel.County, null, "进位"), new Unit("D", "丁", UnitLevel.County, null, "进位")],
            [new Observation("D", "b", p, 1m, null, null)]);
        // Compiled under a key of its own: the cache is keyed by the text's SHA-256, which this changed model does not have.
        var result = Evaluator.Evaluate(CompiledRuleset.Compile(model, "nrules-test-changed-after-loading"), data, p);
        Assert.Equal(["D", "C"], result.Units.Select(u => u.Code));
        Assert.Equal([0.5m, 0m], result.Units.Select(u => u.Total));
        Assert.All(result.Units, u => Assert.Empty(u.Indicators));
    }

    [Fact]
    public void A_failure_inside_a_rule_names_the_rule_the_unit_and_the_yaml_line()
    {
        // A weight at decimal's limit: the maximum, weight × cap 1.2, is beyond the range of a decimal.
        var yaml = Yaml.Replace("weight: 10, method: completion", "weight: 79228162514264337593543950335, method: completion, cap: 1.2");
        var p = Period.OfQuarter(2025, 3);
        var data = new Dataset([new Unit("A", "甲", UnitLevel.County, null, "创先")], [new Observation("A", "x", p, 48m, 50m, null)]);
        var e = Assert.Throws<RuleEvaluationException>(() => Evaluator.Evaluate(Compile(yaml), data, p));
        Assert.Equal("indicator:x", e.Rule);
        Assert.Equal("A", e.Unit);
        Assert.Equal(10, e.Position.Line);
        Assert.Contains("规则 indicator:x（规则集第 10 行）在单位 A（创先）上执行失败：数值超出范围", e.Message);
    }

    [Fact]
    public void A_dimension_whose_subtotal_overflows_names_its_own_rule_the_unit_and_the_dimension_s_line()
    {
        // Each indicator's weight (and its maximum) fits in a decimal; their sum in the dimension does not.
        var yaml = RulesetYaml.County().Class("创先")
            .Indicator("{ id: x, name: 甲, weight: 50000000000000000000000000000, method: completion, cap: 1 }")
            .Indicator("{ id: y, name: 乙, weight: 50000000000000000000000000000, method: completion, cap: 1 }").Build();
        var p = Period.OfQuarter(2025, 3);
        var data = new Dataset([new Unit("A", "甲", UnitLevel.County, null, "创先")],
            [new Observation("A", "x", p, 50m, 50m, null), new Observation("A", "y", p, 50m, 50m, null)]);
        var e = Assert.Throws<RuleEvaluationException>(() => Evaluator.Evaluate(Compile(yaml), data, p));
        Assert.Equal("dimension:d", e.Rule);
        Assert.Equal("A", e.Unit);
        var dimensionLine = Array.FindIndex(yaml.Split('\n'), l => l.Trim() == "- id: d") + 1;
        Assert.Equal(6, dimensionLine);
        Assert.Equal(dimensionLine, e.Position.Line);
        Assert.Contains("规则 dimension:d（规则集第 6 行）在单位 A（创先）上执行失败：数值超出范围", e.Message);
    }
}
