namespace BaiQianWan.Assess.Rules.Results;

/// <summary>A bonus or penalty item for a unit: the count read and the points before the bonus cap.</summary>
public sealed record AdjustmentResult(string Id, decimal Count, decimal Points);
