namespace BaiQianWan.Assess.Rules.Model;

/// <summary>The kind of an adjustment item.</summary>
public enum AdjustmentKind
{
    /// <summary>加分: adds points, subject to the ruleset's bonus cap.</summary>
    Bonus,
    /// <summary>扣分: removes points.</summary>
    Penalty,
    /// <summary>一票否决: caps the grade and bars the unit from the red list.</summary>
    Veto,
}
