using BaiQianWan.Assess.Rules.Evaluation;
using BenchmarkDotNet.Attributes;

namespace BaiQianWan.Assess.Bench;

/// <summary>Loading, validating and compiling a 100-indicator ruleset.</summary>
public class CompileBenchmarks
{
    private readonly string _yaml = SyntheticRuleset.Yaml(100);

    [Benchmark]
    public CompiledRuleset LoadAndCompile() => Workload.CompileUncached(_yaml);
}
