using System.Diagnostics;
using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow.Ledger;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// <c>ledger</c>: a year's ledger of 10,000 tasks (200 grouping items, 9,800 tasks of 200 units) imported from CSV into a
/// fresh SQLite file through <see cref="LedgerService.ImportAsync"/> (parse, check every row, write every task and its
/// history entry in one change), median of 5; then a history of about 14,000 changes (submissions, verifications,
/// returns, deadlines, reopenings) and the derived observations of a month, a quarter and the year through
/// <see cref="LedgerService.ObservationsAsync"/> (reading the ledger and its history from the store, replaying each task
/// to the period's end), median of 20. Wall clock, milliseconds.
/// </summary>
internal static class LedgerBench
{
    private const int Units = 200;

    public static int Run(TextWriter output)
    {
        var (unitsCsv, tasksCsv) = Files();
        var imports = new List<double>();
        var importCpu = new List<double>();
        string? kept = null;
        for (var run = 0; run <= 5; run++) // the first run warms up
        {
            var path = Path.Combine(Path.GetTempPath(), $"bqw-ledger-bench-{Guid.NewGuid():N}.db");
            var (service, ledger, store) = Open(path, unitsCsv);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var outcome = service.ImportAsync(2025, tasksCsv, "tasks.csv", LedgerActor.Office("bench")).GetAwaiter().GetResult();
            watch.Stop();
            if (outcome.Added != 10_000) throw new InvalidOperationException($"imported {outcome.Added}");
            if (run > 0)
            {
                imports.Add(watch.Elapsed.TotalMilliseconds);
                importCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (run == 5) kept = path;
            else Delete(path);
        }
        output.WriteLine($"ledger import, 10,000 tasks (CSV {tasksCsv.Length / 1024} KiB, SQLite): median {Median(imports):F0} ms wall ({Median(importCpu):F0} ms CPU), min {imports.Min():F0} ms (runs: {string.Join(", ", imports.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))})");

        var (svc, led, st) = Open(kept!, null);
        var changes = History(led);
        foreach (var period in new[] { "2025-06", "2025Q3", "2025" })
        {
            var p = Period.Parse(period);
            var times = new List<double>();
            var cpu = new List<double>();
            var rows = 0;
            for (var run = 0; run <= 20; run++)
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                rows = svc.ObservationsAsync(p).GetAwaiter().GetResult().Length;
                watch.Stop();
                if (run == 0) continue;
                times.Add(watch.Elapsed.TotalMilliseconds);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }
            output.WriteLine($"ledger observations {period} ({changes:N0} changes in the history, {rows} rows): median {Median(times):F1} ms wall ({Median(cpu):F0} ms CPU), min {times.Min():F1} ms, max {times.Max():F1} ms");
        }
        // The monthly ledger bulletin of the 200 counties (read from the store, replayed to the month's end, drawn), median of 5.
        var bulletins = new LedgerBulletins(led, st);
        var drawn = new List<double>();
        var size = 0;
        for (var run = 0; run <= 5; run++)
        {
            var watch = Stopwatch.StartNew();
            var document = bulletins.RenderAsync(Period.Parse("2025-06"), UnitLevel.County, new Scorecards.DocumentStamp("bench", null, false)).GetAwaiter().GetResult()!;
            watch.Stop();
            size = document.Content.Length;
            if (run > 0) drawn.Add(watch.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"ledger bulletin 2025-06, county ({Units} units, {size / 1024} KiB PDF): median {Median(drawn):F0} ms wall, min {drawn.Min():F0} ms");
        if (Environment.GetEnvironmentVariable("LEDGER_BENCH_PARTS") == "1")
        {
            for (var run = 0; run < 5; run++)
            {
                var w = Stopwatch.StartNew();
                var tasks = led.GetTasksAsync(2025).GetAwaiter().GetResult();
                var t1 = w.Elapsed.TotalMilliseconds;
                var h = led.GetHistoriesAsync(2025).GetAwaiter().GetResult();
                var t2 = w.Elapsed.TotalMilliseconds;
                LedgerFigures.For(tasks, h, Period.Parse("2025"));
                output.WriteLine($"parts: tasks {t1:F0} ms, histories {t2 - t1:F0} ms, figures {w.Elapsed.TotalMilliseconds - t2:F0} ms");
            }
        }
        st.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Delete(kept!);
        return 0;
    }

    private static (LedgerService, ILedgerStore, IAssessStore) Open(string path, byte[]? unitsCsv)
    {
        var store = new SqliteAssessStore(path);
        store.InitializeAsync().GetAwaiter().GetResult();
        if (unitsCsv is not null)
        {
            var units = DataFiles.ReadUnits(Encoding.UTF8.GetString(unitsCsv), "units.csv");
            store.ImportUnitsAsync(2025, units.Rows, new ImportSource("units.csv", unitsCsv, "bench", DateTimeOffset.UtcNow)).GetAwaiter().GetResult();
        }
        var ledger = new SqliteLedgerStore(path);
        ledger.InitializeAsync().GetAwaiter().GetResult();
        return (new LedgerService(ledger, store, TimeProvider.System), ledger, store);
    }

    private static (byte[] Units, byte[] Tasks) Files()
    {
        var units = new StringBuilder("code,name,level,parent,class\n");
        for (var u = 0; u < Units; u++) units.Append(CultureInfo.InvariantCulture, $"C{u:D3},县{u},county,,甲\n");
        var random = new Random(2025);
        var tasks = new StringBuilder("id,year,parent,kind,title,unit,lead,leader,due,status,done\n");
        for (var g = 0; g < 200; g++) tasks.Append(CultureInfo.InvariantCulture, $"G{g:D3},2025,,重点工作,第{g}项重点工作,,,,,,\n");
        for (var i = 0; i < 9_800; i++)
        {
            var due = new DateOnly(2025, 1, 1).AddDays(random.Next(365));
            var roll = random.Next(10);
            var (status, done) = roll switch
            {
                0 => ("已销号", due.AddDays(random.Next(-30, 20)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                1 => ("中止", ""),
                _ => ("", ""),
            };
            tasks.Append(CultureInfo.InvariantCulture,
                $"T{i:D5},2025,G{i % 200:D3},举措,推进第{i}项举措（量化实化目标）,C{random.Next(Units):D3},牵头单位{i % 17},领导{i % 31},{due:yyyy-MM-dd},{status},{done}\n");
        }
        return (Encoding.UTF8.GetBytes(units.ToString()), Encoding.UTF8.GetBytes(tasks.ToString()));
    }

    /// <summary>Writes a plausible history straight into the store (as the changes would): returns how many changes.</summary>
    private static int History(ILedgerStore ledger)
    {
        var random = new Random(7);
        var writes = new List<(LedgerTask, LedgerEvent)>();
        foreach (var task in ledger.GetTasksAsync(2025).GetAwaiter().GetResult())
        {
            if (task.IsGrouping || task.State != TaskState.InProgress || random.Next(10) < 3) continue;
            var t = task;
            var on = t.Due!.Value.AddDays(random.Next(-40, 30));
            void Add(LedgerChange change, DateOnly? date = null)
            {
                var at = new DateTimeOffset(on.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero);
                var e = new LedgerEvent(2025, t.Id, t.Version + 1, change, at, on, "office", "office", null, "bench", date, []);
                t = LedgerMachine.Apply(t, e);
                writes.Add((t, e));
                on = on.AddDays(random.Next(1, 20));
            }
            if (random.Next(4) == 0) Add(LedgerChange.Deadline, t.Due!.Value.AddDays(30));
            Add(LedgerChange.Submit);
            if (random.Next(5) == 0)
            {
                Add(LedgerChange.Return);
                Add(LedgerChange.Submit);
            }
            Add(LedgerChange.Close);
            if (random.Next(10) == 0) Add(LedgerChange.Reopen, on.AddDays(30));
        }
        ledger.ImportAsync(2025, writes).GetAwaiter().GetResult();
        return writes.Count;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(path + suffix)) File.Delete(path + suffix);
    }
}
