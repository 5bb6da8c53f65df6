using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Store.Workflow;

/// <summary>The ruleset that counts for a level, and the active ones of the level it replaced.</summary>
/// <param name="Level">The level.</param>
/// <param name="Ruleset">Its active version.</param>
/// <param name="Replaced">Ids of other rulesets of the level still marked active in the store, no longer used.</param>
public sealed record ActiveRuleset(UnitLevel Level, RulesetVersion Ruleset, IReadOnlyList<string> Replaced);
