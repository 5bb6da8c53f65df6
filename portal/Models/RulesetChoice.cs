namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A ruleset with an active version, to evaluate with.</summary>
/// <param name="Id">Ruleset id.</param>
/// <param name="Version">Active version.</param>
/// <param name="LevelText">Level it scores.</param>
/// <param name="Level">Level.</param>
public sealed record RulesetChoice(string Id, int Version, string LevelText, BaiQianWan.Assess.Rules.Data.UnitLevel Level);
