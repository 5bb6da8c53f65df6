using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>The account store contract (<see cref="IAccountStore"/>), run on SQLite and on Azurite.</summary>
public abstract class AccountStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 8, 1, 0, 0, TimeSpan.Zero);

    protected IAccountStore Accounts { get; private set; } = null!;

    protected abstract Task<IAccountStore> CreateStoreAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Accounts = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        await Accounts.DisposeAsync();
        await CleanupAsync();
    }

    private static Account New(string name, AccountRole role = AccountRole.Office, string? unit = null) =>
        new(name, "张三", role, unit, true, "HASH-" + name, true, 0, null, T0, null);

    [Fact]
    public async Task An_account_reads_back_as_written_under_its_lower_case_name()
    {
        var made = await Accounts.CreateAsync(New(" Zhang.San@Example.CN ", AccountRole.Unit, "440825"), "admin");
        Assert.Equal("zhang.san@example.cn", made.Name);
        var read = await Accounts.GetAsync("ZHANG.SAN@example.cn");
        Assert.Equal(made, read);
        Assert.Equal(AccountRole.Unit, read!.Role);
        Assert.Equal("440825", read.UnitCode);
        Assert.Equal(T0, read.CreatedAt);
        Assert.True(read.MustChangePassword);
    }

    [Fact]
    public async Task An_unknown_or_malformed_name_reads_as_null()
    {
        Assert.Null(await Accounts.GetAsync("nobody"));
        Assert.Null(await Accounts.GetAsync("a/b#c"));
    }

    [Fact]
    public async Task A_taken_name_is_a_conflict_and_changes_nothing()
    {
        await Accounts.CreateAsync(New("office1"), "admin");
        var e = await Assert.ThrowsAsync<StoreException>(() => Accounts.CreateAsync(New("OFFICE1") with { DisplayName = "李四" }, "admin"));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Equal("张三", (await Accounts.GetAsync("office1"))!.DisplayName);
    }

    [Theory]
    [InlineData("a b", AccountRole.Office, null)]
    [InlineData("中文名", AccountRole.Office, null)]
    [InlineData("unit1", AccountRole.Unit, null)]
    [InlineData("office2", AccountRole.Office, "440825")]
    [InlineData("unit2", AccountRole.Unit, "44 08")]
    [InlineData("unit3", AccountRole.Unit, "../4408")]
    [InlineData("unit4", AccountRole.Unit, "123456789012345678901234567890123")]
    public async Task Invalid_accounts_are_refused(string name, AccountRole role, string? unit)
    {
        var e = await Assert.ThrowsAsync<StoreException>(() => Accounts.CreateAsync(New(name, role, unit), "admin"));
        Assert.Equal(StoreError.Invalid, e.Error);
        Assert.Empty(await Accounts.ListAsync());
    }

    [Fact]
    public async Task Accounts_list_by_name()
    {
        await Accounts.CreateAsync(New("c"), "admin");
        await Accounts.CreateAsync(New("a", AccountRole.Author), "admin");
        await Accounts.CreateAsync(New("b", AccountRole.Unit, "4408"), "admin");
        Assert.Equal(["a", "b", "c"], (await Accounts.ListAsync()).Select(a => a.Name));
    }

    [Fact]
    public async Task Disabling_and_enabling_is_kept()
    {
        await Accounts.CreateAsync(New("office0"), "admin"); // so office1 is not the last active office
        await Accounts.CreateAsync(New("office1"), "admin");
        Assert.False((await Accounts.SetEnabledAsync("office1", false, "admin", T0)).Enabled);
        Assert.False((await Accounts.GetAsync("office1"))!.Enabled);
        await Accounts.SetEnabledAsync("office1", true, "admin", T0);
        Assert.True((await Accounts.GetAsync("office1"))!.Enabled);
    }

    [Fact]
    public async Task The_last_active_office_cannot_be_disabled()
    {
        await Accounts.CreateAsync(New("office1"), "admin");
        await Accounts.CreateAsync(New("author1", AccountRole.Author), "admin");
        var e = await Assert.ThrowsAsync<StoreException>(() => Accounts.SetEnabledAsync("office1", false, "admin", T0));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Equal("不能停用 office1：它是最后一个启用的考核办账户，至少要保留一个", e.Message);
        Assert.True((await Accounts.GetAsync("office1"))!.Enabled);

        // A second office lets one go; then that second one is the last, and a disabled office does not count.
        await Accounts.CreateAsync(New("office2"), "admin");
        Assert.False((await Accounts.SetEnabledAsync("OFFICE1", false, "admin", T0)).Enabled);
        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Accounts.SetEnabledAsync("office2", false, "admin", T0))).Error);
        Assert.True((await Accounts.GetAsync("office2"))!.Enabled);
        // Disabling an already disabled office, or another role, is not refused.
        Assert.False((await Accounts.SetEnabledAsync("office1", false, "admin", T0)).Enabled);
        Assert.False((await Accounts.SetEnabledAsync("author1", false, "admin", T0)).Enabled);
    }

    [Fact]
    public async Task Two_offices_disabling_each_other_at_once_leave_one_active()
    {
        await Accounts.CreateAsync(New("office1"), "admin");
        await Accounts.CreateAsync(New("office2"), "admin");
        await Accounts.CreateAsync(New("office3"), "admin");
        await Accounts.SetEnabledAsync("office3", false, "admin", T0); // a disabled office is no help
        for (var round = 0; round < 5; round++)
        {
            var outcomes = await Task.WhenAll(
                Outcome(Accounts.SetEnabledAsync("office1", false, "office2", T0)),
                Outcome(Accounts.SetEnabledAsync("office2", false, "office1", T0)));
            Assert.Equal(1, outcomes.Count(o => o is null));
            Assert.Equal(StoreError.Conflict, Assert.Single(outcomes, o => o is not null));
            var active = (await Accounts.ListAsync()).Where(a => a is { Role: AccountRole.Office, Enabled: true }).Select(a => a.Name).ToList();
            Assert.Single(active);
            await Accounts.SetEnabledAsync(active[0] == "office1" ? "office2" : "office1", true, "admin", T0);
        }

        static async Task<StoreError?> Outcome(Task change)
        {
            try
            {
                await change;
                return null;
            }
            catch (StoreException e)
            {
                return e.Error;
            }
        }
    }

    [Fact]
    public async Task Changing_an_unknown_account_is_not_found()
    {
        var e = await Assert.ThrowsAsync<StoreException>(() => Accounts.SetEnabledAsync("ghost", false, "admin", T0));
        Assert.Equal(StoreError.NotFound, e.Error);
    }

    [Fact]
    public async Task The_fifth_failure_locks_for_the_given_time_and_restarts_the_count()
    {
        await Accounts.CreateAsync(New("office1"), "admin");
        for (var i = 1; i <= 4; i++)
        {
            var a = await Accounts.RecordFailedSignInAsync("office1", T0.AddMinutes(i), 5, TimeSpan.FromMinutes(15));
            Assert.Equal(i, a.FailedSignIns);
            Assert.Null(a.LockedUntil);
        }
        var locked = await Accounts.RecordFailedSignInAsync("office1", T0.AddMinutes(5), 5, TimeSpan.FromMinutes(15));
        Assert.Equal(0, locked.FailedSignIns);
        Assert.Equal(T0.AddMinutes(20), locked.LockedUntil); // 01:05 + 15 min
        Assert.Equal(T0.AddMinutes(20), (await Accounts.GetAsync("office1"))!.LockedUntil);
    }

    [Fact]
    public async Task Concurrent_failures_are_all_counted()
    {
        await Accounts.CreateAsync(New("office1"), "admin");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Accounts.RecordFailedSignInAsync("office1", T0, 5, TimeSpan.FromMinutes(15))));
        Assert.Equal(4, (await Accounts.GetAsync("office1"))!.FailedSignIns);
    }

    [Fact]
    public async Task A_sign_in_clears_failures_and_records_the_time()
    {
        await Accounts.CreateAsync(New("office1"), "admin");
        await Accounts.RecordFailedSignInAsync("office1", T0, 5, TimeSpan.FromMinutes(15));
        var a = await Accounts.RecordSignInAsync("office1", T0.AddHours(1));
        Assert.Equal(0, a.FailedSignIns);
        Assert.Equal(T0.AddHours(1), (await Accounts.GetAsync("office1"))!.LastSignInAt);
    }

    [Fact]
    public async Task A_new_password_replaces_the_hash_and_unlocks()
    {
        await Accounts.CreateAsync(New("office1"), "admin");
        for (var i = 0; i < 5; i++) await Accounts.RecordFailedSignInAsync("office1", T0, 5, TimeSpan.FromMinutes(15));
        var a = await Accounts.SetPasswordAsync("office1", "NEWHASH", mustChange: false, "office1", T0);
        var read = await Accounts.GetAsync("office1");
        Assert.Equal(a, read);
        Assert.Equal("NEWHASH", read!.PasswordHash);
        Assert.False(read.MustChangePassword);
        Assert.Null(read.LockedUntil);
    }

    [Fact]
    public async Task Sign_out_a_new_password_and_enabling_or_disabling_each_end_every_session_and_nothing_else_does()
    {
        // Issue 19 item 3: the epoch sessions are checked against moves on with each change that must end them.
        var made = await Accounts.CreateAsync(New("author1", AccountRole.Author), "admin");
        Assert.Equal(0, made.SessionEpoch);
        Assert.Equal(0, (await Accounts.RecordSignInAsync("author1", T0)).SessionEpoch);
        Assert.Equal(0, (await Accounts.RecordFailedSignInAsync("author1", T0, 5, TimeSpan.FromMinutes(15))).SessionEpoch);
        Assert.Equal(1, (await Accounts.EndSessionsAsync("AUTHOR1")).SessionEpoch);
        Assert.Equal(2, (await Accounts.SetPasswordAsync("author1", "H2", mustChange: false, "author1", T0)).SessionEpoch);
        Assert.Equal(3, (await Accounts.SetPasswordAsync("author1", "H3", mustChange: true, "admin", T0)).SessionEpoch);
        Assert.Equal(4, (await Accounts.SetEnabledAsync("author1", false, "admin", T0)).SessionEpoch);
        Assert.Equal(5, (await Accounts.SetEnabledAsync("author1", true, "admin", T0)).SessionEpoch);
        Assert.Equal(5, (await Accounts.RecordSignInAsync("author1", T0)).SessionEpoch);
        var read = await Accounts.GetAsync("author1");
        Assert.Equal(5, read!.SessionEpoch);
        Assert.Equal(5, (await Accounts.ListAsync()).Single().SessionEpoch);
    }

    [Fact]
    public async Task Ending_the_sessions_of_an_unknown_account_is_not_found()
    {
        var e = await Assert.ThrowsAsync<StoreException>(() => Accounts.EndSessionsAsync("ghost"));
        Assert.Equal(StoreError.NotFound, e.Error);
    }

    [Fact]
    public async Task Concurrent_sign_outs_each_move_the_epoch()
    {
        await Accounts.CreateAsync(New("office1"), "admin");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Accounts.EndSessionsAsync("office1")));
        Assert.Equal(4, (await Accounts.GetAsync("office1"))!.SessionEpoch);
    }

    [Fact]
    public async Task Initializing_twice_keeps_the_accounts()
    {
        await Accounts.CreateAsync(New("office1"), "admin");
        await Accounts.InitializeAsync();
        Assert.NotNull(await Accounts.GetAsync("office1"));
    }
}

public sealed class SqliteAccountStoreContractTests : AccountStoreContractTests
{
    private readonly TempSqlite _file = new();

    protected override async Task<IAccountStore> CreateStoreAsync()
    {
        var store = new SqliteAccountStore(_file.Path);
        await store.InitializeAsync();
        return store;
    }

    protected override Task CleanupAsync() => _file.DisposeAsync().AsTask();

    [Fact]
    public async Task Accounts_share_the_file_with_the_assessment_store()
    {
        await using var assess = await _file.OpenAsync();
        await Accounts.CreateAsync(new Account("office1", "考核办", AccountRole.Office, null, true, "H", false, 0, null, DateTimeOffset.UnixEpoch, null), "admin");
        Assert.Empty(await assess.GetUnitsAsync(2025));
        Assert.NotNull(await Accounts.GetAsync("office1"));
    }

    [Fact]
    public async Task An_account_table_from_before_session_epochs_gets_the_column_and_keeps_its_accounts()
    {
        var path = _file.Path + ".old.db";
        try
        {
            await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
            {
                await c.OpenAsync();
                using var cmd = c.CreateCommand();
                cmd.CommandText = """
                    CREATE TABLE account (name TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL, unit_code TEXT NULL,
                        enabled INTEGER NOT NULL, password_hash TEXT NOT NULL, must_change INTEGER NOT NULL, failed INTEGER NOT NULL,
                        locked_until TEXT NULL, created_at TEXT NOT NULL, last_sign_in_at TEXT NULL) WITHOUT ROWID;
                    INSERT INTO account VALUES ('old', '旧账户', 'office', NULL, 1, 'H', 0, 0, NULL, '2025-10-08T01:00:00.0000000+00:00', NULL);
                    """;
                await cmd.ExecuteNonQueryAsync();
            }
            await using var store = new SqliteAccountStore(path);
            await store.InitializeAsync();
            await store.InitializeAsync();
            Assert.Equal(0, (await store.GetAsync("old"))!.SessionEpoch);
            Assert.Equal(1, (await store.EndSessionsAsync("old")).SessionEpoch);
            Assert.Equal(1, (await store.GetAsync("old"))!.SessionEpoch);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        }
    }
}

[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureAccountStoreContractTests(AzuriteFixture azurite) : AccountStoreContractTests
{
    protected override async Task<IAccountStore> CreateStoreAsync()
    {
        var store = new AzureAccountStore(azurite.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..12]);
        await store.InitializeAsync();
        return store;
    }

    protected override Task CleanupAsync() => ((AzureAccountStore)Accounts).DeleteAsync();
}
