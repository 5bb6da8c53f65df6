using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// <c>board [--app DIR] [--seconds 20] [--connections 16] [--wrk]</c>: the office's ledger board page (<c>GET /office/ledger</c>)
/// under load on the standalone Release app (its own process, Kestrel, SQLite) with a year's ledger of 10,000 tasks
/// (<see cref="LedgerBench.Files"/>: 200 grouping items, 9,800 tasks of 200 units) and its history of about 15,000
/// changes (<see cref="LedgerBench.History"/>). With <c>--wrk</c> the load is wrk (<c>apt-get install wrk</c>): 2 threads,
/// the connections, an office token, 3 s of warm-up then the given seconds, wrk's percentiles. Without it, this loop: the
/// connections (each its own client and connection), each asking for the page again as soon as it has the last byte, for
/// the given seconds after 3 s of warm-up; every request's time is kept, and p50/p95/p99 are nearest-rank percentiles over
/// all of them. Three pages: the whole board (counts over every task, the first 100 lines), the board
/// filtered to one unit, and the verification queue.
/// </summary>
internal static class BoardBench
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var seconds = int.Parse(Option("--seconds") ?? "20", CultureInfo.InvariantCulture);
        var connections = int.Parse(Option("--connections") ?? "16", CultureInfo.InvariantCulture);
        var wrk = Array.IndexOf(args, "--wrk") >= 0;
        var repository = Startup.Repository();
        var app = Option("--app") is { } given ? Path.GetFullPath(given) : await Startup.PublishAsync(repository, output);
        var dll = Path.Combine(app, "BaiQianWan.Assess.Functions.dll");

        var folder = Directory.CreateTempSubdirectory("bqw-board-bench-").FullName;
        var store = Path.Combine(folder, "board.db");
        try
        {
            var changes = await SeedAsync(store);
            output.WriteLine($"store: {store}: 10,000 tasks of 2025 (200 units), {changes:N0} changes in the history; app: {app}");
            var key = RandomNumberGenerator.GetBytes(32);
            await using var process = await Startup.AppProcess.StartAsync(dll, store, key, trace: false, new Dictionary<string, string>());
            await process.WaitUntilServingAsync();
            var token = TokenCommand.Issue(key, "office", null, "office", TokenCommand.DefaultIssuer, TokenCommand.DefaultAudience, DateTimeOffset.UtcNow,
                TimeSpan.FromHours(2));
            foreach (var (name, path) in new[]
            {
                ("board", "/office/ledger?year=2025"),
                ("board.unit", "/office/ledger?year=2025&unit=C007"),
                ("queue", "/office/ledger/queue?year=2025"),
            })
            {
                var url = process.Url + path;
                using (var probe = Client(token))
                {
                    var first = await probe.GetAsync(url);
                    var html = await first.Content.ReadAsStringAsync();
                    if (first.StatusCode != HttpStatusCode.OK || !html.Contains("data-testid=\"board\"", StringComparison.Ordinal) && name != "queue")
                        throw new InvalidOperationException($"{path}: {(int)first.StatusCode} {html[..Math.Min(300, html.Length)]}");
                    output.WriteLine($"{name}: {path} ({Encoding.UTF8.GetByteCount(html) / 1024} KiB of HTML)");
                }
                if (wrk)
                {
                    await WrkAsync(url, token, connections, 3, folder); // warm-up
                    var line = await WrkAsync(url, token, connections, seconds, folder);
                    output.WriteLine($"  wrk -t2 -c{connections} -d{seconds}s: {line} (load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
                    continue;
                }
                await LoadAsync(url, token, connections, TimeSpan.FromSeconds(3)); // warm-up
                var times = await LoadAsync(url, token, connections, TimeSpan.FromSeconds(seconds));
                output.WriteLine($"  {times.Count:N0} requests in {seconds} s over {connections} connections ({times.Count / (double)seconds:F1}/s): " +
                                 $"p50 {Percentile(times, 0.50):F1} ms, p95 {Percentile(times, 0.95):F1} ms, p99 {Percentile(times, 0.99):F1} ms, max {times.Max():F1} ms");
                output.WriteLine($"ledger.{name}.p95_ms: {Percentile(times, 0.95).ToString("F1", CultureInfo.InvariantCulture)}");
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// <c>board-parts [--runs 40]</c>: in process, one request at a time, what the board page costs in each part — the ledger's
    /// list (<see cref="LedgerService.ListAsync"/>), the page's model (<c>LedgerPages.BoardAsync</c>: counts, filters, order,
    /// the page of lines) and its HTML (<c>PageRenderer</c>) — wall time and bytes allocated, median over the runs after a
    /// warm-up. For finding where a request goes before changing it; the load itself is <c>board</c>.
    /// </summary>
    public static async Task<int> PartsAsync(string[] args, TextWriter output)
    {
        var runs = Array.IndexOf(args, "--runs") is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 40;
        var folder = Directory.CreateTempSubdirectory("bqw-board-parts-").FullName;
        var path = Path.Combine(folder, "board.db");
        try
        {
            await SeedAsync(path);
            await using var store = new SqliteAssessStore(path);
            await using var ledger = new SqliteLedgerStore(path);
            var service = new LedgerService(ledger, store, TimeProvider.System);
            await using var renderer = new BaiQianWan.Assess.Portal.Rendering.PageRenderer();
            // As the app builds them: the board's body kept rendered (BOARD_BENCH_NO_BODY=1: rendered with each page).
            var pages = new BaiQianWan.Assess.Portal.Building.LedgerPages(service, store,
                Environment.GetEnvironmentVariable("BOARD_BENCH_NO_BODY") == "1" ? null : renderer);
            var user = new BaiQianWan.Assess.Portal.Auth.PortalUser("office", "考核办", AccountRole.Office, null);
            var actor = LedgerActor.Office("office");
            var cases = new (string Name, BaiQianWan.Assess.Portal.Models.LedgerFilter Filter, int Page)[]
            {
                ("board", new(), 1),
                ("board.page3", new(), 3),
                ("board.unit", new(Unit: "C007"), 1),
                ("board.red", new(Light: "red"), 1),
            };
            foreach (var (name, filter, page) in cases)
            {
                var parts = new List<(double List, double Model, double Html, long ModelBytes, long HtmlBytes, int Size)>();
                for (var run = 0; run <= runs; run++)
                {
                    var frame = new BaiQianWan.Assess.Portal.Models.PageFrame("", user, "token-" + run.ToString(CultureInfo.InvariantCulture), "", null, null);
                    var w = Stopwatch.StartNew();
                    await service.ListAsync(2025, actor, service.Today);
                    var t1 = w.Elapsed.TotalMilliseconds;
                    var a0 = GC.GetTotalAllocatedBytes(precise: true);
                    var t2s = w.Elapsed.TotalMilliseconds;
                    var model = await pages.BoardAsync(user, frame, 2025, filter, page);
                    var t2 = w.Elapsed.TotalMilliseconds;
                    var a1 = GC.GetTotalAllocatedBytes(precise: true);
                    var html = await renderer.RenderAsync<BaiQianWan.Assess.Portal.Pages.LedgerBoardPage>(model);
                    var bytes = Encoding.UTF8.GetByteCount(html);
                    var t3 = w.Elapsed.TotalMilliseconds;
                    var a2 = GC.GetTotalAllocatedBytes(precise: true);
                    if (run == 0 && Environment.GetEnvironmentVariable("BOARD_BENCH_DUMP") is { Length: > 0 } dump) await File.WriteAllTextAsync($"{dump}.{name}.html", html);
                    if (run > 0) parts.Add((t1, t2 - t2s, t3 - t2, a1 - a0, a2 - a1, bytes));
                }
                double M(Func<(double List, double Model, double Html, long ModelBytes, long HtmlBytes, int Size), double> f) => parts.Select(f).Order().ElementAt(parts.Count / 2);
                output.WriteLine($"{name}: list {M(p => p.List):F2} ms, model {M(p => p.Model):F2} ms ({M(p => p.ModelBytes) / 1024:F0} KiB allocated), " +
                                 $"html {M(p => p.Html):F2} ms ({M(p => p.HtmlBytes) / 1024:F0} KiB allocated), page {parts[0].Size / 1024} KiB (median of {runs}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The year's units and 10,000 tasks imported through the ledger's own import, and a history written as changes would write it.</summary>
    private static async Task<int> SeedAsync(string path)
    {
        var (unitsCsv, tasksCsv) = LedgerBench.Files();
        await using var store = new SqliteAssessStore(path);
        await store.InitializeAsync();
        var units = DataFiles.ReadUnits(Encoding.UTF8.GetString(unitsCsv), "units.csv");
        await store.ImportUnitsAsync(2025, units.Rows, new ImportSource("units.csv", unitsCsv, "bench", DateTimeOffset.UtcNow));
        await using var ledger = new SqliteLedgerStore(path);
        await ledger.InitializeAsync();
        var outcome = await new LedgerService(ledger, store, TimeProvider.System).ImportAsync(2025, tasksCsv, "tasks.csv", LedgerActor.Office("bench"));
        if (outcome.Added != 10_000) throw new InvalidOperationException($"imported {outcome.Added}");
        var changes = LedgerBench.History(ledger);
        if (Environment.GetEnvironmentVariable("BOARD_BENCH_PARTS") == "1")
        {
            // In process, one at a time: what one board request spends in the ledger before any HTML (median of 7).
            var service = new LedgerService(ledger, store, TimeProvider.System);
            var parts = new List<(double Tasks, double Histories, double Lights, double List)>();
            for (var run = 0; run < 8; run++)
            {
                var w = Stopwatch.StartNew();
                var tasks = await ledger.GetTasksAsync(2025);
                var t1 = w.Elapsed.TotalMilliseconds;
                await ledger.GetHistoriesAsync(2025);
                var t2 = w.Elapsed.TotalMilliseconds;
                BaiQianWan.Assess.Rules.Ledger.LedgerLights.On(tasks, service.Today);
                var t3 = w.Elapsed.TotalMilliseconds;
                await service.ListAsync(2025, LedgerActor.Office("bench"));
                var t4 = w.Elapsed.TotalMilliseconds;
                if (run > 0) parts.Add((t1, t2 - t1, t3 - t2, t4 - t3));
            }
            double M(Func<(double Tasks, double Histories, double Lights, double List), double> f) => parts.Select(f).Order().ElementAt(parts.Count / 2);
            Console.WriteLine($"parts (median of 7, in process): tasks {M(p => p.Tasks):F0} ms, histories {M(p => p.Histories):F0} ms, lights {M(p => p.Lights):F0} ms; ListAsync whole {M(p => p.List):F0} ms");
        }
        return changes;
    }

    /// <summary>wrk's summary line, as <c>bench/portal-wrk.sh</c> prints it: p50/p95/p99 (wrk's latency percentiles), requests/s, errors.</summary>
    private static async Task<string> WrkAsync(string url, string token, int connections, int seconds, string folder)
    {
        var script = Path.Combine(folder, "latency.lua");
        if (!File.Exists(script))
            await File.WriteAllTextAsync(script, """
                done = function(summary, latency, requests)
                  io.write(string.format("p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  %d requests  %.1f requests/s  errors %d\n",
                    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
                    summary.requests, summary.requests / (summary.duration / 1e6),
                    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
                end
                """);
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-t2", $"-c{connections}", $"-d{seconds}s", "--timeout", "60s", "-s", script, "-H", $"Authorization: Bearer {token}", url })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk: {process.ExitCode} {stderr}");
        return stdout.TrimEnd().Split('\n')[^1];
    }

    private static async Task<List<double>> LoadAsync(string url, string token, int connections, TimeSpan duration)
    {
        var clients = Enumerable.Range(0, connections).Select(_ => Client(token)).ToList();
        try
        {
            var until = Stopwatch.StartNew();
            var all = await Task.WhenAll(clients.Select(async client =>
            {
                var times = new List<double>();
                while (until.Elapsed < duration)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
                    watch.Stop();
                    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
                return times;
            }));
            return [.. all.SelectMany(t => t)];
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    private static HttpClient Client(string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
