using BaiQianWan.Assess.Bench;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "quick")
    return QuickRun.Run(Console.Out);

// Full runs: `dotnet run -c Release --project bench -- --filter '*'` (in-process toolchain; see platform.md).
BenchmarkSwitcher.FromAssembly(typeof(QuickRun).Assembly).Run(args, DefaultConfig.Instance
    .AddJob(BenchmarkDotNet.Jobs.Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance)));
return 0;
