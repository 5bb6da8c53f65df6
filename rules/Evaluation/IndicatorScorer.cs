using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>A method compiled for one indicator: scores one peer given the class's peer statistics.</summary>
internal abstract class IndicatorScorer(Indicator indicator, int decimals)
{
    public Indicator Indicator { get; } = indicator;

    protected int Decimals { get; } = decimals;

    /// <summary>Whether the method needs each peer's rank.</summary>
    public virtual bool NeedsRanks => false;

    /// <summary>Whether the method needs the peers' worst, best and average.</summary>
    public virtual bool NeedsStats => false;

    /// <summary>(v3) True when the method has no upper limit (得分不封顶): the indicator's max is then null.</summary>
    public virtual bool Unlimited => false;

    /// <summary>The method's maximum for a weight (spec 2.1).</summary>
    public abstract decimal Max(decimal weight);

    /// <summary>Scores one peer of a class. Only units with the metric defined get here.</summary>
    public abstract Scored Score(in UnitFacts unit, ClassIndicator cls, FormulaScope scope);

    protected decimal Round(decimal raw) => Numbers.Round(raw, Decimals);

    /// <summary>The scorer of every method but <c>formula</c>, whose scorer wraps the formula as NRules compiled it.</summary>
    public static IndicatorScorer Create(Indicator indicator, int decimals) =>
        Methods.ScoringMethods.Of(indicator.Method).CreateScorer(indicator, decimals);
}
