namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>Where a formula is used, which decides the variables it may name (ruleset spec 2.3).</summary>
public enum FormulaContext
{
    /// <summary>An indicator's <c>formula</c> method: every variable except <c>count</c>.</summary>
    Indicator,

    /// <summary>An adjustment's <c>formula</c> or <c>when</c>: only <c>count</c>.</summary>
    Adjustment,

    /// <summary>
    /// A monitor light's <c>when</c> (monthly progress, 月通报): <c>actual</c>, <c>target</c>, <c>baseline</c>, <c>plan</c>,
    /// <c>progress</c>, <c>pace</c>, <c>gap</c>, <c>growth</c>, <c>value</c>, <c>month</c>, <c>rank</c>, <c>peers</c>,
    /// <c>levelRank</c>, <c>levelPeers</c>, <c>classAvg</c>, <c>levelAvg</c>; the scoring-only names (<c>weight</c>,
    /// <c>completion</c>, <c>count</c>, …) are unknown there.
    /// </summary>
    Monitor,
}
