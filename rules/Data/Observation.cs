namespace BaiQianWan.Assess.Rules.Data;

/// <summary>One reported figure: a unit's actual value for an indicator (or adjustment count) in a period.</summary>
/// <param name="Unit">Unit code.</param>
/// <param name="Indicator">Indicator or adjustment id.</param>
/// <param name="Period">Reporting period.</param>
/// <param name="Actual">Reported value (for adjustments, the count of items).</param>
/// <param name="Target">Target for the period, if any.</param>
/// <param name="Baseline">Same period of the previous year, if any.</param>
/// <param name="Plan">
/// The planned year-to-date figure through the period (the optional <c>plan</c> column, for monitors paced by plan);
/// scoring evaluations ignore it.
/// </param>
public sealed record Observation(string Unit, string Indicator, Period Period, decimal Actual, decimal? Target, decimal? Baseline, decimal? Plan = null);
