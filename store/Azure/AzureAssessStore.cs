using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

/// <summary>
/// The store on Azure storage: one table and one blob container (Azure.Data.Tables and Azure.Storage.Blobs,
/// tested against Azurite).
/// </summary>
/// <remarks>
/// <para>Bulk data is written first where no reader looks, under a new generation, then made visible by one change
/// of the control partition: a period's observations as one blob per generation, a year's units as one blob per
/// generation, a run's results as a blob plus one entity per unit under a generation; ruleset texts and imported
/// files as blobs named by their SHA-256.</para>
/// <para>The control partition holds everything small (a counter, heads that point at the current generations,
/// ruleset versions, runs, publication pointers, import batches, the audit log, and a registry entry for every
/// generation, written before its data). Every change is one entity group transaction on it that replaces the
/// counter with its ETag and appends the audit entry, so changes are atomic, serialized, and numbered without
/// gaps; a writer that lost the race (HTTP 412) re-reads and retries. A crash before that transaction leaves only
/// unreferenced data behind, never a half-visible change; <see cref="SweepAsync"/> deletes it later.</para>
/// <para>Transient failures (timeouts, throttling) are retried by the SDK clients with the policy of
/// <see cref="AzureStorageAccount.ConfigureRetries"/>.</para>
/// <para>One partial file per aggregate: <c>.Data.cs</c> (units, observations, imports), <c>.Rulesets.cs</c>, <c>.Runs.cs</c>
/// and <c>.Archives.cs</c> (runs, results, documents, archives), <c>.Publications.cs</c>, <c>.Audit.cs</c>,
/// <c>.Maintenance.cs</c> (migrations, check, sweep); this file holds the clients, the one change helper they share
/// (<see cref="MutateAsync{T}"/> with its <see cref="Change"/>) and the table and blob helpers.</para>
/// </remarks>
public sealed partial class AzureAssessStore : IAssessStore
{
    private const int MaxAttempts = 20;
    private const int PropertyChars = 30_000; // a string property holds 32K UTF-16 characters at most
    private readonly TableClient _table;
    private readonly BlobContainerClient _blobs;

    /// <summary>Connects to the storage account (nothing is created until <see cref="InitializeAsync"/>).</summary>
    /// <param name="connection">A storage connection string (e.g. <c>UseDevelopmentStorage=true</c> for Azurite) or an account URL (<see cref="AzureStorageAccount.Parse"/>).</param>
    /// <param name="prefix">Prefix of the table and container names (letters and digits), so several stores can share an account.</param>
    public AzureAssessStore(string connection, string prefix = "bqw")
        : this(AzureStorageAccount.Parse(connection), prefix)
    {
    }

    /// <summary>Connects to the storage account (nothing is created until <see cref="InitializeAsync"/>).</summary>
    /// <param name="account">The account.</param>
    /// <param name="prefix">Prefix of the table and container names (letters and digits), so several stores can share an account.</param>
    public AzureAssessStore(AzureStorageAccount account, string prefix = "bqw")
    {
        ArgumentNullException.ThrowIfNull(account);
        if (prefix.Length is 0 or > 40 || !prefix.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetter(prefix[0]))
            throw new ArgumentException("prefix: 1–40 letters and digits, starting with a letter", nameof(prefix));
        TableName = prefix + "assess";
        ContainerName = prefix.ToLowerInvariant() + "-assess";
        _table = account.Table(TableName);
        _blobs = account.Container(ContainerName);
    }

    /// <summary>The table's name.</summary>
    public string TableName { get; }

    /// <summary>The blob container's name.</summary>
    public string ContainerName { get; }

    /// <summary>
    /// Called when a sweep has deleted a generation's data and not yet its registry entry (tests stop a sweep
    /// there, the worst place to be killed).
    /// </summary>
    internal Action<string>? AfterSweepDataDeleted { get; set; }

    /// <summary>
    /// Called by each attempt of a serialized change once it is built, before it is committed (tests make another
    /// writer change the store there, so the commit loses the race with a 412 and the change is built again).
    /// </summary>
    internal Func<Task>? BeforeChangeCommitted { get; set; }

    /// <summary>Deletes the table and the container (tests and decommissioning).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await _table.DeleteAsync(cancellationToken);
        await _blobs.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // ---- the control partition: one transaction per change ----

    /// <summary>What one change will write to the control partition, built against the counter it read.</summary>
    private sealed class Change(TableEntity counter)
    {
        public List<TableTransactionAction> Actions { get; } = [];

        public bool IsNoOp { get; private set; }

        public T NoOp<T>(T value)
        {
            IsNoOp = true;
            return value;
        }

        public T Done<T>(T value) => value;

        /// <summary>The schema version the counter says is applied.</summary>
        public int Schema => SchemaOf(counter);

        /// <summary>Records migration <paramref name="number"/> as applied: the counter's <c>Schema</c> moves to it, with its record.</summary>
        public bool Migrated(int number)
        {
            counter["Schema"] = number;
            Actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, MigrationRecord(number)));
            return true;
        }

        /// <summary>The next review request's number (the counter's <c>Review</c>, absent on older counters: 0).</summary>
        public long NextReview()
        {
            var next = (counter.GetInt64("Review") ?? 0) + 1;
            counter["Review"] = next;
            return next;
        }

        public long NextRun()
        {
            var next = counter.GetInt64("Run")!.Value + 1;
            counter["Run"] = next;
            return next;
        }

        public ImportBatch NewBatch(ImportKind kind, int? year, ImportSource source, string sha, int rows, string? periods = null)
        {
            var sequence = counter.GetInt64("Batch")!.Value + 1;
            counter["Batch"] = sequence;
            var batch = new ImportBatch(StoreText.BatchId(sequence), kind, year, source.FileName, sha, rows, source.Actor, source.At, periods);
            var row = new TableEntity(AzureNames.Control, AzureNames.Batch(sequence))
            {
                ["Id"] = batch.Id,
                ["Kind"] = StoreText.Kind(kind),
                ["FileName"] = batch.FileName,
                ["Sha256"] = sha,
                ["RowCount"] = rows,
                ["Actor"] = batch.Actor,
                ["At"] = StoreText.Time(batch.At),
            };
            if (year is { } y) row["Year"] = y;
            if (periods is not null) row["Periods"] = periods;
            Insert(row);
            Insert(new TableEntity(AzureNames.Control, AzureNames.BatchBySha(kind, year, sha)) { ["Row"] = row.RowKey });
            return batch;
        }

        public void Audit(DateTimeOffset at, string actor, string action, string target, string? detail) =>
            Insert(AuditRow(counter, at, actor, action, target, detail));

        public void Insert(TableEntity entity) => Actions.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));

        /// <summary>Deletes an entity read in this change (its ETag must still hold).</summary>
        public void Delete(TableEntity entity) => Actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, entity.ETag));

        /// <summary>Replaces an entity read in this change (its ETag must still hold).</summary>
        public void Replace(TableEntity entity) => Actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, entity.ETag));

        /// <summary>Writes <paramref name="next"/> over <paramref name="current"/> (with its ETag), or inserts it when there was none.</summary>
        public void Put(TableEntity next, TableEntity? current)
        {
            if (current is null) Insert(next);
            else Actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, current.ETag));
        }
    }

    /// <summary>
    /// The next audit entry against the counter read for this change (its <c>Audit</c> number moves on by one): the
    /// caller writes both in one transaction with the counter's ETag, as the account store's changes do too.
    /// </summary>
    internal static TableEntity AuditRow(TableEntity counter, DateTimeOffset at, string actor, string action, string target, string? detail)
    {
        var sequence = counter.GetInt64("Audit")!.Value + 1;
        counter["Audit"] = sequence;
        var row = new TableEntity(AzureNames.Control, AzureNames.Audit(sequence))
        {
            ["Sequence"] = sequence,
            ["At"] = StoreText.Time(at),
            ["Actor"] = actor,
            ["Action"] = action,
            ["Target"] = target,
        };
        Set(row, "Detail", detail);
        return row;
    }

    private async Task<T> MutateAsync<T>(Func<Change, Task<T>> build, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var counter = await RetrieveAsync(AzureNames.Counter, cancellationToken)
                ?? throw new StoreException(StoreError.NotFound, "存储尚未初始化（请先运行 init）");
            var change = new Change(counter);
            var value = await build(change);
            if (change.IsNoOp) return value;
            change.Replace(counter);
            if (BeforeChangeCommitted is { } hook) await hook();
            try
            {
                await _table.SubmitTransactionAsync(change.Actions, cancellationToken);
                return value;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409 or 404 && attempt < MaxAttempts)
            {
                // Another writer changed the control partition first: read again and redo the change. (404: an entity this
                // change deletes or replaces was deleted meanwhile, e.g. a ruleset pointer another activation replaced.)
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 409 or 404)
            {
                throw new StoreException(StoreError.Concurrency, $"存储被同时修改，{MaxAttempts} 次重试后仍未成功，请重试：{e.Message}");
            }
        }
    }

    // ---- helpers ----

    private static string NewGeneration() => Guid.NewGuid().ToString("N");

    /// <summary>Sets a property, or removes it for null (the table service stores no null values).</summary>
    private static void Set(TableEntity entity, string name, string? value)
    {
        if (value is null) entity.Remove(name);
        else entity[name] = value;
    }

    private Task<TableEntity?> RetrieveAsync(string rowKey, CancellationToken cancellationToken) =>
        RetrieveAsync(AzureNames.Control, rowKey, cancellationToken);

    private async Task<TableEntity?> RetrieveAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private async Task<List<TableEntity>> QueryControlAsync(string rowKeyPrefix, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {AzureNames.Control} and RowKey ge {rowKeyPrefix} and RowKey lt {rowKeyPrefix + "\uffff"}");
        var list = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) list.Add(e);
        return list;
    }

    /// <summary>Writes entities of any partitions in transactions of 100 per partition, a few at a time.</summary>
    private async Task UpsertAllAsync(IReadOnlyList<TableEntity> entities, CancellationToken cancellationToken)
    {
        var batches = entities.GroupBy(e => e.PartitionKey).SelectMany(p => p.Chunk(100)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (batch, ct) => await _table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct));
    }

    private async Task UploadAsync(string name, byte[] content, string? sha256, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions();
        if (sha256 is not null) options.Metadata = new Dictionary<string, string> { ["sha256"] = sha256 };
        await _blobs.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), options, cancellationToken);
    }

    private async Task<byte[]?> DownloadAsync(string name, CancellationToken cancellationToken) =>
        (await DownloadWithMetadataAsync(name, cancellationToken))?.Content;

    private async Task<(byte[] Content, IDictionary<string, string> Metadata)?> DownloadWithMetadataAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var result = (await _blobs.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value;
            return (result.Content.ToArray(), result.Details.Metadata);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Long text split over properties NAME0, NAME1, … (a property holds 32K characters at most).</summary>
    private static void SetChunked(TableEntity entity, string name, string text)
    {
        var parts = Math.Max(1, (text.Length + PropertyChars - 1) / PropertyChars);
        entity[name + "Parts"] = parts;
        for (var i = 0; i < parts; i++)
            entity[name + i.ToString(CultureInfo.InvariantCulture)] = text.Substring(i * PropertyChars, Math.Min(PropertyChars, text.Length - i * PropertyChars));
    }

    private static string GetChunked(TableEntity entity, string name)
    {
        var parts = entity.GetInt32(name + "Parts")!.Value;
        if (parts == 1) return entity.GetString(name + "0");
        var sb = new StringBuilder();
        for (var i = 0; i < parts; i++) sb.Append(entity.GetString(name + i.ToString(CultureInfo.InvariantCulture)));
        return sb.ToString();
    }
}
