using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Engine;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>
/// Evaluates a compiled ruleset over a dataset for one period (spec §2–3): an NRules session fires the ruleset's
/// rules over the level's units and the period's observations. Pure and deterministic.
/// </summary>
public static class Evaluator
{
    /// <summary>Evaluates every unit of the ruleset's level for <paramref name="period"/>.</summary>
    /// <param name="ruleset">The compiled ruleset.</param>
    /// <param name="data">Units and observations (already validated).</param>
    /// <param name="period">The period evaluated; observations of other periods are ignored.</param>
    /// <param name="rulesetVersion">The stored version, or null when evaluating from a file.</param>
    /// <exception cref="RuleEvaluationException">A rule failed inside its action; there is no result.</exception>
    public static EvaluationResult Evaluate(CompiledRuleset ruleset, Dataset data, Period period, int? rulesetVersion = null)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(data);
        return RuleEngine.Evaluate(ruleset, data, period, rulesetVersion, null, out _);
    }

    /// <summary>Evaluates as <see cref="Evaluate(CompiledRuleset, Dataset, Period, int?)"/> and reports every rule firing to <paramref name="trace"/>.</summary>
    /// <param name="ruleset">The compiled ruleset.</param>
    /// <param name="data">Units and observations (already validated).</param>
    /// <param name="period">The period evaluated.</param>
    /// <param name="rulesetVersion">The stored version, or null when evaluating from a file.</param>
    /// <param name="trace">Receives one <see cref="RuleFiring"/> per figure a firing produced, in firing order.</param>
    /// <exception cref="RuleEvaluationException">A rule failed inside its action; there is no result.</exception>
    public static EvaluationResult Evaluate(CompiledRuleset ruleset, Dataset data, Period period, int? rulesetVersion, Action<RuleFiring> trace)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(trace);
        return RuleEngine.Evaluate(ruleset, data, period, rulesetVersion, trace, out _);
    }

    /// <summary>Evaluates and counts the rules fired (for the bench).</summary>
    internal static EvaluationResult Evaluate(CompiledRuleset ruleset, Dataset data, Period period, out int firings) =>
        RuleEngine.Evaluate(ruleset, data, period, null, null, out firings);
}
