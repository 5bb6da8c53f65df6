using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>What only the SQLite store has: the file, its journal mode, its schema version, its append-only audit table.</summary>
public sealed class SqliteSpecificTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private SqliteAssessStore _store = null!;

    public async Task InitializeAsync() => _store = await _file.OpenAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    private object? Query(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_file.Path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    [Fact]
    public void The_file_is_in_wal_mode_at_the_current_schema_version()
    {
        Assert.Equal("wal", Query("PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteAssessStore.SchemaVersion, Query("PRAGMA user_version;"));
        Assert.Equal(14, SqliteAssessStore.SchemaVersion);
    }

    [Fact]
    public async Task Audit_rows_can_be_neither_changed_nor_deleted()
    {
        await _store.AddRulesetVersionAsync("mini", Mini.RulesetYaml, Mini.Outline(Mini.RulesetYaml), "author", TestClock.Start);

        var update = Assert.Throws<SqliteException>(() => Query("UPDATE audit SET actor = 'someone else';"));
        var delete = Assert.Throws<SqliteException>(() => Query("DELETE FROM audit;"));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Equal("author", Assert.Single(await _store.GetAuditLogAsync()).Actor);
    }

    [Fact]
    public async Task A_units_batch_that_fails_midway_leaves_the_earlier_units()
    {
        var units = DataFiles.ReadUnits(Mini.UnitsCsv, "units.csv").Rows;
        await _store.ImportUnitsAsync(2025, units, new ImportSource("units.csv", Mini.Bytes(Mini.UnitsCsv), "office", TestClock.Start));

        // The last row repeats a code: the insert fails after four rows were written inside the transaction.
        var bad = new List<Unit>(units) { units[0] with { Name = "重复" } };
        var e = await Assert.ThrowsAsync<StoreException>(() => _store.ImportUnitsAsync(2025, bad, new ImportSource("bad.csv", [1], "office", TestClock.Start)));

        Assert.Equal(StoreError.Invalid, e.Error);
        Assert.Equal(units, await _store.GetUnitsAsync(2025));
        Assert.Single(await _store.ListImportsAsync());
        Assert.Single(await _store.GetAuditLogAsync());
    }

    [Fact]
    public async Task A_file_from_a_newer_program_is_refused()
    {
        Query("PRAGMA user_version = 99;");
        var newer = new SqliteAssessStore(_file.Path);
        var e = await Assert.ThrowsAsync<StoreException>(() => newer.InitializeAsync());
        Assert.Contains("99", e.Message);
        Query($"PRAGMA user_version = {SqliteAssessStore.SchemaVersion};");
    }
}
