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
/// year holding its tasks (row key <c>t|{id}</c>) and their history entries (<c>e|{id}|{sequence}</c>), and a blob
/// container (<c>{prefix}-ledger</c>) holding evidence files by SHA-256 (<c>evidence/{sha256}</c>). A change is one
/// entity group transaction: the task replaced with the ETag it was read with, and its entry added; a 412 or 409 means
/// another change was written first, a conflict.
/// </summary>
public sealed class AzureLedgerStore : ILedgerStore
{
    private const string TaskPrefix = "t|";
    private const string EntryPrefix = "e|";

    /// <summary>Tasks per entity group transaction in an import (each with its entry: 100 operations, the most one may hold).</summary>
    private const int ImportBatch = 50;

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

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _table.CreateIfNotExistsAsync(cancellationToken);
        await _blobs.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
    }

    /// <summary>Deletes the table and the container (tests).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await _table.DeleteAsync(cancellationToken);
        await _blobs.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    private static string Partition(int year) => year.ToString("D4", CultureInfo.InvariantCulture);

    private static string TaskKey(string id) => TaskPrefix + id;

    private static string EntryKey(string id, long sequence) => $"{EntryPrefix}{id}|{sequence.ToString("D10", CultureInfo.InvariantCulture)}";

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerTask>> GetTasksAsync(int year, CancellationToken cancellationToken = default)
    {
        var list = new List<LedgerTask>();
        await foreach (var e in Range(year, TaskPrefix, cancellationToken)) list.Add(LedgerJson.Task(e.GetString("Data")));
        list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    /// <inheritdoc />
    public async Task<LedgerTask?> GetTaskAsync(int year, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var found = await FindAsync(year, id, cancellationToken);
        return found is null ? null : LedgerJson.Task(found.GetString("Data"));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerEvent>> GetHistoryAsync(int year, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var list = new List<LedgerEvent>();
        if (!LedgerFile.IsId(id)) return list;
        await foreach (var e in Range(year, EntryPrefix + id + "|", cancellationToken)) list.Add(LedgerJson.Event(e.GetString("Data")));
        list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<LedgerEvent>>> GetHistoriesAsync(int year, CancellationToken cancellationToken = default)
    {
        var by = new Dictionary<string, List<LedgerEvent>>(StringComparer.Ordinal);
        await foreach (var e in Range(year, EntryPrefix, cancellationToken))
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
        var tasks = new List<LedgerTask>();
        await foreach (var e in Range(year, TaskPrefix, cancellationToken, ["RowKey", "Unit", "LoadedDue", "LoadedState", "LoadedDone"]))
        {
            Enum.TryParse<TaskState>(e.GetString("LoadedState"), out var loaded);
            tasks.Add(new LedgerTask
            {
                Year = year, Id = e.RowKey[TaskPrefix.Length..], Unit = e.GetString("Unit"),
                LoadedDue = Day(e.GetString("LoadedDue")), LoadedState = loaded, LoadedDone = Day(e.GetString("LoadedDone")),
            });
        }
        tasks.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var by = new Dictionary<string, List<LedgerEvent>>(StringComparer.Ordinal);
        await foreach (var e in Range(year, EntryPrefix, cancellationToken, ["RowKey", "Change", "Sequence", "At", "On", "Actor", "Date"]))
        {
            if (!LedgerChanges.TryParse(e.GetString("Change"), out var change) || !change.IsStateChange()) continue;
            var id = e.RowKey[EntryPrefix.Length..e.RowKey.LastIndexOf('|')];
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
    public async Task ImportAsync(int year, IReadOnlyList<(LedgerTask Task, LedgerEvent Entry)> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var (task, entry) in writes) LedgerJson.Check(year, task, entry);
        var stored = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var e in Range(year, TaskPrefix, cancellationToken)) stored[e.RowKey[TaskPrefix.Length..]] = e;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (task, entry) in writes)
        {
            var version = stored.TryGetValue(task.Id, out var e) ? e.GetInt64("Version") ?? 0 : 0;
            if (version != entry.Sequence - 1 || !seen.Add(task.Id)) throw LedgerJson.Conflict(task.Id);
        }
        foreach (var chunk in writes.Chunk(ImportBatch))
        {
            var actions = new List<TableTransactionAction>(chunk.Length * 2);
            foreach (var (task, entry) in chunk)
            {
                actions.Add(stored.TryGetValue(task.Id, out var current)
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(task), current.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, ToEntity(task)));
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, ToEntity(entry)));
            }
            await SubmitAsync(actions, chunk[0].Task.Id, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<LedgerTask> ChangeAsync(LedgerTask changed, LedgerEvent entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(entry);
        LedgerJson.Check(changed.Year, changed, entry);
        var found = await FindAsync(changed.Year, changed.Id, cancellationToken)
                    ?? throw new StoreException(StoreError.NotFound, $"{changed.Year} 年的台账中没有任务 {changed.Id}");
        if ((found.GetInt64("Version") ?? 0) != entry.Sequence - 1) throw LedgerJson.Conflict(changed.Id);
        await SubmitAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(changed), found.ETag),
            new TableTransactionAction(TableTransactionActionType.Add, ToEntity(entry)),
        ], changed.Id, cancellationToken);
        return changed;
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

    private async Task SubmitAsync(IReadOnlyList<TableTransactionAction> actions, string id, CancellationToken cancellationToken)
    {
        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409)
        {
            var failed = e.FailedTransactionActionIndex is { } i && i < actions.Count ? actions[i].Entity.RowKey : null;
            throw LedgerJson.Conflict(failed is not null && failed.StartsWith(TaskPrefix, StringComparison.Ordinal) ? failed[TaskPrefix.Length..] : id);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409)
        {
            throw LedgerJson.Conflict(id);
        }
    }

    private async Task<TableEntity?> FindAsync(int year, string id, CancellationToken cancellationToken)
    {
        if (!LedgerFile.IsId(id)) return null;
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(year), TaskKey(id), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private IAsyncEnumerable<TableEntity> Range(int year, string prefix, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(year)} and RowKey ge {prefix} and RowKey lt {prefix + "\uffff"}");
        return _table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken);
    }

    private static TableEntity ToEntity(LedgerTask t) => new(Partition(t.Year), TaskKey(t.Id))
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

    private static TableEntity ToEntity(LedgerEvent e) => new(Partition(e.Year), EntryKey(e.TaskId, e.Sequence))
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
