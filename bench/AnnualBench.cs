using System.Diagnostics;
using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Rules.Annual;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Samples.Generation;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// <c>annual</c> (issue 25): the town level's annual evaluation (年考评) of the generated province for 2025 with its sources —
/// the four quarters evaluated by <c>town.yaml</c> and the twelve months lit by <c>town-monthly.yaml</c> (generated month
/// figures), each as its results JSON bytes, and the task ledger's rows for the year (the generated plan applied through
/// <see cref="LedgerService"/> on a temporary SQLite file, as the demo does). Prepared once, not timed. Timed, median of 15
/// after a warm-up (and the process's CPU time, median of 7): reading the 16 publications (<see cref="Publication.Read"/>: parse, hash), joining them as derived rows
/// and inputs (<see cref="SourceData.Join"/>) and evaluating the year with NRules (<see cref="Evaluator.Evaluate(CompiledRuleset, Dataset, Period, int?)"/>).
/// Wall clock, milliseconds.
/// </summary>
internal static class AnnualBench
{
    /// <summary>A town annual ruleset like the county sample: 平时 30% (the quarters' mean), 年终 70% (Q4), red lights and overdue tasks deducted, a level-wide quota.</summary>
    private const string TownAnnual = """
        id: town-annual-bench
        name: 乡镇 2025 年度考核评价（基准）
        level: town
        cadence: year
        classes: [中心镇, 专业镇, 特色镇, 城区街道, 重点帮扶镇, 巩固提升镇, 普通镇]
        decimals: 2
        sources:
          - { id: quarterly, from: quarters, figure: total }
          - { id: yearend, from: quarters, figure: total }
          - { id: red_lights, from: months, light: red }
        dimensions:
          - id: routine
            name: 平时考核（30%）
            indicators:
              - { id: quarterly, name: 季度平均 × 30%, weight: 30, method: formula, formula: "actual * 0.3" }
          - id: final
            name: 年终考核（70%）
            indicators:
              - { id: yearend, name: 第四季度 × 70%, weight: 70, method: formula, formula: "yearend_q4 * 0.7" }
        adjustments:
          - { id: red_lights, name: 红灯, kind: penalty, per: 0.2, max: 3 }
          - { id: ledger_overdue, name: 逾期任务, kind: penalty, per: 0.5, max: 5 }
        grades:
          by: rankShare
          scope: level
          levels:
            - { name: 优秀, share: 0.2 }
            - { name: 良好, share: 0.5 }
            - { name: 一般 }
        """;

    private static readonly Period Year = Period.OfYear(2025);

    public static int Run(TextWriter output)
    {
        var prepare = Stopwatch.StartNew();
        var province = ProvinceGenerator.Generate(new ProvinceOptions());
        var town = Workload.Compile(SampleRulesets.Town);
        var sources = new List<(string Name, byte[] Bytes)>();
        for (var q = 1; q <= 4; q++)
            sources.Add(($"2025Q{q}.json", ResultsJson.Serialize(Evaluator.Evaluate(town, province, Period.OfQuarter(2025, q)))));
        var loaded = MonitorLoader.Load(SampleRulesets.TownMonthly);
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("\n", loaded.Diagnostics));
        var monitor = CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256);
        var months = new Dataset(province.Units, [.. MonthRows(province.Units, loaded.Monitor!)]);
        for (var m = 1; m <= 12; m++)
            sources.Add(($"2025-{m:D2}.json", MonthResultJson.Serialize(MonitorEvaluator.Evaluate(monitor, months, Period.OfMonth(2025, m)))));
        var ledgerRows = LedgerRowsAsync(province).GetAwaiter().GetResult();
        var annual = Workload.Compile(TownAnnual);
        var data = new Dataset(province.Units, ledgerRows);
        output.WriteLine($"workload: {province.Units.Count(u => u.Level == UnitLevel.Town)} towns; sources 4 quarters + 12 months " +
                         $"({sources.Sum(s => s.Bytes.Length) / 1048576.0:0.0} MiB of results JSON), ledger rows for 2025: {ledgerRows.Count} " +
                         $"(prepared in {prepare.Elapsed.TotalSeconds:0.0} s, not timed)");

        EvaluationResult Once()
        {
            var read = sources.Select(s => (s.Name, Publication.Read(s.Bytes))).ToList();
            var (joined, problems) = SourceData.Join(annual.Ruleset, data, Year, read);
            if (joined is null) throw new InvalidOperationException(string.Join("\n", problems));
            return Evaluator.Evaluate(annual, joined, Year);
        }
        var result = Once();
        var penalised = result.Units.Count(u => u.Adjustments.Any(a => a.Id == "ledger_overdue" && a.Count > 0));
        output.WriteLine($"check: {result.Units.Length} towns evaluated, {result.Sources.Length} publications read, {penalised} with overdue tasks, " +
                         $"grades {string.Join(" ", result.Units.GroupBy(u => u.Grade).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}");
        if (result.Sources.Length != 16 || result.Units.Length == 0) return 1;

        var (total, read) = QuickRun.Interleaved(() => Once(), () => sources.Select(s => Publication.Read(s.Bytes)).ToList(), 15);
        QuickRun.Report(output, "annual.town_ms", total);
        QuickRun.Report(output, "annual.town_read_ms", read);
        // On a shared machine wall time counts the waits for a core; the process's CPU time for the same work does not.
        var (totalCpu, readCpu) = QuickRun.Interleaved(() => Once(), () => sources.Select(s => Publication.Read(s.Bytes)).ToList(), 7, Cpu);
        QuickRun.Report(output, "annual.town_cpu_ms", totalCpu);
        QuickRun.Report(output, "annual.town_read_cpu_ms", readCpu);
        return 0;
    }

    private static double Cpu(Action action)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        action();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
    }

    /// <summary>Cumulative month rows 1–12 for every unit of the monitor's level (seeded): annual target, a baseline, a plan; a tenth lagging.</summary>
    private static IEnumerable<Observation> MonthRows(IReadOnlyList<Unit> units, MonitorDefinition monitor)
    {
        var rng = new Random(2025);
        foreach (var unit in units.Where(u => u.Level == monitor.Level))
        {
            var pace = rng.Next(10) == 0 ? 0.6m + rng.Next(0, 30) / 100m : 0.85m + rng.Next(0, 35) / 100m;
            foreach (var ind in monitor.Indicators)
            {
                var target = 100m + rng.Next(900);
                for (var m = 1; m <= 12; m++)
                {
                    var line = target * m / 12m;
                    yield return new Observation(unit.Code, ind.Id, Period.OfMonth(2025, m), decimal.Round(line * pace * (0.95m + rng.Next(10) / 100m), 2),
                        target, decimal.Round(line / 1.05m, 2), decimal.Round(line, 2));
                }
            }
        }
    }

    /// <summary>The ledger's derived rows for 2025: the generated plan imported and its changes made on a temporary SQLite file, as the demo does.</summary>
    private static async Task<IReadOnlyList<Observation>> LedgerRowsAsync(Dataset province)
    {
        var path = Path.Combine(Path.GetTempPath(), $"bqw-annual-bench-{Guid.NewGuid():N}.db");
        try
        {
            await using (var store = new SqliteAssessStore(path))
            {
                await store.InitializeAsync();
                var units = new StringWriter();
                ProvinceFiles.WriteUnits(units, province.Units);
                await new AssessmentService(store, TimeProvider.System, null).ImportUnitsAsync(2025, Encoding.UTF8.GetBytes(units.ToString()), "units.csv", "bench");
                await using var ledger = new SqliteLedgerStore(path);
                await ledger.InitializeAsync();
                var plan = LedgerPlan.Generate(province);
                var clock = new DemoLedger.PlanClock(plan.ImportedAt);
                var service = new LedgerService(ledger, store, clock);
                await DemoLedger.ApplyAsync(service, clock, plan, plan.ToCsv(), "ledger.csv");
                return await service.ObservationsAsync(Year);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        }
    }
}
