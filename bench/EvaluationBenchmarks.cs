using BenchmarkDotNet.Attributes;

namespace BaiQianWan.Assess.Bench;

/// <summary>Province evaluation (county and town rulesets, 2025Q3) by the engine and by the plain loop.</summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private Workload _workload = null!;

    /// <summary>1 = the generated province (1,731 units); 10 = ten times larger.</summary>
    [Params(1, 10)]
    public int Scale { get; set; }

    [GlobalSetup]
    public void Setup() => _workload = new Workload(Scale);

    [Benchmark]
    public int Engine() => _workload.EvaluateEngine();

    [Benchmark(Baseline = true)]
    public int PlainLoop() => _workload.EvaluateBaseline();
}
