namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>
/// The inputs of one evaluation. Mutable on purpose: the engine fills one instance per unit and reuses it, so the
/// hot path allocates nothing. A compiled formula reads only the fields named in its <see cref="CompiledFormula.Uses"/>.
/// </summary>
public sealed class FormulaScope
{
    /// <summary><c>actual</c>.</summary>
    public decimal Actual;

    /// <summary><c>target</c>.</summary>
    public decimal Target;

    /// <summary><c>baseline</c>.</summary>
    public decimal Baseline;

    /// <summary><c>weight</c>.</summary>
    public decimal Weight;

    /// <summary><c>completion</c>.</summary>
    public decimal Completion;

    /// <summary><c>growth</c>.</summary>
    public decimal Growth;

    /// <summary><c>rank</c>.</summary>
    public decimal Rank;

    /// <summary><c>peers</c>.</summary>
    public decimal Peers;

    /// <summary><c>classAvg</c>.</summary>
    public decimal ClassAvg;

    /// <summary><c>count</c>.</summary>
    public decimal Count;

    /// <summary>(v3) <c>change</c>.</summary>
    public decimal Change;

    /// <summary>(v3) <c>parentAvg</c>.</summary>
    public decimal ParentAvg;

    /// <summary>(v3) <c>levelAvg</c>.</summary>
    public decimal LevelAvg;

    /// <summary>(monitors) <c>plan</c>.</summary>
    public decimal Plan;

    /// <summary>(monitors) <c>progress</c>.</summary>
    public decimal Progress;

    /// <summary>(monitors) <c>pace</c>.</summary>
    public decimal Pace;

    /// <summary>(monitors) <c>gap</c>.</summary>
    public decimal Gap;

    /// <summary>(monitors) <c>value</c>.</summary>
    public decimal Value;

    /// <summary>(monitors) <c>month</c>.</summary>
    public decimal Month;

    /// <summary>(monitors) <c>levelRank</c>.</summary>
    public decimal LevelRank;

    /// <summary>(monitors) <c>levelPeers</c>.</summary>
    public decimal LevelPeers;

    /// <summary>(v3) The values of the ruleset's <c>inputs</c>, by their position among them.</summary>
    public decimal[] Inputs = [];
}
