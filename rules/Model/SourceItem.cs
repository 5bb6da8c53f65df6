using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Model;

/// <summary>(Annual contract §2) Where a source reads: the year's published quarterly evaluations or monthly bulletins.</summary>
public enum SourceFrom
{
    /// <summary>The latest publication of each quarter <c>YQ1</c> … <c>YQ4</c> of the level's quarterly evaluation.</summary>
    Quarters,

    /// <summary>The latest publication of each month <c>Y-01</c> … <c>Y-12</c> of the level's monitor.</summary>
    Months,
}

/// <summary>(Annual contract §2) The figure a <c>from: quarters</c> source takes from each unit's quarterly result.</summary>
public enum SourceFigure
{
    /// <summary>The unit's total.</summary>
    Total,

    /// <summary>The unit's rank in its class (null for an excluded unit: no figure).</summary>
    Rank,

    /// <summary>The unit's level-wide rank (only where the quarterly ruleset reports it).</summary>
    LevelRank,

    /// <summary>The unit's bonus after the cap.</summary>
    Bonus,

    /// <summary>The unit's penalty (≤ 0).</summary>
    Penalty,

    /// <summary>One dimension's score (<see cref="SourceItem.Of"/> names it).</summary>
    Dimension,

    /// <summary>One indicator's score (<see cref="SourceItem.Of"/> names it).</summary>
    Indicator,
}

/// <summary>
/// (Annual contract §2) A <c>sources</c> entry of a <c>cadence: year</c> ruleset: it turns the year's publications into a
/// derived observation row (unit, <see cref="Id"/>, year) and the inputs of <see cref="InputIds"/>.
/// </summary>
/// <param name="Id">The source's id: a formula name; the id of its derived rows (an indicator or adjustment of that id reads them).</param>
/// <param name="From">Quarters or months.</param>
/// <param name="Figure">For quarters: the figure read from each quarter; null for months.</param>
/// <param name="Of">The dimension or indicator id for <see cref="SourceFigure.Dimension"/> / <see cref="SourceFigure.Indicator"/>, else null.</param>
/// <param name="Light">For months: the light id counted; null for quarters.</param>
/// <param name="Position">Where the entry is written.</param>
public sealed record SourceItem(string Id, SourceFrom From, SourceFigure? Figure, string? Of, string? Light, SourcePosition Position)
{
    /// <summary>The input ids the source declares, in this order: <c>_q1</c>…<c>_q4</c>, <c>_first</c>, <c>_last</c>, <c>_count</c>
    /// for quarters; <c>_months</c> for months.</summary>
    public ImmutableArray<string> InputIds => InputIdsOf(Id, From);

    /// <summary>The input ids a source of this id and kind declares.</summary>
    public static ImmutableArray<string> InputIdsOf(string id, SourceFrom from) => from == SourceFrom.Quarters
        ? [id + "_q1", id + "_q2", id + "_q3", id + "_q4", id + "_first", id + "_last", id + "_count"]
        : [id + "_months"];

    /// <summary>The figure's name as written in YAML (<c>total</c>, <c>levelRank</c> …), or null for months.</summary>
    public string? FigureName => Figure switch
    {
        SourceFigure.Total => "total",
        SourceFigure.Rank => "rank",
        SourceFigure.LevelRank => "levelRank",
        SourceFigure.Bonus => "bonus",
        SourceFigure.Penalty => "penalty",
        SourceFigure.Dimension => "dimension",
        SourceFigure.Indicator => "indicator",
        _ => null,
    };
}
