using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>The generated province evaluated with both sample rulesets for 2025Q3 and, as the previous period, 2025Q2.</summary>
public sealed class ProvinceResults
{
    public ProvinceResults()
    {
        var data = ProvinceGenerator.Generate(new ProvinceOptions());
        var county = Compile(SampleRulesets.County);
        var town = Compile(SampleRulesets.Town);
        County = Evaluator.Evaluate(county, data, Period.OfQuarter(2025, 3));
        CountyPrevious = Evaluator.Evaluate(county, data, Period.OfQuarter(2025, 2));
        Town = Evaluator.Evaluate(town, data, Period.OfQuarter(2025, 3));
    }

    public EvaluationResult County { get; }

    public EvaluationResult CountyPrevious { get; }

    public EvaluationResult Town { get; }

    private static CompiledRuleset Compile(string yaml)
    {
        var loaded = RulesetLoader.Load(yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        return CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256);
    }
}
