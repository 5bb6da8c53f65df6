using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>
/// One indicator as it applies to one class: its weight there and its peers' statistics. Shared by every
/// unit of the class, so a unit's explanation needs only its own numbers and a reference to this.
/// </summary>
internal sealed class ClassIndicator(Indicator indicator, decimal weight, PeerStats peers, int decimals)
{
    public Indicator Indicator { get; } = indicator;

    public decimal Weight { get; } = weight;

    public PeerStats Peers { get; } = peers;

    public int Decimals { get; } = decimals;

    /// <summary>(v3) The indicator's level-wide figures (levelAvg, parentAvg), when its formula reads them.</summary>
    public LevelAverages? Level { get; init; }

    /// <summary>(v3) How the unit's parent region is named in explanations: 所在市 for a county, 所在县 for a town.</summary>
    public string ParentWord { get; init; } = "所在上级";

    /// <summary>(v3) Per input named by the formula (in <c>InputsUsed</c> order): the class's observations of it.</summary>
    public Data.Observation?[][] InputRows { get; init; } = [];

    /// <summary>The facts behind a unit's metric, for the sentence that explains it.</summary>
    public MetricFacts Facts(Observation o, decimal value) =>
        new(Indicator.Method.Metric, Indicator.Better, o.Actual, o.Target, o.Baseline, value, Indicator.UnitOfMeasure);
}
