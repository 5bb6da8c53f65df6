namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>How to draw the four quarters of one indicator (or adjustment) for one unit.</summary>
/// <param name="Id">The id in the sample ruleset.</param>
/// <param name="Draw">Draws Q1–Q4 from the unit's profile and a stream of its own; a null quarter has no row.</param>
internal sealed record IndicatorSeries(string Id, Func<UnitProfile, SplitMix64, Figures?[]> Draw);
