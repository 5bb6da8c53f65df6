using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>One peer's inputs on one indicator: its observation, its metric and its rank among peers.</summary>
internal readonly record struct UnitFacts(Observation Observation, decimal Value, int Rank)
{
    /// <summary>(v3) The unit's parent code (for <c>parentAvg</c>), or null.</summary>
    public string? Parent { get; init; }

    /// <summary>(v3) The unit's position in its class roster (to read its inputs).</summary>
    public int Member { get; init; }
}
