using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Cli.Commands;

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>
/// The built functions app (<see cref="BuiltApp"/>) started on its own, as <c>dotnet run --project functions</c> starts it,
/// in a child process of its own (a crash fails the test, not the test host): Kestrel on a free loopback port, SQLite at
/// <see cref="StorePath"/>, a random signing key, runs in process, the Production environment. Environment variables
/// given replace those (null removes one). Disposing kills the process and its children.
/// </summary>
public sealed class StandaloneApp(string storePath, IReadOnlyDictionary<string, string?>? environment = null) : IDisposable
{
    private readonly StringBuilder _log = new();
    private readonly StringBuilder _stdout = new();
    private Process? _process;

    /// <summary>The app's signing key (base64 in <c>Auth__SigningKey</c> unless the environment says otherwise).</summary>
    public byte[] Key { get; } = RandomNumberGenerator.GetBytes(32);

    /// <summary>The SQLite file the app serves.</summary>
    public string StorePath { get; } = storePath;

    /// <summary>Where the app listens, once started: <c>http://127.0.0.1:PORT</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Whether the started process has exited.</summary>
    public bool HasExited => _process?.HasExited ?? false;

    /// <summary>Its exit code, once exited.</summary>
    public int ExitCode => _process!.ExitCode;

    /// <summary>Everything the app printed, stdout and stderr, as it came.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>What the app printed on stdout.</summary>
    public string Stdout
    {
        get { lock (_log) return _stdout.ToString(); }
    }

    /// <summary>
    /// Starts the app and waits until <c>GET <paramref name="probe"/></c> answers 200; fails with what the app printed if it
    /// exits first or does not answer in time.
    /// </summary>
    public async Task<string> StartAsync(string probe = "/api/openapi.json", int timeoutSeconds = 60)
    {
        Url = $"http://127.0.0.1:{FreePort()}";
        _process = Process.Start(StartInfo(["--urls", Url]))!;
        _process.OutputDataReceived += (_, e) =>
        {
            lock (_log)
            {
                _log.AppendLine(e.Data);
                if (e.Data is not null) _stdout.AppendLine(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"the app exited: {Log}");
            try
            {
                if ((await client.GetAsync(Url + probe)).StatusCode == HttpStatusCode.OK) return Url;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the app did not answer GET {probe} within {timeoutSeconds} s: {Log}");
    }

    /// <summary>Runs the app with <paramref name="args"/> to its exit (a refused start), with what it printed; fails if it serves instead.</summary>
    public (int Exit, string Stdout, string Stderr) RunToExit(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the app did not exit within 60 s: {stdout.Result}");
        }
        return (process.ExitCode, stdout.Result.Replace("\r\n", "\n"), stderr.Result.Replace("\r\n", "\n"));
    }

    /// <summary>A bearer token like <c>baiqianwan token --role ROLE [--unit CODE]</c> issues with the app's key.</summary>
    public string Token(string role, string? unit = null) =>
        TokenCommand.Issue(Key, role, unit, unit is null ? role : $"unit:{unit}", TokenCommand.DefaultIssuer, TokenCommand.DefaultAudience,
            DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private ProcessStartInfo StartInfo(string[] args)
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
        start.Environment["Store__Connection"] = StorePath;
        start.Environment["Runs__Dispatch"] = "inprocess";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        return start;
    }

    /// <summary>Kills the app (its whole tree) if it still runs.</summary>
    public void Dispose()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(10_000);
        _process?.Dispose();
    }
}
