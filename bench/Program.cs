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

if (args.Length > 0 && args[0] == "allocations")
    return AllocationSampler.Run(Console.Out);

// For a sampling profiler (`perf record` with DOTNET_PerfMapEnabled=1): evaluates the province for N seconds.
if (args.Length > 0 && args[0] == "profile")
{
    var workload = new Workload(1);
    var until = DateTime.UtcNow.AddSeconds(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
    var passes = 0;
    while (DateTime.UtcNow < until)
    {
        workload.EvaluateEngine();
        passes++;
    }
    Console.WriteLine($"passes: {passes}");
    return 0;
}

// Full runs: `dotnet run -c Release --project bench -- --filter '*'` (in-process toolchain; see platform.md).
BenchmarkSwitcher.FromAssembly(typeof(QuickRun).Assembly).Run(args, DefaultConfig.Instance
    .AddJob(BenchmarkDotNet.Jobs.Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance)));
return 0;
