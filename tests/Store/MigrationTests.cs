using System.Text;
using Azure.Data.Tables;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Internal;
using BaiQianWan.Assess.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Versioned migrations: a store the previous program made (SQLite schema 5; Azure counter at 2) is brought up to this
/// program's version by <see cref="IStoreMaintenance.InitializeAsync"/>, each migration once and recorded; a store already
/// migrated is not upgraded again on the next start (what an older program writes after that is not this program's).
/// </summary>
public sealed class SqliteMigrationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 7, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly TempSqlite _file = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _file.DisposeAsync().AsTask();

    private object? Exec(string sql, params (string Name, object Value)[] args)
    {
        using var c = new SqliteConnection($"Data Source={_file.Path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        return cmd.ExecuteScalar();
    }

    /// <summary>What the program before migration 6 left: schema 5, a version without its outline, its activation.</summary>
    private void WriteSchema5Store()
    {
        Exec(string.Concat(SqliteSchema.Migrations.Take(5).Select(m => m.Sql)) + "PRAGMA user_version = 5;");
        Exec("INSERT INTO ruleset_version (ruleset_id, version, sha256, yaml, author, created_at) VALUES ('mini', 1, $sha, $yaml, 'author', $at);",
            ("$sha", RulesetLoader.Sha256Hex(Mini.RulesetYaml)), ("$yaml", Mini.RulesetYaml), ("$at", StoreText.Time(T0)));
        Exec("INSERT INTO ruleset_active (ruleset_id, version) VALUES ('mini', 1);");
        Exec("INSERT INTO audit (at, actor, action, target, detail) VALUES ($at, 'chief', 'ruleset.activate', 'mini@1', 'sha256=-');", ("$at", StoreText.Time(T0)));
    }

    [Fact]
    public async Task A_store_the_previous_program_made_migrates_in_order_each_migration_recorded()
    {
        WriteSchema5Store();
        await using var store = new SqliteAssessStore(_file.Path);

        Assert.Equal([1, 2, 3, 4, 5], (await store.AppliedMigrationsAsync()).Select(m => m.Number));
        await store.InitializeAsync();

        Assert.Equal((long)SqliteAssessStore.SchemaVersion, Exec("PRAGMA user_version;"));
        Assert.Equal(SqliteAssessStore.SchemaVersion, (await store.AppliedMigrationsAsync()).Count);
        Assert.Equal(SqliteSchema.Migrations.Select(m => (m.Number, m.Name)), await store.AppliedMigrationsAsync());
        Assert.Equal("rulesets: level and classes of older versions, from their texts", (await store.AppliedMigrationsAsync())[6].Name);
        var version = Assert.Single(await store.ListRulesetVersionsAsync());
        Assert.Equal(("mini", 1, true, UnitLevel.County), (version.RulesetId, version.Version, version.Active, version.Level));
        Assert.Equal(Mini.Outline(Mini.RulesetYaml).Classes, version.Classes);
        Assert.Equal("county", Exec("SELECT level FROM ruleset_active WHERE ruleset_id = 'mini';"));
        // Migration 10: what an older program stored is a quarterly scoring ruleset, active in the quarterly slot.
        Assert.Equal(RulesetSlot.Quarter, version.Slot);
        Assert.Equal("quarter", Exec("SELECT slot FROM ruleset_active WHERE ruleset_id = 'mini';"));
        Assert.Equal("rulesets: slots (quarter, year, monitor); runs: month results", (await store.AppliedMigrationsAsync())[9].Name);
        // Nothing the office did is in the audit log: one activation, no deactivation (one ruleset for the level).
        Assert.Equal(["ruleset.activate"], (await store.GetAuditLogAsync()).Select(a => a.Action));
    }

    [Fact]
    public async Task A_migrated_store_is_not_upgraded_again_on_the_next_start()
    {
        WriteSchema5Store();
        await using var store = new SqliteAssessStore(_file.Path);
        await store.InitializeAsync();
        // A row as only an older program writes it, after the migration: the next start does not look for such rows.
        Exec("INSERT INTO ruleset_version (ruleset_id, version, sha256, yaml, author, created_at) VALUES ('mini', 2, 'x', $yaml, 'author', $at);",
            ("$yaml", Mini.RulesetYaml), ("$at", StoreText.Time(T0)));

        await store.InitializeAsync();

        Assert.Equal((long)SqliteAssessStore.SchemaVersion, Exec("PRAGMA user_version;"));
        Assert.Equal((long)SqliteAssessStore.SchemaVersion, Exec("SELECT COUNT(*) FROM schema_migration;"));
        Assert.Equal(DBNull.Value, Exec("SELECT level FROM ruleset_version WHERE version = 2;"));
        var refused = await Assert.ThrowsAsync<StoreException>(() => store.GetRulesetAsync("mini", 2));
        Assert.Equal(StoreError.Conflict, refused.Error);
    }

    [Fact]
    public void A_command_refuses_a_store_that_is_behind_and_init_migrates_it()
    {
        WriteSchema5Store();
        (int Code, string Out, string Err) Cli(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = BaiQianWan.Assess.Cli.CliApp.Run([.. args, "--store", _file.Path], stdout, stderr);
            SqliteConnection.ClearAllPools();
            return (code, stdout.ToString().Replace("\r\n", "\n"), stderr.ToString().Replace("\r\n", "\n"));
        }

        var refused = Cli("runs");
        Assert.NotEqual(0, refused.Code);
        Assert.Contains($"存储 {_file.Path} 的结构版本 5 比本程序的 {SqliteAssessStore.SchemaVersion} 旧：请先运行 init 升级（应用迁移 6–{SqliteAssessStore.SchemaVersion}，不改动已有数据）", refused.Err);
        Assert.Equal(5L, Exec("PRAGMA user_version;"));

        Assert.Equal((0, $"存储已就绪：{_file.Path}（结构版本 {SqliteAssessStore.SchemaVersion}）\n"), (Cli("init").Code, Cli("init").Out));
        Assert.Equal((long)SqliteAssessStore.SchemaVersion, Exec("PRAGMA user_version;"));
        Assert.Equal((0, "没有评价运行\n"), (Cli("runs").Code, Cli("runs").Out));
        Assert.Equal("county", Exec("SELECT level FROM ruleset_version WHERE ruleset_id = 'mini';"));
    }

    [Fact]
    public async Task Figures_a_store_of_the_previous_schema_holds_read_with_null_plans()
    {
        // Before migration 9 (the observation table is the same from schema 1 to 8): units and a month's figures as an
        // earlier program wrote them, no plan column.
        WriteSchema5Store();
        Assert.Equal(0L, Exec("SELECT COUNT(*) FROM pragma_table_info('observation') WHERE name = 'plan';"));
        Exec("INSERT INTO import_batch (id, kind, year, file_name, sha256, row_count, actor, at, content) VALUES ('imp-000001', 'observations', NULL, 'o.csv', 'x', 2, 'office', $at, x'00');", ("$at", StoreText.Time(T0)));
        Exec("INSERT INTO unit (year, code, name, level, parent, class, batch_id) VALUES (2025, 'A1', '甲一县', 'county', NULL, '甲', 'imp-000001');");
        Exec("INSERT INTO observation (period, unit, indicator, actual, target, baseline, batch_id) VALUES ('2025-06', 'A1', 'fai', '12.50', '100', NULL, 'imp-000001'), ('2025-06', 'A1', 'rev', '3', NULL, '2', 'imp-000001');");

        await using var store = new SqliteAssessStore(_file.Path);
        await store.InitializeAsync();

        Assert.Equal((long)SqliteAssessStore.SchemaVersion, Exec("PRAGMA user_version;"));
        Assert.Equal("observations: plan column", Exec("SELECT name FROM schema_migration WHERE number = 9;"));
        var read = await store.GetObservationsAsync(Period.OfMonth(2025, 6));
        Assert.Equal([("A1", "fai", 12.50m, (decimal?)100m, (decimal?)null, (decimal?)null), ("A1", "rev", 3m, null, 2m, null)],
            read.Select(o => (o.Unit, o.Indicator, o.Actual, o.Target, o.Baseline, o.Plan)));
        Assert.Equal("12.50", read[0].Actual.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Migration_12_drops_the_stored_archives_and_keeps_every_document()
    {
        // A store of schema 9: a run's scorecard stored once as a document and again inside its stored archive.
        Exec(string.Concat(SqliteSchema.Migrations.Take(9).Select(m => m.Sql)) + "PRAGMA user_version = 9;");
        Exec("INSERT INTO document (run_id, kind, key, sha256, content) VALUES ('run-000001', 'scorecard', 'A1', 'x', x'255044462d');");
        Exec("INSERT INTO run_archive (run_id, sha256, length, content) VALUES ('run-000001', 'y', 3, x'504b05');");

        await using var store = new SqliteAssessStore(_file.Path);
        await store.InitializeAsync();

        Assert.Equal((long)SqliteAssessStore.SchemaVersion, Exec("PRAGMA user_version;"));
        Assert.Equal("runs: archives assembled on download, stored ones dropped", Exec("SELECT name FROM schema_migration WHERE number = 12;"));
        Assert.Equal(0L, Exec("SELECT COUNT(*) FROM sqlite_master WHERE name = 'run_archive';"));
        Assert.Equal(5L, Exec("SELECT length(content) FROM document WHERE run_id = 'run-000001' AND key = 'A1';"));
    }

    [Fact]
    public async Task A_new_store_records_every_migration()
    {
        await using var store = await _file.OpenAsync();

        Assert.Equal(Enumerable.Range(1, SqliteAssessStore.SchemaVersion), (await store.AppliedMigrationsAsync()).Select(m => m.Number));
        Assert.Equal("migrations recorded", Exec("SELECT name FROM schema_migration WHERE number = 6;"));
    }
}

/// <summary>The same on Azurite: the counter's <c>Schema</c> and a record per migration.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureMigrationTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2025, 7, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_store_at_the_previous_layout_migrates_once_and_records_each_migration()
    {
        var store = await AzureTestStores.CreateAsync(azurite);
        try
        {
            var table = AzureStorageAccount.Parse(azurite.ConnectionString).Table(store.TableName);
            var container = AzureStorageAccount.Parse(azurite.ConnectionString).Container(store.ContainerName);
            Assert.Equal([2, 3, 4, 5, 6, 7], (await store.AppliedMigrationsAsync()).Select(m => m.Number));
            Assert.Equal(7, (await table.GetEntityAsync<TableEntity>(AzureNames.Control, AzureNames.Counter)).Value.GetInt32("Schema"));

            // A version as the previous program stored it (no level, no classes) in a store this program already migrated:
            // the next start does not look for it.
            var sha = RulesetLoader.Sha256Hex(Mini.RulesetYaml);
            var blob = AzureNames.RulesetBlob("mini", sha);
            await container.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(Encoding.UTF8.GetBytes(Mini.RulesetYaml)));
            await table.AddEntityAsync(new TableEntity(AzureNames.Control, AzureNames.Ruleset("mini", 1))
            {
                ["RulesetId"] = "mini",
                ["Version"] = 1,
                ["Sha256"] = sha,
                ["Blob"] = blob,
                ["Author"] = "author",
                ["CreatedAt"] = StoreText.Time(T0),
            });
            await store.InitializeAsync();
            Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => store.GetRulesetAsync("mini", 1))).Error);

            // A run's archive as a program before migration 6 stored it beside the run's documents: the migration deletes it.
            var archive = container.GetBlobClient("runs/run-000001/scorecards.zip");
            var document = container.GetBlobClient("runs/run-000001/docs/scorecard/4131");
            await archive.UploadAsync(BinaryData.FromString("PK"));
            await document.UploadAsync(BinaryData.FromString("%PDF-"));

            // The counter of a store the previous program made says 2: this program's start migrates it, once.
            var counter = (await table.GetEntityAsync<TableEntity>(AzureNames.Control, AzureNames.Counter)).Value;
            counter["Schema"] = 2;
            await table.UpdateEntityAsync(counter, counter.ETag, TableUpdateMode.Replace);
            await store.InitializeAsync();

            var version = (await store.GetRulesetAsync("mini", 1))!;
            Assert.Equal(UnitLevel.County, version.Level);
            Assert.Equal(["甲", "乙"], version.Classes);
            Assert.Equal(7, (await table.GetEntityAsync<TableEntity>(AzureNames.Control, AzureNames.Counter)).Value.GetInt32("Schema"));
            Assert.Equal(AzureAssessStore.Migrations.Skip(1), await store.AppliedMigrationsAsync());
            Assert.False((await archive.ExistsAsync()).Value);
            Assert.Equal("%PDF-", (await document.DownloadContentAsync()).Value.Content.ToString());
            // Migrations write no audit entry of their own when there is nothing to deactivate.
            Assert.Empty(await store.GetAuditLogAsync());
        }
        finally
        {
            await store.DeleteAsync();
        }
    }
}
