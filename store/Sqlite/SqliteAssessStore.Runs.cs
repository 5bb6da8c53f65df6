using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store.Internal;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

// Runs: the run rows and their lifecycle, results (whole and per unit) and documents; archives are in SqliteAssessStore.Archives.cs.
public sealed partial class SqliteAssessStore
{
    /// <inheritdoc />
    public async Task<EvaluationRun> CreateRunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await ChangeAsync(change =>
        {
            var (c, tx) = change;
            if (request.IdempotencyKey is { } key)
            {
                var existing = ReadRuns(c, tx, "WHERE idempotency_key = $key", ("$key", key)).FirstOrDefault();
                if (existing is not null) return change.NoOp(existing);
            }
            if (ReadRulesets(c, tx, "WHERE v.ruleset_id = $id AND v.version = $v", ("$id", request.RulesetId), ("$v", request.RulesetVersion)).Count == 0)
                throw new StoreException(StoreError.NotFound, $"规则集 {request.RulesetId} 没有版本 {request.RulesetVersion}");
            var seq = Convert.ToInt64(Scalar(c, tx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM run;"), CultureInfo.InvariantCulture);
            var id = StoreText.RunId(seq);
            Exec(c, tx, """
                INSERT INTO run (seq, id, period, level, ruleset_id, ruleset_version, status, actor, requested_at, idempotency_key, sample)
                VALUES ($seq, $id, $period, $level, $rid, $rv, 'queued', $actor, $at, $key, $sample);
                """,
                ("$seq", seq), ("$id", id), ("$period", request.Period.ToString()), ("$level", StoreText.Level(request.Level)),
                ("$rid", request.RulesetId), ("$rv", request.RulesetVersion), ("$actor", request.Actor), ("$at", StoreText.Time(request.RequestedAt)),
                ("$key", request.IdempotencyKey), ("$sample", request.Sample ? 1 : 0));
            change.Audit(request.RequestedAt, request.Actor, "run.create", id,
                $"{request.Period} {StoreText.Level(request.Level)} {request.RulesetId}@{request.RulesetVersion}" + (request.Sample ? " sample" : ""));
            return new EvaluationRun(id, request.Period, request.Level, request.RulesetId, request.RulesetVersion, RunStatus.Queued, null, null,
                request.Actor, request.RequestedAt, null, null, request.IdempotencyKey, request.Sample);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<EvaluationRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return ReadRuns(c, null, "WHERE id = $id", ("$id", runId)).FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EvaluationRun>> ListRunsAsync(Period? period = null, UnitLevel? level = null, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return ReadRuns(c, null, "WHERE ($period IS NULL OR period = $period) AND ($level IS NULL OR level = $level) ORDER BY seq DESC",
            ("$period", period?.ToString()), ("$level", level is { } l ? StoreText.Level(l) : null));
    }

    /// <inheritdoc />
    public async Task<EvaluationRun?> FindRunByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        await using var c = await OpenAsync(cancellationToken);
        return ReadRuns(c, null, "WHERE idempotency_key = $key", ("$key", idempotencyKey)).FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EvaluationRun>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return ReadRuns(c, null, "WHERE status IN ($queued, $running) ORDER BY seq DESC",
            ("$queued", StoreText.Status(RunStatus.Queued)), ("$running", StoreText.Status(RunStatus.Running)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UnitUse>> ListUnitsUsedByRunsAsync(int year, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        // Periods are YYYY, YYYYQn or YYYY-MM: the year is the first four characters. Newest run first, so the first seen of a code wins.
        using var cmd = Command(c, null, """
            SELECT u.code, r.id FROM run r JOIN unit_result u ON u.run_id = r.id
            WHERE substr(r.period, 1, 4) = $year ORDER BY r.seq DESC;
            """, ("$year", year.ToString("D4", CultureInfo.InvariantCulture)));
        using var r = cmd.ExecuteReader();
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read()) used.TryAdd(r.GetString(0), r.GetString(1));
        return [.. used.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => new UnitUse(u.Key, u.Value))];
    }

    /// <inheritdoc />
    public async Task<EvaluationRun> StartRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        return await ChangeAsync(change =>
        {
            var (c, tx) = change;
            var started = RequireRun(c, tx, runId).Start(at);
            Exec(c, tx, "UPDATE run SET status = $status, started_at = $at WHERE id = $id;",
                ("$status", StoreText.Status(started.Status)), ("$at", StoreText.Time(at)), ("$id", runId));
            change.Audit(at, started.Actor, started.TransitionAction, runId, null);
            return started;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveResultsAsync(string runId, EvaluationResult result, CancellationToken cancellationToken = default) =>
        SaveResultsAsync(runId, result, null, cancellationToken);

    /// <inheritdoc />
    public async Task SaveResultsAsync(string runId, EvaluationResult result, string? previousRunId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var json = ResultsJson.Serialize(result);
        var units = result.Units.Select(u => (u.Code, Json: UnitResultJson.Serialize(result, u))).ToList();
        await ChangeAsync(change =>
        {
            var (c, tx) = change;
            var saved = RequireRun(c, tx, runId).WithResults(result, previousRunId);
            Exec(c, tx, "DELETE FROM unit_result WHERE run_id = $id;", ("$id", runId));
            Exec(c, tx, "INSERT INTO run_result (run_id, json) VALUES ($id, $json) ON CONFLICT (run_id) DO UPDATE SET json = excluded.json;",
                ("$id", runId), ("$json", json));
            using (var insert = Command(c, tx, "INSERT INTO unit_result (run_id, code, json) VALUES ($id, $code, $json);"))
            {
                var p = Params(insert, "$id", "$code", "$json");
                p[0].Value = runId;
                foreach (var (code, unitJson) in units)
                {
                    p[1].Value = code;
                    p[2].Value = unitJson;
                    insert.ExecuteNonQuery();
                }
            }
            Exec(c, tx, "UPDATE run SET data_sha256 = $sha, previous_run_id = $prev, scorecards_expected = $sc, bulletins_expected = $bu WHERE id = $id;",
                ("$sha", saved.DataSha256), ("$prev", saved.PreviousRunId), ("$sc", saved.ScorecardsExpected), ("$bu", saved.BulletinsExpected), ("$id", runId));
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task SaveMonthResultsAsync(string runId, MonthResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var json = MonthResultJson.Serialize(result);
        await ChangeAsync(change =>
        {
            var (c, tx) = change;
            var saved = RequireRun(c, tx, runId).WithResults(result);
            Exec(c, tx, "INSERT INTO month_result (run_id, json) VALUES ($id, $json) ON CONFLICT (run_id) DO UPDATE SET json = excluded.json;",
                ("$id", runId), ("$json", json));
            Exec(c, tx, "UPDATE run SET data_sha256 = $sha, previous_run_id = NULL, scorecards_expected = $sc, bulletins_expected = $bu WHERE id = $id;",
                ("$sha", saved.DataSha256), ("$sc", saved.ScorecardsExpected), ("$bu", saved.BulletinsExpected), ("$id", runId));
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<MonthResult?> GetMonthResultsAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return Scalar(c, null, "SELECT json FROM month_result WHERE run_id = $id;", ("$id", runId)) is byte[] json ? MonthResultJson.Read(json) : null;
    }

    /// <inheritdoc />
    public async Task SaveDocumentsAsync(string runId, IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        await ChangeAsync(change =>
        {
            var (c, tx) = change;
            var run = RequireRun(c, tx, runId);
            run.RequireRunning("不能保存文档");
            using (var upsert = Command(c, tx, """
                INSERT INTO document (run_id, kind, key, sha256, content) VALUES ($id, $kind, $key, $sha, $content)
                ON CONFLICT (run_id, kind, key) DO UPDATE SET sha256 = excluded.sha256, content = excluded.content;
                """))
            {
                var p = Params(upsert, "$id", "$kind", "$key", "$sha", "$content");
                p[0].Value = runId;
                foreach (var d in documents)
                {
                    p[1].Value = StoreText.Kind(d.Kind);
                    p[2].Value = d.Key;
                    p[3].Value = d.Sha256;
                    p[4].Value = d.Content;
                    upsert.ExecuteNonQuery();
                }
            }
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<EvaluationRun> CompleteRunAsync(string runId, RunOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return await ChangeAsync(change =>
        {
            var (c, tx) = change;
            var run = RequireRun(c, tx, runId);
            var resultsSaved = !run.IsOver && run.Status == RunStatus.Running
                && Scalar(c, tx, "SELECT 1 FROM run_result WHERE run_id = $id UNION ALL SELECT 1 FROM month_result WHERE run_id = $id;", ("$id", runId)) is not null;
            var ended = run.Complete(outcome, at, resultsSaved);
            Exec(c, tx, "UPDATE run SET status = $status, reason = $reason, completed_at = $at WHERE id = $id;",
                ("$status", StoreText.Status(ended.Status)), ("$reason", ended.Reason), ("$at", StoreText.Time(at)), ("$id", runId));
            change.Audit(at, ended.Actor, ended.TransitionAction, runId, ended.Reason);
            return ended;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<EvaluationRun> RenewRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        return await ChangeAsync(change =>
        {
            var (c, tx) = change;
            var renewed = RequireRun(c, tx, runId).Renew(at);
            Exec(c, tx, "UPDATE run SET heartbeat_at = $at WHERE id = $id;", ("$at", StoreText.Time(renewed.HeartbeatAt!.Value)), ("$id", runId));
            return renewed;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<EvaluationResult?> GetResultsAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return Scalar(c, null, "SELECT json FROM run_result WHERE run_id = $id;", ("$id", runId)) is byte[] json ? ResultsJson.Read(json) : null;
    }

    /// <inheritdoc />
    public async Task<UnitResult?> GetUnitResultAsync(string runId, string unitCode, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return Scalar(c, null, "SELECT json FROM unit_result WHERE run_id = $id AND code = $code;", ("$id", runId), ("$code", unitCode)) is byte[] json
            ? UnitResultJson.Read(json) : null;
    }

    /// <inheritdoc />
    public async Task<StoredDocument?> GetDocumentAsync(string runId, DocumentKind kind, string key, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = Command(c, null, "SELECT sha256, content FROM document WHERE run_id = $id AND kind = $kind AND key = $key;",
            ("$id", runId), ("$kind", StoreText.Kind(kind)), ("$key", key));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new StoredDocument(kind, key, (byte[])r.GetValue(1), r.GetString(0)) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = Command(c, null, "SELECT kind, key, sha256, length(content) FROM document WHERE run_id = $id;", ("$id", runId));
        using var r = cmd.ExecuteReader();
        var list = new List<DocumentInfo>();
        while (r.Read()) list.Add(new DocumentInfo(StoreText.DocumentKindOf(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetInt64(3)));
        list.Sort(static (a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : string.CompareOrdinal(a.Key, b.Key));
        return list;
    }

    private static List<EvaluationRun> ReadRuns(SqliteConnection c, SqliteTransaction? tx, string where, params (string, object?)[] args)
    {
        using var cmd = Command(c, tx, $"""
            SELECT id, period, level, ruleset_id, ruleset_version, status, reason, data_sha256, actor, requested_at, started_at, completed_at, idempotency_key, sample,
                previous_run_id, scorecards_expected, bulletins_expected, heartbeat_at
            FROM run {where};
            """, args);
        using var r = cmd.ExecuteReader();
        var list = new List<EvaluationRun>();
        while (r.Read())
        {
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            list.Add(new EvaluationRun(r.GetString(0), Period.Parse(r.GetString(1)), StoreText.Level(r.GetString(2)), r.GetString(3), r.GetInt32(4),
                StoreText.Status(r.GetString(5)), S(6), S(7), r.GetString(8), StoreText.Time(r.GetString(9)), StoreText.OptTime(S(10)),
                StoreText.OptTime(S(11)), S(12), r.GetInt32(13) != 0)
            {
                PreviousRunId = S(14),
                ScorecardsExpected = r.IsDBNull(15) ? null : r.GetInt32(15),
                BulletinsExpected = r.IsDBNull(16) ? null : r.GetInt32(16),
                HeartbeatAt = StoreText.OptTime(S(17)),
            });
        }
        return list;
    }

    private static EvaluationRun RequireRun(SqliteConnection c, SqliteTransaction tx, string runId) =>
        ReadRuns(c, tx, "WHERE id = $id", ("$id", runId)).FirstOrDefault()
        ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");
}
