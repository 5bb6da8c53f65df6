using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// Importing the generated province's observations (1,731 units × every indicator × 4 quarters, through
/// <see cref="AssessmentService.ImportObservationsAsync(byte[], string, string, CancellationToken)"/>: parse, check every row, store in one change) into a
/// fresh SQLite file, and into Azurite when it is installed (<c>npm ci</c>). Seconds, wall clock.
/// </summary>
internal static class StoreImport
{
    public static (byte[] Units, byte[] Observations, int Rows) ProvinceFiles()
    {
        var data = ProvinceGenerator.Generate(new ProvinceOptions());
        return (Csv(w => Samples.ProvinceFiles.WriteUnits(w, data.Units)), Csv(w => Samples.ProvinceFiles.WriteObservations(w, data.Observations)), data.Observations.Count);
    }

    /// <summary>Median seconds of <paramref name="runs"/> imports, each into a new SQLite file.</summary>
    public static double Sqlite(byte[] units, byte[] observations, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i <= runs; i++) // the first run warms up
        {
            var path = Path.Combine(Path.GetTempPath(), $"bqw-bench-{Guid.NewGuid():N}.db");
            try
            {
                var store = new SqliteAssessStore(path);
                times.Add(TimeImport(store, units, observations));
                store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
            }
        }
        return times.Skip(1).Order().ElementAt(runs / 2);
    }

    /// <summary>Seconds of one import into Azurite (started here on free loopback ports), or null when Azurite is not installed.</summary>
    public static double? Azurite(byte[] units, byte[] observations)
    {
        var root = RepositoryRoot();
        var azurite = root is null ? null : Path.Combine(root, "node_modules", ".bin", "azurite");
        if (azurite is null || !File.Exists(azurite)) return null;
        var free = FreePorts(3);
        var ports = (Blob: free[0], Queue: free[1], Table: free[2]);
        var script = $"'{azurite}' --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck --blobHost 127.0.0.1 --blobPort {ports.Blob} " +
                     $"--queueHost 127.0.0.1 --queuePort {ports.Queue} --tableHost 127.0.0.1 --tablePort {ports.Table} & child=$!; " +
                     $"trap 'kill $child 2>/dev/null' EXIT TERM INT; while kill -0 {Environment.ProcessId} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done";
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        try
        {
            foreach (var port in new[] { ports.Blob, ports.Queue, ports.Table })
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (!CanConnect(port))
                {
                    if (process.HasExited || DateTime.UtcNow > deadline) throw new InvalidOperationException("Azurite did not start");
                    Thread.Sleep(100);
                }
            }
            const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
            var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};BlobEndpoint=http://127.0.0.1:{ports.Blob}/devstoreaccount1;" +
                             $"QueueEndpoint=http://127.0.0.1:{ports.Queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{ports.Table}/devstoreaccount1;";
            return TimeImport(new AzureAssessStore(connection, "bench"), units, observations);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    private static double TimeImport(IAssessStore store, byte[] units, byte[] observations)
    {
        store.InitializeAsync().GetAwaiter().GetResult();
        var service = new AssessmentService(store, TimeProvider.System, null);
        service.ImportUnitsAsync(ProvinceGenerator.Year, units, "units.csv", "bench").GetAwaiter().GetResult();
        var sw = Stopwatch.StartNew();
        var outcome = service.ImportObservationsAsync(observations, "observations.csv", "bench").GetAwaiter().GetResult();
        var seconds = sw.Elapsed.TotalSeconds;
        if (outcome.AlreadyImported || outcome.Batch.RowCount == 0) throw new InvalidOperationException("nothing imported");
        return seconds;
    }

    private static byte[] Csv(Action<TextWriter> write)
    {
        using var writer = new StringWriter();
        write(writer);
        return Encoding.UTF8.GetBytes(writer.ToString());
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "package.json"))) return dir.FullName;
        return null;
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

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
