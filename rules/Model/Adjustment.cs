namespace BaiQianWan.Assess.Rules.Model;

/// <summary>A bonus, penalty or veto item (spec 2.2). The observation with this id gives the count.</summary>
/// <param name="Id">Id, matching <c>observations.indicator</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Kind">Bonus, penalty or veto.</param>
/// <param name="Per">Points per counted item (bonus, penalty).</param>
/// <param name="Max">Cap of the item's points (bonus, penalty), if any.</param>
/// <param name="Formula">Formula over <c>count</c> giving the item's amount (bonus, penalty), instead of <paramref name="Per"/>.</param>
/// <param name="Grade">Best grade a vetoed unit can get (veto); null means the last level.</param>
/// <param name="When">Formula deciding when a veto applies; null means count &gt; 0.</param>
/// <param name="Position">Where the item is declared.</param>
/// <param name="FormulaPosition">Where <paramref name="Formula"/> or <paramref name="When"/> starts.</param>
public sealed record Adjustment(
    string Id,
    string Name,
    AdjustmentKind Kind,
    decimal? Per,
    decimal? Max,
    string? Formula,
    string? Grade,
    string? When,
    SourcePosition Position,
    SourcePosition? FormulaPosition)
{
    /// <summary>(v3) <c>exclude: true</c> on a veto (取消参评资格): scored but not ranked, graded or listed.</summary>
    public bool Exclude { get; init; }
}
