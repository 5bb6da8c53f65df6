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
    private StandaloneApp? _app;

    public string Url => _app?.Url ?? "";

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
        _app = new StandaloneApp(StorePath, new Dictionary<string, string?> { ["Timer__Enabled"] = "false" });
        await _app.StartAsync("/signin");
    }

    public string Log => _app?.Log ?? "";

    public Task DisposeAsync()
    {
        _app?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}
