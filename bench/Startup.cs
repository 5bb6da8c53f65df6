using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using BaiQianWan.Assess.Cli.Commands;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// <c>bench -c Release -- startup [--store demo.db] [--app DIR] [--starts 5] [--connections 64] [--requests 4]
/// [--period 2025Q3] [--level county] [--trace] [--env NAME=VALUE]…</c>: the standalone app (the functions project on its own, Kestrel, SQLite) started
/// cold on the demo store, as its own process, again and again.
/// <list type="bullet">
/// <item><c>startup.first_scorecard_ms</c>: from <see cref="Process.Start()"/> to the last byte of the first published
/// scorecard PDF a county downloads with its own token (the client retries a refused connection every 5 ms); median of
/// the starts.</item>
/// <item><c>startup.first_burst_p99_ms</c>: other starts where the first traffic is a burst: as soon as the port takes a
/// TCP connection, 64 connections at once (each its own client, a county's own token) download their scorecard
/// <c>--requests</c> times each, one after another; the 99th percentile of every download's time over all bursts.
/// <c>startup.second_burst_p99_ms</c>: the same burst again right after, warm: what the machine does at that moment.</item>
/// </list>
/// The store is <c>--store</c>, or the demo's (<c>cli demo</c>) in a temporary folder, made there once and reused. The app
/// is <c>--app</c> (a folder with <c>BaiQianWan.Assess.Functions.dll</c>), or <c>dotnet publish functions -c Release</c>
/// into <c>bench/bin/startup-app</c> (incremental). The quarterly timer is off (it would only wait for its date). The page
/// cache is the machine's: the store's file is read once before the first timed start, so the starts are cold for the
/// process, not for the disk. <c>ASSESS_STARTUP_TRACE=1</c> (passed on with <c>--trace</c>) makes the app print its
/// start-up phases.
/// </summary>
internal static class Startup
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Number(string name, int fallback) => Option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var starts = Number("--starts", 5);
        var connections = Number("--connections", 64);
        var requests = Number("--requests", 4);
        var period = Option("--period") ?? "2025Q3";
        var level = Option("--level") ?? "county";
        var trace = args.Contains("--trace");
        // --env NAME=VALUE (repeatable): set for the app, e.g. DOTNET_TieredPGO=0, to compare runtime settings.
        var env = args.Select((a, i) => (a, i)).Where(p => p.a == "--env" && p.i + 1 < args.Length).Select(p => args[p.i + 1].Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
        var repository = Repository();

        var store = Option("--store") ?? await DemoStoreAsync(output);
        if (!File.Exists(store))
        {
            await Console.Error.WriteLineAsync($"no store at {store}");
            return 2;
        }
        var app = Option("--app") is { } given ? Path.GetFullPath(given) : await PublishAsync(repository, output);
        var dll = Path.Combine(app, "BaiQianWan.Assess.Functions.dll");
        if (!File.Exists(dll))
        {
            await Console.Error.WriteLineAsync($"no app at {dll}");
            return 2;
        }
        output.WriteLine($"store: {store} ({new FileInfo(store).Length / 1024 / 1024} MiB); app: {app}{string.Concat(env.Select(e => $"; {e.Key}={e.Value}"))}");
        var key = RandomNumberGenerator.GetBytes(32);

        // Untimed: a start that reads the whole file (the page cache, as on a server that has run before) and finds
        // the published units to download.
        Warm(store);
        IReadOnlyList<string> units;
        await using (var first = await AppProcess.StartAsync(dll, store, key, trace: false, env))
        {
            await first.WaitUntilServingAsync();
            units = await PublishedUnitsAsync(first.Url, key, period, level);
        }
        if (units.Count == 0)
        {
            await Console.Error.WriteLineAsync($"no published {level} units in {period}");
            return 2;
        }
        output.WriteLine($"units: {units.Count} published {level} units of {period}; first {units[0]}");

        var firsts = new List<double>();
        for (var i = 0; i < starts; i++)
        {
            await using var process = await AppProcess.StartAsync(dll, store, key, trace, env);
            var unit = units[i % units.Count];
            using var client = Client(key, unit);
            while (true)
            {
                try
                {
                    var pdf = await Scorecard(client, process.Url, period, unit);
                    if (pdf.Length < 1000) throw new InvalidOperationException($"{unit}: {pdf.Length} bytes, not a scorecard");
                    break;
                }
                catch (HttpRequestException e) when (e.InnerException is SocketException)
                {
                    process.ThrowIfExited();
                    await Task.Delay(5);
                }
            }
            var ms = process.Elapsed.TotalMilliseconds;
            firsts.Add(ms);
            output.WriteLine($"  start {i + 1}: first scorecard {ms:F0} ms{process.Trace()}");
        }
        Report(output, "startup.first_scorecard_ms", Median(firsts));

        var burst = new List<double>();
        var second = new List<double>();
        for (var i = 0; i < starts; i++)
        {
            await using var process = await AppProcess.StartAsync(dll, store, key, trace, env);
            await process.WaitUntilListeningAsync();
            var ready = process.Elapsed.TotalMilliseconds;
            var all = await BurstAsync(process.Url, key, units, period, connections, requests);
            burst.AddRange(all);
            // The same burst again at once, warm: what the machine does at that moment, to read the first one against.
            var again = await BurstAsync(process.Url, key, units, period, connections, requests);
            second.AddRange(again);
            output.WriteLine($"  start {i + 1}: listening at {ready:F0} ms; burst of {all.Count}: p50 {Percentile(all, 0.50):F1} ms, p99 {Percentile(all, 0.99):F1} ms, max {all.Max():F1} ms; the next burst: p50 {Percentile(again, 0.50):F1} ms, p99 {Percentile(again, 0.99):F1} ms{process.Trace()}");
        }
        Report(output, "startup.first_burst_p99_ms", Percentile(burst, 0.99));
        Report(output, "startup.second_burst_p99_ms", Percentile(second, 0.99));
        return 0;
    }

    /// <summary>
    /// <paramref name="connections"/> clients at once (each its own connection and a county's own token), each downloading its
    /// scorecard <paramref name="requests"/> times one after another; every download's time in milliseconds.
    /// </summary>
    private static async Task<List<double>> BurstAsync(string url, byte[] key, IReadOnlyList<string> units, string period, int connections, int requests)
    {
        var clients = Enumerable.Range(0, connections).Select(c => (Unit: units[c % units.Count], Client: Client(key, units[c % units.Count]))).ToList();
        try
        {
            var times = await Task.WhenAll(clients.Select(c => Task.Run(async () =>
            {
                var mine = new List<double>();
                for (var r = 0; r < requests; r++)
                {
                    var watch = Stopwatch.StartNew();
                    var pdf = await Scorecard(c.Client, url, period, c.Unit);
                    if (pdf.Length < 1000) throw new InvalidOperationException($"{c.Unit}: {pdf.Length} bytes, not a scorecard");
                    mine.Add(watch.Elapsed.TotalMilliseconds);
                }
                return mine;
            })));
            return [.. times.SelectMany(t => t)];
        }
        finally
        {
            foreach (var c in clients) c.Client.Dispose();
        }
    }

    private static void Report(TextWriter output, string name, double value) =>
        output.WriteLine($"{name}: {value.ToString("F1", CultureInfo.InvariantCulture)}");

    private static double Median(List<double> values) => Percentile(values, 0.5);

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>A client of one connection for a county, with its own token.</summary>
    private static HttpClient Client(byte[] key, string unit)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenCommand.Issue(key, "unit", unit, $"unit:{unit}",
            TokenCommand.DefaultIssuer, TokenCommand.DefaultAudience, DateTimeOffset.UtcNow, TimeSpan.FromHours(2)));
        return client;
    }

    private static async Task<byte[]> Scorecard(HttpClient client, string url, string period, string unit)
    {
        using var response = await client.GetAsync($"{url}/api/periods/{period}/scorecards/{unit}.pdf");
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET scorecard {unit}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return body;
    }

    /// <summary>The units of the published run of the period and level, in ranking order (the office's rankings).</summary>
    private static async Task<IReadOnlyList<string>> PublishedUnitsAsync(string url, byte[] key, string period, string level)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenCommand.Issue(key, "office", null, "office",
            TokenCommand.DefaultIssuer, TokenCommand.DefaultAudience, DateTimeOffset.UtcNow, TimeSpan.FromHours(1)));
        using var response = await client.GetAsync($"{url}/api/periods/{period}/rankings?level={level}");
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET rankings: {(int)response.StatusCode} {text}");
        var codes = new List<string>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                if (e.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String) codes.Add(code.GetString()!);
                foreach (var p in e.EnumerateObject()) Walk(p.Value);
            }
            else if (e.ValueKind == JsonValueKind.Array)
                foreach (var item in e.EnumerateArray()) Walk(item);
        }
        Walk(JsonDocument.Parse(text).RootElement);
        return [.. codes.Distinct()];
    }

    /// <summary>Reads the store's file once (into the page cache).</summary>
    private static void Warm(string store)
    {
        var buffer = new byte[1 << 20];
        foreach (var file in new[] { store, store + "-wal" }.Where(File.Exists))
        {
            using var stream = File.OpenRead(file);
            while (stream.Read(buffer) > 0) { }
        }
    }

    /// <summary>The demo's store in a temporary folder: made by <c>baiqianwan demo</c> the first time, reused after.</summary>
    private static async Task<string> DemoStoreAsync(TextWriter output)
    {
        var folder = Path.Combine(Path.GetTempPath(), "bqw-bench-startup-demo");
        var store = Path.Combine(folder, "demo.db");
        if (File.Exists(store)) return store;
        output.WriteLine($"making the demo store in {folder} (a few minutes)…");
        var cli = Path.Combine(AppContext.BaseDirectory, "baiqianwan.dll");
        await RunAsync("dotnet", [cli, "demo", "--out", folder], AppContext.BaseDirectory);
        return store;
    }

    /// <summary>The standalone app published (Release, as <c>functions/publish.sh</c> does) into bench/bin/startup-app.</summary>
    internal static async Task<string> PublishAsync(string repository, TextWriter output)
    {
        var folder = Path.Combine(repository, "bench", "bin", "startup-app");
        output.WriteLine($"dotnet publish functions -c Release -o {folder}");
        await RunAsync("dotnet", ["publish", Path.Combine(repository, "functions", "BaiQianWan.Assess.Functions.csproj"), "-c", "Release",
            "-p:GenerateDocumentationFile=false", "-o", folder, "--nologo", "-v", "quiet"], repository);
        return folder;
    }

    private static async Task RunAsync(string file, string[] arguments, string directory)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: exit {process.ExitCode}");
    }

    internal static string Repository()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "BaiQianWan.Assess.sln"))) return d.FullName;
        throw new InvalidOperationException("the repository (BaiQianWan.Assess.sln) is not above " + AppContext.BaseDirectory);
    }

    /// <summary>One start of the app as its own process, on a free loopback port; killed (its whole tree) when disposed.</summary>
    internal sealed class AppProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Stopwatch _watch;
        private readonly List<string> _log = [];

        private AppProcess(Process process, Stopwatch watch, string url)
        {
            (_process, _watch, Url) = (process, watch, url);
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.Add(e.Data); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.Add(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Url { get; }

        public int Port => new Uri(Url).Port;

        /// <summary>Since just before the process was started.</summary>
        public TimeSpan Elapsed => _watch.Elapsed;

        public static Task<AppProcess> StartAsync(string dll, string store, byte[] key, bool trace, IReadOnlyDictionary<string, string> env)
        {
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            var url = $"http://127.0.0.1:{port}";
            var info = new ProcessStartInfo("dotnet", [dll, "--urls", url])
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.Environment["Auth__SigningKey"] = Convert.ToBase64String(key);
            info.Environment["Store__Kind"] = "sqlite";
            info.Environment["Store__Connection"] = store;
            info.Environment["Timer__Enabled"] = "false";
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            if (trace) info.Environment["ASSESS_STARTUP_TRACE"] = "1";
            foreach (var (name, value) in env) info.Environment[name] = value;
            var watch = Stopwatch.StartNew();
            var process = Process.Start(info)!;
            return Task.FromResult(new AppProcess(process, watch, url));
        }

        public void ThrowIfExited()
        {
            if (_process.HasExited)
                lock (_log) throw new InvalidOperationException($"the app exited with {_process.ExitCode}: {string.Join('\n', _log)}");
        }

        /// <summary>Until the port takes a TCP connection (Kestrel listens once the app has started).</summary>
        public async Task WaitUntilListeningAsync()
        {
            while (true)
            {
                ThrowIfExited();
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(IPAddress.Loopback, Port);
                    return;
                }
                catch (SocketException)
                {
                    await Task.Delay(5);
                }
                if (Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("the app did not listen within 2 minutes");
            }
        }

        /// <summary>Until <c>GET /api/openapi.json</c> answers.</summary>
        public async Task WaitUntilServingAsync()
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            while (true)
            {
                ThrowIfExited();
                try
                {
                    if ((await probe.GetAsync(Url + "/api/openapi.json")).StatusCode == HttpStatusCode.OK) return;
                }
                catch (HttpRequestException) { }
                await Task.Delay(20);
                if (Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("the app did not answer within 2 minutes");
            }
        }

        /// <summary>The app's start-up trace lines (<c>ASSESS_STARTUP_TRACE</c>), if any, as one line.</summary>
        public string Trace()
        {
            lock (_log)
            {
                var lines = _log.Where(l => l.StartsWith("startup:", StringComparison.Ordinal)).ToList();
                return lines.Count == 0 ? "" : " [" + string.Join("; ", lines) + "]";
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
