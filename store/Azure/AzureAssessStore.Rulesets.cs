using System.Text;
using Azure.Data.Tables;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Rulesets: a version row per ruleset id and version (its text a blob named by its SHA-256, its slot beside its level), one active pointer per id, one per level and slot at most.
public sealed partial class AzureAssessStore
{
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
                ["Slot"] = RulesetFacts.Slot(outline.Slot),
            });
            change.Audit(at, actor, "ruleset.add", $"{rulesetId}@{version}", RulesetFacts.AddDetail(sha, outline.Slot));
            return change.Done(new RulesetVersion(rulesetId, version, sha, yaml, actor, at, false, outline.Level, outline.Classes) { Slot = outline.Slot });
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
            var slot = RulesetFacts.Slot(row.GetString("Slot"));
            var pointers = await QueryControlAsync(AzureNames.ActiveRulesetPrefix, cancellationToken);
            var key = AzureNames.ActiveRuleset(rulesetId);
            var others = pointers.Where(p => p.RowKey != key && p.GetString("Level") == StoreText.Level(level) && RulesetFacts.Slot(p.GetString("Slot")) == slot)
                .Select(p => (Row: p, RulesetId: p.GetString("RulesetId"), Version: p.GetInt32("Version")!.Value))
                .OrderBy(p => p.RulesetId, StringComparer.Ordinal).ToList();
            if (others.Count > 0 && !replace) throw RulesetFacts.Conflict(level, slot, others[0].RulesetId, others[0].Version, rulesetId, version);
            foreach (var other in others)
            {
                change.Delete(other.Row);
                change.Audit(at, actor, RulesetFacts.Deactivate, $"{other.RulesetId}@{other.Version}", RulesetFacts.ReplacedDetail(level, slot, rulesetId, version));
            }
            change.Put(ActivePointer(rulesetId, version, level, slot), pointers.FirstOrDefault(p => p.RowKey == key));
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

    /// <inheritdoc />
    /// <remarks>Two queries of the control partition (the version rows and the active pointers); no text blob is read.</remarks>
    public async Task<IReadOnlyList<RulesetVersionInfo>> ListRulesetVersionsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryControlAsync(AzureNames.RulesetRowPrefix, cancellationToken);
        var active = (await QueryControlAsync(AzureNames.ActiveRulesetPrefix, cancellationToken)).ToDictionary(r => r.RowKey, r => r.GetInt32("Version"));
        var list = new List<RulesetVersionInfo>(rows.Count);
        foreach (var row in rows)
        {
            var id = row.GetString("RulesetId");
            var version = row.GetInt32("Version")!.Value;
            var classes = row.GetString("Classes") ?? throw RulesetFacts.NotUpgraded(id, version);
            active.TryGetValue(AzureNames.ActiveRuleset(id), out var a);
            list.Add(new RulesetVersionInfo(id, version, row.GetString("Sha256"), row.GetString("Author"), StoreText.Time(row.GetString("CreatedAt")),
                a == version, LevelOf(row), RulesetFacts.Classes(classes)) { Slot = RulesetFacts.Slot(row.GetString("Slot")) });
        }
        list.Sort(RulesetVersionInfo.ByIdThenVersion);
        return list;
    }

    private async Task<RulesetVersion> ReadRulesetAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var yaml = await DownloadAsync(row.GetString("Blob"), cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"规则集文本 {row.GetString("Blob")} 不见了");
        var classes = row.GetString("Classes") ?? throw RulesetFacts.NotUpgraded(row.GetString("RulesetId"), row.GetInt32("Version")!.Value);
        return new RulesetVersion(row.GetString("RulesetId"), row.GetInt32("Version")!.Value, row.GetString("Sha256"),
            Encoding.UTF8.GetString(yaml), row.GetString("Author"), StoreText.Time(row.GetString("CreatedAt")), false, LevelOf(row), RulesetFacts.Classes(classes))
        {
            Slot = RulesetFacts.Slot(row.GetString("Slot")),
        };
    }

    private static UnitLevel LevelOf(TableEntity row) =>
        row.GetString("Level") is { } level ? StoreText.Level(level) : throw RulesetFacts.NotUpgraded(row.GetString("RulesetId"), row.GetInt32("Version")!.Value);

    private static TableEntity ActivePointer(string rulesetId, int version, UnitLevel level, RulesetSlot slot = RulesetSlot.Quarter) =>
        new(AzureNames.Control, AzureNames.ActiveRuleset(rulesetId))
        {
            ["RulesetId"] = rulesetId,
            ["Version"] = version,
            ["Level"] = StoreText.Level(level),
            ["Slot"] = RulesetFacts.Slot(slot),
        };
}
