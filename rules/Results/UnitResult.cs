using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Results;

/// <summary>One unit's evaluation: total, standing in its class, grade, lists, and every part of the score.</summary>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="Class">Class the unit was ranked in.</param>
/// <param name="Parent">Parent unit code, if any.</param>
/// <param name="Total">Total score, rounded to the ruleset's decimals.</param>
/// <param name="Rank">Competition rank within the class by total.</param>
/// <param name="Peers">Number of units ranked in the class.</param>
/// <param name="Grade">Grade after any veto.</param>
/// <param name="Lists">"red" and/or "black".</param>
/// <param name="Vetoes">Ids of the vetoes that applied.</param>
/// <param name="Incomplete">True when any indicator is missing.</param>
/// <param name="TargetsMet">True when every core indicator of the class met its target.</param>
/// <param name="Dimensions">Dimension scores in ruleset order (dimensions with no indicator for the class are left out).</param>
/// <param name="Indicators">Indicator results in ruleset order (indicators the class does not carry are left out).</param>
/// <param name="Adjustments">Every bonus and penalty item in ruleset order, points before the cap.</param>
/// <param name="Bonus">Bonus points after the bonus cap (≥ 0).</param>
/// <param name="Penalty">Penalty points (≤ 0).</param>
public sealed record UnitResult(
    string Code,
    string Name,
    string Class,
    string? Parent,
    decimal Total,
    int Rank,
    int Peers,
    string Grade,
    ImmutableArray<string> Lists,
    ImmutableArray<string> Vetoes,
    bool Incomplete,
    bool TargetsMet,
    ImmutableArray<DimensionScore> Dimensions,
    ImmutableArray<IndicatorResult> Indicators,
    ImmutableArray<AdjustmentResult> Adjustments,
    decimal Bonus,
    decimal Penalty)
{
    // (v3) Rank is 0 and Grade is "" where the contract's JSON has null: an excluded unit, or a ruleset without grades.

    /// <summary>False for an excluded unit (取消参评资格): <see cref="Rank"/> is then 0 (null in JSON) and it is on no list.</summary>
    public bool Ranked => Rank > 0;

    /// <summary>(v3) True when the unit has a grade (the ruleset has grades and the unit is not excluded).</summary>
    public bool Graded => Grade.Length > 0;

    /// <summary>(v3) <c>excluded</c>: null when the ruleset has no <c>exclude</c> veto (the field is then left out).</summary>
    public bool? Excluded { get; init; }

    /// <summary>(v3) The competition rank by total among the level's ranked units; null when excluded or not reported.</summary>
    public int? LevelRank { get; init; }

    /// <summary>(v3) N, the level's ranked units; null when no grades or list use <c>scope: level</c> (the fields are then left out).</summary>
    public int? LevelPeers { get; init; }

    /// <summary>(v3) The total before <c>totalCap</c>; null without <c>totalCap</c>.</summary>
    public decimal? RawTotal { get; init; }

    /// <summary>(v3) Lines about the total's cap and the unit's exclusion; default (left out) when the ruleset has neither feature.</summary>
    public ImmutableArray<string> Notes { get; init; }
}
