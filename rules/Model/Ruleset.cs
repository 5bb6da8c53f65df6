using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Model;

/// <summary>
/// A validated, immutable scoring ruleset: the one canonical model every authoring form is parsed into.
/// The evaluator never sees YAML.
/// </summary>
/// <param name="Id">Stable id; versions are assigned by the store.</param>
/// <param name="Name">Display name.</param>
/// <param name="Level">Units of this level are evaluated.</param>
/// <param name="Classes">Class names in display order; units of other classes are skipped.</param>
/// <param name="Decimals">Places every reported score is rounded to.</param>
/// <param name="Dimensions">Dimensions with their indicators, in order.</param>
/// <param name="Adjustments">Bonus, penalty and veto items, in order.</param>
/// <param name="BonusCap">Cap of all bonus points together, if any.</param>
/// <param name="Grades">Grade scheme.</param>
/// <param name="Lists">Red and black list rules.</param>
public sealed record Ruleset(
    string Id,
    string Name,
    UnitLevel Level,
    ImmutableArray<string> Classes,
    int Decimals,
    ImmutableArray<Dimension> Dimensions,
    ImmutableArray<Adjustment> Adjustments,
    decimal? BonusCap,
    GradeScheme Grades,
    ListRules Lists)
{
    /// <summary>(v3) The data-only <c>inputs</c>, in order (their position is the formula's input index).</summary>
    public ImmutableArray<InputItem> Inputs { get; init; } = [];

    /// <summary>(v3) <c>totalCap</c>: the total is at most this (the sum before it is reported as rawTotal).</summary>
    public decimal? TotalCap { get; init; }

    /// <summary>(Annual §1) <c>cadence</c>: quarter (the default) or year; a ruleset evaluates only periods of its kind.</summary>
    public Cadence Cadence { get; init; } = Cadence.Quarter;

    /// <summary>(Annual §2) The <c>sources</c> of a <c>cadence: year</c> ruleset, in order. Their generated input ids are among
    /// <see cref="Inputs"/> (after the declared inputs).</summary>
    public ImmutableArray<SourceItem> Sources { get; init; } = [];

    /// <summary>(v3) False when the ruleset has no <c>grades</c>: every grade is null.</summary>
    public bool HasGrades => !Grades.Levels.IsEmpty;

    /// <summary>(v3) True when some veto has <c>exclude: true</c>.</summary>
    public bool HasExclusions => Adjustments.Any(a => a.Exclude);

    /// <summary>(v3) True when the grades or a list use <c>scope: level</c> (levelRank and levelPeers are then reported).</summary>
    public bool UsesLevelScope => Grades.LevelScope || Lists.Red?.LevelScope == true || Lists.Black?.LevelScope == true;

    /// <summary>Every indicator in ruleset order (dimension by dimension).</summary>
    public IEnumerable<Indicator> Indicators => Dimensions.SelectMany(d => d.Indicators);
}
