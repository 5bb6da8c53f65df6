namespace BaiQianWan.Assess.Portal.Models;

/// <summary>A ruleset id and its versions.</summary>
/// <param name="Id">Ruleset id.</param>
/// <param name="ActiveVersion">The active version.</param>
/// <param name="Versions">Versions, newest first.</param>
public sealed record RulesetGroup(string Id, int? ActiveVersion, IReadOnlyList<RulesetVersionLine> Versions);
