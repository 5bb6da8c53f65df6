using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Runs: the run rows and their lifecycle, results (a blob and one entity per unit, under a generation) and documents; archives are in AzureAssessStore.Archives.cs.
public sealed partial class AzureAssessStore
{
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
    /// <remarks>Two point reads: the key's entity (written with the run, in its change) and the run's row.</remarks>
    public async Task<EvaluationRun?> FindRunByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        var key = await RetrieveAsync(AzureNames.RunKey(idempotencyKey), cancellationToken);
        return key is null ? null : await GetRunAsync(key.GetString("RunId"), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The status is filtered by the table service: only unfinished runs' rows are returned.</remarks>
    public async Task<IReadOnlyList<EvaluationRun>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default)
    {
        const string prefix = "run|";
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {AzureNames.Control} and RowKey ge {prefix} and RowKey lt {prefix + "\uffff"} and (Status eq {StoreText.Status(RunStatus.Queued)} or Status eq {StoreText.Status(RunStatus.Running)})");
        var rows = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) rows.Add(e);
        return [.. rows.OrderByDescending(r => r.RowKey, StringComparer.Ordinal).Select(ReadRun)];
    }

    /// <inheritdoc />
    /// <remarks>
    /// The year's run rows (filtered by period in the table service), then, newest first, the row keys (unit codes) of
    /// each one's per-unit results: no results blob is read.
    /// </remarks>
    public async Task<IReadOnlyList<UnitUse>> ListUnitsUsedByRunsAsync(int year, CancellationToken cancellationToken = default)
    {
        const string prefix = "run|";
        // Periods are YYYY or YYYYQn: a year's sort between "YYYY" and the next year's "YYYY".
        var from = year.ToString("D4", CultureInfo.InvariantCulture);
        var to = (year + 1).ToString("D4", CultureInfo.InvariantCulture);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {AzureNames.Control} and RowKey ge {prefix} and RowKey lt {prefix + "\uffff"} and Period ge {from} and Period lt {to}");
        var runs = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) runs.Add(e);
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var run in runs.OrderByDescending(r => r.RowKey, StringComparer.Ordinal))
        {
            if (run.GetString("ResultsGeneration") is not { } generation) continue;
            var partition = AzureNames.UnitResultPartition(run.GetString("Id"), generation);
            await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"],
                cancellationToken: cancellationToken))
                used.TryAdd(e.RowKey, run.GetString("Id"));
        }
        return [.. used.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => new UnitUse(u.Key, u.Value))];
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
            var ended = run.Complete(outcome, at, resultsSaved: row.GetString("ResultsGeneration") is not null || row.GetString("MonthGeneration") is not null);
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
    public async Task SaveMonthResultsAsync(string runId, MonthResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var (_, before) = await RequireRunAsync(runId, cancellationToken);
        before.RequireRunning("不能保存结果");
        // Written under a fresh generation first; the run row then points at it (an earlier one is left to the sweep).
        var generation = NewGeneration();
        var blob = AzureNames.MonthResultsBlob(runId, generation);
        await RegisterAsync(AzureNames.MonthResultsKind, runId, generation, blob, null, cancellationToken);
        await UploadAsync(blob, MonthResultJson.Serialize(result), null, cancellationToken);
        await MutateAsync(async change =>
        {
            var (row, run) = await RequireRunAsync(runId, cancellationToken);
            var saved = run.WithResults(result);
            row["MonthGeneration"] = generation;
            Set(row, "DataSha256", saved.DataSha256);
            Set(row, "PreviousRunId", null);
            row["ScorecardsExpected"] = saved.ScorecardsExpected;
            row["BulletinsExpected"] = saved.BulletinsExpected;
            change.Replace(row);
            return change.Done(true);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<MonthResult?> GetMonthResultsAsync(string runId, CancellationToken cancellationToken = default)
    {
        var generation = (await RetrieveRunAsync(runId, cancellationToken))?.GetString("MonthGeneration");
        if (generation is null) return null;
        var json = await DownloadAsync(AzureNames.MonthResultsBlob(runId, generation), cancellationToken);
        return json is null ? null : MonthResultJson.Read(json);
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
}
