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

    /// <inheritdoc />
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
                ["Schema"] = 2,
            };
            await _table.AddEntityAsync(counter, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already initialized.
        }
        await UpgradeRulesetsAsync(cancellationToken);
    }

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

    /// <summary>Deletes the table and the container (tests and decommissioning).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await _table.DeleteAsync(cancellationToken);
        await _blobs.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // ---- units and observations ----

    /// <inheritdoc />
    public async Task<ImportOutcome> ImportUnitsAsync(int year, IReadOnlyList<Unit> units, ImportSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(source);
        var duplicate = units.GroupBy(u => u.Code, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new StoreException(StoreError.Invalid, $"单位代码 '{duplicate.Key}' 重复");
        var sha = StoreText.Sha256(source.Content);
        var json = JsonSerializer.SerializeToUtf8Bytes(units.Select(u => new[] { u.Code, u.Name, u.Level.ToText(), u.Parent, u.Class }));
        var owner = year.ToString(CultureInfo.InvariantCulture);
        var generation = NewGeneration();
        var unitsBlob = AzureNames.UnitsBlob(year, generation);
        var uploaded = false;
        return await MutateAsync(async change =>
        {
            var earlier = await FindBatchAsync(ImportKind.Units, year, sha, cancellationToken);
            if (earlier is not null) return change.NoOp(new ImportOutcome(earlier, true));
            if (!uploaded)
            {
                await UploadAsync(AzureNames.ImportBlob(sha), source.Content, null, cancellationToken);
                await RegisterAsync(AzureNames.UnitsKind, owner, generation, unitsBlob, null, cancellationToken);
                await UploadAsync(unitsBlob, json, null, cancellationToken);
                uploaded = true;
            }
            var head = await RetrieveAsync(AzureNames.UnitsHead(year), cancellationToken);
            var batch = change.NewBatch(ImportKind.Units, year, source, sha, units.Count);
            var next = new TableEntity(AzureNames.Control, AzureNames.UnitsHead(year))
            {
                ["Blob"] = unitsBlob,
                ["Generation"] = generation,
                ["BatchId"] = batch.Id,
            };
            change.Put(next, head);
            change.Audit(source.At, source.Actor, "import.units", owner, StoreText.Describe(source, sha, units.Count) + $" batch={batch.Id}");
            return change.Done(new ImportOutcome(batch, false));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Unit>> GetUnitsAsync(int year, CancellationToken cancellationToken = default)
    {
        var head = await RetrieveAsync(AzureNames.UnitsHead(year), cancellationToken);
        if (head is null) return [];
        var units = ReadUnitsJson(await DownloadAsync(head.GetString("Blob"), cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"{year} 年的单位数据不见了"));
        units.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return units;
    }

    /// <inheritdoc />
    public async Task<ImportOutcome> ImportObservationsAsync(IReadOnlyList<Observation> observations, ImportSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(source);
        var sha = StoreText.Sha256(source.Content);
        var uploaded = false;
        return await MutateAsync(async change =>
        {
            var earlier = await FindBatchAsync(ImportKind.Observations, null, sha, cancellationToken);
            if (earlier is not null) return change.NoOp(new ImportOutcome(earlier, true));
            // Every attempt checks the units again, read after this attempt's counter: a units import that commits
            // before this change moves the counter on, so this change is refused (412) and built again on the new
            // units, as SQLite checks them inside the import's transaction.
            await CheckUnitsAsync(observations, cancellationToken);
            if (!uploaded)
            {
                await UploadAsync(AzureNames.ImportBlob(sha), source.Content, null, cancellationToken);
                uploaded = true;
            }
            var head = await RetrieveAsync(AzureNames.ObservationHead, cancellationToken);
            var generations = ReadGenerations(head);
            // Each attempt writes its own generation: one that lost the race to another writer is left to the sweep.
            var generation = NewGeneration();
            var periods = observations.GroupBy(o => o.Period).ToList();
            await Parallel.ForEachAsync(periods, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (period, ct) =>
            {
                // Merge with the current figures of the period and write the whole period as a new generation.
                var figures = generations.TryGetValue(period.Key.ToString(), out var current)
                    ? await ReadObservationsAsync(period.Key, current, ct)
                    : new SortedDictionary<(string, string), Observation>(UnitIndicatorOrder.Instance);
                foreach (var o in period) figures[(o.Unit, o.Indicator)] = o;
                var blob = AzureNames.ObservationBlob(period.Key.ToString(), generation);
                await RegisterAsync(AzureNames.ObservationsKind, period.Key.ToString(), generation, blob, null, ct);
                await UploadAsync(blob, JsonSerializer.SerializeToUtf8Bytes(figures.Values.Select(o =>
                    new[] { o.Unit, o.Indicator, StoreText.Dec(o.Actual), StoreText.Dec(o.Target), StoreText.Dec(o.Baseline) })), null, ct);
            });
            foreach (var period in periods) generations[period.Key.ToString()] = generation;
            var batch = change.NewBatch(ImportKind.Observations, null, source, sha, observations.Count, ImportBatch.PeriodsOf(observations));
            var next = new TableEntity(AzureNames.Control, AzureNames.ObservationHead);
            SetChunked(next, "Periods", JsonSerializer.Serialize(generations));
            change.Put(next, head);
            change.Audit(source.At, source.Actor, "import.observations", batch.Id, StoreText.Describe(source, sha, observations.Count));
            return change.Done(new ImportOutcome(batch, false));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Observation>> GetObservationsAsync(Period period, CancellationToken cancellationToken = default)
    {
        var generations = ReadGenerations(await RetrieveAsync(AzureNames.ObservationHead, cancellationToken));
        if (!generations.TryGetValue(period.ToString(), out var generation)) return [];
        return [.. (await ReadObservationsAsync(period, generation, cancellationToken)).Values];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportBatch>> ListImportsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryControlAsync("batch|", cancellationToken);
        return [.. rows.OrderByDescending(r => r.RowKey, StringComparer.Ordinal).Select(ReadBatch)];
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetImportFileAsync(string batchId, CancellationToken cancellationToken = default)
    {
        // Batch ids are imp-NNNNNN, the counter's sequence: the row key follows from the id.
        if (!batchId.StartsWith("imp-", StringComparison.Ordinal) || !long.TryParse(batchId.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            return null;
        var batch = await RetrieveAsync(AzureNames.Batch(sequence), cancellationToken);
        return batch is null || batch.GetString("Id") != batchId ? null : await DownloadAsync(AzureNames.ImportBlob(batch.GetString("Sha256")), cancellationToken);
    }

    // ---- rulesets ----

    /// <inheritdoc />
    public async Task<RulesetVersion> AddRulesetVersionAsync(string rulesetId, string yaml, RulesetOutline outline, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rulesetId);
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(outline);
        var sha = RulesetLoader.Sha256Hex(yaml);
        var blob = AzureNames.RulesetBlob(rulesetId, sha);
        var uploaded = false;
        return await MutateAsync(async change =>
        {
            var versions = await QueryControlAsync(AzureNames.RulesetPrefix(rulesetId), cancellationToken);
            var latest = versions.OrderByDescending(v => v.RowKey, StringComparer.Ordinal).FirstOrDefault();
            if (latest is not null && latest.GetString("Sha256") == sha)
                return change.NoOp(await ReadRulesetAsync(latest, cancellationToken));
            if (!uploaded)
            {
                await UploadAsync(blob, Encoding.UTF8.GetBytes(yaml), null, cancellationToken);
                uploaded = true;
            }
            var version = versions.Count + 1;
            change.Insert(new TableEntity(AzureNames.Control, AzureNames.Ruleset(rulesetId, version))
            {
                ["RulesetId"] = rulesetId,
                ["Version"] = version,
                ["Sha256"] = sha,
                ["Blob"] = blob,
                ["Author"] = actor,
                ["CreatedAt"] = StoreText.Time(at),
                ["Level"] = StoreText.Level(outline.Level),
                ["Classes"] = RulesetFacts.ClassesJson(outline.Classes),
            });
            change.Audit(at, actor, "ruleset.add", $"{rulesetId}@{version}", $"sha256={sha}");
            return change.Done(new RulesetVersion(rulesetId, version, sha, yaml, actor, at, false, outline.Level, outline.Classes));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RulesetVersion> ActivateRulesetAsync(string rulesetId, int version, string actor, DateTimeOffset at, bool replace = false,
        CancellationToken cancellationToken = default)
    {
        // One change of the control partition (ETag-checked against the counter): the level's check, the other pointer's
        // removal and this one's write are serialized with every other change, so two activations never leave two.
        return await MutateAsync(async change =>
        {
            var row = await RetrieveAsync(AzureNames.Ruleset(rulesetId, version), cancellationToken)
                ?? throw new StoreException(StoreError.NotFound, $"规则集 {rulesetId} 没有版本 {version}");
            var level = LevelOf(row);
            var pointers = await QueryControlAsync(AzureNames.ActiveRulesetPrefix, cancellationToken);
            var key = AzureNames.ActiveRuleset(rulesetId);
            var others = pointers.Where(p => p.RowKey != key && p.GetString("Level") == StoreText.Level(level))
                .Select(p => (Row: p, RulesetId: p.GetString("RulesetId"), Version: p.GetInt32("Version")!.Value))
                .OrderBy(p => p.RulesetId, StringComparer.Ordinal).ToList();
            if (others.Count > 0 && !replace) throw RulesetFacts.Conflict(level, others[0].RulesetId, others[0].Version, rulesetId, version);
            foreach (var other in others)
            {
                change.Delete(other.Row);
                change.Audit(at, actor, RulesetFacts.Deactivate, $"{other.RulesetId}@{other.Version}", RulesetFacts.ReplacedDetail(level, rulesetId, version));
            }
            change.Put(ActivePointer(rulesetId, version, level), pointers.FirstOrDefault(p => p.RowKey == key));
            change.Audit(at, actor, RulesetFacts.Activate, $"{rulesetId}@{version}",
                RulesetFacts.ActivateDetail(row.GetString("Sha256"), others.Select(o => (o.RulesetId, o.Version))));
            return change.Done((await ReadRulesetAsync(row, cancellationToken)) with { Active = true });
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RulesetVersion?> DeactivateRulesetAsync(string rulesetId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        return await MutateAsync<RulesetVersion?>(async change =>
        {
            var pointer = await RetrieveAsync(AzureNames.ActiveRuleset(rulesetId), cancellationToken);
            if (pointer is null)
                return (await QueryControlAsync(AzureNames.RulesetPrefix(rulesetId), cancellationToken)).Count == 0
                    ? throw new StoreException(StoreError.NotFound, $"没有规则集 {rulesetId}")
                    : change.NoOp<RulesetVersion?>(null);
            var version = pointer.GetInt32("Version")!.Value;
            var row = await RetrieveAsync(AzureNames.Ruleset(rulesetId, version), cancellationToken)
                ?? throw new StoreException(StoreError.NotFound, $"规则集 {rulesetId} 没有版本 {version}");
            change.Delete(pointer);
            change.Audit(at, actor, RulesetFacts.Deactivate, $"{rulesetId}@{version}", $"sha256={row.GetString("Sha256")}");
            return change.Done(await ReadRulesetAsync(row, cancellationToken));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RulesetVersion?> GetRulesetAsync(string rulesetId, int version, CancellationToken cancellationToken = default)
    {
        var row = await RetrieveAsync(AzureNames.Ruleset(rulesetId, version), cancellationToken);
        if (row is null) return null;
        var active = await RetrieveAsync(AzureNames.ActiveRuleset(rulesetId), cancellationToken);
        return (await ReadRulesetAsync(row, cancellationToken)) with { Active = active?.GetInt32("Version") == version };
    }

    /// <inheritdoc />
    public async Task<RulesetVersion?> GetActiveRulesetAsync(string rulesetId, CancellationToken cancellationToken = default)
    {
        var active = await RetrieveAsync(AzureNames.ActiveRuleset(rulesetId), cancellationToken);
        return active is null ? null : await GetRulesetAsync(rulesetId, active.GetInt32("Version")!.Value, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RulesetVersion>> ListRulesetsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryControlAsync(AzureNames.RulesetRowPrefix, cancellationToken);
        var active = (await QueryControlAsync(AzureNames.ActiveRulesetPrefix, cancellationToken)).ToDictionary(r => r.RowKey, r => r.GetInt32("Version"));
        var list = new List<RulesetVersion>();
        foreach (var row in rows)
        {
            var version = await ReadRulesetAsync(row, cancellationToken);
            active.TryGetValue(AzureNames.ActiveRuleset(version.RulesetId), out var a);
            list.Add(version with { Active = a == version.Version });
        }
        list.Sort(RulesetVersion.ByIdThenVersion);
        return list;
    }

    // ---- runs ----

    /// <inheritdoc />
    public async Task<EvaluationRun> CreateRunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await MutateAsync(async change =>
        {
            if (request.IdempotencyKey is { } key && await RetrieveAsync(AzureNames.RunKey(key), cancellationToken) is { } existing)
                return change.NoOp(await GetRunAsync(existing.GetString("RunId"), cancellationToken)
                    ?? throw new StoreException(StoreError.NotFound, $"运行 {existing.GetString("RunId")} 不见了"));
            if (await RetrieveAsync(AzureNames.Ruleset(request.RulesetId, request.RulesetVersion), cancellationToken) is null)
                throw new StoreException(StoreError.NotFound, $"规则集 {request.RulesetId} 没有版本 {request.RulesetVersion}");
            var sequence = change.NextRun();
            var run = new EvaluationRun(StoreText.RunId(sequence), request.Period, request.Level, request.RulesetId, request.RulesetVersion,
                RunStatus.Queued, null, null, request.Actor, request.RequestedAt, null, null, request.IdempotencyKey, request.Sample);
            change.Insert(RunEntity(sequence, run));
            if (request.IdempotencyKey is { } k)
                change.Insert(new TableEntity(AzureNames.Control, AzureNames.RunKey(k)) { ["RunId"] = run.Id });
            change.Audit(request.RequestedAt, request.Actor, "run.create", run.Id,
                $"{request.Period} {request.Level.ToText()} {request.RulesetId}@{request.RulesetVersion}" + (request.Sample ? " sample" : ""));
            return change.Done(run);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<EvaluationRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var row = await RetrieveRunAsync(runId, cancellationToken);
        return row is null ? null : ReadRun(row);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EvaluationRun>> ListRunsAsync(Period? period = null, UnitLevel? level = null, CancellationToken cancellationToken = default)
    {
        var rows = await QueryControlAsync("run|", cancellationToken);
        return [.. rows.OrderByDescending(r => r.RowKey, StringComparer.Ordinal).Select(ReadRun)
            .Where(r => (period is null || r.Period == period) && (level is null || r.Level == level))];
    }

    /// <inheritdoc />
    public Task<EvaluationRun> StartRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        MutateAsync(async change =>
        {
            var (row, run) = await RequireRunAsync(runId, cancellationToken);
            var started = run.Start(at);
            row["Status"] = StoreText.Status(started.Status);
            row["StartedAt"] = StoreText.Time(at);
            change.Replace(row);
            change.Audit(at, started.Actor, started.TransitionAction, runId, null);
            return change.Done(started);
        }, cancellationToken);

    /// <inheritdoc />
    public Task SaveResultsAsync(string runId, EvaluationResult result, CancellationToken cancellationToken = default) =>
        SaveResultsAsync(runId, result, null, cancellationToken);

    /// <inheritdoc />
    public async Task SaveResultsAsync(string runId, EvaluationResult result, string? previousRunId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var (_, before) = await RequireRunAsync(runId, cancellationToken);
        before.RequireRunning("不能保存结果");
        // Written under a fresh generation first; the run row then points at it.
        var generation = NewGeneration();
        var blob = AzureNames.ResultsBlob(runId, generation);
        var partition = AzureNames.UnitResultPartition(runId, generation);
        await RegisterAsync(AzureNames.ResultsKind, runId, generation, blob, partition, cancellationToken);
        await UploadAsync(blob, ResultsJson.Serialize(result), null, cancellationToken);
        var entities = result.Units.Select(u =>
        {
            var e = new TableEntity(partition, u.Code);
            SetChunked(e, "Json", Encoding.UTF8.GetString(UnitResultJson.Serialize(result, u)));
            return e;
        }).ToList();
        await UpsertAllAsync(entities, cancellationToken);
        await MutateAsync(async change =>
        {
            var (row, run) = await RequireRunAsync(runId, cancellationToken);
            var saved = run.WithResults(result, previousRunId);
            row["ResultsGeneration"] = generation;
            Set(row, "DataSha256", saved.DataSha256);
            Set(row, "PreviousRunId", saved.PreviousRunId);
            row["ScorecardsExpected"] = saved.ScorecardsExpected;
            row["BulletinsExpected"] = saved.BulletinsExpected;
            change.Replace(row);
            return change.Done(true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task SaveDocumentsAsync(string runId, IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var (_, run) = await RequireRunAsync(runId, cancellationToken);
        run.RequireRunning("不能保存文档");
        // Documents are only reachable through their run, which can't be published before it succeeds.
        await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (d, ct) =>
            await UploadAsync(AzureNames.DocumentBlob(runId, d.Kind, d.Key), d.Content, d.Sha256, ct));
    }

    /// <inheritdoc />
    public Task<EvaluationRun> CompleteRunAsync(string runId, RunOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return MutateAsync(async change =>
        {
            var (row, run) = await RequireRunAsync(runId, cancellationToken);
            var ended = run.Complete(outcome, at, resultsSaved: row.GetString("ResultsGeneration") is not null);
            row["Status"] = StoreText.Status(ended.Status);
            Set(row, "Reason", ended.Reason);
            row["CompletedAt"] = StoreText.Time(at);
            change.Replace(row);
            change.Audit(at, ended.Actor, ended.TransitionAction, runId, ended.Reason);
            return change.Done(ended);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<EvaluationRun> RenewRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        // Only the run's row changes, ETag-checked (no audit entry, so the control partition's counter is left alone):
        // a change to the run meanwhile (completed, failed, another heartbeat) makes it read again and decide again.
        for (var attempt = 1; ; attempt++)
        {
            var (row, run) = await RequireRunAsync(runId, cancellationToken);
            var renewed = run.Renew(at);
            row["HeartbeatAt"] = StoreText.Time(renewed.HeartbeatAt!.Value);
            try
            {
                await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return renewed;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                throw new StoreException(StoreError.Concurrency, $"存储被同时修改，{MaxAttempts} 次重试后仍未成功，请重试：{e.Message}");
            }
        }
    }

    /// <inheritdoc />
    public async Task<EvaluationResult?> GetResultsAsync(string runId, CancellationToken cancellationToken = default)
    {
        var generation = await ResultsGenerationAsync(runId, cancellationToken);
        if (generation is null) return null;
        var json = await DownloadAsync(AzureNames.ResultsBlob(runId, generation), cancellationToken);
        return json is null ? null : ResultsJson.Read(json);
    }

    /// <inheritdoc />
    public async Task<UnitResult?> GetUnitResultAsync(string runId, string unitCode, CancellationToken cancellationToken = default)
    {
        var generation = await ResultsGenerationAsync(runId, cancellationToken);
        if (generation is null) return null;
        var row = await RetrieveAsync(AzureNames.UnitResultPartition(runId, generation), unitCode, cancellationToken);
        return row is null ? null : UnitResultJson.Read(Encoding.UTF8.GetBytes(GetChunked(row, "Json")));
    }

    /// <inheritdoc />
    public async Task<StoredDocument?> GetDocumentAsync(string runId, DocumentKind kind, string key, CancellationToken cancellationToken = default)
    {
        var download = await DownloadWithMetadataAsync(AzureNames.DocumentBlob(runId, kind, key), cancellationToken);
        if (download is not { } d) return null;
        return new StoredDocument(kind, key, d.Content, d.Metadata.TryGetValue("sha256", out var sha) ? sha : StoreText.Sha256(d.Content));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string runId, CancellationToken cancellationToken = default)
    {
        var list = new List<DocumentInfo>();
        await foreach (var item in _blobs.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = AzureNames.DocumentPrefix(runId) }, cancellationToken))
        {
            if (AzureNames.ParseDocumentBlob(runId, item.Name) is not { } parsed) continue;
            list.Add(new DocumentInfo(parsed.Kind, parsed.Key, item.Metadata.TryGetValue("sha256", out var sha) ? sha : "", item.Properties.ContentLength ?? 0));
        }
        list.Sort(static (a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : string.CompareOrdinal(a.Key, b.Key));
        return list;
    }

    // ---- publication ----

    /// <inheritdoc />
    public Task<Publication> PublishAsync(string runId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        MutateAsync(async change =>
        {
            var (_, run) = await RequireRunAsync(runId, cancellationToken);
            if (run.Status != RunStatus.Succeeded)
                throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(run.Status)}，只有成功的运行可以发布");
            var key = AzureNames.Publication(run.Period.ToString(), run.Level.ToText());
            var current = await RetrieveAsync(key, cancellationToken);
            var revision = (current?.GetInt32("Revision") ?? 0) + 1;
            // Times follow revision order: a racing publisher that read the clock earlier is stamped with the current one's time.
            var stamped = current is not null && StoreText.Time(current.GetString("At")) is var previous && previous > at ? previous : at;
            var next = new TableEntity(AzureNames.Control, key)
            {
                ["RunId"] = runId,
                ["Actor"] = actor,
                ["At"] = StoreText.Time(stamped),
                ["Revision"] = revision,
            };
            change.Put(next, current);
            change.Audit(stamped, actor, current is null ? "publish" : "republish", runId,
                $"{run.Period} {run.Level.ToText()} revision={revision}" + (current is null ? "" : $" replaces={current.GetString("RunId")}"));
            return change.Done(new Publication(run.Period, run.Level, runId, actor, stamped, revision));
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<Publication?> GetPublicationAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default)
    {
        var row = await RetrieveAsync(AzureNames.Publication(period.ToString(), level.ToText()), cancellationToken);
        return row is null ? null : new Publication(period, level, row.GetString("RunId"), row.GetString("Actor"),
            StoreText.Time(row.GetString("At")), row.GetInt32("Revision")!.Value);
    }

    // ---- housekeeping ----

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
            if (run.GetString("ResultsGeneration") is { } generation)
                referenced.Add(AzureNames.Generation(AzureNames.ResultsKind, run.GetString("Id"), generation));

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

    // ---- audit ----

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> GetAuditLogAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryControlAsync("audit|", cancellationToken);
        return [.. rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).Select(r => new AuditEntry(
            r.GetInt64("Sequence")!.Value, StoreText.Time(r.GetString("At")), r.GetString("Actor"),
            r.GetString("Action"), r.GetString("Target"), r.GetString("Detail")))];
    }

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

    private async Task<ImportBatch?> FindBatchAsync(ImportKind kind, int? year, string sha, CancellationToken cancellationToken)
    {
        var bySha = await RetrieveAsync(AzureNames.BatchBySha(kind, year, sha), cancellationToken);
        if (bySha is null) return null;
        var row = await RetrieveAsync(bySha.GetString("Row"), cancellationToken);
        return row is null ? null : ReadBatch(row);
    }

    private static ImportBatch ReadBatch(TableEntity r) => new(
        r.GetString("Id"), StoreText.ImportKindOf(r.GetString("Kind")), r.GetInt32("Year"),
        r.GetString("FileName"), r.GetString("Sha256"), r.GetInt32("RowCount")!.Value,
        r.GetString("Actor"), StoreText.Time(r.GetString("At")), r.GetString("Periods"));

    private async Task CheckUnitsAsync(IReadOnlyList<Observation> observations, CancellationToken cancellationToken)
    {
        var byYear = new Dictionary<int, HashSet<string>>();
        var unknown = new List<string>();
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            if (!byYear.TryGetValue(o.Period.Year, out var codes))
                byYear[o.Period.Year] = codes = (await GetUnitsAsync(o.Period.Year, cancellationToken)).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
            if (!codes.Contains(o.Unit)) unknown.Add($"第 {i + 1} 条：单位 '{o.Unit}' 不在 {o.Period.Year} 年的单位名单中");
        }
        if (unknown.Count > 0) throw new StoreException(StoreError.Invalid, string.Join("\n", unknown));
    }

    private static Dictionary<string, string> ReadGenerations(TableEntity? head) =>
        head is null ? new Dictionary<string, string>(StringComparer.Ordinal)
            : JsonSerializer.Deserialize<Dictionary<string, string>>(GetChunked(head, "Periods")) ?? [];

    private async Task<SortedDictionary<(string, string), Observation>> ReadObservationsAsync(Period period, string generation, CancellationToken cancellationToken)
    {
        var json = await DownloadAsync(AzureNames.ObservationBlob(period.ToString(), generation), cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"{period} 的填报数据不见了");
        var figures = new SortedDictionary<(string, string), Observation>(UnitIndicatorOrder.Instance);
        foreach (var f in JsonSerializer.Deserialize<string?[][]>(json)!)
            figures[(f[0]!, f[1]!)] = new Observation(f[0]!, f[1]!, period, StoreText.Dec(f[2]!), StoreText.OptDec(f[3]), StoreText.OptDec(f[4]));
        return figures;
    }

    /// <summary>Unit, then indicator, ordinal: the order <see cref="GetObservationsAsync"/> promises.</summary>
    private sealed class UnitIndicatorOrder : IComparer<(string Unit, string Indicator)>
    {
        public static readonly UnitIndicatorOrder Instance = new();

        public int Compare((string Unit, string Indicator) x, (string Unit, string Indicator) y)
        {
            var c = string.CompareOrdinal(x.Unit, y.Unit);
            return c != 0 ? c : string.CompareOrdinal(x.Indicator, y.Indicator);
        }
    }

    private static List<Unit> ReadUnitsJson(byte[] json) =>
        [.. JsonSerializer.Deserialize<string?[][]>(json)!.Select(u => new Unit(u[0]!, u[1]!, StoreText.Level(u[2]!), u[3], u[4]!))];

    private async Task<RulesetVersion> ReadRulesetAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var yaml = await DownloadAsync(row.GetString("Blob"), cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"规则集文本 {row.GetString("Blob")} 不见了");
        var classes = row.GetString("Classes") ?? throw RulesetFacts.NotUpgraded(row.GetString("RulesetId"), row.GetInt32("Version")!.Value);
        return new RulesetVersion(row.GetString("RulesetId"), row.GetInt32("Version")!.Value, row.GetString("Sha256"),
            Encoding.UTF8.GetString(yaml), row.GetString("Author"), StoreText.Time(row.GetString("CreatedAt")), false, LevelOf(row), RulesetFacts.Classes(classes));
    }

    private static UnitLevel LevelOf(TableEntity row) =>
        row.GetString("Level") is { } level ? StoreText.Level(level) : throw RulesetFacts.NotUpgraded(row.GetString("RulesetId"), row.GetInt32("Version")!.Value);

    private static TableEntity ActivePointer(string rulesetId, int version, UnitLevel level) =>
        new(AzureNames.Control, AzureNames.ActiveRuleset(rulesetId))
        {
            ["RulesetId"] = rulesetId,
            ["Version"] = version,
            ["Level"] = StoreText.Level(level),
        };

    /// <summary>
    /// Gives versions stored without them their level and classes (read once from their texts; a merge checked by ETag, which
    /// changes nothing a reader sees), then, in one change, leaves each level one active ruleset: of several (an older
    /// replace did not deactivate), the one activated last in audit order, the others deactivated with an audit entry at
    /// the time (and by the actor) of the activation that replaced them. Idempotent; concurrent starts agree.
    /// </summary>
    private async Task UpgradeRulesetsAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryControlAsync(AzureNames.RulesetRowPrefix, cancellationToken);
        foreach (var row in rows.Where(r => r.GetString("Level") is null || r.GetString("Classes") is null))
        {
            var id = row.GetString("RulesetId");
            var version = row.GetInt32("Version")!.Value;
            var yaml = await DownloadAsync(row.GetString("Blob"), cancellationToken)
                ?? throw new StoreException(StoreError.NotFound, $"规则集文本 {row.GetString("Blob")} 不见了");
            var outline = RulesetFacts.Outline(id, version, Encoding.UTF8.GetString(yaml));
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
        var pointers = await QueryControlAsync(AzureNames.ActiveRulesetPrefix, cancellationToken);
        if (pointers.All(p => p.GetString("Level") is not null && p.GetString("RulesetId") is not null)
            && pointers.GroupBy(p => p.GetString("Level")).All(g => g.Count() == 1))
            return;

        await MutateAsync(async change =>
        {
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
            var changed = false;
            foreach (var (row, active) in actives)
            {
                if (gone.Contains(active.RulesetId))
                {
                    change.Delete(row);
                    changed = true;
                }
                else if (row.GetString("Level") is null || row.GetString("RulesetId") is null)
                {
                    change.Put(ActivePointer(active.RulesetId, active.Version, active.Level), row);
                    changed = true;
                }
            }
            foreach (var s in superseded)
                change.Audit(s.At, s.Actor, RulesetFacts.Deactivate, $"{s.Loser.RulesetId}@{s.Loser.Version}",
                    RulesetFacts.ReplacedDetail(s.Loser.Level, s.Winner.RulesetId, s.Winner.Version));
            return changed ? change.Done(true) : change.NoOp(false);
        }, cancellationToken);
    }

    private static TableEntity RunEntity(long sequence, EvaluationRun run)
    {
        var e = new TableEntity(AzureNames.Control, AzureNames.Run(sequence))
        {
            ["Id"] = run.Id,
            ["Period"] = run.Period.ToString(),
            ["Level"] = run.Level.ToText(),
            ["RulesetId"] = run.RulesetId,
            ["RulesetVersion"] = run.RulesetVersion,
            ["Status"] = StoreText.Status(run.Status),
            ["Actor"] = run.Actor,
            ["RequestedAt"] = StoreText.Time(run.RequestedAt),
            ["Sample"] = run.Sample,
        };
        Set(e, "IdempotencyKey", run.IdempotencyKey);
        return e;
    }

    private static EvaluationRun ReadRun(TableEntity e) =>
        new(e.GetString("Id"), Period.Parse(e.GetString("Period")), StoreText.Level(e.GetString("Level")), e.GetString("RulesetId"), e.GetInt32("RulesetVersion")!.Value,
            StoreText.Status(e.GetString("Status")), e.GetString("Reason"), e.GetString("DataSha256"), e.GetString("Actor"), StoreText.Time(e.GetString("RequestedAt")),
            StoreText.OptTime(e.GetString("StartedAt")), StoreText.OptTime(e.GetString("CompletedAt")), e.GetString("IdempotencyKey"), e.GetBoolean("Sample") ?? false)
        {
            PreviousRunId = e.GetString("PreviousRunId"),
            ScorecardsExpected = e.GetInt32("ScorecardsExpected"),
            BulletinsExpected = e.GetInt32("BulletinsExpected"),
            HeartbeatAt = StoreText.OptTime(e.GetString("HeartbeatAt")),
        };

    private async Task<TableEntity?> RetrieveRunAsync(string runId, CancellationToken cancellationToken)
    {
        // Run ids are run-NNNNNN, the counter's sequence: the row key follows from the id.
        if (!runId.StartsWith("run-", StringComparison.Ordinal) || !long.TryParse(runId.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            return null;
        var row = await RetrieveAsync(AzureNames.Run(sequence), cancellationToken);
        return row is not null && row.GetString("Id") == runId ? row : null;
    }

    private async Task<(TableEntity Row, EvaluationRun Run)> RequireRunAsync(string runId, CancellationToken cancellationToken)
    {
        var row = await RetrieveRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");
        return (row, ReadRun(row));
    }

    private async Task<string?> ResultsGenerationAsync(string runId, CancellationToken cancellationToken) =>
        (await RetrieveRunAsync(runId, cancellationToken))?.GetString("ResultsGeneration");

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
