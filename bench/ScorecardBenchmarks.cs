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

    /// <summary>Scorecards per second on one thread, warm: the median of <paramref name="rounds"/> rounds of <paramref name="perRound"/> town scorecards.</summary>
    internal static double PerSecond(EvaluationResult town, int perRound, int rounds, double warmSeconds = 3)
    {
        var codes = town.Units.Select(u => u.Code).ToArray();
        // Warm up for a few seconds: tiered JIT keeps recompiling PDFsharp's hot paths for the first ~1,000 documents.
        var warm = Stopwatch.StartNew();
        for (var i = 0; warm.Elapsed.TotalSeconds < warmSeconds; i++) ScorecardRenderer.RenderScorecard(town, codes[i % codes.Length], Stamp);
        var rates = new double[rounds];
        var next = 0;
        for (var r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < perRound; i++) ScorecardRenderer.RenderScorecard(town, codes[next++ % codes.Length], Stamp);
            rates[r] = perRound / sw.Elapsed.TotalSeconds;
        }
        Array.Sort(rates);
        return rates[rounds / 2];
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
        Report(output, "scorecards.per_second", PerSecond(results[1], 100, 7, 8));
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
