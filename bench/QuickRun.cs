using System.Diagnostics;
using System.Globalization;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// <c>bench -- quick</c>: a timed run in well under a minute, reporting medians of repeated warm runs as
/// <c>name: value</c> lines. BenchmarkDotNet runs the same workloads with full statistics.
/// </summary>
internal static class QuickRun
{
    public static int Run(TextWriter output)
    {
        // Cold: the first compilation in the process (NRules' own code is JIT-compiled on the way) for the county
        // ruleset, then the town ruleset, each into NRules rules and a session factory, bypassing the cache.
        // YAML loading is timed apart (its first run JIT-compiles the loader), then each model into NRules rules.
        var countyModel = default(BaiQianWan.Assess.Rules.Loading.RulesetLoadResult);
        Report(output, "ruleset.load_cold_ms", Time(() => countyModel = BaiQianWan.Assess.Rules.Loading.RulesetLoader.Load(SampleRulesets.County)));
        var townModel = BaiQianWan.Assess.Rules.Loading.RulesetLoader.Load(SampleRulesets.Town);
        Report(output, "nrules.compile_ms.county", Time(() => CompiledRuleset.CompileUncached(countyModel!.Ruleset!, countyModel.Sha256)));
        Report(output, "nrules.compile_ms.town", Time(() => CompiledRuleset.CompileUncached(townModel.Ruleset!, townModel.Sha256)));
        var v3Model = BaiQianWan.Assess.Rules.Loading.RulesetLoader.Load(SampleRulesets.TownV3);
        Report(output, "nrules.compile_ms.town_v3", Time(() => CompiledRuleset.CompileUncached(v3Model.Ruleset!, v3Model.Sha256)));
        Report(output, "nrules.compile_ms.county_again", Time(() => CompiledRuleset.CompileUncached(countyModel!.Ruleset!, countyModel.Sha256)));
        var province = new Workload(1);
        if (!SameScores(province, output)) return 1;
        Report(output, "nrules.rules.county", province.Rulesets[0].RuleNames.Count);
        Report(output, "nrules.rules.town", province.Rulesets[1].RuleNames.Count);
        Report(output, "nrules.activations", province.Rulesets.Sum(r =>
        {
            Evaluator.Evaluate(r, province.Data, Workload.Period, out int firings);
            return firings;
        }));
        var (engine, baseline) = Interleaved(() => province.EvaluateEngine(), () => province.EvaluateBaseline(), 21);
        Report(output, "nrules.province.evaluate_ms", engine);
        Report(output, "baseline.province.loop_ms", baseline);
        Report(output, "nrules.province.ratio", engine / baseline);
        var v3 = Workload.Compile(SampleRulesets.TownV3);
        var v3Loop = new V3HandLoop(v3.Ruleset);
        if (!SameV3(v3, v3Loop, province.Data, output)) return 1;
        var (engineV3, loopV3) = Interleaved(() => Evaluator.Evaluate(v3, province.Data, Workload.Period), () => v3Loop.Run(province.Data, Workload.Period), 21);
        Report(output, "nrules.v3.evaluate_ms", engineV3);
        Report(output, "baseline.v3.loop_ms", loopV3);
        Report(output, "nrules.v3.ratio", engineV3 / loopV3);
        Report(output, "engine.province.allocated_mb", Allocated(() => province.EvaluateEngine()));
        Report(output, "baseline.province.allocated_mb", Allocated(() => province.EvaluateBaseline()));
        Report(output, "engine.province.town_data_hash_ms", Median(() => DataHash.Compute(province.Data, BaiQianWan.Assess.Rules.Data.UnitLevel.Town, Workload.Period), 15));

        TenTimes(output, engine);
        GC.Collect(); // the 10× data is gone: what follows is timed on a small heap, as it runs in the product

        var yaml = SyntheticRuleset.Yaml(100);
        var cold = Time(() => Workload.CompileUncached(yaml));
        Report(output, "ruleset.compile_cold_ms", cold);
        Report(output, "ruleset.compile_ms", Median(() => Workload.CompileUncached(yaml), 20));

        var (units, observations, _) = StoreImport.ProvinceFiles();
        Report(output, "store.sqlite.import_observations_s", StoreImport.Sqlite(units, observations, 3));
        if (StoreImport.Azurite(units, observations) is { } azurite) Report(output, "store.azurite.import_observations_s", azurite);
        var scorecards = ScorecardBenchmarks.PerSecond(ScorecardBenchmarks.Evaluate(province)[1], 100, 5, warmSeconds: 8); // warm as in the scorecards mode
        Report(output, "scorecards.per_second", scorecards.Wall);
        Report(output, "scorecards.per_cpu_second", scorecards.Cpu);
        return 0;
    }

    /// <summary>
    /// <c>bench -- national</c>: the generator at scale 24 (≈ 41,000 units), both sample rulesets evaluated with
    /// NRules; the median of three passes and the process's peak working set.
    /// </summary>
    public static int National(TextWriter output)
    {
        var national = new Workload(24);
        output.WriteLine($"units: {national.Data.Units.Count}");
        var first = Time(() => national.EvaluateEngine());
        Report(output, "nrules.national.first_ms", first);
        var times = Enumerable.Range(0, 3).Select(_ =>
        {
            GC.Collect();
            return Time(() => national.EvaluateEngine());
        }).Order().ToArray();
        Report(output, "nrules.national.evaluate_ms", times[1]);
        Report(output, "nrules.national.peak_mb", Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0);
        return 0;
    }

    /// <summary>
    /// <c>bench -- v3</c>: the v3 sample ruleset alone: its load and its compilation as the first in the process
    /// (cold: NRules' own code is JIT-compiled on the way), then the agreement check and <c>nrules.v3.ratio</c>.
    /// </summary>
    public static int V3(TextWriter output)
    {
        var model = default(BaiQianWan.Assess.Rules.Loading.RulesetLoadResult);
        Report(output, "ruleset.load_cold_ms.town_v3", Time(() => model = BaiQianWan.Assess.Rules.Loading.RulesetLoader.Load(SampleRulesets.TownV3)));
        var v3 = default(CompiledRuleset);
        Report(output, "nrules.compile_cold_ms.town_v3", Time(() => v3 = CompiledRuleset.CompileUncached(model!.Ruleset!, model.Sha256)));
        Report(output, "nrules.compile_ms.town_v3_again", Time(() => CompiledRuleset.CompileUncached(model!.Ruleset!, model.Sha256)));
        var data = ProvinceGenerator.Generate(new ProvinceOptions(Scale: 1));
        var loop = new V3HandLoop(v3!.Ruleset);
        if (!SameV3(v3, loop, data, output)) return 1;
        var (engine, baseline) = Interleaved(() => Evaluator.Evaluate(v3, data, Workload.Period), () => loop.Run(data, Workload.Period), 21);
        Report(output, "nrules.v3.evaluate_ms", engine);
        Report(output, "baseline.v3.loop_ms", baseline);
        Report(output, "nrules.v3.ratio", engine / baseline);
        // On a shared machine wall-clock medians swing with the neighbours; this process's CPU time swings less.
        var (engineCpu, baselineCpu) = Interleaved(() => Evaluator.Evaluate(v3, data, Workload.Period), () => loop.Run(data, Workload.Period), 21, CpuTime);
        Report(output, "nrules.v3.cpu_ratio", engineCpu / baselineCpu);
        // Bytes allocated by one warm pass on this thread (the data hash's own few, on another thread, left out): unlike
        // the times, the same on a busy machine as on an idle one.
        Report(output, "engine.v3.allocated_mb", Allocated(() => Evaluator.Evaluate(v3, data, Workload.Period)));
        Report(output, "baseline.v3.allocated_mb", Allocated(() => loop.Run(data, Workload.Period)));
        var province = new Workload(1);
        var (engineV2, baselineV2) = Interleaved(() => province.EvaluateEngine(), () => province.EvaluateBaseline(), 21);
        Report(output, "nrules.province.ratio", engineV2 / baselineV2);
        var (engineV2Cpu, baselineV2Cpu) = Interleaved(() => province.EvaluateEngine(), () => province.EvaluateBaseline(), 21, CpuTime);
        Report(output, "nrules.province.cpu_ratio", engineV2Cpu / baselineV2Cpu);
        return 0;
    }

    /// <summary>
    /// Milliseconds of this process's CPU time (all threads, so the GC's and JIT's too) spent by the action, from
    /// <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c> (nanoseconds; Process.TotalProcessorTime counts 10 ms ticks on Linux).
    /// </summary>
    private static double CpuTime(Action action)
    {
        var before = ProcessCpuMs();
        action();
        return ProcessCpuMs() - before;
    }

    private static double ProcessCpuMs()
    {
        if (ClockGetTime(2, out var ts) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        return ts.Seconds * 1000.0 + ts.Nanoseconds / 1e6;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>The 10× province, in its own frame so that its data is collectable once measured.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void TenTimes(TextWriter output, double engineProvince)
    {
        var large = new Workload(10);
        var (engineLarge, baselineLarge) = Interleaved(() => large.EvaluateEngine(), () => large.EvaluateBaseline(), 5);
        Report(output, "engine.10x.evaluate_ms", engineLarge);
        Report(output, "baseline.10x.loop_ms", baselineLarge);
        Report(output, "engine.10x.ratio", engineLarge / baselineLarge);
        Report(output, "engine.10x_over_province", engineLarge / engineProvince);
    }

    /// <summary>The baseline must compute the same totals and ranks as the engine, or its time means nothing.</summary>
    private static bool SameScores(Workload w, TextWriter output)
    {
        for (var i = 0; i < w.Rulesets.Length; i++)
        {
            var engine = Evaluator.Evaluate(w.Rulesets[i], w.Data, Workload.Period).Units;
            var baseline = w.Baselines[i].Run(w.Data, Workload.Period);
            var differ = engine.Count(u => baseline[u.Code] != (u.Total, u.Rank));
            if (differ > 0 || baseline.Count != engine.Length)
            {
                output.WriteLine($"baseline disagrees with the engine on {differ} units of {w.Rulesets[i].Ruleset.Id}");
                return false;
            }
        }
        return true;
    }

    /// <summary>The v3 hand loop must give every unit the engine's total, rank and grade, or the ratio compares unequal work.</summary>
    private static bool SameV3(CompiledRuleset v3, V3HandLoop loop, BaiQianWan.Assess.Rules.Data.Dataset data, TextWriter output)
    {
        var engine = Evaluator.Evaluate(v3, data, Workload.Period).Units;
        var hand = loop.Run(data, Workload.Period);
        var differ = engine.Where(u => !hand.TryGetValue(u.Code, out var h) || h != (u.Total, u.Rank, u.Grade)).ToArray();
        foreach (var u in differ.Take(5))
            output.WriteLine($"v3 hand loop disagrees on {u.Code}: engine {u.Total} rank {u.Rank} {u.Grade}, loop {(hand.TryGetValue(u.Code, out var h) ? h.ToString() : "absent")}");
        if (differ.Length > 0 || hand.Count != engine.Length)
        {
            output.WriteLine($"v3 hand loop disagrees with the engine on {differ.Length} units of {engine.Length} (loop has {hand.Count})");
            return false;
        }
        output.WriteLine($"v3 hand loop agrees with the engine on all {engine.Length} units (total, rank, grade); excluded: {engine.Count(u => !u.Ranked)}");
        return true;
    }

    /// <summary>
    /// Medians of two workloads timed in alternation, so both see the same machine (a busy neighbour, CPU
    /// frequency) rather than one getting the quiet half of the run. Each run starts from a collected heap, so
    /// neither pays for the other's garbage.
    /// </summary>
    /// <summary>Medians of two actions timed in turn (after one warm-up each), so a busy machine weighs on both alike.</summary>
    internal static (double A, double B) Interleaved(Action a, Action b, int runs, Func<Action, double>? clock = null)
    {
        clock ??= Time;
        a();
        b();
        var ta = new double[runs];
        var tb = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            ta[i] = clock(a);
            GC.Collect();
            tb[i] = clock(b);
        }
        Array.Sort(ta);
        Array.Sort(tb);
        return (ta[runs / 2], tb[runs / 2]);
    }

    internal static double Median(Action action, int runs)
    {
        action(); // warm up: JIT and caches
        var times = Enumerable.Range(0, runs).Select(_ => Time(action)).Order().ToArray();
        return times[runs / 2];
    }

    /// <summary>Megabytes allocated by one warm run (allocation is most of what the engine does beyond the loop's arithmetic).</summary>
    private static double Allocated(Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 1048576.0;
    }

    internal static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalMilliseconds;
    }

    internal static void Report(TextWriter output, string name, double value) =>
        output.WriteLine($"{name}: {value.ToString("0.00", CultureInfo.InvariantCulture)}");
}
