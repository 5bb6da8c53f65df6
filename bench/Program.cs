using BaiQianWan.Assess.Bench;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "quick")
    return QuickRun.Run(Console.Out);

if (args.Length > 0 && args[0] == "monitor")
    return MonitorBench.Run(Console.Out);

if (args.Length > 0 && args[0] == "v3")
    return QuickRun.V3(Console.Out);

if (args.Length > 0 && args[0] == "national")
    return QuickRun.National(Console.Out);

// The standalone app's cold start on the demo store (bench/Startup.cs): `startup [--store demo.db] [--app DIR] …`.
if (args.Length > 0 && args[0] == "startup")
    return await Startup.RunAsync(args[1..], Console.Out);

if (args.Length > 0 && args[0] == "scorecards")
    return ScorecardBenchmarks.Run(Console.Out);

// The town level's annual evaluation from its sources (bench/AnnualBench.cs): `annual`.
if (args.Length > 0 && args[0] == "annual")
    return AnnualBench.Run(Console.Out);

if (args.Length > 0 && args[0] == "ledger")
    return LedgerBench.Run(Console.Out);

// The office's ledger board under load on the standalone Release app (bench/BoardBench.cs): `board [--app DIR] [--seconds 20] [--wrk]`.
if (args.Length > 0 && args[0] == "board")
    return await BoardBench.RunAsync(args[1..], Console.Out);

// Where a board request goes, in process, part by part (bench/BoardBench.cs): `board-parts [--runs 40]`.
if (args.Length > 0 && args[0] == "board-parts")
    return await BoardBench.PartsAsync(args[1..], Console.Out);

if (args.Length > 0 && args[0] == "monthpdf")
    return MonthDocumentBenchmarks.Run(Console.Out, args.Length > 1 ? args[1] : null);

// The town level's scorecard archive under notice, cold and warm (bench/NoticeZipBench.cs): `noticezip [--count 1607] [--uncached]`.
if (args.Length > 0 && args[0] == "noticezip")
    return NoticeZipBench.Run(Console.Out, args[1..]);

// Which types an evaluation allocates: both v2 samples (`allocations`) or the v3 sample (`allocations v3`).
if (args.Length > 0 && args[0] == "allocations")
    return AllocationSampler.Run(Console.Out, args.Length > 1 ? args[1] : "v2");

// For a sampling profiler (`perf record` with DOTNET_PerfMapEnabled=1): evaluates the province for N seconds, both
// v2 samples (`profile [N]`), the v3 sample through the engine (`profile v3 [N]`) or its hand loop (`profile v3loop [N]`).
if (args.Length > 0 && args[0] == "profile")
{
    var rest = args[1..];
    var what = rest.Length > 0 && !char.IsDigit(rest[0][0]) ? rest[0] : "v2";
    if (what != "v2") rest = rest[1..];
    var workload = new Workload(1);
    var v3 = Workload.Compile(BaiQianWan.Assess.Samples.SampleRulesets.TownV3);
    var v3Loop = new V3HandLoop(v3.Ruleset);
    Action pass = what switch
    {
        "v3" => () => BaiQianWan.Assess.Rules.Evaluation.Evaluator.Evaluate(v3, workload.Data, Workload.Period),
        "v3loop" => () => v3Loop.Run(workload.Data, Workload.Period),
        "v2" => () => workload.EvaluateEngine(),
        _ => throw new ArgumentException($"profile: unknown workload {what} (v2, v3, v3loop)"),
    };
    var until = DateTime.UtcNow.AddSeconds(rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 20);
    var passes = 0;
    while (DateTime.UtcNow < until)
    {
        pass();
        passes++;
    }
    Console.WriteLine($"passes: {passes}");
    return 0;
}

// Full runs: `dotnet run -c Release --project bench -- --filter '*'` (in-process toolchain; see platform.md).
BenchmarkSwitcher.FromAssembly(typeof(QuickRun).Assembly).Run(args, DefaultConfig.Instance
    .AddJob(BenchmarkDotNet.Jobs.Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance)));
return 0;
