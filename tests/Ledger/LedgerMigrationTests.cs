using Azure.Data.Tables;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Kit;
using BaiQianWan.Assess.Tests.Store;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Tests.Ledger;

/// <summary>
/// The ledger on the store's numbered migrations: a SQLite file of schema 9 (with the ledger's tables as the ledger store
/// created them on start before, or without them) is brought to the latest version by the store's init or the ledger's start, rows kept.
/// </summary>
public sealed class SqliteLedgerMigrationTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _file.DisposeAsync().AsTask();

    private object? Exec(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_file.Path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private void WriteSchema9Store() =>
        Exec(string.Concat(SqliteSchema.Migrations.Take(9).Select(m => m.Sql)) + "PRAGMA user_version = 9;");

    [Fact]
    public async Task A_schema_9_file_with_the_ledger_tables_the_old_start_created_keeps_its_tasks()
    {
        WriteSchema9Store();
        // The tables as the ledger store created them on every start before migration 11, with a task and its entry.
        Exec(SqliteSchema.Migrations[10].Sql);
        var task = LedgerStoreContractTests.Make("K1");
        await using (var ledger = new SqliteLedgerStore(_file.Path))
        {
            // Written through the store with the file pinned at 9 (no init): what an older program left. Today's store
            // bumps the year's stamp (migration 14), which the older program had not: its table is there only for the write.
            Exec("CREATE TABLE ledger_year (year INTEGER PRIMARY KEY, stamp TEXT NOT NULL);");
            await ledger.ImportAsync(2025, [(task, LedgerStoreContractTests.Entry(task, LedgerChange.Imported, 1))]);
            Exec("DROP TABLE ledger_year;");
        }
        Assert.Equal(9L, Exec("PRAGMA user_version;"));
        Assert.Equal(0L, Exec("SELECT COUNT(*) FROM schema_migration WHERE number = 11;"));

        await using var store = new SqliteAssessStore(_file.Path);
        Assert.Equal(new StoreSchema(9, SqliteAssessStore.SchemaVersion), await store.GetSchemaAsync());
        await store.InitializeAsync();

        Assert.Equal((long)SqliteAssessStore.SchemaVersion, Exec("PRAGMA user_version;"));
        Assert.Equal("ledger: tasks, history entries, evidence files", Exec("SELECT name FROM schema_migration WHERE number = 11;"));
        await using var again = new SqliteLedgerStore(_file.Path);
        await again.InitializeAsync();
        Assert.Equal(task, await again.GetTaskAsync(2025, "K1"));
        Assert.Single(await again.GetHistoryAsync(2025, "K1"));
        // The year has no stamp until its first write after migration 14; that write gives it one.
        Assert.Equal("", await again.GetYearStampAsync(2025));
        var cancel = LedgerStoreContractTests.Entry(task, LedgerChange.Cancel, 2);
        await again.ChangeAsync(LedgerMachine.Apply(task, cancel), cancel);
        Assert.Equal(32, (await again.GetYearStampAsync(2025)).Length);
    }

    [Fact]
    public async Task The_ledger_start_migrates_a_file_without_its_tables_and_a_new_file()
    {
        WriteSchema9Store();
        Assert.Equal(0L, Exec("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'ledger_%';"));
        await using (var ledger = new SqliteLedgerStore(_file.Path))
        {
            await ledger.InitializeAsync();
            Assert.Empty(await ledger.GetTasksAsync(2025));
        }
        Assert.Equal((long)SqliteAssessStore.SchemaVersion, Exec("PRAGMA user_version;"));
        Assert.Equal(4L, Exec("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'ledger_%';"));

        await using var fresh = new TempSqlite();
        await using var created = new SqliteLedgerStore(fresh.Path);
        await created.InitializeAsync();
        await using var store = new SqliteAssessStore(fresh.Path);
        Assert.Equal(new StoreSchema(SqliteAssessStore.SchemaVersion, SqliteAssessStore.SchemaVersion), await store.GetSchemaAsync());
    }
}

/// <summary>The same on Azurite: a ledger table an older program made (no counter, no pointers) is migrated and read.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureLedgerMigrationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_ledger_table_of_the_layout_before_generations_migrates_once_and_reads_as_it_was()
    {
        var ledger = new AzureLedgerStore(azurite.ConnectionString, "m" + Guid.NewGuid().ToString("N")[..12]);
        var table = new TableClient(azurite.ConnectionString, ledger.TableName);
        try
        {
            // Layout 1: the table, one task and its entry under their bare keys, no counter, no pointer.
            await table.CreateAsync();
            var task = LedgerStoreContractTests.Make("K1");
            var entry = LedgerStoreContractTests.Entry(task, LedgerChange.Imported, 1);
            await table.AddEntityAsync(new TableEntity("2025", "t|K1")
            {
                ["Unit"] = "A1", ["State"] = "InProgress", ["Version"] = 1L, ["LoadedDue"] = "2025-06-30", ["LoadedState"] = "InProgress",
                ["Data"] = System.Text.Json.JsonSerializer.Serialize(task, LedgerJsonOptions),
            });
            await table.AddEntityAsync(new TableEntity("2025", "e|K1|0000000001")
            {
                ["Change"] = "imported", ["Sequence"] = 1L, ["At"] = entry.At.ToUniversalTime(), ["On"] = entry.On.ToString("yyyy-MM-dd"),
                ["Actor"] = entry.Actor, ["Data"] = System.Text.Json.JsonSerializer.Serialize(entry, LedgerJsonOptions),
            });
            Assert.Equal(new StoreSchema(0, 2), await ledger.GetSchemaAsync());

            await ledger.InitializeAsync();
            Assert.Equal(new StoreSchema(2, 2), await ledger.GetSchemaAsync());
            Assert.Equal([1, 2], (await ledger.AppliedMigrationsAsync()).Select(m => m.Number));
            await ledger.InitializeAsync();
            Assert.Equal(2, (await ledger.AppliedMigrationsAsync()).Count);

            Assert.Equal(task, await ledger.GetTaskAsync(2025, "K1"));
            Assert.Equal(entry, Assert.Single(await ledger.GetHistoryAsync(2025, "K1")));
            var cancel = LedgerStoreContractTests.Entry(task, LedgerChange.Cancel, 2);
            await ledger.ChangeAsync(LedgerMachine.Apply(task, cancel), cancel);
            var k2 = LedgerStoreContractTests.Make("K2");
            await ledger.ImportAsync(2025, [(k2, LedgerStoreContractTests.Entry(k2, LedgerChange.Imported, 1))]);
            Assert.Equal(["K1", "K2"], (await ledger.GetTasksAsync(2025)).Select(t => t.Id));
            Assert.Equal(TaskState.Cancelled, (await ledger.GetTaskAsync(2025, "K1"))!.State);
            Assert.Equal(2, (await ledger.GetHistoryAsync(2025, "K1")).Count);
        }
        finally
        {
            await ledger.DeleteAsync();
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions LedgerJsonOptions = new()
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
