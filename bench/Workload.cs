using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Bench;

/// <summary>A generated province with both sample rulesets compiled: what the benchmarks evaluate.</summary>
internal sealed class Workload
{
    public static readonly Period Period = Period.OfQuarter(2025, 3);

    public Workload(int scale)
    {
        Data = ProvinceGenerator.Generate(new ProvinceOptions(Scale: scale));
        Rulesets = [Compile(SampleRulesets.County), Compile(SampleRulesets.Town)];
        Baselines = [.. Rulesets.Select(r => new BaselineLoop(r.Ruleset))];
    }

    public Dataset Data { get; }

    public CompiledRuleset[] Rulesets { get; }

    public BaselineLoop[] Baselines { get; }

    /// <summary>Unit × indicator cells scored per pass (both levels).</summary>
    public int Cells => Rulesets.Sum(r => Evaluator.Evaluate(r, Data, Period).Units.Sum(u => u.Indicators.Length));

    public int EvaluateEngine()
    {
        var units = 0;
        foreach (var r in Rulesets) units += Evaluator.Evaluate(r, Data, Period).Units.Length;
        return units;
    }

    public int EvaluateBaseline()
    {
        var units = 0;
        foreach (var b in Baselines) units += b.Run(Data, Period).Count;
        return units;
    }

    public static CompiledRuleset Compile(string yaml)
    {
        var loaded = RulesetLoader.Load(yaml);
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("\n", loaded.Diagnostics));
        return CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256);
    }

    /// <summary>Loads and compiles into NRules rules without the per-process cache.</summary>
    public static CompiledRuleset CompileUncached(string yaml)
    {
        var loaded = RulesetLoader.Load(yaml);
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("\n", loaded.Diagnostics));
        return CompiledRuleset.CompileUncached(loaded.Ruleset!, loaded.Sha256);
    }
}
