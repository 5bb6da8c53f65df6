using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

/// <summary>
/// What counts for a level in one slot: the level's one active quarterly ruleset, yearly ruleset or monitor
/// (<see cref="Slot"/>).
/// </summary>
/// <param name="Level">The level.</param>
/// <param name="Ruleset">Its active version (without its text: <see cref="Rulesets.RulesetService.GetRulesetAsync"/> reads that).</param>
public sealed record ActiveRuleset(UnitLevel Level, RulesetVersionInfo Ruleset)
{
    /// <summary>The slot it is active in (a quarterly or yearly scoring ruleset, or a monitor).</summary>
    public RulesetSlot Slot => Ruleset.Slot;
}
