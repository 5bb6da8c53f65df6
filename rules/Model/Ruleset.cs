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
    /// <summary>Every indicator in ruleset order (dimension by dimension).</summary>
    public IEnumerable<Indicator> Indicators => Dimensions.SelectMany(d => d.Indicators);
}
