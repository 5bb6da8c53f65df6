using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Maintenance: the table, container and counter created, numbered migrations, the start-up check, and the sweep of superseded generations.
public sealed partial class AzureAssessStore
{
    /// <summary>
    /// The numbered migrations of the Azure layout, in order. The counter's <c>Schema</c> holds how many are applied (a store
    /// made by an older program has 2: the table, the container and the counter of this layout); each later one is recorded by
    /// an entity <c>schema|NNNN</c> (its name) written in the same change that moves <c>Schema</c> on, so it runs once.
    /// </summary>
    internal static readonly (int Number, string Name)[] Migrations =
    [
        (1, "layout 1 (before the Azure SDK; not readable by this program)"),
        (2, "table, container and counter"),
        (3, "rulesets: level and classes of older versions, from their texts"),
        (4, "rulesets: one active ruleset per level"),
        (5, "rulesets: slots (quarter, year, monitor); runs: month results"),
        (6, "runs: archives assembled on download, stored ones dropped"),
        (7, "publications: notices of the publications so far"),
    ];

    /// <summary>The schema version this code writes (the number of migrations).</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <summary>What a store made before migrations were recorded has applied.</summary>
    private const int Baseline = 2;

    /// <inheritdoc />
    /// <remarks>
    /// Creates the table and the container when missing and the counter (at the baseline, recorded), then applies the
    /// pending migrations in order (<see cref="Migrations"/>). An up-to-date store costs the two creates and one read.
    /// </remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _table.CreateIfNotExistsAsync(cancellationToken);
        await _blobs.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
        try
        {
            var counter = new TableEntity(AzureNames.Control, AzureNames.Counter)
            {
                ["Audit"] = 0L,
                ["Run"] = 0L,
                ["Batch"] = 0L,
                ["Schema"] = Baseline,
            };
            await _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, counter),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, MigrationRecord(Baseline)),
            ], cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already initialized.
        }
        await MigrateAsync(cancellationToken);
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var counter = await RetrieveAsync(AzureNames.Counter, cancellationToken)
                ?? throw new StoreException(StoreError.NotFound, "存储尚未初始化（请先运行 init）");
            var version = SchemaOf(counter);
            if (version > SchemaVersion)
                throw new StoreException(StoreError.Conflict, $"Azure 存储（表 {TableName}）的结构版本 {version} 比本程序支持的 {SchemaVersion} 新，请升级程序");
            if (version == SchemaVersion) return;
            switch (version + 1)
            {
                case 3:
                    await FillRulesetOutlinesAsync(cancellationToken);
                    break;
                case 4:
                    await OneActiveRulesetPerLevelAsync(cancellationToken);
                    break;
                case 5:
                    // Version rows and active pointers gain a Slot; a row without one is a quarterly scoring ruleset (all that
                    // an older program stored), and month results are a new blob kind: nothing to rewrite, only recorded.
                    await MutateAsync(change => Task.FromResult(change.Schema >= 5 ? change.NoOp(false) : change.Migrated(5)), cancellationToken);
                    break;
                case 6:
                    await DropStoredArchivesAsync(cancellationToken);
                    break;
                case 7:
                    await NoticesForPublicationsAsync(cancellationToken);
                    break;
                default:
                    throw new StoreException(StoreError.Conflict, $"Azure 存储（表 {TableName}）的结构版本 {version} 无法升级，请重新创建存储");
            }
        }
    }

    /// <inheritdoc />
    public async Task<StoreSchema> GetSchemaAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var counter = await RetrieveAsync(AzureNames.Counter, cancellationToken);
            return new StoreSchema(counter is null ? 0 : SchemaOf(counter), SchemaVersion);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No table yet.
            return new StoreSchema(0, SchemaVersion);
        }
    }

    private static int SchemaOf(TableEntity counter) => counter.GetInt32("Schema") ?? Baseline;

    private static TableEntity MigrationRecord(int number) =>
        new(AzureNames.Control, AzureNames.Migration(number)) { ["Number"] = number, ["Name"] = Migrations[number - 1].Name };

    /// <summary>The migrations applied to this store, in order (number and name), as their records say.</summary>
    internal async Task<IReadOnlyList<(int Number, string Name)>> AppliedMigrationsAsync(CancellationToken cancellationToken = default) =>
        [.. (await QueryControlAsync("schema|", cancellationToken)).OrderBy(r => r.RowKey, StringComparer.Ordinal)
            .Select(r => (r.GetInt32("Number")!.Value, r.GetString("Name")))];

    /// <inheritdoc />
    /// <remarks>
    /// Writes (replaces) one entity of its own partition (<c>probe</c>, which no query reads) and one blob
    /// (<c>probe/start</c>, outside every prefix the store lists): an account, key or identity without write access,
    /// or storage that is not there, is refused here.
    /// </remarks>
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            await _table.UpsertEntityAsync(new TableEntity("probe", "start") { ["At"] = at }, TableUpdateMode.Replace, cancellationToken);
            await _blobs.GetBlobClient("probe/start").UploadAsync(BinaryData.FromString(at), overwrite: true, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            throw new StoreException(StoreError.Conflict,
                $"Azure 存储（表 {TableName}，容器 {ContainerName}）无法写入（HTTP {e.Status} {e.ErrorCode}），请检查连接、账户权限和存储状态");
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is RequestFailedException or HttpRequestException))
        {
            throw new StoreException(StoreError.Conflict,
                $"Azure 存储（表 {TableName}，容器 {ContainerName}）无法连接（{e.InnerExceptions[0].Message.Split('\n')[0]}），请检查连接和存储状态");
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Every generation has a registry entry in the control partition, written before its data. A sweep reads
    /// what is referenced (the heads of observations and units, every run's results generation; a publication
    /// references a run, and runs keep theirs), then walks the registry: an unreferenced entry without a mark
    /// gets one (<c>MarkedAt</c>); a marked one whose grace has passed has its data deleted, then its entry; a
    /// referenced one loses any mark. Deleting data before the entry makes a stopped sweep harmless: the next
    /// one finds the entry and deletes what is left (a missing blob or entity counts as deleted).
    /// </remarks>
    public async Task<SweepReport> SweepAsync(DateTimeOffset at, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (period, generation) in ReadGenerations(await RetrieveAsync(AzureNames.ObservationHead, cancellationToken)))
            referenced.Add(AzureNames.Generation(AzureNames.ObservationsKind, period, generation));
        foreach (var head in await QueryControlAsync("units|", cancellationToken))
            if (head.GetString("Generation") is { } generation)
                referenced.Add(AzureNames.Generation(AzureNames.UnitsKind,
                    int.Parse(head.RowKey.AsSpan("units|".Length), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), generation));
        foreach (var run in await QueryControlAsync("run|", cancellationToken))
        {
            if (run.GetString("ResultsGeneration") is { } generation)
                referenced.Add(AzureNames.Generation(AzureNames.ResultsKind, run.GetString("Id"), generation));
            if (run.GetString("MonthGeneration") is { } month)
                referenced.Add(AzureNames.Generation(AzureNames.MonthResultsKind, run.GetString("Id"), month));
        }

        int kept = 0, marked = 0, waiting = 0, deleted = 0;
        foreach (var entry in await QueryControlAsync(AzureNames.GenerationPrefix, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var markedAt = entry.GetString("MarkedAt") is { } m ? StoreText.Time(m) : (DateTimeOffset?)null;
            if (referenced.Contains(entry.RowKey))
            {
                kept++;
                if (markedAt is not null)
                {
                    entry.Remove("MarkedAt");
                    await IgnoreConflictAsync(_table.UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Replace, cancellationToken));
                }
            }
            else if (markedAt is null)
            {
                marked++;
                entry["MarkedAt"] = StoreText.Time(at);
                await IgnoreConflictAsync(_table.UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Replace, cancellationToken));
            }
            else if (at - markedAt.Value < grace)
            {
                waiting++;
            }
            else
            {
                if (entry.GetString("Blob") is { } blob)
                    await _blobs.GetBlobClient(blob).DeleteIfExistsAsync(cancellationToken: cancellationToken);
                if (entry.GetString("Partition") is { } partition)
                    await DeletePartitionAsync(partition, cancellationToken);
                AfterSweepDataDeleted?.Invoke(entry.RowKey);
                await IgnoreConflictAsync(_table.DeleteEntityAsync(AzureNames.Control, entry.RowKey, ETag.All, cancellationToken));
                deleted++;
            }
        }
        return new SweepReport(kept, marked, waiting, deleted);
    }

    /// <summary>Writes the registry entry of a generation about to be written (so a sweep can find its data).</summary>
    private async Task RegisterAsync(string kind, string owner, string generation, string? blob, string? partition, CancellationToken cancellationToken)
    {
        var entry = new TableEntity(AzureNames.Control, AzureNames.Generation(kind, owner, generation)) { ["Kind"] = kind, ["Owner"] = owner };
        Set(entry, "Blob", blob);
        Set(entry, "Partition", partition);
        await _table.UpsertEntityAsync(entry, TableUpdateMode.Replace, cancellationToken);
    }

    private async Task DeletePartitionAsync(string partition, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
            keys.Add(e.RowKey);
        await Parallel.ForEachAsync(keys.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (chunk, ct) =>
        {
            try
            {
                await _table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k), ETag.All)), ct);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Another sweep deleted some of them: delete the rest one by one.
                foreach (var k in chunk) await IgnoreConflictAsync(_table.DeleteEntityAsync(partition, k, ETag.All, ct));
            }
        });
    }

    /// <summary>Another sweep got there first (the entry changed or is gone): nothing to do.</summary>
    private static async Task IgnoreConflictAsync(Task<Response> operation)
    {
        try
        {
            await operation;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
        }
    }

    /// <summary>
    /// Migration 3: gives versions an older program stored without them their level and classes, read once from their texts
    /// (<see cref="LegacyRulesets.Outline"/>: the only place the store parses a ruleset; a merge checked by ETag, which
    /// changes nothing a reader sees), then records the migration in one change with the counter.
    /// </summary>
    private async Task FillRulesetOutlinesAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryControlAsync(AzureNames.RulesetRowPrefix, cancellationToken);
        foreach (var row in rows.Where(r => r.GetString("Level") is null || r.GetString("Classes") is null))
        {
            var id = row.GetString("RulesetId");
            var version = row.GetInt32("Version")!.Value;
            var yaml = await DownloadAsync(row.GetString("Blob"), cancellationToken)
                ?? throw new StoreException(StoreError.NotFound, $"规则集文本 {row.GetString("Blob")} 不见了");
            var outline = LegacyRulesets.Outline(id, version, Encoding.UTF8.GetString(yaml));
            var patch = new TableEntity(row.PartitionKey, row.RowKey)
            {
                ["Level"] = StoreText.Level(outline.Level),
                ["Classes"] = RulesetFacts.ClassesJson(outline.Classes),
            };
            try
            {
                await _table.UpdateEntityAsync(patch, row.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Another start filled it in first (with the same values).
            }
        }
        await MutateAsync(change => Task.FromResult(change.Schema >= 3 ? change.NoOp(false) : change.Migrated(3)), cancellationToken);
    }

    /// <summary>
    /// Migration 4, in one change with its record: leaves each level one active ruleset: of several (an older replace did not
    /// deactivate), the one activated last in audit order, the others deactivated with an audit entry at the time (and by
    /// the actor) of the activation that replaced them; every pointer gets its ruleset id and level. Concurrent starts agree.
    /// </summary>
    private async Task OneActiveRulesetPerLevelAsync(CancellationToken cancellationToken)
    {
        await MutateAsync(async change =>
        {
            if (change.Schema >= 4) return change.NoOp(false);
            var versions = (await QueryControlAsync(AzureNames.RulesetRowPrefix, cancellationToken))
                .ToDictionary(r => AzureNames.ActiveRuleset(r.GetString("RulesetId")) + "|" + r.GetInt32("Version")!.Value, StringComparer.Ordinal);
            var current = await QueryControlAsync(AzureNames.ActiveRulesetPrefix, cancellationToken);
            var actives = new List<(TableEntity Row, RulesetFacts.Active Active)>();
            foreach (var p in current)
            {
                var version = p.GetInt32("Version")!.Value;
                if (!versions.TryGetValue(p.RowKey + "|" + version, out var row)) continue;
                actives.Add((p, new RulesetFacts.Active(row.GetString("RulesetId"), version, LevelOf(row))));
            }
            var last = new Dictionary<string, RulesetFacts.Activation>(StringComparer.Ordinal);
            var fallback = DateTimeOffset.UnixEpoch;
            const string auditPrefix = "audit|";
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {AzureNames.Control} and RowKey ge {auditPrefix} and RowKey lt {auditPrefix + "\uffff"} and Action eq {RulesetFacts.Activate}");
            await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var at = StoreText.Time(e.GetString("At"));
                if (at > fallback) fallback = at;
                var sequence = e.GetInt64("Sequence")!.Value;
                if (RulesetFacts.IdOfTarget(e.GetString("Target")) is { } id && (!last.TryGetValue(id, out var seen) || seen.Sequence < sequence))
                    last[id] = new RulesetFacts.Activation(sequence, at, e.GetString("Actor"));
            }
            var superseded = RulesetFacts.Supersede(actives.Select(a => a.Active), last, fallback);
            var gone = superseded.Select(s => s.Loser.RulesetId).ToHashSet(StringComparer.Ordinal);
            foreach (var (row, active) in actives)
            {
                if (gone.Contains(active.RulesetId)) change.Delete(row);
                else if (row.GetString("Level") is null || row.GetString("RulesetId") is null)
                    change.Put(ActivePointer(active.RulesetId, active.Version, active.Level), row);
            }
            foreach (var s in superseded)
                change.Audit(s.At, s.Actor, RulesetFacts.Deactivate, $"{s.Loser.RulesetId}@{s.Loser.Version}",
                    RulesetFacts.ReplacedDetail(s.Loser.Level, s.Winner.RulesetId, s.Winner.Version));
            return change.Migrated(4);
        }, cancellationToken);
    }

    /// <summary>
    /// Migration 6: each PDF kept once. A run's ZIP is assembled on download from its stored documents, so the archive blobs
    /// an older program stored beside them (<c>runs/RUN/scorecards.zip</c>, a second copy of every scorecard) are deleted
    /// (safe to repeat: concurrent starts delete the same blobs), then the migration is recorded in one change with the counter.
    /// </summary>
    private async Task DropStoredArchivesAsync(CancellationToken cancellationToken)
    {
        await foreach (var item in _blobs.GetBlobsAsync(new GetBlobsOptions { Prefix = "runs/" }, cancellationToken))
            if (item.Name.EndsWith(AzureNames.StoredArchiveSuffix, StringComparison.Ordinal) && item.Name.Count(c => c == '/') == 2)
                await _blobs.GetBlobClient(item.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        await MutateAsync(change => Task.FromResult(change.Schema >= 6 ? change.NoOp(false) : change.Migrated(6)), cancellationToken);
    }
}
