namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>Where a formula is used, which decides the variables it may name (ruleset spec 2.3).</summary>
public enum FormulaContext
{
    /// <summary>An indicator's <c>formula</c> method: every variable except <c>count</c>.</summary>
    Indicator,

    /// <summary>An adjustment's <c>formula</c> or <c>when</c>: only <c>count</c>.</summary>
    Adjustment,
}
