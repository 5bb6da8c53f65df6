using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>The formula variables, their spelling and flag, in <see cref="FormulaVariables"/> order.</summary>
internal static class VariableTable
{
    public static readonly ImmutableArray<(string Name, FormulaVariables Flag)> All =
    [
        ("actual", FormulaVariables.Actual),
        ("target", FormulaVariables.Target),
        ("baseline", FormulaVariables.Baseline),
        ("weight", FormulaVariables.Weight),
        ("completion", FormulaVariables.Completion),
        ("growth", FormulaVariables.Growth),
        ("change", FormulaVariables.Change),
        ("rank", FormulaVariables.Rank),
        ("peers", FormulaVariables.Peers),
        ("classAvg", FormulaVariables.ClassAvg),
        ("parentAvg", FormulaVariables.ParentAvg),
        ("levelAvg", FormulaVariables.LevelAvg),
        ("count", FormulaVariables.Count),
    ];

    /// <summary>
    /// (monitors) The variables of a monitor light's <c>when</c>, in the order the contract lists them. Kept apart from
    /// <see cref="All"/> so that scoring formulas, and scoring input ids, are untouched by the monitor's names.
    /// </summary>
    public static readonly ImmutableArray<(string Name, FormulaVariables Flag)> Monitor =
    [
        ("actual", FormulaVariables.Actual),
        ("target", FormulaVariables.Target),
        ("baseline", FormulaVariables.Baseline),
        ("plan", FormulaVariables.Plan),
        ("progress", FormulaVariables.Progress),
        ("pace", FormulaVariables.Pace),
        ("gap", FormulaVariables.Gap),
        ("growth", FormulaVariables.Growth),
        ("value", FormulaVariables.Value),
        ("month", FormulaVariables.Month),
        ("rank", FormulaVariables.Rank),
        ("peers", FormulaVariables.Peers),
        ("levelRank", FormulaVariables.LevelRank),
        ("levelPeers", FormulaVariables.LevelPeers),
        ("classAvg", FormulaVariables.ClassAvg),
        ("levelAvg", FormulaVariables.LevelAvg),
    ];

    /// <summary>Finds a variable of <paramref name="context"/> by name, ignoring case (monitors have their own set).</summary>
    public static bool TryLookup(string name, FormulaContext context, out FormulaVariables flag)
    {
        if (context != FormulaContext.Monitor) return TryLookup(name, out flag);
        foreach (var variable in Monitor)
        {
            if (string.Equals(variable.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                flag = variable.Flag;
                return true;
            }
        }
        flag = FormulaVariables.None;
        return false;
    }

    /// <summary>Finds a variable by name, ignoring case.</summary>
    public static bool TryLookup(string name, out FormulaVariables flag)
    {
        // A scan of ten names costs nanoseconds; a frozen or hashed dictionary would cost milliseconds of JIT
        // the first time a process compiles a formula.
        foreach (var variable in All)
        {
            if (string.Equals(variable.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                flag = variable.Flag;
                return true;
            }
        }
        flag = FormulaVariables.None;
        return false;
    }

    /// <summary>Whether a variable may be named in a context: <c>count</c> only in adjustments, the rest only in indicators.</summary>
    public static bool IsKnownIn(FormulaVariables flag, FormulaContext context) => context == FormulaContext.Monitor
        ? Monitor.Any(v => v.Flag == flag)
        : (flag == FormulaVariables.Count) == (context == FormulaContext.Adjustment);

    /// <summary>The names a formula in <paramref name="context"/> may use, for suggestions.</summary>
    public static IEnumerable<string> NamesIn(FormulaContext context) => context == FormulaContext.Monitor
        ? Monitor.Select(v => v.Name)
        : All.Where(v => IsKnownIn(v.Flag, context)).Select(v => v.Name);
}
