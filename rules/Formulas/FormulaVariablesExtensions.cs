namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>Display helpers for <see cref="FormulaVariables"/>.</summary>
public static class FormulaVariablesExtensions
{
    /// <summary>
    /// The names of the set flags as rule authors write them (<c>actual</c>, <c>target</c>, …, <c>classAvg</c>,
    /// <c>count</c>), the scoring ones first, in <see cref="Variables.All"/> order; empty for <see cref="FormulaVariables.None"/>.
    /// A flag that is no registered variable's throws.
    /// </summary>
    public static IReadOnlyList<string> Names(this FormulaVariables variables) =>
        Variables.In(variables).Select(v => v.Name).ToList();
}
