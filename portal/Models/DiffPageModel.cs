namespace BaiQianWan.Assess.Portal.Models;

/// <summary>Two versions compared, with activation for the office.</summary>
/// <param name="Frame">Layout.</param>
/// <param name="RulesetId">Ruleset.</param>
/// <param name="From">Older version.</param>
/// <param name="To">Newer version.</param>
/// <param name="ActiveVersion">Active version.</param>
/// <param name="Lines">The whole diff (every line).</param>
/// <param name="Hunks">What the page shows: the changed lines with a few lines of context.</param>
/// <param name="CanActivate">True for the office when <see cref="To"/> is not active.</param>
public sealed record DiffPageModel(PageFrame Frame, string RulesetId, int From, int To, int? ActiveVersion, IReadOnlyList<DiffLine> Lines, IReadOnlyList<DiffHunk> Hunks, bool CanActivate);
