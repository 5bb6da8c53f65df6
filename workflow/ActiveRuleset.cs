using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

/// <summary>The ruleset that counts for a level: the level's one active ruleset.</summary>
/// <param name="Level">The level.</param>
/// <param name="Ruleset">Its active version.</param>
public sealed record ActiveRuleset(UnitLevel Level, RulesetVersion Ruleset);
