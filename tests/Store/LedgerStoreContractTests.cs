using System.Collections.Immutable;
using System.Text;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>The ledger store contract (<see cref="ILedgerStore"/>), run on SQLite and on Azurite.</summary>
public abstract class LedgerStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 2, 0, 0, TimeSpan.Zero);

    protected ILedgerStore Ledger { get; private set; } = null!;

    protected abstract Task<ILedgerStore> CreateStoreAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Ledger = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        await Ledger.DisposeAsync();
        await CleanupAsync();
    }

    internal static LedgerTask Make(string id, string? unit = "A1", int year = 2025) => new LedgerTask
    {
        Year = year, Id = id, Unit = unit, Title = "任务 " + id, Kind = "举措", Lead = "牵头", Leader = "领导",
        LoadedDue = new DateOnly(2025, 6, 30), LoadedState = TaskState.InProgress,
    }.AsLoaded() with { Version = 1 };

    internal static LedgerEvent Entry(LedgerTask t, LedgerChange change, long seq, DateOnly? date = null, ImmutableArray<EvidenceFile> files = default) =>
        new(t.Year, t.Id, seq, change, T0.AddMinutes(seq), LedgerEvent.ChinaDate(T0.AddMinutes(seq)), "office1", "office", null, "理由 " + seq, date,
            files.IsDefault ? [] : files);

    private Task ImportAsync(params LedgerTask[] tasks) => Ledger.ImportAsync(2025, [.. tasks.Select(t => (t, Entry(t, LedgerChange.Imported, t.Version)))]);

    [Fact]
    public async Task Tasks_and_their_history_read_back_as_written()
    {
        await ImportAsync(Make("K2"), Make("K1"), Make("S1", unit: null));
        await Ledger.ImportAsync(2026, [(Make("K9", year: 2026), Entry(Make("K9", year: 2026), LedgerChange.Imported, 1))]);
        Assert.Equal(["K1", "K2", "S1"], (await Ledger.GetTasksAsync(2025)).Select(t => t.Id));
        Assert.Equal(Make("K1"), await Ledger.GetTaskAsync(2025, "K1"));
        Assert.Null(await Ledger.GetTaskAsync(2025, "K9"));
        Assert.Null(await Ledger.GetTaskAsync(2025, "a/b#c"));

        var k1 = Make("K1");
        var file = new EvidenceFile("证明.pdf", "pdf", 10, new string('a', 64));
        var submit = Entry(k1, LedgerChange.Submit, 2, files: [file]);
        var submitted = LedgerMachine.Apply(k1, submit);
        Assert.Equal(submitted, await Ledger.ChangeAsync(submitted, submit));
        var extend = Entry(submitted, LedgerChange.Deadline, 3, new DateOnly(2025, 9, 30));
        var moved = LedgerMachine.Apply(submitted, extend);
        await Ledger.ChangeAsync(moved, extend);
        Assert.Equal(moved, await Ledger.GetTaskAsync(2025, "K1"));
        var history = await Ledger.GetHistoryAsync(2025, "K1");
        Assert.Equal([1L, 2L, 3L], history.Select(e => e.Sequence));
        Assert.Equal(submit with { Files = [] }, history[1] with { Files = [] });
        Assert.Equal(file, Assert.Single(history[1].Files));
        Assert.Equal(new DateOnly(2025, 9, 30), history[2].Date);
        Assert.Equal(T0.AddMinutes(3), history[2].At);
        var all = await Ledger.GetHistoriesAsync(2025);
        Assert.Equal(["K1", "K2", "S1"], all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, all["K1"].Count);
        Assert.Empty(await Ledger.GetHistoryAsync(2025, "nope"));
    }

    [Fact]
    public async Task The_replay_reads_the_loaded_columns_and_the_changes_of_state_only()
    {
        var closed = Make("K2") with { LoadedState = TaskState.Closed, LoadedDone = new DateOnly(2025, 6, 1) };
        await ImportAsync(Make("K1"), closed.AsLoaded() with { Version = 1 }, Make("S1", unit: null));
        var k1 = Make("K1");
        var deadline = Entry(k1, LedgerChange.Deadline, 2, new DateOnly(2025, 9, 30));
        k1 = LedgerMachine.Apply(k1, deadline);
        await Ledger.ChangeAsync(k1, deadline);
        var submit = Entry(k1, LedgerChange.Submit, 3) with { Actor = "a1" };
        await Ledger.ChangeAsync(LedgerMachine.Apply(k1, submit), submit);
        var replay = await Ledger.GetReplayAsync(2025);
        Assert.Equal(["K1", "K2", "S1"], replay.Tasks.Select(t => t.Id));
        Assert.Equal((new DateOnly(2025, 6, 30), TaskState.Closed, new DateOnly(2025, 6, 1), "A1"),
            (replay.Tasks[1].LoadedDue!.Value, replay.Tasks[1].LoadedState, replay.Tasks[1].LoadedDone!.Value, replay.Tasks[1].Unit));
        Assert.Null(replay.Tasks[2].Unit);
        Assert.Equal(["K1"], replay.Changes.Keys);
        Assert.Equal(
            [(2L, LedgerChange.Deadline, deadline.At, deadline.On, "office1", (DateOnly?)new DateOnly(2025, 9, 30)), (3L, LedgerChange.Submit, submit.At, submit.On, "a1", null)],
            replay.Changes["K1"].Select(e => (e.Sequence, e.Change, e.At, e.On, e.Actor, e.Date)));
        // Replayed, the lean ledger gives what the full one gives.
        var full = await Ledger.GetTasksAsync(2025);
        var history = await Ledger.GetHistoriesAsync(2025);
        Assert.Equal(
            LedgerFigures.For(full, history, BaiQianWan.Assess.Rules.Data.Period.Parse("2025")).ToArray(),
            LedgerFigures.For(replay.Tasks, replay.Changes, BaiQianWan.Assess.Rules.Data.Period.Parse("2025")).ToArray());
    }

    [Fact]
    public async Task The_year_stamp_moves_on_every_import_and_change_of_its_year_and_not_on_reads_or_other_years()
    {
        var seen = new List<string> { await Ledger.GetYearStampAsync(2025) };
        Assert.Equal("", seen[0]);
        async Task Moved()
        {
            var now = await Ledger.GetYearStampAsync(2025);
            Assert.DoesNotContain(now, seen);
            seen.Add(now);
        }
        await ImportAsync(Make("K1"), Make("K2"));
        await Moved();
        // Reads leave it where it is.
        await Ledger.GetTasksAsync(2025);
        await Ledger.GetTaskAsync(2025, "K1");
        await Ledger.GetHistoriesAsync(2025);
        await Ledger.GetReplayAsync(2025);
        Assert.Equal(seen[^1], await Ledger.GetYearStampAsync(2025));
        Assert.Equal(seen[^1], await Ledger.GetYearStampAsync(2025));
        // Each change moves it.
        var k1 = Make("K1");
        var submit = Entry(k1, LedgerChange.Submit, 2);
        k1 = LedgerMachine.Apply(k1, submit);
        await Ledger.ChangeAsync(k1, submit);
        await Moved();
        var close = Entry(k1, LedgerChange.Close, 3);
        await Ledger.ChangeAsync(LedgerMachine.Apply(k1, close), close);
        await Moved();
        var cancel = Entry(Make("K2"), LedgerChange.Cancel, 2);
        await Ledger.ChangeAsync(LedgerMachine.Apply(Make("K2"), cancel), cancel);
        await Moved();
        // A conflict writes nothing and leaves it.
        await Assert.ThrowsAsync<StoreException>(() => Ledger.ChangeAsync(LedgerMachine.Apply(Make("K2"), cancel), cancel));
        Assert.Equal(seen[^1], await Ledger.GetYearStampAsync(2025));
        // Another year's writes leave it too, and move that year's own.
        await Ledger.ImportAsync(2026, [(Make("K9", year: 2026), Entry(Make("K9", year: 2026), LedgerChange.Imported, 1))]);
        Assert.Equal(seen[^1], await Ledger.GetYearStampAsync(2025));
        Assert.NotEqual("", await Ledger.GetYearStampAsync(2026));
        // A re-import moves it.
        var k3 = Make("K3");
        await ImportAsync(k3);
        await Moved();
        Assert.Equal(6, seen.Count);
    }

    [Fact]
    public async Task A_change_from_a_stale_version_is_a_conflict_and_writes_nothing()
    {
        await ImportAsync(Make("K1"));
        var k1 = Make("K1");
        var first = Entry(k1, LedgerChange.Cancel, 2);
        await Ledger.ChangeAsync(LedgerMachine.Apply(k1, first), first);
        var stale = Entry(k1, LedgerChange.Submit, 2);
        var e = await Assert.ThrowsAsync<StoreException>(() => Ledger.ChangeAsync(LedgerMachine.Apply(k1, stale), stale));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Equal(TaskState.Cancelled, (await Ledger.GetTaskAsync(2025, "K1"))!.State);
        Assert.Equal(LedgerChange.Cancel, (await Ledger.GetHistoryAsync(2025, "K1"))[^1].Change);
        var missing = Entry(Make("K7"), LedgerChange.Cancel, 2);
        Assert.Equal(StoreError.NotFound, (await Assert.ThrowsAsync<StoreException>(() => Ledger.ChangeAsync(LedgerMachine.Apply(Make("K7"), missing), missing))).Error);
        var inconsistent = Entry(k1, LedgerChange.Cancel, 5);
        Assert.Equal(StoreError.Invalid, (await Assert.ThrowsAsync<StoreException>(() => Ledger.ChangeAsync(k1, inconsistent))).Error);
    }

    [Fact]
    public async Task Concurrent_changes_from_one_version_write_exactly_one()
    {
        await ImportAsync(Make("K1"));
        var k1 = Make("K1");
        var attempts = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            var e = Entry(k1, i % 2 == 0 ? LedgerChange.Cancel : LedgerChange.Submit, 2) with { Actor = "o" + i };
            try
            {
                await Ledger.ChangeAsync(LedgerMachine.Apply(k1, e), e);
                return e.Actor;
            }
            catch (StoreException x) when (x.Error == StoreError.Conflict)
            {
                return null;
            }
        }));
        var winner = Assert.Single(attempts, a => a is not null);
        var history = await Ledger.GetHistoryAsync(2025, "K1");
        Assert.Equal(2, history.Count);
        Assert.Equal(winner, history[1].Actor);
        Assert.Equal(2, (await Ledger.GetTaskAsync(2025, "K1"))!.Version);
    }

    [Fact]
    public async Task An_import_over_a_changed_task_is_a_conflict_and_a_large_import_reads_back_whole()
    {
        await ImportAsync(Make("K1"));
        var again = Make("K1") with { Title = "新" };
        var e = await Assert.ThrowsAsync<StoreException>(() => Ledger.ImportAsync(2025, [(again, Entry(again, LedgerChange.Imported, 1))]));
        Assert.Equal(StoreError.Conflict, e.Error);
        var updated = again with { Version = 2 };
        await Ledger.ImportAsync(2025, [(updated, Entry(updated, LedgerChange.Updated, 2))]);
        Assert.Equal("新", (await Ledger.GetTaskAsync(2025, "K1"))!.Title);

        var many = Enumerable.Range(0, 230).Select(i => Make($"M{i:D3}", unit: i % 2 == 0 ? "A1" : "A2")).ToArray();
        await ImportAsync(many);
        Assert.Equal(231, (await Ledger.GetTasksAsync(2025)).Count);
        Assert.Equal(231, (await Ledger.GetHistoriesAsync(2025)).Count);
    }

    [Fact]
    public async Task Evidence_files_are_kept_by_their_hash()
    {
        var content = Encoding.ASCII.GetBytes("%PDF-1.4 evidence");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        await Ledger.PutFileAsync(sha, content);
        await Ledger.PutFileAsync(sha, content);
        Assert.Equal(content, await Ledger.GetFileAsync(sha));
        Assert.Null(await Ledger.GetFileAsync(new string('0', 64)));
        Assert.Null(await Ledger.GetFileAsync("../x"));
        Assert.Equal(StoreError.Invalid, (await Assert.ThrowsAsync<StoreException>(() => Ledger.PutFileAsync(new string('0', 64), content))).Error);
    }
}

public sealed class SqliteLedgerStoreContractTests : LedgerStoreContractTests
{
    private readonly TempSqlite _file = new();

    protected override async Task<ILedgerStore> CreateStoreAsync()
    {
        var store = new SqliteLedgerStore(_file.Path);
        await store.InitializeAsync();
        return store;
    }

    protected override Task CleanupAsync() => _file.DisposeAsync().AsTask();

    [Fact]
    public async Task The_ledger_shares_the_file_with_the_assessment_store_in_tables_of_its_own()
    {
        await using var assess = await _file.OpenAsync();
        await using var again = new SqliteLedgerStore(_file.Path);
        await again.InitializeAsync();
        Assert.Empty(await assess.GetUnitsAsync(2025));
        Assert.Empty(await again.GetTasksAsync(2025));
    }
}

[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureLedgerStoreContractTests(AzuriteFixture azurite) : LedgerStoreContractTests
{
    protected override async Task<ILedgerStore> CreateStoreAsync()
    {
        var store = new AzureLedgerStore(azurite.ConnectionString, "t" + Guid.NewGuid().ToString("N")[..12]);
        await store.InitializeAsync();
        return store;
    }

    protected override Task CleanupAsync() => ((AzureLedgerStore)Ledger).DeleteAsync();

    private AzureLedgerStore Store => (AzureLedgerStore)Ledger;

    /// <summary>The row keys of a year's partition, read with the SDK directly (not through the store).</summary>
    private async Task<List<string>> RowKeysAsync(int year)
    {
        var table = new global::Azure.Data.Tables.TableClient(azurite.ConnectionString, Store.TableName);
        var keys = new List<string>();
        await foreach (var e in table.QueryAsync<global::Azure.Data.Tables.TableEntity>($"PartitionKey eq '{year}'", select: ["RowKey"])) keys.Add(e.RowKey);
        return keys;
    }

    private static string Generations(IEnumerable<string> keys) =>
        string.Join(",", keys.GroupBy(k => k.Length > 8 ? k[..8] : k).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key + ":" + g.Count()));

    private async Task<(string Tasks, string Histories, string Replay)> SnapshotAsync()
    {
        var tasks = string.Join("\n", (await Ledger.GetTasksAsync(2025)).Select(t => t.ToString()));
        var histories = string.Join("\n", (await Ledger.GetHistoriesAsync(2025)).OrderBy(p => p.Key, StringComparer.Ordinal)
            .SelectMany(p => p.Value.Select(e => (e with { Files = [] }).ToString() + "|" + string.Join(",", e.Files))));
        var replay = await Ledger.GetReplayAsync(2025);
        return (tasks, histories, string.Join(",", replay.Tasks.Select(t => t.Id + t.Unit + t.LoadedDue)) + "|" + string.Join(",", replay.Changes.Select(c => c.Key + c.Value.Count)));
    }

    private static (LedgerTask, LedgerEvent)[] Imports(int count, string prefix = "M") =>
        [.. Enumerable.Range(0, count).Select(i => Make($"{prefix}{i:D3}", unit: i % 2 == 0 ? "A1" : "A2")).Select(t => (t, Entry(t, LedgerChange.Imported, 1)))];

    [Fact]
    public async Task An_import_failing_part_way_changes_nothing_readers_see_and_leaves_no_staged_rows()
    {
        // Before: three tasks, one of them changed (history of 2).
        await Ledger.ImportAsync(2025, Imports(3, "K"));
        var k0 = Make("K000");
        var cancel = Entry(k0, LedgerChange.Cancel, 2);
        await Ledger.ChangeAsync(LedgerMachine.Apply(k0, cancel), cancel);
        var before = await SnapshotAsync();
        var keysBefore = (await RowKeysAsync(2025)).Order(StringComparer.Ordinal).ToList();

        // 230 new tasks and an update of K001: 2 copied tasks + 4 copied entries + 231 × 2 rows = 468 rows, 5 transactions;
        // the storage "fails" before the fourth.
        var k1 = Make("K001") with { Title = "改", Version = 2 };
        var writes = Imports(230).Append((k1, Entry(k1, LedgerChange.Updated, 2))).ToArray();
        var staged = new List<int>();
        Store.BeforeStagingBatch = (i, _) =>
        {
            staged.Add(i);
            return i == 3 ? throw new global::Azure.RequestFailedException(503, "storage gone (injected)") : Task.CompletedTask;
        };
        var failure = await Assert.ThrowsAsync<global::Azure.RequestFailedException>(() => Ledger.ImportAsync(2025, writes));
        Assert.Equal(503, failure.Status);
        Assert.Equal([0, 1, 2, 3], staged);

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(3, (await Ledger.GetTasksAsync(2025)).Count);
        Assert.Null(await Ledger.GetTaskAsync(2025, "M000"));
        Assert.Equal("任务 K001", (await Ledger.GetTaskAsync(2025, "K001"))!.Title);
        // The staged rows are gone: the partition holds what it held plus the pointer's claim.
        Assert.Equal(keysBefore, (await RowKeysAsync(2025)).Order(StringComparer.Ordinal).ToList());

        // The same import again is written whole; the old generation stays until the next import deletes it.
        Store.BeforeStagingBatch = null;
        await Ledger.ImportAsync(2025, writes);
        Assert.Equal(233, (await Ledger.GetTasksAsync(2025)).Count);
        Assert.Equal("改", (await Ledger.GetTaskAsync(2025, "K001"))!.Title);
        Assert.Equal([LedgerChange.Imported, LedgerChange.Cancel], (await Ledger.GetHistoryAsync(2025, "K000")).Select(e => e.Change));
        // The copied rows keep their typed columns: the replay (read from them, not from the JSON) sees K000's cancel as written.
        var replayed = Assert.Single((await Ledger.GetReplayAsync(2025)).Changes["K000"]);
        Assert.Equal((LedgerChange.Cancel, 2L, cancel.At, cancel.On, "office1"), (replayed.Change, replayed.Sequence, replayed.At, replayed.On, replayed.Actor));
        Assert.Equal(new DateOnly(2025, 6, 30), (await Ledger.GetReplayAsync(2025)).Tasks.Single(t => t.Id == "K000").LoadedDue);
        Assert.Equal(233, (await Ledger.GetHistoriesAsync(2025)).Count);
        // Generation 1 (the first import, readers' until the switch), 2 (the failed staging, deleted), 3 (this one).
        Assert.Equal("g000001|:7,g000003|:468,head:1", Generations(await RowKeysAsync(2025)));

        var k2 = Make("K002") with { Title = "再改", Version = 2 };
        await Ledger.ImportAsync(2025, [(k2, Entry(k2, LedgerChange.Updated, 2))]);
        var keys = await RowKeysAsync(2025);
        // The generation readers read and the one before it (for readers still on it); the first is deleted.
        Assert.Equal("g000003|:468,g000004|:469,head:1", Generations(await RowKeysAsync(2025)));
        Assert.Equal("再改", (await Ledger.GetTaskAsync(2025, "K002"))!.Title);
    }

    [Fact]
    public async Task A_change_written_while_an_import_is_staged_is_kept_or_makes_the_import_a_conflict()
    {
        await Ledger.ImportAsync(2025, Imports(3, "K"));
        var k0 = Make("K000");
        var cancel = Entry(k0, LedgerChange.Cancel, 2);
        var once = 0;
        Store.BeforeStagingBatch = async (i, ct) =>
        {
            if (Interlocked.Exchange(ref once, 1) == 0) await Ledger.ChangeAsync(LedgerMachine.Apply(k0, cancel), cancel, ct);
        };
        await Ledger.ImportAsync(2025, Imports(120));
        Assert.Equal(123, (await Ledger.GetTasksAsync(2025)).Count);
        Assert.Equal(TaskState.Cancelled, (await Ledger.GetTaskAsync(2025, "K000"))!.State);
        Assert.Equal(2, (await Ledger.GetHistoryAsync(2025, "K000")).Count);

        // A change to a task the import updates: the import, staged again, finds it moved and is refused whole.
        var k1 = Make("K001");
        var submit = Entry(k1, LedgerChange.Submit, 2);
        once = 0;
        Store.BeforeStagingBatch = async (i, ct) =>
        {
            if (Interlocked.Exchange(ref once, 1) == 0) await Ledger.ChangeAsync(LedgerMachine.Apply(k1, submit), submit, ct);
        };
        var updated = Make("K001") with { Title = "改", Version = 2 };
        var e = await Assert.ThrowsAsync<StoreException>(() => Ledger.ImportAsync(2025, [.. Imports(60, "N"), (updated, Entry(updated, LedgerChange.Updated, 2))]));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Contains("K001", e.Message);
        Assert.Equal(123, (await Ledger.GetTasksAsync(2025)).Count);
        Assert.Equal(TaskState.Submitted, (await Ledger.GetTaskAsync(2025, "K001"))!.State);
    }
}
