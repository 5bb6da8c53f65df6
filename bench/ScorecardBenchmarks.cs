using System.Diagnostics;
using System.Globalization;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;
using BenchmarkDotNet.Attributes;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// Rendering the province's documents: scorecards per second on one core once warm, and every scorecard and
/// bulletin of both levels on all cores (what a quarterly run publishes).
/// </summary>
[MemoryDiagnoser]
public class ScorecardBenchmarks
{
    private static readonly DocumentStamp Stamp = new("bench-run", new DateTimeOffset(2025, 10, 8, 1, 30, 0, TimeSpan.Zero), true);
    private EvaluationResult[] _results = [];
    private string[] _towns = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _results = Evaluate(new Workload(1));
        _towns = [.. _results[1].Units.Select(u => u.Code)];
    }

    /// <summary>One town scorecard (16 indicators, typically two pages), cycling through the units.</summary>
    [Benchmark]
    public int TownScorecard() => ScorecardRenderer.RenderScorecard(_results[1], _towns[_next++ % _towns.Length], Stamp).Pdf.Length;

    /// <summary>The county evaluation's scorecards and bulletins.</summary>
    [Benchmark]
    public int CountyDocumentSet() => DocumentSet.RenderAll(_results[0], Stamp, null, Environment.ProcessorCount).Length;

    internal static EvaluationResult[] Evaluate(Workload w) => [.. w.Rulesets.Select(r => Evaluator.Evaluate(r, w.Data, Workload.Period))];

    /// <summary>
    /// Scorecards per second on one thread, warm: the median of <paramref name="rounds"/> rounds of <paramref name="perRound"/>
    /// town scorecards, by the wall clock and by the process's CPU time (which a machine shared with other work
    /// does not inflate; it includes the GC's and the JIT's background threads).
    /// </summary>
    internal static (double Wall, double Cpu) PerSecond(EvaluationResult town, int perRound, int rounds, double warmSeconds = 3)
    {
        var codes = town.Units.Select(u => u.Code).ToArray();
        // Warm up for a few seconds: tiered JIT keeps recompiling PDFsharp's hot paths for the first ~1,000 documents.
        var warm = Stopwatch.StartNew();
        for (var i = 0; warm.Elapsed.TotalSeconds < warmSeconds; i++) ScorecardRenderer.RenderScorecard(town, codes[i % codes.Length], Stamp);
        var wall = new double[rounds];
        var cpu = new double[rounds];
        var next = 0;
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < rounds; r++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < perRound; i++) ScorecardRenderer.RenderScorecard(town, codes[next++ % codes.Length], Stamp);
            wall[r] = perRound / sw.Elapsed.TotalSeconds;
            process.Refresh();
            cpu[r] = perRound / (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        return (wall[rounds / 2], cpu[rounds / 2]);
    }

    /// <summary>Seconds to render every document of both levels on all cores, and how many documents and pages that was.</summary>
    internal static (double Seconds, int Scorecards, int Bulletins, int Pages, long Bytes) Province(EvaluationResult[] results)
    {
        var sw = Stopwatch.StartNew();
        var sets = results.Select(r => DocumentSet.RenderAll(r, Stamp, null, Environment.ProcessorCount)).ToArray();
        var seconds = sw.Elapsed.TotalSeconds;
        var all = sets.SelectMany(s => s).ToArray();
        var scorecards = all.Count(d => d.Path.StartsWith("scorecards/", StringComparison.Ordinal));
        return (seconds, scorecards, all.Length - scorecards, all.Sum(d => d.Document.PageCount), all.Sum(d => (long)d.Document.Pdf.Length));
    }

    /// <summary><c>bench -- scorecards</c>: the figures for docs/benchmarks.md.</summary>
    internal static int Run(TextWriter output)
    {
        var results = Evaluate(new Workload(1));
        var rate = PerSecond(results[1], 100, 7, 8);
        Report(output, "scorecards.per_second", rate.Wall);
        Report(output, "scorecards.per_cpu_second", rate.Cpu);
        Province(results); // warm: every code path and glyph once
        for (var i = 0; i < 3; i++)
        {
            var p = Province(results);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scorecards.province_s: {p.Seconds:0.00} ({p.Scorecards} scorecards + {p.Bulletins} bulletins, {p.Pages} pages, {p.Bytes / 1048576.0:0.0} MB, {Environment.ProcessorCount} cores)"));
        }
        return 0;
    }

    internal static void Report(TextWriter output, string name, double value) =>
        output.WriteLine($"{name}: {value.ToString("0.00", CultureInfo.InvariantCulture)}");
}
