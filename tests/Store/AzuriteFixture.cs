using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// The one Azurite of a test run (the npm package pinned in the repository's package.json, <c>node_modules/.bin/azurite</c>),
/// on free loopback ports, in memory, telemetry off, shared by every Azure test: the collection fixture of
/// <see cref="AzuriteCollection"/>, which every test class on Azure storage joins (a class fixture of such a class may take
/// it as its constructor argument, as <c>AzuritePublishedProvince</c> does). Test classes isolate by a table and container
/// prefix of their own (<see cref="NewPrefix"/>; the one queue the host names, <c>render-batches</c>, is emptied by the test
/// that uses it); nothing is shared but the process. Runs <c>npm ci</c> first when
/// <c>node_modules</c> lacks it. One process however many fixtures are alive at once (started by the first, stopped with
/// the last), under a small shell watchdog that stops it when the test process goes away, so it never outlives the tests.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (Process Process, string ConnectionString, (int Blob, int Queue, int Table) Ports)? _shared;
    private static int _users;
    private bool _using;

    /// <summary>How many emulators this test process has started (one, however many fixtures and classes use it).</summary>
    public static int Started { get; private set; }

    /// <summary>The connection string of the running emulator.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Blob, queue and table ports.</summary>
    public (int Blob, int Queue, int Table) Ports { get; private set; }

    /// <summary>A prefix of a test's own for table and container names (a letter and 12 hex digits: valid for both).</summary>
    public static string NewPrefix(string lead = "t") => lead + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                _shared = await StartAsync();
                Started++;
            }
            _users++;
            _using = true;
            (ConnectionString, Ports) = (_shared.Value.ConnectionString, _shared.Value.Ports);
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (!_using) return;
            _using = false;
            if (--_users == 0 && _shared is { } shared)
            {
                Stop(shared.Process);
                _shared = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Starts an emulator; the caller stops it with <see cref="Stop"/>.</summary>
    private static async Task<(Process Process, string ConnectionString, (int Blob, int Queue, int Table) Ports)> StartAsync()
    {
        var root = RepositoryRoot();
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite)) await RunAsync("npm", "ci --no-audit --no-fund --loglevel=error", root, TimeSpan.FromMinutes(5));
        if (!File.Exists(azurite)) throw new InvalidOperationException($"Azurite is not installed: {azurite} (run npm ci in {root})");

        var free = FreePorts(3);
        var ports = (Blob: free[0], Queue: free[1], Table: free[2]);
        var workDir = Path.GetTempPath(); // in memory: azurite writes no files
        var args = $"--silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck " +
                   $"--blobHost 127.0.0.1 --blobPort {ports.Blob} --queueHost 127.0.0.1 --queuePort {ports.Queue} --tableHost 127.0.0.1 --tablePort {ports.Table}";
        // The watchdog: azurite in the background; when this process (the test host) is gone, it is stopped.
        var script = $"'{azurite}' {args} & child=$!; trap 'kill $child 2>/dev/null' EXIT TERM INT; " +
                     $"while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done";
        var info = new ProcessStartInfo("bash") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start azurite");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var port in new[] { ports.Blob, ports.Queue, ports.Table })
        {
            while (!await CanConnectAsync(port))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    Stop(process);
                    throw new InvalidOperationException($"Azurite did not start on port {port}");
                }
                await Task.Delay(100);
            }
        }
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};" +
                         $"BlobEndpoint=http://127.0.0.1:{ports.Blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports.Queue}/devstoreaccount1;" +
                         $"TableEndpoint=http://127.0.0.1:{ports.Table}/devstoreaccount1;";
        return (process, connection, ports);
    }

    /// <summary>Stops an emulator started by <see cref="StartAsync"/> (the shell and azurite under it).</summary>
    private static void Stop(Process? process)
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && Directory.Exists(Path.Combine(dir.FullName, "store")))
                return dir.FullName;
        throw new InvalidOperationException("repository root (package.json) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Distinct free loopback ports: every listener is held open until all are chosen, so none is handed out twice.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var l in listeners) l.Start();
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string file, string arguments, string directory, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, UseShellExecute = false })!;
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
    }
}

/// <summary>Every test class on Azure storage: they share the one <see cref="AzuriteFixture"/> (and run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>The fixture itself: one emulator for every class of the collection, answering on its table endpoint.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzuriteFixtureTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_azure_test_class_shares_one_emulator_and_a_prefix_of_its_own()
    {
        Assert.Equal(1, AzuriteFixture.Started);
        var prefix = AzuriteFixture.NewPrefix();
        Assert.Matches("^t[0-9a-f]{12}$", prefix);
        Assert.NotEqual(prefix, AzuriteFixture.NewPrefix());
        var table = new Azure.Data.Tables.TableClient(azurite.ConnectionString, prefix + "probe");
        await table.CreateIfNotExistsAsync();
        await table.DeleteAsync();
        Assert.Contains($"TableEndpoint=http://127.0.0.1:{azurite.Ports.Table}/", azurite.ConnectionString);
    }
}
