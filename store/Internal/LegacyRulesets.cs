using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Store.Internal;

/// <summary>
/// What the store reads from a ruleset text: only the migration that gives versions an older program stored without them
/// their level and classes (SQLite migration 7, Azure migration 3) calls it. Every other read takes the outline stored
/// with the version, so the store parses no YAML once migrated.
/// </summary>
internal static class LegacyRulesets
{
    /// <summary>The outline of a version stored before outlines were (read once, by its migration).</summary>
    public static RulesetOutline Outline(string rulesetId, int version, string yaml) =>
        RulesetOutline.Read(yaml)
        ?? throw new StoreException(StoreError.Invalid, $"存储的规则集 {rulesetId}@{version} 读不出 level，无法升级存储");
}
