using Azure;
using Azure.Data.Tables;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Writes: an import (staged in a new generation, then one switch of the pointer) and a change (one transaction over the pointer).
public sealed partial class AzureLedgerStore
{
    /// <summary>
    /// A seam for tests: called before each transaction of an import's staging with its index (from 0); what it throws
    /// fails the import there, as a storage failure would.
    /// </summary>
    internal Func<int, CancellationToken, Task>? BeforeStagingBatch { get; set; }

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
}
