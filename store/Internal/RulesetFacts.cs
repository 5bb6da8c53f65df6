using System.Text.Json;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Store.Internal;

/// <summary>The ruleset rules both stores share: stored outlines, the one-active-ruleset-per-level refusal, and the upgrade of older data (see also <see cref="LegacyRulesets"/>).</summary>
internal static class RulesetFacts
{
    public const string Activate = "ruleset.activate";

    public const string Deactivate = "ruleset.deactivate";

    public static string ClassesJson(IReadOnlyList<string> classes) => JsonSerializer.Serialize(classes);

    public static IReadOnlyList<string> Classes(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    /// <summary>A version read before the store was initialized by this program: its outline is not there yet.</summary>
    public static StoreException NotUpgraded(string rulesetId, int version) =>
        new(StoreError.Conflict, $"规则集 {rulesetId}@{version} 还没有记录层级和类别：请先初始化存储（init）");

    /// <summary>Activating <paramref name="rulesetId"/>@<paramref name="version"/> while another id is active for the level, without replace.</summary>
    public static StoreException Conflict(UnitLevel level, RulesetSlot slot, string activeId, int activeVersion, string rulesetId, int version) =>
        new(StoreError.Conflict,
            (slot == RulesetSlot.Quarter
                ? $"{level.ToChinese()}层级已启用规则集 {activeId}@{activeVersion}，每个层级只能有一个启用的规则集；"
                : $"{level.ToChinese()}层级已启用{slot.ToChinese()} {activeId}@{activeVersion}，每个层级只能启用一个{slot.ToChinese()}；") +
            $"要改用 {rulesetId}@{version}，请明确替换（命令行 --replace，API ?replace=true，门户“启用并替换”；原规则集保留，但不再用于评价）");

    /// <summary>The audit detail of an added version: its hash, and its slot when it is not a quarterly scoring ruleset.</summary>
    public static string AddDetail(string sha256, RulesetSlot slot) => $"sha256={sha256}" + (slot == RulesetSlot.Quarter ? "" : $" slot={slot.ToText()}");

    public static string ActivateDetail(string sha256, IEnumerable<(string RulesetId, int Version)> replaced)
    {
        var list = replaced.Select(r => $"{r.RulesetId}@{r.Version}").ToList();
        return $"sha256={sha256}" + (list.Count == 0 ? "" : " replaces=" + string.Join(",", list));
    }

    public static string ReplacedDetail(UnitLevel level, string byId, int byVersion) => $"level={level.ToText()} replaced-by={byId}@{byVersion}";

    /// <summary>As <see cref="ReplacedDetail(UnitLevel, string, int)"/>, naming the slot when it is not the quarterly one (older entries read the same).</summary>
    public static string ReplacedDetail(UnitLevel level, RulesetSlot slot, string byId, int byVersion) =>
        slot == RulesetSlot.Quarter ? ReplacedDetail(level, byId, byVersion) : $"level={level.ToText()} slot={slot.ToText()} replaced-by={byId}@{byVersion}";

    /// <summary>The stored text of a slot.</summary>
    public static string Slot(RulesetSlot slot) => slot.ToText();

    /// <summary>A stored slot (null: stored before slots were kept, a quarterly scoring ruleset).</summary>
    public static RulesetSlot Slot(string? text) =>
        text is null ? RulesetSlot.Quarter : RulesetSlots.TryParse(text, out var slot) ? slot : throw new FormatException($"bad ruleset slot '{text}'");

    /// <summary>An active pointer as the upgrade sees it.</summary>
    public sealed record Active(string RulesetId, int Version, UnitLevel Level);

    /// <summary>The last activation of a ruleset id in the audit log.</summary>
    public sealed record Activation(long Sequence, DateTimeOffset At, string Actor);

    /// <summary>A pointer the upgrade deactivates, the one that stays, and the activation that replaced it (time and actor of its audit entry).</summary>
    public sealed record Superseded(Active Loser, Active Winner, DateTimeOffset At, string Actor);

    /// <summary>
    /// Of levels with more than one active ruleset (left by an older replace, which did not deactivate), every
    /// one but the one activated last (audit order; ties by id, ordinal): what the older workflow counted.
    /// </summary>
    public static List<Superseded> Supersede(IEnumerable<Active> actives, IReadOnlyDictionary<string, Activation> lastActivation, DateTimeOffset fallbackAt)
    {
        var superseded = new List<Superseded>();
        foreach (var level in actives.GroupBy(a => a.Level).Where(g => g.Count() > 1))
        {
            var ordered = level.OrderByDescending(a => lastActivation.TryGetValue(a.RulesetId, out var x) ? x.Sequence : 0)
                .ThenBy(a => a.RulesetId, StringComparer.Ordinal).ToList();
            var winner = ordered[0];
            var how = lastActivation.GetValueOrDefault(winner.RulesetId);
            foreach (var loser in ordered.Skip(1))
                superseded.Add(new Superseded(loser, winner, how?.At ?? fallbackAt, how?.Actor ?? "system"));
        }
        return superseded;
    }

    /// <summary>The ruleset id of an activation's audit target (<c>ID@VERSION</c>).</summary>
    public static string? IdOfTarget(string target)
    {
        var at = target.LastIndexOf('@');
        return at > 0 ? target[..at] : null;
    }
}
