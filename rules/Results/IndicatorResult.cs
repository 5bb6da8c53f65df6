namespace BaiQianWan.Assess.Rules.Results;

/// <summary>One unit's result on one indicator.</summary>
/// <param name="Id">Indicator id.</param>
/// <param name="Score">Score, rounded to the ruleset's decimals (0 when missing).</param>
/// <param name="Max">The method's maximum for the unit's weight.</param>
/// <param name="Missing">Why the indicator could not be scored, or null.</param>
/// <param name="Explanation">How the score came about.</param>
/// <param name="Actual">Reported actual, if any.</param>
/// <param name="Target">Reported target, if any.</param>
/// <param name="Baseline">Reported baseline, if any.</param>
/// <param name="MetricValue">The metric the method read (completion as a ratio, growth in percent, or the value), when defined.</param>
/// <param name="TargetMet">Whether the target was met (spec 2.1).</param>
public sealed record IndicatorResult(
    string Id,
    decimal Score,
    decimal Max,
    string? Missing,
    Explanation Explanation,
    decimal? Actual,
    decimal? Target,
    decimal? Baseline,
    decimal? MetricValue,
    bool TargetMet)
{
    /// <summary>The explanation text.</summary>
    public string Explain => Explanation.Text;
}
