using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Functions;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// The functions app started on its own (its own process, Kestrel on a loopback port) on a fresh SQLite store with one
/// account per role and a second county, each with a known password; nothing else is in the store.
/// </summary>
public sealed class PortalServer : IAsyncLifetime
{
    public const string Password = "portal-test-2025";

    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-portal-").FullName;
    private Process? _server;
    private readonly StringBuilder _log = new();

    public string Url { get; private set; } = "";

    public string StorePath => Path.Combine(_dir, "portal.db");

    public static string CountyA => TestProvince.CountyA.Code;

    public static string CountyB => TestProvince.CountyB.Code;

    /// <summary>The office's account starts with a one-time password (the first sign-in asks for a new one).</summary>
    public string OfficeOneTimePassword { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await using (var accounts = new SqliteAccountStore(StorePath))
        {
            await accounts.InitializeAsync();
            await using var units = new SqliteAssessStore(StorePath);
            var admin = new AccountAdmin(accounts, TimeProvider.System, units);
            (_, OfficeOneTimePassword) = await admin.CreateAsync("office", "省考核办", AccountRole.Office, null, "test");
            foreach (var (name, display, role, unit) in new[]
            {
                ("author", "规则作者", AccountRole.Author, (string?)null),
                ("office2", "考核办（二）", AccountRole.Office, null),
                ("county-a", TestProvince.CountyA.Name, AccountRole.Unit, CountyA),
                ("county-b", TestProvince.CountyB.Name, AccountRole.Unit, CountyB),
            })
            {
                // The units are not imported yet (the tests upload them): unit accounts go to the store directly, past the
                // admin's check that their unit exists.
                if (role == AccountRole.Unit)
                    await accounts.CreateAsync(new Account(name, display, role, unit, true, Passwords.Hash(Password), false, 0, null, DateTimeOffset.UtcNow, null), "test");
                else await admin.CreateAsync(name, display, role, unit, "test");
                await accounts.SetPasswordAsync(name, Passwords.Hash(Password), mustChange: false, "test", DateTimeOffset.UtcNow);
            }
        }
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", [BuiltApp.Dll, "--urls", Url])
        {
            WorkingDirectory = BuiltApp.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Auth__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        start.Environment["Store__Kind"] = "sqlite";
        start.Environment["Store__Connection"] = StorePath;
        start.Environment["Runs__Dispatch"] = "inprocess";
        start.Environment["Timer__Enabled"] = "false";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _server.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_server.HasExited) throw new InvalidOperationException($"the app exited: {Log}");
            try
            {
                if ((await probe.GetAsync(Url + "/signin")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the app did not answer GET /signin within 60 s: {Log}");
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false }) _server.Kill(entireProcessTree: true);
        _server?.WaitForExit(10_000);
        _server?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
