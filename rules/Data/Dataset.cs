namespace BaiQianWan.Assess.Rules.Data;

/// <summary>Units and their reported figures, as loaded from files or a store. Validated before it gets here.</summary>
/// <param name="Units">Every unit, any level.</param>
/// <param name="Observations">Every observation, any period.</param>
public sealed record Dataset(IReadOnlyList<Unit> Units, IReadOnlyList<Observation> Observations);
