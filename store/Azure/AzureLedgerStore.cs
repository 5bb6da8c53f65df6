using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
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
public sealed partial class AzureLedgerStore : ILedgerStore
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
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

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
