namespace BaiQianWan.Assess.Portal.Models;

/// <summary>One stored ruleset version.</summary>
/// <param name="Version">Version.</param>
/// <param name="Author">Who saved it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="Sha256">Text hash.</param>
/// <param name="Active">Active?</param>
/// <param name="Level">The level it assesses (县 / 镇).</param>
/// <param name="Replaces">
/// Another ruleset active for the same level, which activating this version would replace (one active ruleset per level:
/// the office says so explicitly), or null.
/// </param>
public sealed record RulesetVersionLine(int Version, string Author, DateTimeOffset CreatedAt, string Sha256, bool Active, string Level, string? Replaces);
