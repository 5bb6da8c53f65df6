namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>
/// (v3, spec 2.3) An indicator's metric averaged over its level peers (units of the evaluated level in listed classes
/// that carry the indicator, with the metric defined; excluded units count) and over those of each parent region.
/// Not rounded.
/// </summary>
/// <param name="Level">levelAvg, or null when the indicator has no level peer.</param>
/// <param name="ByParent">parentAvg per parent code (only parents with a peer).</param>
internal sealed record LevelAverages(decimal? Level, IReadOnlyDictionary<string, decimal> ByParent);
