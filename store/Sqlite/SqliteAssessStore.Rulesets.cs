using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store.Internal;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

// Rulesets: versions (with their level, classes and slot) and one active pointer per ruleset id, one per level and slot at most.
public sealed partial class SqliteAssessStore
{
    /// <inheritdoc />
    public async Task<RulesetVersion> AddRulesetVersionAsync(string rulesetId, string yaml, RulesetOutline outline, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(rulesetId);
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(outline);
        var sha = RulesetLoader.Sha256Hex(yaml);
        return await ChangeAsync(change =>
        {
            var (c, tx) = change;
            var latest = ReadRulesets(c, tx, "WHERE v.ruleset_id = $id ORDER BY v.version DESC LIMIT 1", ("$id", rulesetId)).FirstOrDefault();
            if (latest is not null && latest.Sha256 == sha) return change.NoOp(latest);
            var version = (latest?.Version ?? 0) + 1;
            Exec(c, tx, """
                INSERT INTO ruleset_version (ruleset_id, version, sha256, yaml, author, created_at, level, classes, slot)
                VALUES ($id, $v, $sha, $yaml, $author, $at, $level, $classes, $slot);
                """, ("$slot", RulesetFacts.Slot(outline.Slot)),
                ("$id", rulesetId), ("$v", version), ("$sha", sha), ("$yaml", yaml), ("$author", actor), ("$at", StoreText.Time(at)),
                ("$level", StoreText.Level(outline.Level)), ("$classes", RulesetFacts.ClassesJson(outline.Classes)));
            change.Audit(at, actor, "ruleset.add", $"{rulesetId}@{version}", RulesetFacts.AddDetail(sha, outline.Slot));
            return new RulesetVersion(rulesetId, version, sha, yaml, actor, at, false, outline.Level, outline.Classes) { Slot = outline.Slot };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RulesetVersion> ActivateRulesetAsync(string rulesetId, int version, string actor, DateTimeOffset at, bool replace = false,
        CancellationToken cancellationToken = default)
    {
        // BEGIN IMMEDIATE (every change): the check of the level's active ruleset and the switch are one serialized change (writers
        // take the lock first), so two activations for one level never both find it free.
        return await ChangeAsync(change =>
        {
            var (c, tx) = change;
            var stored = ReadRulesets(c, tx, "WHERE v.ruleset_id = $id AND v.version = $v", ("$id", rulesetId), ("$v", version)).FirstOrDefault()
                ?? throw new StoreException(StoreError.NotFound, $"规则集 {rulesetId} 没有版本 {version}");
            var others = new List<(string RulesetId, int Version)>();
            using (var cmd = Command(c, tx, "SELECT ruleset_id, version FROM ruleset_active WHERE level = $level AND slot = $slot AND ruleset_id <> $id ORDER BY ruleset_id;",
                ("$level", StoreText.Level(stored.Level)), ("$slot", RulesetFacts.Slot(stored.Slot)), ("$id", rulesetId)))
            using (var r = cmd.ExecuteReader())
                while (r.Read()) others.Add((r.GetString(0), r.GetInt32(1)));
            if (others.Count > 0 && !replace) throw RulesetFacts.Conflict(stored.Level, stored.Slot, others[0].RulesetId, others[0].Version, rulesetId, version);
            foreach (var (otherId, otherVersion) in others)
            {
                Exec(c, tx, "DELETE FROM ruleset_active WHERE ruleset_id = $id;", ("$id", otherId));
                change.Audit(at, actor, RulesetFacts.Deactivate, $"{otherId}@{otherVersion}", RulesetFacts.ReplacedDetail(stored.Level, stored.Slot, rulesetId, version));
            }
            Exec(c, tx, """
                INSERT INTO ruleset_active (ruleset_id, version, level, slot) VALUES ($id, $v, $level, $slot)
                ON CONFLICT (ruleset_id) DO UPDATE SET version = excluded.version, level = excluded.level, slot = excluded.slot;
                """,
                ("$id", rulesetId), ("$v", version), ("$level", StoreText.Level(stored.Level)), ("$slot", RulesetFacts.Slot(stored.Slot)));
            change.Audit(at, actor, RulesetFacts.Activate, $"{rulesetId}@{version}", RulesetFacts.ActivateDetail(stored.Sha256, others));
            return stored with { Active = true };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RulesetVersion?> DeactivateRulesetAsync(string rulesetId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        return await ChangeAsync<RulesetVersion?>(change =>
        {
            var (c, tx) = change;
            var active = ReadRulesets(c, tx, "WHERE v.ruleset_id = $id AND a.version IS NOT NULL", ("$id", rulesetId)).FirstOrDefault();
            if (active is null)
                return Scalar(c, tx, "SELECT 1 FROM ruleset_version WHERE ruleset_id = $id LIMIT 1;", ("$id", rulesetId)) is null
                    ? throw new StoreException(StoreError.NotFound, $"没有规则集 {rulesetId}")
                    : change.NoOp<RulesetVersion?>(null);
            Exec(c, tx, "DELETE FROM ruleset_active WHERE ruleset_id = $id;", ("$id", rulesetId));
            change.Audit(at, actor, RulesetFacts.Deactivate, $"{rulesetId}@{active.Version}", $"sha256={active.Sha256}");
            return active with { Active = false };
        }, cancellationToken);
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

    /// <inheritdoc />
    public async Task<IReadOnlyList<RulesetVersionInfo>> ListRulesetVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = Command(c, null, """
            SELECT v.ruleset_id, v.version, v.sha256, v.author, v.created_at, a.version, v.level, v.classes, v.slot
            FROM ruleset_version v LEFT JOIN ruleset_active a ON a.ruleset_id = v.ruleset_id AND a.version = v.version;
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<RulesetVersionInfo>();
        while (r.Read())
        {
            if (r.IsDBNull(6) || r.IsDBNull(7)) throw RulesetFacts.NotUpgraded(r.GetString(0), r.GetInt32(1));
            list.Add(new RulesetVersionInfo(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), StoreText.Time(r.GetString(4)), !r.IsDBNull(5),
                StoreText.Level(r.GetString(6)), RulesetFacts.Classes(r.GetString(7))) { Slot = RulesetFacts.Slot(r.GetString(8)) });
        }
        list.Sort(RulesetVersionInfo.ByIdThenVersion);
        return list;
    }

    private static List<RulesetVersion> ReadRulesets(SqliteConnection c, SqliteTransaction? tx, string where, params (string, object?)[] args)
    {
        using var cmd = Command(c, tx, $"""
            SELECT v.ruleset_id, v.version, v.sha256, v.yaml, v.author, v.created_at, a.version, v.level, v.classes, v.slot
            FROM ruleset_version v LEFT JOIN ruleset_active a ON a.ruleset_id = v.ruleset_id AND a.version = v.version {where};
            """, args);
        using var r = cmd.ExecuteReader();
        var list = new List<RulesetVersion>();
        while (r.Read())
        {
            if (r.IsDBNull(7) || r.IsDBNull(8)) throw RulesetFacts.NotUpgraded(r.GetString(0), r.GetInt32(1));
            list.Add(new RulesetVersion(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), StoreText.Time(r.GetString(5)), !r.IsDBNull(6),
                StoreText.Level(r.GetString(7)), RulesetFacts.Classes(r.GetString(8))) { Slot = RulesetFacts.Slot(r.GetString(9)) });
        }
        return list;
    }
}
