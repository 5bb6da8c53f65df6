namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One stored ruleset version.</summary>
/// <param name="Version">Version.</param>
/// <param name="Author">Who saved it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="Sha256">Text hash.</param>
/// <param name="Active">Active?</param>
public sealed record RulesetVersionLine(int Version, string Author, DateTimeOffset CreatedAt, string Sha256, bool Active);
