using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>Where a formula variable may be named.</summary>
[Flags]
internal enum VariableContexts
{
    None = 0,

    /// <summary>An indicator's <c>formula</c>.</summary>
    Indicator = 1,

    /// <summary>An adjustment's <c>formula</c> or <c>when</c>.</summary>
    Adjustment = 2,

    /// <summary>A monitor light's <c>when</c>.</summary>
    Monitor = 4,

    /// <summary>The scoring contexts: a name of either is a scoring variable (and not free for an input id).</summary>
    Scoring = Indicator | Adjustment,
}

/// <summary>What an evaluation derives before a scoring formula that names the variable can run.</summary>
[Flags]
internal enum VariableNeeds
{
    None = 0,

    /// <summary>Each class peer's rank by the indicator's metric (the <c>…:peers</c> rule).</summary>
    ClassRanks = 1,

    /// <summary>The class peers' worst, best and mean (the <c>…:peers</c> rule).</summary>
    ClassStats = 2,

    /// <summary>(v3) The level-wide figures: the level's and each parent region's mean (the <c>…:level</c> rule).</summary>
    LevelFigures = 4,
}

/// <summary>What an indicator's explanation says of the variable besides <c>name = value</c>.</summary>
internal enum VariableNote
{
    None,

    /// <summary>(v3) 所在市平均 6123.33: the parent region's mean in the metric's terms.</summary>
    ParentAverage,

    /// <summary>(v3) 全省平均 7.12%: the level's mean in the metric's terms.</summary>
    LevelAverage,
}

/// <summary>One formula variable: its spelling, flag, field of <see cref="FormulaScope"/>, where it may be named and what it needs.</summary>
/// <param name="Name">As rule authors write it (names match ignoring case).</param>
/// <param name="Flag">Its flag in <see cref="FormulaVariables"/> (<see cref="CompiledFormula.Uses"/>).</param>
/// <param name="Field">The <see cref="FormulaScope"/> field holding its value (read by the expression-tree emitter).</param>
/// <param name="Read">Reads that field (closures, explanations' snapshots); a test checks it reads <paramref name="Field"/>.</param>
/// <param name="Contexts">Where it may be named.</param>
/// <param name="Needs">What a scoring evaluation derives for it.</param>
/// <param name="Note">What an indicator's explanation adds for it.</param>
internal sealed record FormulaVariable(
    string Name,
    FormulaVariables Flag,
    string Field,
    Func<FormulaScope, decimal> Read,
    VariableContexts Contexts,
    VariableNeeds Needs = VariableNeeds.None,
    VariableNote Note = VariableNote.None)
{
    /// <summary>Whether a formula in <paramref name="context"/> may name it.</summary>
    public bool IsKnownIn(FormulaContext context) => (Contexts & Variables.ContextOf(context)) != 0;
}

/// <summary>
/// The one list of formula variables. The binder (names, contexts, suggestions), the emitters (the field each reads),
/// the scorers (what each needs, the values an explanation shows), the explanations and the loader (input ids may not
/// take a variable's name) all read it; a variable is added here and nowhere else but its <see cref="FormulaVariables"/>
/// flag and its <see cref="FormulaScope"/> field, which a test holds to this list one to one. A flag or name that is not
/// here is an error wherever it is asked for, never a fallback to another variable.
/// </summary>
internal static class Variables
{
    private const VariableContexts I = VariableContexts.Indicator;
    private const VariableContexts A = VariableContexts.Adjustment;
    private const VariableContexts M = VariableContexts.Monitor;

    /// <summary>
    /// Every variable. Filtered to a context, this order is the order names are listed in (messages, <c>Uses</c>,
    /// explanations): indicator formulas actual … levelAvg; monitors actual, target, baseline, plan, progress, pace, gap,
    /// growth, value, month, rank, peers, levelRank, levelPeers, classAvg, levelAvg.
    /// </summary>
    public static readonly ImmutableArray<FormulaVariable> All =
    [
        new("actual", FormulaVariables.Actual, nameof(FormulaScope.Actual), static s => s.Actual, I | M),
        new("target", FormulaVariables.Target, nameof(FormulaScope.Target), static s => s.Target, I | M),
        new("baseline", FormulaVariables.Baseline, nameof(FormulaScope.Baseline), static s => s.Baseline, I | M),
        new("weight", FormulaVariables.Weight, nameof(FormulaScope.Weight), static s => s.Weight, I),
        new("completion", FormulaVariables.Completion, nameof(FormulaScope.Completion), static s => s.Completion, I),
        new("plan", FormulaVariables.Plan, nameof(FormulaScope.Plan), static s => s.Plan, M),
        new("progress", FormulaVariables.Progress, nameof(FormulaScope.Progress), static s => s.Progress, M),
        new("pace", FormulaVariables.Pace, nameof(FormulaScope.Pace), static s => s.Pace, M),
        new("gap", FormulaVariables.Gap, nameof(FormulaScope.Gap), static s => s.Gap, M),
        new("growth", FormulaVariables.Growth, nameof(FormulaScope.Growth), static s => s.Growth, I | M),
        new("change", FormulaVariables.Change, nameof(FormulaScope.Change), static s => s.Change, I),
        new("value", FormulaVariables.Value, nameof(FormulaScope.Value), static s => s.Value, M),
        new("month", FormulaVariables.Month, nameof(FormulaScope.Month), static s => s.Month, M),
        new("rank", FormulaVariables.Rank, nameof(FormulaScope.Rank), static s => s.Rank, I | M, VariableNeeds.ClassRanks),
        new("peers", FormulaVariables.Peers, nameof(FormulaScope.Peers), static s => s.Peers, I | M),
        new("levelRank", FormulaVariables.LevelRank, nameof(FormulaScope.LevelRank), static s => s.LevelRank, M),
        new("levelPeers", FormulaVariables.LevelPeers, nameof(FormulaScope.LevelPeers), static s => s.LevelPeers, M),
        new("classAvg", FormulaVariables.ClassAvg, nameof(FormulaScope.ClassAvg), static s => s.ClassAvg, I | M, VariableNeeds.ClassStats),
        new("parentAvg", FormulaVariables.ParentAvg, nameof(FormulaScope.ParentAvg), static s => s.ParentAvg, I,
            VariableNeeds.LevelFigures, VariableNote.ParentAverage),
        new("levelAvg", FormulaVariables.LevelAvg, nameof(FormulaScope.LevelAvg), static s => s.LevelAvg, I | M,
            VariableNeeds.LevelFigures, VariableNote.LevelAverage),
        new("count", FormulaVariables.Count, nameof(FormulaScope.Count), static s => s.Count, A),
    ];

    /// <summary>The contexts flag of a <see cref="FormulaContext"/>.</summary>
    public static VariableContexts ContextOf(FormulaContext context) => context switch
    {
        FormulaContext.Indicator => VariableContexts.Indicator,
        FormulaContext.Adjustment => VariableContexts.Adjustment,
        FormulaContext.Monitor => VariableContexts.Monitor,
        _ => throw new ArgumentOutOfRangeException(nameof(context), context, "Unknown formula context."),
    };

    /// <summary>
    /// The variable a name means where <paramref name="context"/> is written, ignoring case, or null. A monitor knows
    /// only its own names; a scoring formula finds every scoring variable (the binder then tells <c>count</c> in an
    /// indicator, or <c>actual</c> in an adjustment, from an unknown name).
    /// </summary>
    public static FormulaVariable? Find(string name, FormulaContext context)
    {
        var within = context == FormulaContext.Monitor ? VariableContexts.Monitor : VariableContexts.Scoring;
        // A scan of twenty names costs nanoseconds; a frozen or hashed dictionary would cost milliseconds of JIT
        // the first time a process compiles a formula.
        foreach (var variable in All)
            if ((variable.Contexts & within) != 0 && string.Equals(variable.Name, name, StringComparison.OrdinalIgnoreCase))
                return variable;
        return null;
    }

    /// <summary>The names a formula in <paramref name="context"/> may use, in list order, for messages and suggestions.</summary>
    public static IEnumerable<string> NamesIn(FormulaContext context) => All.Where(v => v.IsKnownIn(context)).Select(v => v.Name);

    /// <summary>The variable of one flag; a flag not in the list (or several flags) is an error.</summary>
    public static FormulaVariable Of(FormulaVariables flag)
    {
        foreach (var variable in All)
            if (variable.Flag == flag) return variable;
        throw new InvalidOperationException($"The formula variable flag {flag} is not in the registry (rules/Formulas/Variables.cs).");
    }

    /// <summary>
    /// The variables of a set: the scoring ones in list order, then the monitor-only ones in list order. A bit of the
    /// set that is no variable's is an error.
    /// </summary>
    public static IReadOnlyList<FormulaVariable> In(FormulaVariables set)
    {
        var result = new List<FormulaVariable>();
        var seen = FormulaVariables.None;
        foreach (var variable in All)
        {
            if ((variable.Contexts & VariableContexts.Scoring) == 0 || (set & variable.Flag) == 0) continue;
            result.Add(variable);
            seen |= variable.Flag;
        }
        foreach (var variable in All)
        {
            if ((variable.Contexts & VariableContexts.Scoring) != 0 || (set & variable.Flag) == 0) continue;
            result.Add(variable);
            seen |= variable.Flag;
        }
        if ((set & ~seen) is var unknown and not FormulaVariables.None)
            throw new InvalidOperationException($"The formula variable flags {unknown} are not in the registry (rules/Formulas/Variables.cs).");
        return result;
    }

    /// <summary>What a scoring evaluation derives for the variables of a set.</summary>
    public static VariableNeeds NeedsOf(FormulaVariables set)
    {
        var needs = VariableNeeds.None;
        foreach (var variable in In(set)) needs |= variable.Needs;
        return needs;
    }
}
