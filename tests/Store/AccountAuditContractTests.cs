using Azure.Data.Tables;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Account changes are audited in the assessment store's log, in the same change as the account write: creating,
/// disabling and enabling, an office's reset, a user's own new password and a lockout, each with its actor, the account
/// as target and no secret; what fails writes neither. Run on SQLite and on Azurite.
/// </summary>
public abstract class AccountAuditContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 8, 1, 0, 0, TimeSpan.Zero);

    protected IAccountStore Accounts { get; private set; } = null!;

    protected IAssessStore Assess { get; private set; } = null!;

    protected abstract Task<(IAccountStore, IAssessStore)> CreateStoresAsync();

    /// <summary>Makes the next audit entry impossible to append, so the change that carries it must fail whole.</summary>
    protected abstract Task BreakNextAuditAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => (Accounts, Assess) = await CreateStoresAsync();

    public async Task DisposeAsync()
    {
        await Accounts.DisposeAsync();
        await Assess.DisposeAsync();
        await CleanupAsync();
    }

    private static Account New(string name, AccountRole role = AccountRole.Office, string? unit = null) =>
        new(name, "张三", role, unit, true, "SECRET-HASH-" + name, true, 0, null, T0, null);

    private async Task<List<(long, DateTimeOffset, string, string, string, string?)>> LogAsync() =>
        [.. (await Assess.GetAuditLogAsync()).Select(e => (e.Sequence, e.At, e.Actor, e.Action, e.Target, e.Detail))];

    [Fact]
    public async Task Each_account_change_appends_one_entry_with_its_actor_and_the_account_as_target()
    {
        await Accounts.CreateAsync(New("County.A", AccountRole.Unit, "440825"), "office1");
        await Accounts.SetEnabledAsync("county.a", false, "office1", T0.AddMinutes(1));
        await Accounts.SetEnabledAsync("county.a", true, "office2", T0.AddMinutes(2));
        await Accounts.SetPasswordAsync("county.a", "SECRET-HASH-2", mustChange: true, "office1", T0.AddMinutes(3));
        await Accounts.SetPasswordAsync("county.a", "SECRET-HASH-3", mustChange: false, "county.a", T0.AddMinutes(4));
        for (var i = 1; i <= 5; i++) await Accounts.RecordFailedSignInAsync("county.a", T0.AddMinutes(10 + i), 5, TimeSpan.FromMinutes(15));
        await Accounts.RecordSignInAsync("county.a", T0.AddHours(1));

        var log = await LogAsync();
        Assert.Equal(
        [
            (1L, T0, "office1", "account.create", "county.a", (string?)"role=unit unit=440825 name=张三"),
            (2L, T0.AddMinutes(1), "office1", "account.disable", "county.a", null),
            (3L, T0.AddMinutes(2), "office2", "account.enable", "county.a", null),
            (4L, T0.AddMinutes(3), "office1", "account.reset", "county.a", "一次性密码，须在下次登录时修改"),
            (5L, T0.AddMinutes(4), "county.a", "account.password", "county.a", null),
            // The fifth failure (01:15) locks until 01:30; the four before it and the sign-in are not audited.
            (6L, T0.AddMinutes(15), IAccountStore.SystemActor, "account.lock", "county.a", "连续登录失败，锁定至 2025-10-08T01:30:00.0000000+00:00"),
        ], log);
        Assert.DoesNotContain(log, e => $"{e.Item3}{e.Item4}{e.Item5}{e.Item6}".Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Account_entries_are_numbered_in_one_sequence_with_the_stores_other_entries()
    {
        await Assess.AddRulesetVersionAsync("mini", Mini.RulesetYaml, Mini.Outline(Mini.RulesetYaml), "office1", T0);
        await Accounts.CreateAsync(New("office2"), "office1");
        await Assess.ActivateRulesetAsync("mini", 1, "office2", T0.AddMinutes(1));
        Assert.Equal([(1L, "ruleset.add"), (2L, "account.create"), (3L, "ruleset.activate")],
            (await Assess.GetAuditLogAsync()).Select(e => (e.Sequence, e.Action)));
    }

    [Fact]
    public async Task A_refused_change_writes_neither_the_account_nor_an_entry()
    {
        await Accounts.CreateAsync(New("office1"), "admin");
        await Assert.ThrowsAsync<StoreException>(() => Accounts.CreateAsync(New("OFFICE1"), "admin"));
        await Assert.ThrowsAsync<StoreException>(() => Accounts.SetEnabledAsync("ghost", false, "admin", T0));
        await Assert.ThrowsAsync<StoreException>(() => Accounts.SetPasswordAsync("ghost", "H", true, "admin", T0));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Accounts.CreateAsync(New("office2"), " "));
        Assert.Null(await Accounts.GetAsync("office2"));
        Assert.Equal(["account.create"], (await Assess.GetAuditLogAsync()).Select(e => e.Action));
    }

    [Fact]
    public async Task When_the_entry_cannot_be_appended_the_account_is_not_written_either()
    {
        await Accounts.CreateAsync(New("office0"), "admin"); // office1 is not the last office: its disabling fails for the audit only
        await Accounts.CreateAsync(New("office1"), "admin");
        await BreakNextAuditAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => Accounts.CreateAsync(New("office2"), "admin"));
        Assert.Null(await Accounts.GetAsync("office2"));
        await Assert.ThrowsAnyAsync<Exception>(() => Accounts.SetEnabledAsync("office1", false, "admin", T0));
        Assert.True((await Accounts.GetAsync("office1"))!.Enabled);
        await Assert.ThrowsAnyAsync<Exception>(() => Accounts.SetPasswordAsync("office1", "OTHER", true, "admin", T0));
        Assert.Equal("SECRET-HASH-office1", (await Accounts.GetAsync("office1"))!.PasswordHash);
        // A failure that does not lock is not audited, so it is still counted.
        Assert.Equal(1, (await Accounts.RecordFailedSignInAsync("office1", T0, 5, TimeSpan.FromMinutes(15))).FailedSignIns);
    }
}

public sealed class SqliteAccountAuditContractTests : AccountAuditContractTests
{
    private readonly TempSqlite _file = new();

    protected override async Task<(IAccountStore, IAssessStore)> CreateStoresAsync()
    {
        // The account store alone makes the file's assessment schema (its audit log).
        var accounts = new SqliteAccountStore(_file.Path);
        await accounts.InitializeAsync();
        var assess = new SqliteAssessStore(_file.Path);
        await assess.InitializeAsync();
        return (accounts, assess);
    }

    protected override async Task BreakNextAuditAsync()
    {
        await using var c = new SqliteConnection($"Data Source={_file.Path}");
        await c.OpenAsync();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "CREATE TRIGGER test_audit_broken BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit broken'); END;";
        await cmd.ExecuteNonQueryAsync();
    }

    protected override Task CleanupAsync() => _file.DisposeAsync().AsTask();
}

[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureAccountAuditContractTests(AzuriteFixture azurite) : AccountAuditContractTests
{
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];

    protected override async Task<(IAccountStore, IAssessStore)> CreateStoresAsync()
    {
        var accounts = new AzureAccountStore(azurite.ConnectionString, _prefix);
        await accounts.InitializeAsync();
        var assess = new AzureAssessStore(azurite.ConnectionString, _prefix);
        await assess.InitializeAsync();
        return (accounts, assess);
    }

    protected override async Task BreakNextAuditAsync()
    {
        // Something already holds the row the next entries would take: the transaction that appends one fails (409)
        // however often it is retried.
        var table = new TableClient(azurite.ConnectionString, _prefix + "assess");
        var next = (await Assess.GetAuditLogAsync()).Count + 1;
        for (var n = next; n < next + 3; n++) await table.AddEntityAsync(new TableEntity("ctl", $"audit|{n:D12}") { ["Sequence"] = -1L });
    }

    protected override Task CleanupAsync() => ((AzureAccountStore)Accounts).DeleteAsync();
}
