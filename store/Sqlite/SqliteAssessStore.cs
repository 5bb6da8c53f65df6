using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store.Internal;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

/// <summary>
/// The store in one SQLite file (the embedded default): WAL journal, schema migrations applied on open,
/// one <c>BEGIN IMMEDIATE</c> transaction per mutating call with its audit entry inside it, so a failure
/// (or a killed process) leaves nothing of the change behind.
/// </summary>
public sealed partial class SqliteAssessStore : IAssessStore
{
    private readonly string _connectionString;

    /// <summary>Opens (creating if needed) the store file at <paramref name="path"/>. Call <see cref="InitializeAsync"/> before use.</summary>
    public SqliteAssessStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The schema version this code writes (the number of migrations).</summary>
    public static int SchemaVersion => SqliteSchema.Migrations.Length;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await MigrateAsync(cancellationToken);
        }
        catch (SqliteException e)
        {
            // A file that is no database, or that cannot be written, is named in one line (CheckAsync says the same).
            throw Unusable(e);
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        await using var c = await OpenAsync(cancellationToken);
        Exec(c, null, "PRAGMA journal_mode=WAL;");
        while (true)
        {
            using var tx = c.BeginTransaction(deferred: false);
            var version = Convert.ToInt32(Scalar(c, tx, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
                throw new StoreException(StoreError.Conflict, $"存储文件 {Path} 的结构版本 {version} 比本程序支持的 {SchemaVersion} 新，请升级程序");
            if (version == SchemaVersion)
            {
                // Idempotent, and a no-op once done: rows an older program wrote get their outlines, levels one active ruleset.
                UpgradeRulesets(c, tx);
                tx.Commit();
                return;
            }
            Exec(c, tx, SqliteSchema.Migrations[version]);
            Exec(c, tx, $"PRAGMA user_version = {version + 1};");
            tx.Commit();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>PRAGMA quick_check</c> reads every page (the file's size in time, no more than a backup would); the write
    /// probe sets the schema version to itself inside <c>BEGIN IMMEDIATE</c> and commits, which a read-only file,
    /// directory or file system refuses.
    /// </remarks>
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var c = await OpenAsync(cancellationToken);
            var problems = new List<string>();
            using (var cmd = Command(c, null, "PRAGMA quick_check;"))
            using (var r = cmd.ExecuteReader())
                while (r.Read()) problems.Add(r.GetString(0));
            if (problems is not ["ok"])
                throw new StoreException(StoreError.Conflict,
                    $"存储文件 {Path} 已损坏（PRAGMA quick_check：{TextRules.Escape(problems.FirstOrDefault() ?? "无结果")}{(problems.Count > 1 ? $" 等 {problems.Count} 处" : "")}），请从备份恢复");
            using var tx = c.BeginTransaction(deferred: false);
            var version = Convert.ToInt32(Scalar(c, tx, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
            Exec(c, tx, $"PRAGMA user_version = {version};");
            tx.Commit();
        }
        catch (SqliteException e)
        {
            throw Unusable(e);
        }
    }

    /// <summary>The one-line refusal for a store file SQLite cannot use: not writable, or damaged.</summary>
    private StoreException Unusable(SqliteException e) => new(StoreError.Conflict, e.SqliteErrorCode switch
    {
        // SQLITE_READONLY, FULL, CANTOPEN, IOERR, AUTH: the file (or its folder, its disk) does not take writes.
        8 or 13 or 14 or 10 or 23 => $"存储文件 {Path} 无法写入（{e.Message}），请检查文件和所在目录的权限及磁盘空间",
        26 => $"存储文件 {Path} 不是 SQLite 数据库（{e.Message}），请检查路径或从备份恢复",
        // SQLITE_CORRUPT (quick_check stopped at a page it cannot read) and the like.
        _ => $"存储文件 {Path} 已损坏（{e.Message}），请从备份恢复",
    });

    /// <summary>
    /// Fills the level and classes of versions stored without them (read once from their texts), then leaves each level
    /// one active ruleset: of several (an older replace did not deactivate), the one activated last in audit order, the
    /// others deactivated with an audit entry at the time (and by the actor) of the activation that replaced them.
    /// </summary>
    private static void UpgradeRulesets(SqliteConnection c, SqliteTransaction tx)
    {
        var missing = new List<(string Id, int Version, string Yaml)>();
        using (var cmd = Command(c, tx, "SELECT ruleset_id, version, yaml FROM ruleset_version WHERE level IS NULL OR classes IS NULL;"))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) missing.Add((r.GetString(0), r.GetInt32(1), r.GetString(2)));
        foreach (var (id, version, yaml) in missing)
        {
            var outline = RulesetFacts.Outline(id, version, yaml);
            Exec(c, tx, "UPDATE ruleset_version SET level = $level, classes = $classes WHERE ruleset_id = $id AND version = $v;",
                ("$level", StoreText.Level(outline.Level)), ("$classes", RulesetFacts.ClassesJson(outline.Classes)), ("$id", id), ("$v", version));
        }

        var actives = new List<RulesetFacts.Active>();
        var unleveled = 0;
        using (var cmd = Command(c, tx, """
            SELECT a.ruleset_id, a.version, v.level, a.level IS NULL FROM ruleset_active a
            JOIN ruleset_version v ON v.ruleset_id = a.ruleset_id AND v.version = a.version;
            """))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                actives.Add(new RulesetFacts.Active(r.GetString(0), r.GetInt32(1), StoreText.Level(r.GetString(2))));
                if (r.GetInt64(3) != 0) unleveled++;
            }
        if (unleveled == 0 && actives.GroupBy(a => a.Level).All(g => g.Count() == 1)) return;

        var last = new Dictionary<string, RulesetFacts.Activation>(StringComparer.Ordinal);
        var fallback = DateTimeOffset.UnixEpoch;
        using (var cmd = Command(c, tx, "SELECT seq, at, actor, target FROM audit WHERE action = $action ORDER BY seq;", ("$action", RulesetFacts.Activate)))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                var at = StoreText.Time(r.GetString(1));
                if (at > fallback) fallback = at;
                if (RulesetFacts.IdOfTarget(r.GetString(3)) is { } id) last[id] = new RulesetFacts.Activation(r.GetInt64(0), at, r.GetString(2));
            }
        foreach (var s in RulesetFacts.Supersede(actives, last, fallback))
        {
            Exec(c, tx, "DELETE FROM ruleset_active WHERE ruleset_id = $id;", ("$id", s.Loser.RulesetId));
            Audit(c, tx, s.At, s.Actor, RulesetFacts.Deactivate, $"{s.Loser.RulesetId}@{s.Loser.Version}",
                RulesetFacts.ReplacedDetail(s.Loser.Level, s.Winner.RulesetId, s.Winner.Version));
        }
        Exec(c, tx, """
            UPDATE ruleset_active SET level = (SELECT v.level FROM ruleset_version v WHERE v.ruleset_id = ruleset_active.ruleset_id AND v.version = ruleset_active.version)
            WHERE level IS NULL;
            """);
    }

    // ---- units and observations ----

    /// <inheritdoc />
    public async Task<ImportOutcome> ImportUnitsAsync(int year, IReadOnlyList<Unit> units, ImportSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(source);
        var sha = StoreText.Sha256(source.Content);
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var earlier = FindBatch(c, tx, "kind = 'units' AND year = $year AND sha256 = $sha", ("$year", year), ("$sha", sha));
        if (earlier is not null) return new ImportOutcome(earlier, true);
        var batch = InsertBatch(c, tx, ImportKind.Units, year, source, sha, units.Count);
        Exec(c, tx, "DELETE FROM unit WHERE year = $year;", ("$year", year));
        using (var insert = Command(c, tx, "INSERT INTO unit (year, code, name, level, parent, class, batch_id) VALUES ($year, $code, $name, $level, $parent, $class, $batch);"))
        {
            var p = Params(insert, "$year", "$code", "$name", "$level", "$parent", "$class", "$batch");
            p[0].Value = year;
            p[6].Value = batch.Id;
            foreach (var u in units)
            {
                p[1].Value = u.Code;
                p[2].Value = u.Name;
                p[3].Value = StoreText.Level(u.Level);
                p[4].Value = (object?)u.Parent ?? DBNull.Value;
                p[5].Value = u.Class;
                try
                {
                    insert.ExecuteNonQuery();
                }
                catch (SqliteException e) when (e.SqliteErrorCode == 19)
                {
                    throw new StoreException(StoreError.Invalid, $"单位代码 '{u.Code}' 重复");
                }
            }
        }
        Audit(c, tx, source.At, source.Actor, "import.units", year.ToString(CultureInfo.InvariantCulture), StoreText.Describe(source, sha, units.Count) + $" batch={batch.Id}");
        tx.Commit();
        return new ImportOutcome(batch, false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Unit>> GetUnitsAsync(int year, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        var units = new List<Unit>();
        using var cmd = Command(c, null, "SELECT code, name, level, parent, class FROM unit WHERE year = $year;", ("$year", year));
        using var r = cmd.ExecuteReader();
        while (r.Read())
            units.Add(new Unit(r.GetString(0), r.GetString(1), StoreText.Level(r.GetString(2)), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4)));
        units.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return units;
    }

    /// <inheritdoc />
    public async Task<ImportOutcome> ImportObservationsAsync(IReadOnlyList<Observation> observations, ImportSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(source);
        var sha = StoreText.Sha256(source.Content);
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var earlier = FindBatch(c, tx, "kind = 'observations' AND sha256 = $sha", ("$sha", sha));
        if (earlier is not null) return new ImportOutcome(earlier, true);

        var unitsByYear = new Dictionary<int, HashSet<string>>();
        var unknown = new List<string>();
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            if (!unitsByYear.TryGetValue(o.Period.Year, out var codes))
            {
                codes = new HashSet<string>(StringComparer.Ordinal);
                using var q = Command(c, tx, "SELECT code FROM unit WHERE year = $year;", ("$year", o.Period.Year));
                using var r = q.ExecuteReader();
                while (r.Read()) codes.Add(r.GetString(0));
                unitsByYear[o.Period.Year] = codes;
            }
            if (!codes.Contains(o.Unit)) unknown.Add($"第 {i + 1} 条：单位 '{o.Unit}' 不在 {o.Period.Year} 年的单位名单中");
        }
        if (unknown.Count > 0) throw new StoreException(StoreError.Invalid, string.Join("\n", unknown));

        var batch = InsertBatch(c, tx, ImportKind.Observations, null, source, sha, observations.Count, ImportBatch.PeriodsOf(observations));
        using (var upsert = Command(c, tx, """
            INSERT INTO observation (period, unit, indicator, actual, target, baseline, batch_id)
            VALUES ($period, $unit, $indicator, $actual, $target, $baseline, $batch)
            ON CONFLICT (period, unit, indicator) DO UPDATE SET
                actual = excluded.actual, target = excluded.target, baseline = excluded.baseline, batch_id = excluded.batch_id;
            """))
        {
            var p = Params(upsert, "$period", "$unit", "$indicator", "$actual", "$target", "$baseline", "$batch");
            p[6].Value = batch.Id;
            foreach (var o in observations)
            {
                p[0].Value = o.Period.ToString();
                p[1].Value = o.Unit;
                p[2].Value = o.Indicator;
                p[3].Value = StoreText.Dec(o.Actual);
                p[4].Value = (object?)StoreText.Dec(o.Target) ?? DBNull.Value;
                p[5].Value = (object?)StoreText.Dec(o.Baseline) ?? DBNull.Value;
                upsert.ExecuteNonQuery();
            }
        }
        Audit(c, tx, source.At, source.Actor, "import.observations", batch.Id, StoreText.Describe(source, sha, observations.Count));
        tx.Commit();
        return new ImportOutcome(batch, false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Observation>> GetObservationsAsync(Period period, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        var list = new List<Observation>();
        using var cmd = Command(c, null, "SELECT unit, indicator, actual, target, baseline FROM observation WHERE period = $period;", ("$period", period.ToString()));
        using var r = cmd.ExecuteReader();
        while (r.Read())
            list.Add(new Observation(r.GetString(0), r.GetString(1), period, StoreText.Dec(r.GetString(2)),
                StoreText.OptDec(r.IsDBNull(3) ? null : r.GetString(3)), StoreText.OptDec(r.IsDBNull(4) ? null : r.GetString(4))));
        list.Sort(static (a, b) =>
        {
            var byUnit = string.CompareOrdinal(a.Unit, b.Unit);
            return byUnit != 0 ? byUnit : string.CompareOrdinal(a.Indicator, b.Indicator);
        });
        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ImportBatch>> ListImportsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = Command(c, null, "SELECT id, kind, year, file_name, sha256, row_count, actor, at, periods FROM import_batch ORDER BY seq DESC;");
        using var r = cmd.ExecuteReader();
        var list = new List<ImportBatch>();
        while (r.Read()) list.Add(ReadBatch(r));
        return list;
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetImportFileAsync(string batchId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return Scalar(c, null, "SELECT content FROM import_batch WHERE id = $id;", ("$id", batchId)) as byte[];
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
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var latest = ReadRulesets(c, tx, "WHERE v.ruleset_id = $id ORDER BY v.version DESC LIMIT 1", ("$id", rulesetId)).FirstOrDefault();
        if (latest is not null && latest.Sha256 == sha) return latest;
        var version = (latest?.Version ?? 0) + 1;
        Exec(c, tx, """
            INSERT INTO ruleset_version (ruleset_id, version, sha256, yaml, author, created_at, level, classes)
            VALUES ($id, $v, $sha, $yaml, $author, $at, $level, $classes);
            """,
            ("$id", rulesetId), ("$v", version), ("$sha", sha), ("$yaml", yaml), ("$author", actor), ("$at", StoreText.Time(at)),
            ("$level", StoreText.Level(outline.Level)), ("$classes", RulesetFacts.ClassesJson(outline.Classes)));
        Audit(c, tx, at, actor, "ruleset.add", $"{rulesetId}@{version}", $"sha256={sha}");
        tx.Commit();
        return new RulesetVersion(rulesetId, version, sha, yaml, actor, at, false, outline.Level, outline.Classes);
    }

    /// <inheritdoc />
    public async Task<RulesetVersion> ActivateRulesetAsync(string rulesetId, int version, string actor, DateTimeOffset at, bool replace = false,
        CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        // BEGIN IMMEDIATE: the check of the level's active ruleset and the switch are one serialized change (writers take
        // the lock first), so two activations for one level never both find it free.
        using var tx = c.BeginTransaction(deferred: false);
        var stored = ReadRulesets(c, tx, "WHERE v.ruleset_id = $id AND v.version = $v", ("$id", rulesetId), ("$v", version)).FirstOrDefault()
            ?? throw new StoreException(StoreError.NotFound, $"规则集 {rulesetId} 没有版本 {version}");
        var others = new List<(string RulesetId, int Version)>();
        using (var cmd = Command(c, tx, "SELECT ruleset_id, version FROM ruleset_active WHERE level = $level AND ruleset_id <> $id ORDER BY ruleset_id;",
            ("$level", StoreText.Level(stored.Level)), ("$id", rulesetId)))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) others.Add((r.GetString(0), r.GetInt32(1)));
        if (others.Count > 0 && !replace) throw RulesetFacts.Conflict(stored.Level, others[0].RulesetId, others[0].Version, rulesetId, version);
        foreach (var (otherId, otherVersion) in others)
        {
            Exec(c, tx, "DELETE FROM ruleset_active WHERE ruleset_id = $id;", ("$id", otherId));
            Audit(c, tx, at, actor, RulesetFacts.Deactivate, $"{otherId}@{otherVersion}", RulesetFacts.ReplacedDetail(stored.Level, rulesetId, version));
        }
        Exec(c, tx, """
            INSERT INTO ruleset_active (ruleset_id, version, level) VALUES ($id, $v, $level)
            ON CONFLICT (ruleset_id) DO UPDATE SET version = excluded.version, level = excluded.level;
            """,
            ("$id", rulesetId), ("$v", version), ("$level", StoreText.Level(stored.Level)));
        Audit(c, tx, at, actor, RulesetFacts.Activate, $"{rulesetId}@{version}", RulesetFacts.ActivateDetail(stored.Sha256, others));
        tx.Commit();
        return stored with { Active = true };
    }

    /// <inheritdoc />
    public async Task<RulesetVersion?> DeactivateRulesetAsync(string rulesetId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var active = ReadRulesets(c, tx, "WHERE v.ruleset_id = $id AND a.version IS NOT NULL", ("$id", rulesetId)).FirstOrDefault();
        if (active is null)
            return Scalar(c, tx, "SELECT 1 FROM ruleset_version WHERE ruleset_id = $id LIMIT 1;", ("$id", rulesetId)) is null
                ? throw new StoreException(StoreError.NotFound, $"没有规则集 {rulesetId}")
                : null;
        Exec(c, tx, "DELETE FROM ruleset_active WHERE ruleset_id = $id;", ("$id", rulesetId));
        Audit(c, tx, at, actor, RulesetFacts.Deactivate, $"{rulesetId}@{active.Version}", $"sha256={active.Sha256}");
        tx.Commit();
        return active with { Active = false };
    }

    /// <inheritdoc />
    public async Task<RulesetVersion?> GetRulesetAsync(string rulesetId, int version, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return ReadRulesets(c, null, "WHERE v.ruleset_id = $id AND v.version = $v", ("$id", rulesetId), ("$v", version)).FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<RulesetVersion?> GetActiveRulesetAsync(string rulesetId, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return ReadRulesets(c, null, "WHERE v.ruleset_id = $id AND a.version IS NOT NULL", ("$id", rulesetId)).FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RulesetVersion>> ListRulesetsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        var list = ReadRulesets(c, null, "");
        list.Sort(RulesetVersion.ByIdThenVersion);
        return list;
    }

    // ---- runs ----

    /// <inheritdoc />
    public async Task<EvaluationRun> CreateRunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        if (request.IdempotencyKey is { } key)
        {
            var existing = ReadRuns(c, tx, "WHERE idempotency_key = $key", ("$key", key)).FirstOrDefault();
            if (existing is not null) return existing;
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
        Audit(c, tx, request.RequestedAt, request.Actor, "run.create", id,
            $"{request.Period} {StoreText.Level(request.Level)} {request.RulesetId}@{request.RulesetVersion}" + (request.Sample ? " sample" : ""));
        tx.Commit();
        return new EvaluationRun(id, request.Period, request.Level, request.RulesetId, request.RulesetVersion, RunStatus.Queued, null, null,
            request.Actor, request.RequestedAt, null, null, request.IdempotencyKey, request.Sample);
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
    public async Task<EvaluationRun> StartRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var started = RequireRun(c, tx, runId).Start(at);
        Exec(c, tx, "UPDATE run SET status = $status, started_at = $at WHERE id = $id;",
            ("$status", StoreText.Status(started.Status)), ("$at", StoreText.Time(at)), ("$id", runId));
        Audit(c, tx, at, started.Actor, started.TransitionAction, runId, null);
        tx.Commit();
        return started;
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
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
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
        tx.Commit();
    }

    /// <inheritdoc />
    public async Task SaveDocumentsAsync(string runId, IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
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
        tx.Commit();
    }

    /// <inheritdoc />
    public async Task<EvaluationRun> CompleteRunAsync(string runId, RunOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var run = RequireRun(c, tx, runId);
        var resultsSaved = !run.IsOver && run.Status == RunStatus.Running
            && Scalar(c, tx, "SELECT 1 FROM run_result WHERE run_id = $id;", ("$id", runId)) is not null;
        var ended = run.Complete(outcome, at, resultsSaved);
        Exec(c, tx, "UPDATE run SET status = $status, reason = $reason, completed_at = $at WHERE id = $id;",
            ("$status", StoreText.Status(ended.Status)), ("$reason", ended.Reason), ("$at", StoreText.Time(at)), ("$id", runId));
        Audit(c, tx, at, ended.Actor, ended.TransitionAction, runId, ended.Reason);
        tx.Commit();
        return ended;
    }

    /// <inheritdoc />
    public async Task<EvaluationRun> RenewRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var renewed = RequireRun(c, tx, runId).Renew(at);
        Exec(c, tx, "UPDATE run SET heartbeat_at = $at WHERE id = $id;", ("$at", StoreText.Time(renewed.HeartbeatAt!.Value)), ("$id", runId));
        tx.Commit();
        return renewed;
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

    // ---- publication ----

    /// <inheritdoc />
    public async Task<Publication> PublishAsync(string runId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var run = RequireRun(c, tx, runId);
        if (run.Status != RunStatus.Succeeded)
            throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(run.Status)}，只有成功的运行可以发布");
        var current = ReadPublication(c, tx, run.Period, run.Level);
        // Times follow revision order: a racing publisher that read the clock earlier is stamped with the current one's time.
        if (current is not null && current.At > at) at = current.At;
        var publication = new Publication(run.Period, run.Level, runId, actor, at, (current?.Revision ?? 0) + 1);
        Exec(c, tx, """
            INSERT INTO publication (period, level, run_id, actor, at, revision) VALUES ($period, $level, $run, $actor, $at, $rev)
            ON CONFLICT (period, level) DO UPDATE SET run_id = excluded.run_id, actor = excluded.actor, at = excluded.at, revision = excluded.revision;
            """,
            ("$period", run.Period.ToString()), ("$level", StoreText.Level(run.Level)), ("$run", runId), ("$actor", actor),
            ("$at", StoreText.Time(at)), ("$rev", publication.Revision));
        Audit(c, tx, at, actor, current is null ? "publish" : "republish", runId,
            $"{run.Period} {StoreText.Level(run.Level)} revision={publication.Revision}" + (current is null ? "" : $" replaces={current.RunId}"));
        tx.Commit();
        return publication;
    }

    /// <inheritdoc />
    public async Task<Publication?> GetPublicationAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return ReadPublication(c, null, period, level);
    }

    // ---- audit ----

    /// <inheritdoc />
    /// <remarks>
    /// SQLite keeps nothing superseded: a re-import replaces the rows of its figures and units, re-saved results
    /// replace the run's, and a failed change rolls back inside its transaction. So there is nothing to delete.
    /// </remarks>
    public Task<SweepReport> SweepAsync(DateTimeOffset at, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        return Task.FromResult(new SweepReport(0, 0, 0, 0));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> GetAuditLogAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = Command(c, null, "SELECT seq, at, actor, action, target, detail FROM audit ORDER BY seq;");
        using var r = cmd.ExecuteReader();
        var list = new List<AuditEntry>();
        while (r.Read())
            list.Add(new AuditEntry(r.GetInt64(0), StoreText.Time(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));
        return list;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var c = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(c);
        return ValueTask.CompletedTask;
    }

    // ---- helpers ----

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(cancellationToken);
        return c;
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private static SqliteParameter[] Params(SqliteCommand cmd, params string[] names)
    {
        var list = new SqliteParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            // No declared type: each value picks its storage class (text, integer, blob, null).
            list[i] = cmd.CreateParameter();
            list[i].ParameterName = names[i];
            cmd.Parameters.Add(list[i]);
        }
        return list;
    }

    private static void Exec(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        var value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Appends an audit entry inside the caller's transaction (the account store's changes too).</summary>
    internal static void Audit(SqliteConnection c, SqliteTransaction tx, DateTimeOffset at, string actor, string action, string target, string? detail) =>
        Exec(c, tx, "INSERT INTO audit (at, actor, action, target, detail) VALUES ($at, $actor, $action, $target, $detail);",
            ("$at", StoreText.Time(at)), ("$actor", actor), ("$action", action), ("$target", target), ("$detail", detail));

    private static ImportBatch? FindBatch(SqliteConnection c, SqliteTransaction tx, string where, params (string, object?)[] args)
    {
        using var cmd = Command(c, tx, $"SELECT id, kind, year, file_name, sha256, row_count, actor, at, periods FROM import_batch WHERE {where} ORDER BY seq LIMIT 1;", args);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadBatch(r) : null;
    }

    private static ImportBatch InsertBatch(SqliteConnection c, SqliteTransaction tx, ImportKind kind, int? year, ImportSource source, string sha, int rows,
        string? periods = null)
    {
        var seq = Convert.ToInt64(Scalar(c, tx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM import_batch;"), CultureInfo.InvariantCulture);
        var batch = new ImportBatch(StoreText.BatchId(seq), kind, year, source.FileName, sha, rows, source.Actor, source.At, periods);
        Exec(c, tx, """
            INSERT INTO import_batch (seq, id, kind, year, file_name, sha256, row_count, actor, at, content, periods)
            VALUES ($seq, $id, $kind, $year, $file, $sha, $rows, $actor, $at, $content, $periods);
            """,
            ("$seq", seq), ("$id", batch.Id), ("$kind", StoreText.Kind(kind)), ("$year", year), ("$file", source.FileName), ("$sha", sha),
            ("$rows", rows), ("$actor", source.Actor), ("$at", StoreText.Time(source.At)), ("$content", source.Content), ("$periods", periods));
        return batch;
    }

    private static ImportBatch ReadBatch(SqliteDataReader r) => new(
        r.GetString(0), StoreText.ImportKindOf(r.GetString(1)), r.IsDBNull(2) ? null : r.GetInt32(2), r.GetString(3), r.GetString(4),
        r.GetInt32(5), r.GetString(6), StoreText.Time(r.GetString(7)), r.IsDBNull(8) ? null : r.GetString(8));

    private static List<RulesetVersion> ReadRulesets(SqliteConnection c, SqliteTransaction? tx, string where, params (string, object?)[] args)
    {
        using var cmd = Command(c, tx, $"""
            SELECT v.ruleset_id, v.version, v.sha256, v.yaml, v.author, v.created_at, a.version, v.level, v.classes
            FROM ruleset_version v LEFT JOIN ruleset_active a ON a.ruleset_id = v.ruleset_id AND a.version = v.version {where};
            """, args);
        using var r = cmd.ExecuteReader();
        var list = new List<RulesetVersion>();
        while (r.Read())
        {
            if (r.IsDBNull(7) || r.IsDBNull(8)) throw RulesetFacts.NotUpgraded(r.GetString(0), r.GetInt32(1));
            list.Add(new RulesetVersion(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), StoreText.Time(r.GetString(5)), !r.IsDBNull(6),
                StoreText.Level(r.GetString(7)), RulesetFacts.Classes(r.GetString(8))));
        }
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

    private static Publication? ReadPublication(SqliteConnection c, SqliteTransaction? tx, Period period, UnitLevel level)
    {
        using var cmd = Command(c, tx, "SELECT run_id, actor, at, revision FROM publication WHERE period = $period AND level = $level;",
            ("$period", period.ToString()), ("$level", StoreText.Level(level)));
        using var r = cmd.ExecuteReader();
        return r.Read() ? new Publication(period, level, r.GetString(0), r.GetString(1), StoreText.Time(r.GetString(2)), r.GetInt32(3)) : null;
    }
}
