using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

/// <summary>
/// The task ledgers in Azure storage, with the Azure SDK: a table of their own (<c>{prefix}ledger</c>), one partition per
/// year, and a blob container (<c>{prefix}-ledger</c>) holding evidence files by SHA-256 (<c>evidence/{sha256}</c>).
/// </summary>
/// <remarks>
/// <para>A year's partition holds its ledger as a <em>generation</em>: the tasks (row key <c>{g}t|{id}</c>) and their
/// history entries (<c>{g}e|{id}|{sequence}</c>), where <c>{g}</c> is empty for generation 0 (the layout before
/// generations, so older stores read as they are) and <c>g{NNNNNN}|</c> for generation N. One pointer entity per year
/// (<c>head</c>) names the generation readers read (<c>Generation</c>; none means 0) and the last one claimed
/// (<c>Last</c>). Every write goes through the pointer: its ETag is the year's write lock.</para>
/// <para>A change is one entity group transaction: the task replaced with the ETag it was read with, its entry added,
/// and the pointer rewritten with the ETag it was read with. A 412 or 409 means another write came first: the change is
/// read again (another task's change: written on the next try; this task's: a conflict).</para>
/// <para>An import is all or nothing: it claims a new generation (the pointer's <c>Last</c>, by ETag), copies the
/// current generation with the import's tasks and entries into it (transactions of 100 rows, invisible to readers), and
/// then switches the pointer to it in one transaction, only over the ETag of its claim: readers see the old ledger or
/// the new one, never part of it. A failure while staging deletes the staged rows (what a crash leaves is deleted by the
/// next import, as are superseded generations); a write made meanwhile fails the switch, and the import is staged again
/// over it (a task it changed is then a conflict).</para>
/// </remarks>
public sealed class AzureLedgerStore : ILedgerStore
{
    private const string TaskPrefix = "t|";
    private const string EntryPrefix = "e|";

    /// <summary>The row key of a year's pointer entity.</summary>
    internal const string Head = "head";

    /// <summary>Rows per entity group transaction while staging an import (the service's limit).</summary>
    private const int StageBatch = 100;

    /// <summary>How often a change is tried again when another task's write moved the pointer, and an import re-staged.</summary>
    private const int ChangeAttempts = 20;

    private const int ImportAttempts = 3;

    private readonly TableClient _table;
    private readonly BlobContainerClient _blobs;

    /// <summary>Uses a storage connection string or account URL, as the assessment store does, and its name prefix.</summary>
    public AzureLedgerStore(string connection, string prefix = "bqw")
        : this(AzureStorageAccount.Parse(connection), prefix)
    {
    }

    /// <summary>Uses a storage account and the assessment store's prefix (letters and digits, starting with a letter).</summary>
    public AzureLedgerStore(AzureStorageAccount account, string prefix = "bqw")
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (!char.IsAsciiLetter(prefix[0]) || !prefix.All(char.IsAsciiLetterOrDigit))
            throw new ArgumentException("表名前缀只能用字母和数字，并以字母开头", nameof(prefix));
        TableName = prefix + "ledger";
        ContainerName = prefix.ToLowerInvariant() + "-ledger";
        _table = account.Table(TableName);
        _blobs = account.Container(ContainerName);
    }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <summary>The evidence container's name.</summary>
    public string ContainerName { get; }

    /// <summary>
    /// The numbered migrations of the ledger's table, in order. Its counter (partition <c>ctl</c>, row <c>counter</c>) holds
    /// how many are applied in <c>Schema</c> (a ledger table an older program made, without a counter, has 1); each is
    /// recorded by an entity <c>schema|NNNN</c> (its name) written in the same transaction that moves <c>Schema</c> on.
    /// </summary>
    internal static readonly (int Number, string Name)[] Migrations =
    [
        (1, "ledger: table and container (tasks and history entries by year, evidence by SHA-256)"),
        (2, "ledger: generations (a pointer per year; the rows of layout 1 read as generation 0)"),
    ];

    /// <summary>The schema version this code writes (the number of migrations).</summary>
    public static int SchemaVersion => Migrations.Length;

    private static TableEntity MigrationRecord(int number) =>
        new(AzureNames.Control, AzureNames.Migration(number)) { ["Number"] = number, ["Name"] = Migrations[number - 1].Name };

    /// <inheritdoc />
    /// <remarks>
    /// Creates the table and the container when missing and the counter (at 1 with its record: what a ledger table made
    /// before migrations holds), then applies the pending migrations in order, each once (by the counter's ETag).
    /// </remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _table.CreateIfNotExistsAsync(cancellationToken);
        await _blobs.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
        try
        {
            await _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(AzureNames.Control, AzureNames.Counter) { ["Schema"] = 1 }),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, MigrationRecord(1)),
            ], cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already initialized.
        }
        while (true)
        {
            var counter = (await _table.GetEntityAsync<TableEntity>(AzureNames.Control, AzureNames.Counter, cancellationToken: cancellationToken)).Value;
            var version = counter.GetInt32("Schema") ?? 1;
            if (version > SchemaVersion)
                throw new StoreException(StoreError.Conflict, $"Azure 存储（表 {TableName}）的台账结构版本 {version} 比本程序支持的 {SchemaVersion} 新，请升级程序");
            if (version == SchemaVersion) return;
            // Migration 2 changes no row: layout 1's keys are generation 0's, and a year gets its pointer on its first write.
            try
            {
                await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace,
                        new TableEntity(AzureNames.Control, AzureNames.Counter) { ["Schema"] = version + 1 }, counter.ETag),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, MigrationRecord(version + 1)),
                ], cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409)
            {
                // Another start migrated first: read again.
            }
        }
    }

    /// <summary>Where the ledger table's schema stands (0 before it is created).</summary>
    public async Task<StoreSchema> GetSchemaAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var counter = await _table.GetEntityIfExistsAsync<TableEntity>(AzureNames.Control, AzureNames.Counter, cancellationToken: cancellationToken);
            return new StoreSchema(counter.HasValue ? counter.Value!.GetInt32("Schema") ?? 1 : 0, SchemaVersion);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new StoreSchema(0, SchemaVersion);
        }
    }

    /// <summary>The migrations applied to the ledger table, in order (number and name), as their records say.</summary>
    internal async Task<IReadOnlyList<(int Number, string Name)>> AppliedMigrationsAsync(CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AzureNames.Control} and RowKey ge {"schema|"} and RowKey lt {"schema|\uffff"}");
        var list = new List<(int, string)>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) list.Add((e.GetInt32("Number")!.Value, e.GetString("Name")));
        return [.. list.OrderBy(m => m.Item1)];
    }

    /// <summary>Deletes the table and the container (tests).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await _table.DeleteAsync(cancellationToken);
        await _blobs.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>
    /// A seam for tests: called before each transaction of an import's staging with its index (from 0); what it throws
    /// fails the import there, as a storage failure would.
    /// </summary>
    internal Func<int, CancellationToken, Task>? BeforeStagingBatch { get; set; }

    private static string Partition(int year) => year.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The row key prefix of a generation (empty for 0, the layout before generations).</summary>
    internal static string Generation(long generation) =>
        generation == 0 ? "" : "g" + generation.ToString("D6", CultureInfo.InvariantCulture) + "|";

    /// <summary>The generation a row key belongs to, or null for the pointer and rows of no generation.</summary>
    internal static long? GenerationOf(string rowKey)
    {
        if (rowKey.StartsWith(TaskPrefix, StringComparison.Ordinal) || rowKey.StartsWith(EntryPrefix, StringComparison.Ordinal)) return 0;
        return rowKey.Length > 8 && rowKey[0] == 'g' && rowKey[7] == '|'
               && long.TryParse(rowKey.AsSpan(1, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : null;
    }

    private static string TaskKey(long generation, string id) => Generation(generation) + TaskPrefix + id;

    private static string EntryKey(long generation, string id, long sequence) =>
        $"{Generation(generation)}{EntryPrefix}{id}|{sequence.ToString("D10", CultureInfo.InvariantCulture)}";

    /// <summary>A year's pointer: the generation readers read, the last one claimed, and its ETag (none: no pointer yet).</summary>
    private sealed record Pointer(long Generation, long Last, ETag? ETag)
    {
        public TableEntity Entity(int year, long generation, long last) =>
            new(Partition(year), Head) { ["Generation"] = generation, ["Last"] = last };

        /// <summary>The pointer written again as it is (a change's lock), by its ETag; added when there is none.</summary>
        public TableTransactionAction Touch(int year) => ETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, Entity(year, Generation, Last), etag)
            : new TableTransactionAction(TableTransactionActionType.Add, Entity(year, Generation, Last));
    }

    private async Task<Pointer> PointerAsync(int year, CancellationToken cancellationToken)
    {
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(year), Head, cancellationToken: cancellationToken);
        if (!found.HasValue) return new Pointer(0, 0, null);
        var e = found.Value!;
        return new Pointer(e.GetInt64("Generation") ?? 0, e.GetInt64("Last") ?? 0, e.ETag);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerTask>> GetTasksAsync(int year, CancellationToken cancellationToken = default)
    {
        var g = (await PointerAsync(year, cancellationToken)).Generation;
        var list = new List<LedgerTask>();
        await foreach (var e in Range(year, Generation(g) + TaskPrefix, cancellationToken, ["Data"])) list.Add(LedgerJson.Task(e.GetString("Data")));
        list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    /// <inheritdoc />
    /// <remarks>The year's pointer entity's ETag: every change rewrites the pointer (its lock) and every import switches it.</remarks>
    public async Task<string> GetYearStampAsync(int year, CancellationToken cancellationToken = default) =>
        (await PointerAsync(year, cancellationToken)).ETag?.ToString() ?? "";

    /// <inheritdoc />
    public async Task<LedgerTask?> GetTaskAsync(int year, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!LedgerFile.IsId(id)) return null;
        var found = await FindAsync(year, (await PointerAsync(year, cancellationToken)).Generation, id, cancellationToken);
        return found is null ? null : LedgerJson.Task(found.GetString("Data"));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerEvent>> GetHistoryAsync(int year, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var list = new List<LedgerEvent>();
        if (!LedgerFile.IsId(id)) return list;
        var g = (await PointerAsync(year, cancellationToken)).Generation;
        await foreach (var e in Range(year, Generation(g) + EntryPrefix + id + "|", cancellationToken, ["Data"])) list.Add(LedgerJson.Event(e.GetString("Data")));
        list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<LedgerEvent>>> GetHistoriesAsync(int year, CancellationToken cancellationToken = default)
    {
        var g = (await PointerAsync(year, cancellationToken)).Generation;
        var by = new Dictionary<string, List<LedgerEvent>>(StringComparer.Ordinal);
        await foreach (var e in Range(year, Generation(g) + EntryPrefix, cancellationToken, ["Data"]))
        {
            var entry = LedgerJson.Event(e.GetString("Data"));
            if (!by.TryGetValue(entry.TaskId, out var list)) by[entry.TaskId] = list = [];
            list.Add(entry);
        }
        var result = new Dictionary<string, IReadOnlyList<LedgerEvent>>(StringComparer.Ordinal);
        foreach (var (id, list) in by)
        {
            list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            result[id] = list;
        }
        return result;
    }

    /// <inheritdoc />
    public async Task<LedgerReplay> GetReplayAsync(int year, CancellationToken cancellationToken = default)
    {
        var prefix = Generation((await PointerAsync(year, cancellationToken)).Generation);
        var tasks = new List<LedgerTask>();
        await foreach (var e in Range(year, prefix + TaskPrefix, cancellationToken, ["RowKey", "Unit", "LoadedDue", "LoadedState", "LoadedDone"]))
        {
            Enum.TryParse<TaskState>(e.GetString("LoadedState"), out var loaded);
            tasks.Add(new LedgerTask
            {
                Year = year, Id = e.RowKey[(prefix.Length + TaskPrefix.Length)..], Unit = e.GetString("Unit"),
                LoadedDue = Day(e.GetString("LoadedDue")), LoadedState = loaded, LoadedDone = Day(e.GetString("LoadedDone")),
            });
        }
        tasks.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var by = new Dictionary<string, List<LedgerEvent>>(StringComparer.Ordinal);
        await foreach (var e in Range(year, prefix + EntryPrefix, cancellationToken, ["RowKey", "Change", "Sequence", "At", "On", "Actor", "Date"]))
        {
            if (!LedgerChanges.TryParse(e.GetString("Change"), out var change) || !change.IsStateChange()) continue;
            var id = e.RowKey[(prefix.Length + EntryPrefix.Length)..e.RowKey.LastIndexOf('|')];
            if (!by.TryGetValue(id, out var list)) by[id] = list = [];
            list.Add(new LedgerEvent(year, id, e.GetInt64("Sequence") ?? 0, change, e.GetDateTimeOffset("At") ?? DateTimeOffset.UnixEpoch,
                Day(e.GetString("On"))!.Value, e.GetString("Actor") ?? "", "", null, null, Day(e.GetString("Date")), []));
        }
        var changes = new Dictionary<string, IReadOnlyList<LedgerEvent>>(StringComparer.Ordinal);
        foreach (var (id, list) in by)
        {
            list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            changes[id] = list;
        }
        return new LedgerReplay(tasks, changes);
    }

    /// <inheritdoc />
    /// <remarks>All or nothing: staged in a new generation, then one switch of the year's pointer (see the class).</remarks>
    public async Task ImportAsync(int year, IReadOnlyList<(LedgerTask Task, LedgerEvent Entry)> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var (task, entry) in writes) LedgerJson.Check(year, task, entry);
        for (var attempt = 1; ; attempt++)
        {
            // 1. Claim a new generation: the pointer's Last moves on by its ETag, so two imports never stage the same one.
            var pointer = await PointerAsync(year, cancellationToken);
            var next = Math.Max(pointer.Generation, pointer.Last) + 1;
            ETag claimed;
            try
            {
                var claim = pointer.Entity(year, pointer.Generation, next);
                claimed = pointer.ETag is { } etag
                    ? (await _table.UpdateEntityAsync(claim, etag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag!.Value
                    : (await _table.AddEntityAsync(claim, cancellationToken)).Headers.ETag!.Value;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409 && attempt < ImportAttempts)
            {
                continue;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409)
            {
                throw Busy(year);
            }

            // 2. Delete what earlier imports left: superseded generations and failed stagings below this claim (a later
            // claim's staging is not touched; the current generation is what readers read).
            await DeleteGenerationsAsync(year, g => g != pointer.Generation && g < next, cancellationToken);

            // 3. Read the current generation (after the claim: a write after it moves the pointer and fails the switch).
            var current = Generation(pointer.Generation);
            var stored = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            await foreach (var e in Range(year, current + TaskPrefix, cancellationToken)) stored[e.RowKey[(current.Length + TaskPrefix.Length)..]] = e;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (task, entry) in writes)
            {
                var version = stored.TryGetValue(task.Id, out var e) ? e.GetInt64("Version") ?? 0 : 0;
                if (version != entry.Sequence - 1 || !seen.Add(task.Id))
                    throw LedgerJson.Conflict(task.Id);
            }

            // 4. Stage the new generation: the current one copied, the import's tasks and entries over it.
            try
            {
                await StageAsync(year, pointer.Generation, next, stored, writes, cancellationToken);
            }
            catch
            {
                await DeleteStagedAsync(year, next);
                throw;
            }

            // 5. Switch: one transaction on the pointer, only over the claim's ETag.
            try
            {
                await _table.UpdateEntityAsync(pointer.Entity(year, next, next), claimed, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409 or 404)
            {
                // Another write came after the claim: this staging is stale. Delete it and stage again over that write.
                await DeleteStagedAsync(year, next);
                if (attempt >= ImportAttempts) throw Busy(year);
            }
        }
    }

    private static StoreException Busy(int year) =>
        new(StoreError.Conflict, $"{year} 年的台账正被他人同时修改，导入未写入；请稍后重试");

    private async Task StageAsync(int year, long from, long to, Dictionary<string, TableEntity> stored,
        IReadOnlyList<(LedgerTask Task, LedgerEvent Entry)> writes, CancellationToken cancellationToken)
    {
        var imported = new HashSet<string>(writes.Select(w => w.Task.Id), StringComparer.Ordinal);
        var source = Generation(from);
        var target = Generation(to);
        IEnumerable<TableEntity> Copied(IEnumerable<TableEntity> rows) => rows.Select(e =>
        {
            var copy = new TableEntity(e.PartitionKey, target + e.RowKey[source.Length..]);
            foreach (var (name, value) in e)
                if (name is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")) copy[name] = value;
            return copy;
        });
        async IAsyncEnumerable<TableEntity> Rows()
        {
            foreach (var e in Copied(stored.Where(s => !imported.Contains(s.Key)).Select(s => s.Value))) yield return e;
            await foreach (var e in Range(year, source + EntryPrefix, cancellationToken)) foreach (var c in Copied([e])) yield return c;
            foreach (var (task, entry) in writes)
            {
                yield return ToEntity(task, to);
                yield return ToEntity(entry, to);
            }
        }
        var batch = new List<TableTransactionAction>(StageBatch);
        var index = 0;
        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            if (BeforeStagingBatch is { } hook) await hook(index, cancellationToken);
            await _table.SubmitTransactionAsync(batch, cancellationToken);
            batch.Clear();
            index++;
        }
        await foreach (var row in Rows())
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            if (batch.Count == StageBatch) await FlushAsync();
        }
        await FlushAsync();
    }

    /// <summary>Deletes a failed staging, best effort and not cancelled (what is left is deleted by the next import).</summary>
    private async Task DeleteStagedAsync(int year, long generation)
    {
        try
        {
            await DeleteGenerationsAsync(year, g => g == generation, CancellationToken.None);
        }
        catch (RequestFailedException)
        {
        }
    }

    private async Task DeleteGenerationsAsync(int year, Func<long, bool> which, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(year)}");
        var doomed = new List<string>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            if (GenerationOf(e.RowKey) is { } g && which(g)) doomed.Add(e.RowKey);
        var batch = new List<TableTransactionAction>(StageBatch);
        foreach (var key in doomed)
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition(year), key), ETag.All));
            if (batch.Count == StageBatch)
            {
                await _table.SubmitTransactionAsync(batch, cancellationToken);
                batch.Clear();
            }
        }
        if (batch.Count > 0) await _table.SubmitTransactionAsync(batch, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<LedgerTask> ChangeAsync(LedgerTask changed, LedgerEvent entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(entry);
        LedgerJson.Check(changed.Year, changed, entry);
        for (var attempt = 1; ; attempt++)
        {
            var pointer = await PointerAsync(changed.Year, cancellationToken);
            var found = await FindAsync(changed.Year, pointer.Generation, changed.Id, cancellationToken)
                        ?? throw new StoreException(StoreError.NotFound, $"{changed.Year} 年的台账中没有任务 {changed.Id}");
            if ((found.GetInt64("Version") ?? 0) != entry.Sequence - 1) throw LedgerJson.Conflict(changed.Id);
            try
            {
                await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(changed, pointer.Generation), found.ETag),
                    new TableTransactionAction(TableTransactionActionType.Add, ToEntity(entry, pointer.Generation)),
                    pointer.Touch(changed.Year),
                ], cancellationToken);
                return changed;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409)
            {
                // Another write came first: this task's (the next read finds its version moved: a conflict) or another
                // task's or an import's (the pointer moved: tried again).
                if (attempt >= ChangeAttempts) throw LedgerJson.Conflict(changed.Id);
            }
        }
    }

    /// <inheritdoc />
    public async Task PutFileAsync(string sha256, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!LedgerJson.IsSha(sha256) || StoreText.Sha256(content) != sha256) throw new StoreException(StoreError.Invalid, "文件内容与其 SHA-256 不符");
        var blob = _blobs.GetBlobClient(Blob(sha256));
        try
        {
            // Written only if absent: the name is the content's hash, so an existing blob already holds these bytes.
            await blob.UploadAsync(new BinaryData(content), overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetFileAsync(string sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (!LedgerJson.IsSha(sha256)) return null;
        try
        {
            var result = await _blobs.GetBlobClient(Blob(sha256)).DownloadContentAsync(cancellationToken);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Blob(string sha256) => $"evidence/{sha256}";

    private async Task<TableEntity?> FindAsync(int year, long generation, string id, CancellationToken cancellationToken)
    {
        if (!LedgerFile.IsId(id)) return null;
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(year), TaskKey(generation, id), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private IAsyncEnumerable<TableEntity> Range(int year, string prefix, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(year)} and RowKey ge {prefix} and RowKey lt {prefix + "\uffff"}");
        return _table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken);
    }

    private static TableEntity ToEntity(LedgerTask t, long generation) => new(Partition(t.Year), TaskKey(generation, t.Id))
    {
        ["Unit"] = t.Unit,
        ["State"] = t.State.ToString(),
        ["Version"] = t.Version,
        ["LoadedDue"] = Day(t.LoadedDue),
        ["LoadedState"] = t.LoadedState.ToString(),
        ["LoadedDone"] = Day(t.LoadedDone),
        ["Data"] = LedgerJson.Write(t),
    };

    private static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? Day(string? text) => text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(LedgerEvent e, long generation) => new(Partition(e.Year), EntryKey(generation, e.TaskId, e.Sequence))
    {
        ["Change"] = e.Change.ToWord(),
        ["Sequence"] = e.Sequence,
        ["At"] = e.At.ToUniversalTime(),
        ["On"] = Day(e.On),
        ["Actor"] = e.Actor,
        ["Date"] = Day(e.Date),
        ["Data"] = LedgerJson.Write(e),
    };
}
