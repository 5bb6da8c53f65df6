using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Starts Azurite (the npm package pinned in the repository's package.json) on free loopback ports, in memory,
/// telemetry off, for the tests of a collection, and stops it afterwards. Runs <c>npm ci</c> first when
/// <c>node_modules</c> lacks it. Azurite runs under a small shell watchdog that stops it when the test process
/// goes away, so it never outlives the tests, even when they are killed.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Process? _process;

    /// <summary>The connection string of the running emulator.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Blob, queue and table ports.</summary>
    public (int Blob, int Queue, int Table) Ports { get; private set; }

    public async Task InitializeAsync() => (_process, ConnectionString, Ports) = await StartAsync();

    public Task DisposeAsync()
    {
        Stop(_process);
        return Task.CompletedTask;
    }

    /// <summary>Starts an emulator; the caller stops it with <see cref="Stop"/>.</summary>
    public static async Task<(Process Process, string ConnectionString, (int Blob, int Queue, int Table) Ports)> StartAsync()
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
    public static void Stop(Process? process)
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

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
