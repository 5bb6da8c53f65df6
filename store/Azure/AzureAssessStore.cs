using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store.Internal;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Blob;
using Microsoft.WindowsAzure.Storage.Table;

namespace BaiQianWan.Assess.Store.Azure;

/// <summary>
/// The store on Azure storage (tables and blobs; WindowsAzure.Storage, tested against Azurite).
/// </summary>
/// <remarks>
/// <para>Bulk data is written first where no reader looks, then made visible by one change of the control
/// partition: observations as coarse entities (one per unit and period) under a new generation, unit results
/// under the run and a generation, ruleset texts, imported files, units and results JSON as blobs.</para>
/// <para>The control partition holds everything small (a counter, heads that point at the current generations,
/// ruleset versions, runs, publication pointers, import batches, the audit log). Every change is one entity
/// group transaction on it that replaces the counter with its ETag and appends the audit entry, so changes
/// are atomic, serialized, and numbered without gaps; a writer that lost the race (HTTP 412) re-reads and
/// retries. A crash before that transaction leaves only unreferenced data behind, never a half-visible change.</para>
/// </remarks>
public sealed class AzureAssessStore : IAssessStore
{
    private const int MaxAttempts = 20;
    private const int PropertyChars = 30_000; // a string property holds 32K UTF-16 characters at most
    private static readonly TimeSpan SasLifetime = TimeSpan.FromDays(2);
    private readonly CloudStorageAccount _account;
    private readonly string _tableName;
    private readonly string _containerName;
    private readonly Lock _clientsLock = new();
    private (CloudTable Table, CloudBlobContainer Blobs, DateTimeOffset Renew) _clients;


    /// <summary>Connects to the storage account (nothing is created until <see cref="InitializeAsync"/>).</summary>
    /// <param name="connectionString">A storage connection string, e.g. <c>UseDevelopmentStorage=true</c> for Azurite.</param>
    /// <param name="prefix">Prefix of the table and container names (letters and digits), so several stores can share an account.</param>
    public AzureAssessStore(string connectionString, string prefix = "bqw")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (prefix.Length is 0 or > 40 || !prefix.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetter(prefix[0]))
            throw new ArgumentException("prefix: 1–40 letters and digits, starting with a letter", nameof(prefix));
        _account = CloudStorageAccount.Parse(connectionString);
        _tableName = prefix + "assess";
        _containerName = prefix.ToLowerInvariant() + "-assess";
    }

    /// <summary>The table's name.</summary>
    public string TableName => _tableName;

    /// <summary>The blob container's name.</summary>
    public string ContainerName => _containerName;

    private CloudTable _table => Clients().Table;

    private CloudBlobContainer _blobs => Clients().Blobs;

    /// <summary>Clients that sign with an account SAS made from the account key (<see cref="AccountSas"/>), renewed before it expires.</summary>
    private (CloudTable Table, CloudBlobContainer Blobs, DateTimeOffset Renew) Clients()
    {
        lock (_clientsLock)
        {
            var now = DateTimeOffset.UtcNow;
            if (_clients.Table is not null && now < _clients.Renew) return _clients;
            var (account, renew) = AccountSas.Signed(_account,
                SharedAccessAccountServices.Blob | SharedAccessAccountServices.Table | SharedAccessAccountServices.Queue, SasLifetime, now);
            _clients = (account.CreateCloudTableClient().GetTableReference(_tableName), account.CreateCloudBlobClient().GetContainerReference(_containerName), renew);
            return _clients;
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await _table.CreateIfNotExistsAsync(null, null, cancellationToken);
        await _blobs.CreateIfNotExistsAsync(BlobContainerPublicAccessType.Off, null, null, cancellationToken);
        try
        {
            var counter = new DynamicTableEntity(AzureNames.Control, AzureNames.Counter);
            counter.Properties["Audit"] = new EntityProperty(0L);
            counter.Properties["Run"] = new EntityProperty(0L);
            counter.Properties["Batch"] = new EntityProperty(0L);
            counter.Properties["Schema"] = new EntityProperty(1);
            await _table.ExecuteAsync(TableOperation.Insert(counter), null, null, cancellationToken);
        }
        catch (StorageException e) when (Status(e) == 409)
        {
            // Already initialized.
        }
    }

    /// <summary>Deletes the table and the container (tests and decommissioning).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        await _table.DeleteIfExistsAsync(null, null, cancellationToken);
        await _blobs.DeleteIfExistsAsync(null, null, null, cancellationToken);
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
        var unitsBlob = AzureNames.UnitsBlob(year, StoreText.Sha256(json));
        var uploaded = false;
        return await MutateAsync(async change =>
        {
            var earlier = await FindBatchAsync(ImportKind.Units, year, sha, cancellationToken);
            if (earlier is not null) return change.NoOp(new ImportOutcome(earlier, true));
            if (!uploaded)
            {
                await UploadAsync(AzureNames.ImportBlob(sha), source.Content, null, cancellationToken);
                await UploadAsync(unitsBlob, json, null, cancellationToken);
                uploaded = true;
            }
            var head = await RetrieveAsync(AzureNames.UnitsHead(year), cancellationToken);
            var batch = change.NewBatch(ImportKind.Units, year, source, sha, units.Count);
            var next = new DynamicTableEntity(AzureNames.Control, AzureNames.UnitsHead(year));
            next.Properties["Blob"] = new EntityProperty(unitsBlob);
            next.Properties["BatchId"] = new EntityProperty(batch.Id);
            change.Put(next, head);
            change.Audit(source.At, source.Actor, "import.units", year.ToString(CultureInfo.InvariantCulture), StoreText.Describe(source, sha, units.Count) + $" batch={batch.Id}");
            return change.Done(new ImportOutcome(batch, false));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Unit>> GetUnitsAsync(int year, CancellationToken cancellationToken = default)
    {
        var head = await RetrieveAsync(AzureNames.UnitsHead(year), cancellationToken);
        if (head is null) return [];
        var units = ReadUnitsJson(await DownloadAsync(head.Properties["Blob"].StringValue, cancellationToken)
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
        var checkedUnits = false;
        var uploaded = false;
        return await MutateAsync(async change =>
        {
            var earlier = await FindBatchAsync(ImportKind.Observations, null, sha, cancellationToken);
            if (earlier is not null) return change.NoOp(new ImportOutcome(earlier, true));
            if (!checkedUnits)
            {
                await CheckUnitsAsync(observations, cancellationToken);
                checkedUnits = true;
            }
            if (!uploaded)
            {
                await UploadAsync(AzureNames.ImportBlob(sha), source.Content, null, cancellationToken);
                uploaded = true;
            }
            var head = await RetrieveAsync(AzureNames.ObservationHead, cancellationToken);
            var generations = ReadGenerations(head);
            var generation = Guid.NewGuid().ToString("N");
            foreach (var period in observations.GroupBy(o => o.Period))
            {
                // Merge with the current figures of the period and write the whole period as a new generation.
                var figures = generations.TryGetValue(period.Key.ToString(), out var current)
                    ? await ReadObservationPartitionAsync(period.Key, current, cancellationToken)
                    : new Dictionary<string, SortedDictionary<string, Observation>>(StringComparer.Ordinal);
                foreach (var o in period)
                {
                    if (!figures.TryGetValue(o.Unit, out var byIndicator))
                        figures[o.Unit] = byIndicator = new SortedDictionary<string, Observation>(StringComparer.Ordinal);
                    byIndicator[o.Indicator] = o;
                }
                await WriteObservationPartitionAsync(period.Key, generation, figures, cancellationToken);
                generations[period.Key.ToString()] = generation;
            }
            var batch = change.NewBatch(ImportKind.Observations, null, source, sha, observations.Count);
            var next = new DynamicTableEntity(AzureNames.Control, AzureNames.ObservationHead);
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
        var figures = await ReadObservationPartitionAsync(period, generation, cancellationToken);
        return [.. figures.OrderBy(f => f.Key, StringComparer.Ordinal).SelectMany(f => f.Value.Values)];
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
        var batch = (await QueryControlAsync("batch|", cancellationToken)).FirstOrDefault(r => r.Properties["Id"].StringValue == batchId);
        return batch is null ? null : await DownloadAsync(AzureNames.ImportBlob(batch.Properties["Sha256"].StringValue), cancellationToken);
    }

    // ---- rulesets ----

    /// <inheritdoc />
    public async Task<RulesetVersion> AddRulesetVersionAsync(string rulesetId, string yaml, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rulesetId);
        ArgumentNullException.ThrowIfNull(yaml);
        var sha = RulesetLoader.Sha256Hex(yaml);
        var blob = AzureNames.RulesetBlob(rulesetId, sha);
        var uploaded = false;
        return await MutateAsync(async change =>
        {
            var versions = await QueryControlAsync(AzureNames.RulesetPrefix(rulesetId), cancellationToken);
            var latest = versions.OrderByDescending(v => v.RowKey, StringComparer.Ordinal).FirstOrDefault();
            if (latest is not null && latest.Properties["Sha256"].StringValue == sha)
                return change.NoOp(await ReadRulesetAsync(latest, cancellationToken));
            if (!uploaded)
            {
                await UploadAsync(blob, Encoding.UTF8.GetBytes(yaml), null, cancellationToken);
                uploaded = true;
            }
            var version = versions.Count + 1;
            var row = new DynamicTableEntity(AzureNames.Control, AzureNames.Ruleset(rulesetId, version));
            row.Properties["RulesetId"] = new EntityProperty(rulesetId);
            row.Properties["Version"] = new EntityProperty(version);
            row.Properties["Sha256"] = new EntityProperty(sha);
            row.Properties["Blob"] = new EntityProperty(blob);
            row.Properties["Author"] = new EntityProperty(actor);
            row.Properties["CreatedAt"] = new EntityProperty(StoreText.Time(at));
            change.Insert(row);
            change.Audit(at, actor, "ruleset.add", $"{rulesetId}@{version}", $"sha256={sha}");
            return change.Done(new RulesetVersion(rulesetId, version, sha, yaml, actor, at, false));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RulesetVersion> ActivateRulesetAsync(string rulesetId, int version, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        return await MutateAsync(async change =>
        {
            var row = await RetrieveAsync(AzureNames.Ruleset(rulesetId, version), cancellationToken)
                ?? throw new StoreException(StoreError.NotFound, $"规则集 {rulesetId} 没有版本 {version}");
            var current = await RetrieveAsync(AzureNames.ActiveRuleset(rulesetId), cancellationToken);
            var next = new DynamicTableEntity(AzureNames.Control, AzureNames.ActiveRuleset(rulesetId));
            next.Properties["Version"] = new EntityProperty(version);
            change.Put(next, current);
            change.Audit(at, actor, "ruleset.activate", $"{rulesetId}@{version}", $"sha256={row.Properties["Sha256"].StringValue}");
            return change.Done((await ReadRulesetAsync(row, cancellationToken)) with { Active = true });
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RulesetVersion?> GetRulesetAsync(string rulesetId, int version, CancellationToken cancellationToken = default)
    {
        var row = await RetrieveAsync(AzureNames.Ruleset(rulesetId, version), cancellationToken);
        if (row is null) return null;
        var active = await RetrieveAsync(AzureNames.ActiveRuleset(rulesetId), cancellationToken);
        return (await ReadRulesetAsync(row, cancellationToken)) with { Active = active?.Properties["Version"].Int32Value == version };
    }

    /// <inheritdoc />
    public async Task<RulesetVersion?> GetActiveRulesetAsync(string rulesetId, CancellationToken cancellationToken = default)
    {
        var active = await RetrieveAsync(AzureNames.ActiveRuleset(rulesetId), cancellationToken);
        return active is null ? null : await GetRulesetAsync(rulesetId, active.Properties["Version"].Int32Value!.Value, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RulesetVersion>> ListRulesetsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryControlAsync("rs|", cancellationToken);
        var active = (await QueryControlAsync("rsactive|", cancellationToken)).ToDictionary(r => r.RowKey, r => r.Properties["Version"].Int32Value);
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
                return change.NoOp(await GetRunAsync(existing.Properties["RunId"].StringValue, cancellationToken)
                    ?? throw new StoreException(StoreError.NotFound, $"运行 {existing.Properties["RunId"].StringValue} 不见了"));
            if (await RetrieveAsync(AzureNames.Ruleset(request.RulesetId, request.RulesetVersion), cancellationToken) is null)
                throw new StoreException(StoreError.NotFound, $"规则集 {request.RulesetId} 没有版本 {request.RulesetVersion}");
            var sequence = change.NextRun();
            var run = new EvaluationRun(StoreText.RunId(sequence), request.Period, request.Level, request.RulesetId, request.RulesetVersion,
                RunStatus.Queued, null, null, request.Actor, request.RequestedAt, null, null, request.IdempotencyKey, request.Sample);
            change.Insert(RunEntity(sequence, run, null));
            if (request.IdempotencyKey is { } k)
            {
                var byKey = new DynamicTableEntity(AzureNames.Control, AzureNames.RunKey(k));
                byKey.Properties["RunId"] = new EntityProperty(run.Id);
                change.Insert(byKey);
            }
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
            if (run.Status != RunStatus.Queued)
                throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(run.Status)}，不能开始");
            row.Properties["Status"] = new EntityProperty(StoreText.Status(RunStatus.Running));
            row.Properties["StartedAt"] = new EntityProperty(StoreText.Time(at));
            change.Replace(row);
            change.Audit(at, run.Actor, "run.start", runId, null);
            return change.Done(run with { Status = RunStatus.Running, StartedAt = at });
        }, cancellationToken);

    /// <inheritdoc />
    public Task SaveResultsAsync(string runId, EvaluationResult result, CancellationToken cancellationToken = default) =>
        SaveResultsAsync(runId, result, null, cancellationToken);

    /// <inheritdoc />
    public async Task SaveResultsAsync(string runId, EvaluationResult result, string? previousRunId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var (_, before) = await RequireRunAsync(runId, cancellationToken);
        if (before.Status != RunStatus.Running)
            throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(before.Status)}，不能保存结果");
        // Written under a fresh generation first; the run row then points at it.
        var generation = Guid.NewGuid().ToString("N");
        await UploadAsync(AzureNames.ResultsBlob(runId, generation), ResultsJson.Serialize(result), null, cancellationToken);
        var partition = AzureNames.UnitResultPartition(runId, generation);
        var entities = result.Units.Select(u =>
        {
            var e = new DynamicTableEntity(partition, u.Code);
            SetChunked(e, "Json", Encoding.UTF8.GetString(UnitResultJson.Serialize(result, u)));
            return e;
        }).ToList();
        await InsertAllAsync(entities, cancellationToken);
        await MutateAsync(async change =>
        {
            var (row, run) = await RequireRunAsync(runId, cancellationToken);
            if (run.Status != RunStatus.Running)
                throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(run.Status)}，不能保存结果");
            row.Properties["ResultsGeneration"] = new EntityProperty(generation);
            row.Properties["DataSha256"] = new EntityProperty(result.DataSha256);
            row.Properties["PreviousRunId"] = new EntityProperty(previousRunId);
            change.Replace(row);
            return change.Done(true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task SaveDocumentsAsync(string runId, IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var (_, run) = await RequireRunAsync(runId, cancellationToken);
        if (run.Status != RunStatus.Running)
            throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(run.Status)}，不能保存文档");
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
            if (run.Status is RunStatus.Succeeded or RunStatus.Failed)
                throw new StoreException(StoreError.Conflict, $"运行 {runId} 已经结束（{StoreText.Status(run.Status)}）");
            if (outcome.Succeeded)
            {
                if (run.Status != RunStatus.Running)
                    throw new StoreException(StoreError.Conflict, $"运行 {runId} 还没有开始，不能标记为成功");
                if (!row.Properties.ContainsKey("ResultsGeneration") || row.Properties["ResultsGeneration"].StringValue is null)
                    throw new StoreException(StoreError.Conflict, $"运行 {runId} 没有保存结果，不能标记为成功");
            }
            var status = outcome.Succeeded ? RunStatus.Succeeded : RunStatus.Failed;
            row.Properties["Status"] = new EntityProperty(StoreText.Status(status));
            row.Properties["Reason"] = new EntityProperty(outcome.Reason);
            row.Properties["CompletedAt"] = new EntityProperty(StoreText.Time(at));
            change.Replace(row);
            change.Audit(at, run.Actor, outcome.Succeeded ? "run.succeeded" : "run.failed", runId, outcome.Reason);
            return change.Done(run with { Status = status, Reason = outcome.Reason, CompletedAt = at });
        }, cancellationToken);
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
        var blob = _blobs.GetBlockBlobReference(AzureNames.DocumentBlob(runId, kind, key));
        var bytes = await DownloadAsync(blob, cancellationToken);
        return bytes is null ? null : new StoredDocument(kind, key, bytes, blob.Metadata.TryGetValue("sha256", out var sha) ? sha : StoreText.Sha256(bytes));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string runId, CancellationToken cancellationToken = default)
    {
        var list = new List<DocumentInfo>();
        BlobContinuationToken? token = null;
        do
        {
            var segment = await _blobs.ListBlobsSegmentedAsync(AzureNames.DocumentPrefix(runId), true, BlobListingDetails.Metadata, 5000, token, null, null, cancellationToken);
            foreach (var item in segment.Results.OfType<CloudBlockBlob>())
            {
                if (AzureNames.ParseDocumentBlob(runId, item.Name) is not { } parsed) continue;
                list.Add(new DocumentInfo(parsed.Kind, parsed.Key, item.Metadata.TryGetValue("sha256", out var sha) ? sha : "", item.Properties.Length));
            }
            token = segment.ContinuationToken;
        } while (token is not null);
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
            var revision = (current?.Properties["Revision"].Int32Value ?? 0) + 1;
            var next = new DynamicTableEntity(AzureNames.Control, key);
            next.Properties["RunId"] = new EntityProperty(runId);
            next.Properties["Actor"] = new EntityProperty(actor);
            next.Properties["At"] = new EntityProperty(StoreText.Time(at));
            next.Properties["Revision"] = new EntityProperty(revision);
            change.Put(next, current);
            change.Audit(at, actor, current is null ? "publish" : "republish", runId,
                $"{run.Period} {run.Level.ToText()} revision={revision}" + (current is null ? "" : $" replaces={current.Properties["RunId"].StringValue}"));
            return change.Done(new Publication(run.Period, run.Level, runId, actor, at, revision));
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<Publication?> GetPublicationAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default)
    {
        var row = await RetrieveAsync(AzureNames.Publication(period.ToString(), level.ToText()), cancellationToken);
        return row is null ? null : new Publication(period, level, row.Properties["RunId"].StringValue, row.Properties["Actor"].StringValue,
            StoreText.Time(row.Properties["At"].StringValue), row.Properties["Revision"].Int32Value!.Value);
    }

    // ---- audit ----

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> GetAuditLogAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryControlAsync("audit|", cancellationToken);
        return [.. rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).Select(r => new AuditEntry(
            r.Properties["Sequence"].Int64Value!.Value, StoreText.Time(r.Properties["At"].StringValue), r.Properties["Actor"].StringValue,
            r.Properties["Action"].StringValue, r.Properties["Target"].StringValue,
            r.Properties.TryGetValue("Detail", out var d) ? d.StringValue : null))];
    }

    // ---- the control partition: one transaction per change ----

    /// <summary>What one change will write to the control partition, built against the counter it read.</summary>
    private sealed class Change(DynamicTableEntity counter)
    {
        public TableBatchOperation Batch { get; } = new();

        public bool IsNoOp { get; private set; }

        public T NoOp<T>(T value)
        {
            IsNoOp = true;
            return value;
        }

        public T Done<T>(T value) => value;

        public long NextRun()
        {
            var next = counter.Properties["Run"].Int64Value!.Value + 1;
            counter.Properties["Run"] = new EntityProperty(next);
            return next;
        }

        public ImportBatch NewBatch(ImportKind kind, int? year, ImportSource source, string sha, int rows)
        {
            var sequence = counter.Properties["Batch"].Int64Value!.Value + 1;
            counter.Properties["Batch"] = new EntityProperty(sequence);
            var batch = new ImportBatch(StoreText.BatchId(sequence), kind, year, source.FileName, sha, rows, source.Actor, source.At);
            var row = new DynamicTableEntity(AzureNames.Control, AzureNames.Batch(sequence));
            row.Properties["Id"] = new EntityProperty(batch.Id);
            row.Properties["Kind"] = new EntityProperty(StoreText.Kind(kind));
            row.Properties["Year"] = new EntityProperty(year);
            row.Properties["FileName"] = new EntityProperty(batch.FileName);
            row.Properties["Sha256"] = new EntityProperty(sha);
            row.Properties["RowCount"] = new EntityProperty(rows);
            row.Properties["Actor"] = new EntityProperty(batch.Actor);
            row.Properties["At"] = new EntityProperty(StoreText.Time(batch.At));
            Insert(row);
            var bySha = new DynamicTableEntity(AzureNames.Control, AzureNames.BatchBySha(kind, year, sha));
            bySha.Properties["Row"] = new EntityProperty(row.RowKey);
            Insert(bySha);
            return batch;
        }

        public void Audit(DateTimeOffset at, string actor, string action, string target, string? detail)
        {
            var sequence = counter.Properties["Audit"].Int64Value!.Value + 1;
            counter.Properties["Audit"] = new EntityProperty(sequence);
            var row = new DynamicTableEntity(AzureNames.Control, AzureNames.Audit(sequence));
            row.Properties["Sequence"] = new EntityProperty(sequence);
            row.Properties["At"] = new EntityProperty(StoreText.Time(at));
            row.Properties["Actor"] = new EntityProperty(actor);
            row.Properties["Action"] = new EntityProperty(action);
            row.Properties["Target"] = new EntityProperty(target);
            if (detail is not null) row.Properties["Detail"] = new EntityProperty(detail);
            Insert(row);
        }

        public void Insert(DynamicTableEntity entity) => Batch.Insert(entity);

        /// <summary>Replaces an entity read in this change (its ETag must still hold).</summary>
        public void Replace(DynamicTableEntity entity) => Batch.Replace(entity);

        /// <summary>Writes <paramref name="next"/> over <paramref name="current"/> (with its ETag), or inserts it when there was none.</summary>
        public void Put(DynamicTableEntity next, DynamicTableEntity? current)
        {
            if (current is null) Batch.Insert(next);
            else
            {
                next.ETag = current.ETag;
                Batch.Replace(next);
            }
        }
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
            change.Batch.Replace(counter);
            try
            {
                await _table.ExecuteBatchAsync(change.Batch, null, null, cancellationToken);
                return value;
            }
            catch (StorageException e) when (Status(e) is 412 or 409 && attempt < MaxAttempts)
            {
                // Another writer changed the control partition first: read again and redo the change.
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
            }
            catch (StorageException e) when (Status(e) is 412 or 409)
            {
                throw new StoreException(StoreError.Concurrency, $"存储被同时修改，{MaxAttempts} 次重试后仍未成功，请重试：{e.Message}");
            }
        }
    }

    // ---- helpers ----

    private static int Status(StorageException e) => e.RequestInformation?.HttpStatusCode ?? 0;

    private Task<DynamicTableEntity?> RetrieveAsync(string rowKey, CancellationToken cancellationToken) =>
        RetrieveAsync(AzureNames.Control, rowKey, cancellationToken);

    private async Task<DynamicTableEntity?> RetrieveAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var result = await _table.ExecuteAsync(TableOperation.Retrieve<DynamicTableEntity>(partitionKey, rowKey), null, null, cancellationToken);
        return result.HttpStatusCode == (int)HttpStatusCode.NotFound ? null : result.Result as DynamicTableEntity;
    }

    private Task<List<DynamicTableEntity>> QueryControlAsync(string rowKeyPrefix, CancellationToken cancellationToken)
    {
        var filter = TableQuery.CombineFilters(
            TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.Equal, AzureNames.Control),
            TableOperators.And,
            TableQuery.CombineFilters(
                TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.GreaterThanOrEqual, rowKeyPrefix),
                TableOperators.And,
                TableQuery.GenerateFilterCondition("RowKey", QueryComparisons.LessThan, rowKeyPrefix + "\uffff")));
        return QueryAsync(filter, cancellationToken);
    }

    private async Task<List<DynamicTableEntity>> QueryPartitionAsync(string partitionKey, CancellationToken cancellationToken) =>
        await QueryAsync(TableQuery.GenerateFilterCondition("PartitionKey", QueryComparisons.Equal, partitionKey), cancellationToken);

    private async Task<List<DynamicTableEntity>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var query = new TableQuery<DynamicTableEntity>().Where(filter);
        var list = new List<DynamicTableEntity>();
        TableContinuationToken? token = null;
        do
        {
            var segment = await _table.ExecuteQuerySegmentedAsync(query, token, null, null, cancellationToken);
            list.AddRange(segment.Results);
            token = segment.ContinuationToken;
        } while (token is not null);
        return list;
    }

    /// <summary>Inserts entities of any partitions in batches of 100 per partition, a few batches at a time.</summary>
    private async Task InsertAllAsync(IReadOnlyList<DynamicTableEntity> entities, CancellationToken cancellationToken)
    {
        var batches = new List<TableBatchOperation>();
        foreach (var partition in entities.GroupBy(e => e.PartitionKey))
            foreach (var chunk in partition.Chunk(100))
            {
                var batch = new TableBatchOperation();
                foreach (var e in chunk) batch.InsertOrReplace(e);
                batches.Add(batch);
            }
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (batch, ct) => await _table.ExecuteBatchAsync(batch, null, null, ct));
    }

    private async Task UploadAsync(string name, byte[] content, string? sha256, CancellationToken cancellationToken)
    {
        var blob = _blobs.GetBlockBlobReference(name);
        if (sha256 is not null) blob.Metadata["sha256"] = sha256;
        await blob.UploadFromByteArrayAsync(content, 0, content.Length, null, null, null, cancellationToken);
    }

    private Task<byte[]?> DownloadAsync(string name, CancellationToken cancellationToken) =>
        DownloadAsync(_blobs.GetBlockBlobReference(name), cancellationToken);

    private static async Task<byte[]?> DownloadAsync(CloudBlockBlob blob, CancellationToken cancellationToken)
    {
        try
        {
            using var buffer = new MemoryStream();
            await blob.DownloadToStreamAsync(buffer, null, null, null, cancellationToken);
            return buffer.ToArray();
        }
        catch (StorageException e) when (Status(e) == 404)
        {
            return null;
        }
    }

    private async Task<ImportBatch?> FindBatchAsync(ImportKind kind, int? year, string sha, CancellationToken cancellationToken)
    {
        var bySha = await RetrieveAsync(AzureNames.BatchBySha(kind, year, sha), cancellationToken);
        if (bySha is null) return null;
        var row = await RetrieveAsync(bySha.Properties["Row"].StringValue, cancellationToken);
        return row is null ? null : ReadBatch(row);
    }

    private static ImportBatch ReadBatch(DynamicTableEntity r) => new(
        r.Properties["Id"].StringValue, StoreText.ImportKindOf(r.Properties["Kind"].StringValue), r.Properties.TryGetValue("Year", out var year) ? year.Int32Value : null,
        r.Properties["FileName"].StringValue, r.Properties["Sha256"].StringValue, r.Properties["RowCount"].Int32Value!.Value,
        r.Properties["Actor"].StringValue, StoreText.Time(r.Properties["At"].StringValue));

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

    private static Dictionary<string, string> ReadGenerations(DynamicTableEntity? head) =>
        head is null ? new Dictionary<string, string>(StringComparer.Ordinal)
            : JsonSerializer.Deserialize<Dictionary<string, string>>(GetChunked(head, "Periods")) ?? [];

    private async Task<Dictionary<string, SortedDictionary<string, Observation>>> ReadObservationPartitionAsync(Period period, string generation, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<string, SortedDictionary<string, Observation>>(StringComparer.Ordinal);
        foreach (var row in await QueryPartitionAsync(AzureNames.ObservationPartition(period.ToString(), generation), cancellationToken))
        {
            var byIndicator = new SortedDictionary<string, Observation>(StringComparer.Ordinal);
            foreach (var f in JsonSerializer.Deserialize<string?[][]>(GetChunked(row, "Figures"))!)
                byIndicator[f[0]!] = new Observation(row.RowKey, f[0]!, period, StoreText.Dec(f[1]!), StoreText.OptDec(f[2]), StoreText.OptDec(f[3]));
            figures[row.RowKey] = byIndicator;
        }
        return figures;
    }

    private Task WriteObservationPartitionAsync(Period period, string generation, Dictionary<string, SortedDictionary<string, Observation>> figures,
        CancellationToken cancellationToken)
    {
        var partition = AzureNames.ObservationPartition(period.ToString(), generation);
        var entities = figures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f =>
        {
            var e = new DynamicTableEntity(partition, f.Key);
            SetChunked(e, "Figures", JsonSerializer.Serialize(f.Value.Values.Select(o =>
                new[] { o.Indicator, StoreText.Dec(o.Actual), StoreText.Dec(o.Target), StoreText.Dec(o.Baseline) })));
            return e;
        }).ToList();
        return InsertAllAsync(entities, cancellationToken);
    }

    private static List<Unit> ReadUnitsJson(byte[] json) =>
        [.. JsonSerializer.Deserialize<string?[][]>(json)!.Select(u => new Unit(u[0]!, u[1]!, StoreText.Level(u[2]!), u[3], u[4]!))];

    private async Task<RulesetVersion> ReadRulesetAsync(DynamicTableEntity row, CancellationToken cancellationToken)
    {
        var yaml = await DownloadAsync(row.Properties["Blob"].StringValue, cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"规则集文本 {row.Properties["Blob"].StringValue} 不见了");
        return new RulesetVersion(row.Properties["RulesetId"].StringValue, row.Properties["Version"].Int32Value!.Value, row.Properties["Sha256"].StringValue,
            Encoding.UTF8.GetString(yaml), row.Properties["Author"].StringValue, StoreText.Time(row.Properties["CreatedAt"].StringValue), false);
    }

    private static DynamicTableEntity RunEntity(long sequence, EvaluationRun run, string? generation)
    {
        var e = new DynamicTableEntity(AzureNames.Control, AzureNames.Run(sequence));
        e.Properties["Id"] = new EntityProperty(run.Id);
        e.Properties["Period"] = new EntityProperty(run.Period.ToString());
        e.Properties["Level"] = new EntityProperty(run.Level.ToText());
        e.Properties["RulesetId"] = new EntityProperty(run.RulesetId);
        e.Properties["RulesetVersion"] = new EntityProperty(run.RulesetVersion);
        e.Properties["Status"] = new EntityProperty(StoreText.Status(run.Status));
        e.Properties["Actor"] = new EntityProperty(run.Actor);
        e.Properties["RequestedAt"] = new EntityProperty(StoreText.Time(run.RequestedAt));
        e.Properties["IdempotencyKey"] = new EntityProperty(run.IdempotencyKey);
        e.Properties["Sample"] = new EntityProperty(run.Sample);
        e.Properties["ResultsGeneration"] = new EntityProperty(generation);
        return e;
    }

    private static EvaluationRun ReadRun(DynamicTableEntity e)
    {
        string? S(string name) => e.Properties.TryGetValue(name, out var p) ? p.StringValue : null;
        return new EvaluationRun(S("Id")!, Period.Parse(S("Period")!), StoreText.Level(S("Level")!), S("RulesetId")!, e.Properties["RulesetVersion"].Int32Value!.Value,
            StoreText.Status(S("Status")!), S("Reason"), S("DataSha256"), S("Actor")!, StoreText.Time(S("RequestedAt")!), StoreText.OptTime(S("StartedAt")),
            StoreText.OptTime(S("CompletedAt")), S("IdempotencyKey"), e.Properties["Sample"].BooleanValue ?? false)
        { PreviousRunId = S("PreviousRunId") };
    }

    private async Task<DynamicTableEntity?> RetrieveRunAsync(string runId, CancellationToken cancellationToken)
    {
        // Run ids are run-NNNNNN, the counter's sequence: the row key follows from the id.
        if (!runId.StartsWith("run-", StringComparison.Ordinal) || !long.TryParse(runId.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            return null;
        var row = await RetrieveAsync(AzureNames.Run(sequence), cancellationToken);
        return row is not null && row.Properties["Id"].StringValue == runId ? row : null;
    }

    private async Task<(DynamicTableEntity Row, EvaluationRun Run)> RequireRunAsync(string runId, CancellationToken cancellationToken)
    {
        var row = await RetrieveRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");
        return (row, ReadRun(row));
    }

    private async Task<string?> ResultsGenerationAsync(string runId, CancellationToken cancellationToken)
    {
        var row = await RetrieveRunAsync(runId, cancellationToken);
        return row is not null && row.Properties.TryGetValue("ResultsGeneration", out var g) ? g.StringValue : null;
    }

    /// <summary>Long text split over properties NAME0, NAME1, … (a property holds 32K characters at most).</summary>
    private static void SetChunked(DynamicTableEntity entity, string name, string text)
    {
        var parts = Math.Max(1, (text.Length + PropertyChars - 1) / PropertyChars);
        entity.Properties[name + "Parts"] = new EntityProperty(parts);
        for (var i = 0; i < parts; i++)
            entity.Properties[name + i.ToString(CultureInfo.InvariantCulture)] =
                new EntityProperty(text.Substring(i * PropertyChars, Math.Min(PropertyChars, text.Length - i * PropertyChars)));
    }

    private static string GetChunked(DynamicTableEntity entity, string name)
    {
        var parts = entity.Properties[name + "Parts"].Int32Value!.Value;
        if (parts == 1) return entity.Properties[name + "0"].StringValue;
        var sb = new StringBuilder();
        for (var i = 0; i < parts; i++) sb.Append(entity.Properties[name + i.ToString(CultureInfo.InvariantCulture)].StringValue);
        return sb.ToString();
    }
}
