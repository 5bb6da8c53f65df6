using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Methods;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Tests.Kit;

namespace BaiQianWan.Assess.Tests.Loading;

/// <summary>The one list of scoring methods (rules/Methods/) against the records, the reader and the scorers.</summary>
public class MethodRegistryTests
{
    [Fact]
    public void Every_method_record_has_exactly_one_kind_and_the_list_is_in_the_documented_order()
    {
        Assert.Equal(["completion", "bands", "rank", "efficacy", "increment", "formula", "steps"], ScoringMethods.All.Select(m => m.Name));
        var records = typeof(ScoringMethod).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ScoringMethod)) && !t.IsAbstract).ToList();
        Assert.Equal(7, records.Count);
        // each kind lives in its own file with its record: same namespace pair, one per record
        Assert.All(ScoringMethods.All, kind => Assert.Contains(records, r => r.Name == char.ToUpperInvariant(kind.Name[0]) + kind.Name[1..] + "Method"));
        Assert.Null(ScoringMethods.Find("Completion")); // exact spelling, as YAML keys
    }

    [Fact]
    public void The_keys_and_defaults_are_each_methods_own()
    {
        Assert.Equal(["cap", "zeroBelow"], ScoringMethods.Find("completion")!.Keys.AsEnumerable());
        Assert.Equal(["metric", "base", "from", "up", "down", "zeroBelow", "zeroAbove"], ScoringMethods.Find("steps")!.Keys.AsEnumerable());
        Assert.Equal(ScoringMethods.All.SelectMany(m => m.Keys).Distinct().Count(), ScoringMethods.AllKeys.Length);
        var loaded = RulesetLoader.Load(RulesetYaml.County("d").Class("创先")
            .Indicator("{ id: a, name: A, weight: 10, method: rank }")
            .Indicator("{ id: b, name: B, weight: 10, method: efficacy }")
            .Indicator("{ id: c, name: C, weight: 10, method: increment }")
            .Indicator("{ id: e, name: E, weight: 10, method: completion }").Build());
        Assert.True(loaded.IsValid, string.Join("; ", loaded.Diagnostics));
        var methods = loaded.Ruleset!.Indicators.Select(i => i.Method).ToList();
        Assert.Equal(new RankMethod(Metric.Value, 0.05m, 0m), methods[0]);
        Assert.Equal(new EfficacyMethod(Metric.Value, 0.6m), methods[1]);
        Assert.Equal(new IncrementMethod(Metric.Growth, 0.8m, 0m, 1.2m), methods[2]);
        Assert.Equal(new CompletionMethod(1m, 0m), methods[3]);
        // a method's key on another method is named as such, the unknown method lists the registry's names
        var wrong = RulesetLoader.Load(RulesetYaml.County("d").Class("创先").Indicator("{ id: a, name: A, weight: 10, method: rank, zeroBelow: 1 }").Build());
        Assert.Contains(wrong.Diagnostics, d => d.Code == RulesetCodes.UnknownKey && d.Message.Contains("方法不用这个参数", StringComparison.Ordinal));
        var unknown = RulesetLoader.Load(RulesetYaml.County("d").Class("创先").Indicator("{ id: a, name: A, weight: 10, method: magic }").Build());
        Assert.Contains(unknown.Diagnostics, d => d.Code == RulesetCodes.UnknownMethod && d.Message.Contains(string.Join("、", ScoringMethods.All.Select(m => m.Name)), StringComparison.Ordinal));
    }

    [Fact]
    public void Each_kind_makes_its_own_scorer_and_formula_has_none_outside_the_engine()
    {
        var loaded = RulesetLoader.Load(RulesetYaml.County("d").Class("创先")
            .Indicator("{ id: a, name: A, weight: 10, method: steps, up: { every: 0.1, points: 1 } }")
            .Indicator("{ id: f, name: F, weight: 10, method: formula, formula: actual }").Build());
        Assert.True(loaded.IsValid, string.Join("; ", loaded.Diagnostics));
        var steps = loaded.Ruleset!.Indicators.First();
        Assert.Equal("StepsScorer", IndicatorScorer.Create(steps, 2).GetType().Name);
        Assert.Throws<InvalidOperationException>(() => IndicatorScorer.Create(loaded.Ruleset.Indicators.Last(), 2));
    }
}
