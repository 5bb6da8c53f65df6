using BaiQianWan.Assess.Rules.Formulas.Binding;

namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>Display helpers for <see cref="FormulaVariables"/>.</summary>
public static class FormulaVariablesExtensions
{
    /// <summary>
    /// The names of the set flags as rule authors write them (<c>actual</c>, <c>target</c>, …, <c>classAvg</c>,
    /// <c>count</c>), in enum order; empty for <see cref="FormulaVariables.None"/>.
    /// </summary>
    public static IReadOnlyList<string> Names(this FormulaVariables variables)
    {
        var names = new List<string>();
        foreach (var variable in VariableTable.All)
        {
            if ((variables & variable.Flag) != 0) names.Add(variable.Name);
        }
        // (monitors) their own names, after the scoring ones
        foreach (var variable in VariableTable.Monitor)
        {
            if ((variables & variable.Flag) != 0 && !names.Contains(variable.Name)) names.Add(variable.Name);
        }
        return names;
    }
}
