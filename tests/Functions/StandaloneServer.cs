using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Cli.Commands;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The functions app started alone, as <c>dotnet run --project functions</c> starts it: its own process from the build
/// output (<c>functions/bin/CONFIG/net10.0</c>), Kestrel on a free loopback port, a SQLite file in a folder of its own,
/// the real PDF renderer, in-process runs, and a random signing key whose tokens <see cref="Token"/> issues as
/// <c>baiqianwan token</c> does. Disposing stops the process and removes the folder.
/// </summary>
internal sealed class StandaloneServer : IDisposable
{
    private Process? _process;

    /// <summary>The server's folder (its SQLite file is <c>assess.db</c> there).</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("bqw-server-").FullName;

    /// <summary>The signing key the server is given (unless the environment says otherwise).</summary>
    public byte[] Key { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>A bearer token signed with <see cref="Key"/>, like <c>baiqianwan token --role ROLE [--unit CODE]</c>.</summary>
    public string Token(string role, string? unit = null) =>
        TokenCommand.Issue(Key, role, unit, unit is null ? role : $"unit:{unit}", TokenCommand.DefaultIssuer, TokenCommand.DefaultAudience,
            DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    /// <summary>Starts the server and waits until it answers <c>GET /api/openapi.json</c>; answers its base URL.</summary>
    /// <param name="environment">Variables to set or, with null, remove.</param>
    /// <param name="stdout">Receives what the server prints.</param>
    public async Task<string> StartAsync(IReadOnlyDictionary<string, string?>? environment = null, StringBuilder? stdout = null)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        _process = Process.Start(StartInfo(["--urls", url], environment))!;
        var log = new StringBuilder();
        _process.OutputDataReceived += (_, e) =>
        {
            lock (log) log.AppendLine(e.Data);
            if (stdout is not null && e.Data is not null) lock (stdout) stdout.AppendLine(e.Data);
        };
        _process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"the app exited: {log}");
            try
            {
                if ((await probe.GetAsync(url + "/api/openapi.json")).StatusCode == HttpStatusCode.OK) return url;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the app did not answer GET /api/openapi.json within 60 s: {log}");
    }

    /// <summary>
    /// The built app as <c>dotnet run --project functions</c> starts it, on the SQLite file of this server, with its key
    /// unless <paramref name="environment"/> says otherwise (null removes a variable).
    /// </summary>
    public ProcessStartInfo StartInfo(string[] args, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo("dotnet", [BuiltApp.Dll, .. args])
        {
            WorkingDirectory = BuiltApp.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Auth__SigningKey"] = Convert.ToBase64String(Key);
        start.Environment["Store__Kind"] = "sqlite";
        start.Environment["Store__Connection"] = Path.Combine(Directory, "assess.db");
        start.Environment["Runs__Dispatch"] = "inprocess";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        return start;
    }

    /// <summary>A loopback port nobody listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(10_000);
        _process?.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
