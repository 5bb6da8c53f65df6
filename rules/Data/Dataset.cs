namespace BaiQianWan.Assess.Rules.Data;

/// <summary>Units and their reported figures, as loaded from files or a store. Validated before it gets here.</summary>
/// <param name="Units">Every unit, any level.</param>
/// <param name="Observations">Every observation, any period.</param>
public sealed record Dataset(IReadOnlyList<Unit> Units, IReadOnlyList<Observation> Observations)
{
    /// <summary>
    /// (Annual contract §2) The publications an annual evaluation read as sources, by period (default: none). Recorded in
    /// the data hash and the results of a ruleset with <c>sources</c>; <see cref="Annual.SourceData.Join"/> sets them.
    /// </summary>
    public System.Collections.Immutable.ImmutableArray<Annual.SourceRecord> Publications { get; init; } = [];
}
