namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>A set of formula variables, e.g. the ones a formula names (<see cref="CompiledFormula.Uses"/>).</summary>
[Flags]
public enum FormulaVariables
{
    /// <summary>No variable.</summary>
    None = 0,

    /// <summary><c>actual</c>: the observation's actual value.</summary>
    Actual = 1,

    /// <summary><c>target</c>: the observation's target.</summary>
    Target = 2,

    /// <summary><c>baseline</c>: the observation's baseline.</summary>
    Baseline = 4,

    /// <summary><c>weight</c>: the indicator's weight for the unit's class.</summary>
    Weight = 8,

    /// <summary><c>completion</c>: the completion ratio (spec 2.1).</summary>
    Completion = 16,

    /// <summary><c>growth</c>: the growth in percent (spec 2.1).</summary>
    Growth = 32,

    /// <summary><c>rank</c>: the unit's competition rank among class peers by the indicator's metric.</summary>
    Rank = 64,

    /// <summary><c>peers</c>: the number of class peers.</summary>
    Peers = 128,

    /// <summary><c>classAvg</c>: the class peers' mean of the indicator's metric.</summary>
    ClassAvg = 256,

    /// <summary><c>count</c>: an adjustment's count n; known only in adjustment formulas.</summary>
    Count = 512,

    /// <summary>(v3) <c>change</c>: a − b in the indicator's own unit, whatever <c>better</c> says.</summary>
    Change = 1024,

    /// <summary>(v3) <c>parentAvg</c>: the mean of the indicator's metric over the level peers with the unit's parent.</summary>
    ParentAvg = 2048,

    /// <summary>(v3) <c>levelAvg</c>: the mean of the indicator's metric over the level peers (every class together).</summary>
    LevelAvg = 4096,

    /// <summary>(monitors) <c>plan</c>: the planned year-to-date figure of the month.</summary>
    Plan = 8192,

    /// <summary>(monitors) <c>progress</c>: r(a / t × 100), the share of the annual target done.</summary>
    Progress = 16384,

    /// <summary>(monitors) <c>pace</c>: the time-elapsed line (序时进度) or the plan's share, in %.</summary>
    Pace = 32768,

    /// <summary>(monitors) <c>gap</c>: ahead (≥ 0) or behind of the pace or target.</summary>
    Gap = 65536,

    /// <summary>(monitors) <c>value</c>: the actual figure a.</summary>
    Value = 131072,

    /// <summary>(monitors) <c>month</c>: the month m evaluated (1–12).</summary>
    Month = 262144,

    /// <summary>(monitors) <c>levelRank</c>: the rank over every listed class of the level.</summary>
    LevelRank = 524288,

    /// <summary>(monitors) <c>levelPeers</c>: the number of level peers.</summary>
    LevelPeers = 1048576,
}
