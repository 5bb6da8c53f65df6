namespace BaiQianWan.Assess.Store;

/// <summary>A unit some stored run has a result for (<see cref="IRunStore.ListUnitsUsedByRunsAsync"/>).</summary>
/// <param name="UnitCode">The unit's code.</param>
/// <param name="RunId">The newest run with a result for it.</param>
public sealed record UnitUse(string UnitCode, string RunId);
