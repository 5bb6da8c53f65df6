namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>What a method needs to know of a unit's class peers on one indicator.</summary>
/// <param name="Count">Number of class peers (units with the metric defined).</param>
/// <param name="Worst">The worst metric among peers, in the read direction.</param>
/// <param name="Best">The best metric among peers, in the read direction.</param>
/// <param name="Average">Mean of the peers' metric.</param>
internal readonly record struct PeerStats(int Count, decimal Worst, decimal Best, decimal Average);
