using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store.Internal;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

// Maintenance: the schema brought up to this code by numbered migrations, the start-up check, and the sweep (nothing to sweep here).
public sealed partial class SqliteAssessStore
{
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

    /// <summary>
    /// Applies the pending migrations (<see cref="SqliteSchema.Migrations"/>) in order, each in its own <c>BEGIN IMMEDIATE</c>
    /// transaction with its record (<c>PRAGMA user_version</c> and, from 6 on, a row of <c>schema_migration</c>), so each runs
    /// once: concurrent starts serialize on the lock and the later one finds it done. An up-to-date store costs one read.
    /// </summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        await using var c = await OpenAsync(cancellationToken);
        if (Version(c, null) == SchemaVersion) return;
        Exec(c, null, "PRAGMA journal_mode=WAL;");
        while (true)
        {
            using var tx = c.BeginTransaction(deferred: false);
            var version = Version(c, tx);
            if (version > SchemaVersion)
                throw new StoreException(StoreError.Conflict, $"存储文件 {Path} 的结构版本 {version} 比本程序支持的 {SchemaVersion} 新，请升级程序");
            if (version == SchemaVersion) return;
            var migration = SqliteSchema.Migrations[version];
            if (migration.Sql.Length > 0) Exec(c, tx, migration.Sql);
            migration.Code?.Invoke(c, tx);
            if (migration.Number >= SqliteSchema.Recorded) Record(c, tx, migration);
            Exec(c, tx, $"PRAGMA user_version = {migration.Number};");
            tx.Commit();
        }
    }

    /// <inheritdoc />
    public async Task<StoreSchema> GetSchemaAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var c = await OpenAsync(cancellationToken);
            return new StoreSchema(Convert.ToInt32(Scalar(c, null, "PRAGMA user_version;"), CultureInfo.InvariantCulture), SchemaVersion);
        }
        catch (SqliteException e)
        {
            throw Unusable(e);
        }
    }

    private int Version(SqliteConnection c, SqliteTransaction? tx)
    {
        var version = Convert.ToInt32(Scalar(c, tx, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        return version > SchemaVersion
            ? throw new StoreException(StoreError.Conflict, $"存储文件 {Path} 的结构版本 {version} 比本程序支持的 {SchemaVersion} 新，请升级程序")
            : version;
    }

    private static void Record(SqliteConnection c, SqliteTransaction tx, SqliteMigration migration) =>
        Exec(c, tx, "INSERT INTO schema_migration (number, name) VALUES ($n, $name);", ("$n", migration.Number), ("$name", migration.Name));

    /// <summary>
    /// The migrations applied to this store, in order (number and name), as <c>schema_migration</c> records them; for a
    /// store not yet at migration 6, the ones <c>PRAGMA user_version</c> counts.
    /// </summary>
    internal async Task<IReadOnlyList<(int Number, string Name)>> AppliedMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        var version = Version(c, null);
        if (version < SqliteSchema.Recorded) return [.. SqliteSchema.Migrations.Take(version).Select(m => (m.Number, m.Name))];
        using var cmd = Command(c, null, "SELECT number, name FROM schema_migration ORDER BY number;");
        using var r = cmd.ExecuteReader();
        var list = new List<(int, string)>();
        while (r.Read()) list.Add((r.GetInt32(0), r.GetString(1)));
        return list;
    }

    /// <summary>Migration 6: records the migrations applied before the record existed (1–5).</summary>
    internal static void RecordEarlierMigrations(SqliteConnection c, SqliteTransaction tx)
    {
        foreach (var migration in SqliteSchema.Migrations.Take(SqliteSchema.Recorded - 1)) Record(c, tx, migration);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The start check (<c>full</c> false) reads what every start needs: page 1 (the header and
    /// <c>PRAGMA user_version</c>), the schema (<c>sqlite_master</c>, which SQLite parses in full), and the root page and first
    /// leaf of every table (one <c>SELECT</c> of one row each): a few pages, not the file's size in time. The full check
    /// (<c>init</c>, <c>store check</c>, or a host with <c>Store__FullCheckOnStart=true</c>) adds <c>PRAGMA quick_check</c>,
    /// which reads every page. Both end with the write probe: the schema version set to itself inside <c>BEGIN IMMEDIATE</c>
    /// and committed, which a read-only file, directory or file system refuses. Sound without the full check because
    /// SQLite verifies each page as it reads it: a page damaged elsewhere is refused, when a request first reads it, as
    /// <c>SQLITE_CORRUPT</c> (or <c>SQLITE_NOTADB</c>), which the store maps to the same one-line refusal
    /// (<see cref="Unusable"/>), never a crash and never a wrong answer.
    /// </remarks>
    public Task CheckAsync(CancellationToken cancellationToken = default) => CheckAsync(full: false, cancellationToken);

    /// <inheritdoc />
    public async Task CheckAsync(bool full, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var c = await OpenAsync(cancellationToken);
            if (full)
            {
                var problems = new List<string>();
                using (var cmd = Command(c, null, "PRAGMA quick_check;"))
                using (var r = cmd.ExecuteReader())
                    while (r.Read()) problems.Add(r.GetString(0));
                if (problems is not ["ok"])
                    throw new StoreException(StoreError.Conflict,
                        $"存储文件 {Path} 已损坏（PRAGMA quick_check：{TextRules.Escape(problems.FirstOrDefault() ?? "无结果")}{(problems.Count > 1 ? $" 等 {problems.Count} 处" : "")}），请从备份恢复");
            }
            else
            {
                var tables = new List<string>();
                using (var cmd = Command(c, null, "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 ORDER BY name;"))
                using (var r = cmd.ExecuteReader())
                    while (r.Read()) tables.Add(r.GetString(0));
                foreach (var table in tables)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var cmd = Command(c, null, $"SELECT 1 FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\" LIMIT 1;");
                    using var r = cmd.ExecuteReader();
                    while (r.Read()) { }
                }
            }
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

    /// <summary>
    /// The one-line refusal for an error SQLite raised while the store was in use (a damaged page read by a command, say),
    /// as <see cref="CheckAsync(bool, CancellationToken)"/> words it; null for an exception that is not SQLite's.
    /// </summary>
    public StoreException? Refusal(Exception e) => e is SqliteException s ? Unusable(s) : null;

    /// <summary>The one-line refusal for a store file SQLite cannot use: not writable, or damaged.</summary>
    private StoreException Unusable(SqliteException e) => new(StoreError.Unavailable, e.SqliteErrorCode switch
    {
        // SQLITE_READONLY, FULL, CANTOPEN, IOERR, AUTH: the file (or its folder, its disk) does not take writes.
        8 or 13 or 14 or 10 or 23 => $"存储文件 {Path} 无法写入（{e.Message}），请检查文件和所在目录的权限及磁盘空间",
        26 => $"存储文件 {Path} 不是 SQLite 数据库（{e.Message}），请检查路径或从备份恢复",
        // SQLITE_CORRUPT (a page SQLite cannot read: at the start check, quick_check, or any later read) and the like.
        _ => $"存储文件 {Path} 已损坏（{e.Message}），请从备份恢复",
    });

    /// <summary>
    /// Migration 7: fills the level and classes of versions an older program stored without them, read once from their
    /// texts (<see cref="LegacyRulesets.Outline"/>: the only place the store parses a ruleset).
    /// </summary>
    internal static void FillRulesetOutlines(SqliteConnection c, SqliteTransaction tx)
    {
        var missing = new List<(string Id, int Version, string Yaml)>();
        using (var cmd = Command(c, tx, "SELECT ruleset_id, version, yaml FROM ruleset_version WHERE level IS NULL OR classes IS NULL;"))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) missing.Add((r.GetString(0), r.GetInt32(1), r.GetString(2)));
        foreach (var (id, version, yaml) in missing)
        {
            var outline = LegacyRulesets.Outline(id, version, yaml);
            Exec(c, tx, "UPDATE ruleset_version SET level = $level, classes = $classes WHERE ruleset_id = $id AND version = $v;",
                ("$level", StoreText.Level(outline.Level)), ("$classes", RulesetFacts.ClassesJson(outline.Classes)), ("$id", id), ("$v", version));
        }
    }

    /// <summary>
    /// Migration 8: leaves each level one active ruleset: of several (an older replace did not deactivate), the one activated
    /// last in audit order, the others deactivated with an audit entry at the time (and by the actor) of the activation that
    /// replaced them; every active pointer gets its level.
    /// </summary>
    internal static void OneActiveRulesetPerLevel(SqliteConnection c, SqliteTransaction tx)
    {
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
}
