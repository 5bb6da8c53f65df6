namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>The three numbers of one observation row before it gets its unit, indicator and period.</summary>
/// <param name="Actual">Reported value.</param>
/// <param name="Target">Target for the period, if any.</param>
/// <param name="Baseline">Same period of the previous year, if any.</param>
internal readonly record struct Figures(decimal Actual, decimal? Target, decimal? Baseline);
