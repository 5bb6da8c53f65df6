namespace BaiQianWan.Assess.Portal.Models;

/// <summary>The rule author's rulesets page.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="Rulesets">Rulesets by id.</param>
/// <param name="CanActivate">True for the office.</param>
public sealed record RulesetsPageModel(PageFrame Frame, IReadOnlyList<RulesetGroup> Rulesets, bool CanActivate);
