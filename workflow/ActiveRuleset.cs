using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

/// <summary>The ruleset that counts for a level: the level's one active ruleset.</summary>
/// <param name="Level">The level.</param>
/// <param name="Ruleset">Its active version (without its text: <see cref="Rulesets.RulesetService.GetRulesetAsync"/> reads that).</param>
public sealed record ActiveRuleset(UnitLevel Level, RulesetVersionInfo Ruleset);
