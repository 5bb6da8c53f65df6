using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Results;

/// <summary>One unit's result on one indicator.</summary>
/// <remarks>
/// The reported figures are read through the observation they came from rather than copied: evaluation
/// creates one of these per unit and indicator, so its size is most of what evaluation allocates.
/// Equality compares what is visible (the figures, not where they came from).
/// </remarks>
public sealed record IndicatorResult
{
    private readonly Observation? _source;

    /// <summary>A result with the reported figures given as numbers (e.g. read back from results JSON).</summary>
    /// <param name="id">Indicator id.</param>
    /// <param name="score">Score, rounded to the ruleset's decimals (0 when missing).</param>
    /// <param name="max">The method's maximum for the unit's weight.</param>
    /// <param name="missing">Why the indicator could not be scored, or null.</param>
    /// <param name="explanation">How the score came about.</param>
    /// <param name="actual">Reported actual, if any.</param>
    /// <param name="target">Reported target, if any (only with an actual: every observation has one).</param>
    /// <param name="baseline">Reported baseline, if any (only with an actual).</param>
    /// <param name="metricValue">The metric the method read, when defined.</param>
    /// <param name="targetMet">Whether the target was met (spec 2.1).</param>
    public IndicatorResult(string id, decimal score, decimal max, string? missing, Explanation explanation,
        decimal? actual, decimal? target, decimal? baseline, decimal? metricValue, bool targetMet)
        : this(id, score, max, missing, explanation, Figures(id, actual, target, baseline), metricValue, targetMet)
    {
    }

    /// <summary>A result whose figures are those of <paramref name="source"/> (null when the unit reported none).</summary>
    internal IndicatorResult(string id, decimal score, decimal max, string? missing, Explanation explanation,
        Observation? source, decimal? metricValue, bool targetMet)
    {
        Id = id;
        Score = score;
        Max = max;
        Missing = missing;
        Explanation = explanation;
        _source = source;
        MetricValue = metricValue;
        TargetMet = targetMet;
    }

    /// <summary>Indicator id.</summary>
    public string Id { get; }

    /// <summary>Score, rounded to the ruleset's decimals (0 when missing).</summary>
    public decimal Score { get; }

    /// <summary>The method's maximum for the unit's weight.</summary>
    public decimal Max { get; }

    /// <summary>Why the indicator could not be scored, or null.</summary>
    public string? Missing { get; }

    /// <summary>(v3) True when the method has no upper limit (得分不封顶): <see cref="Max"/> is then 0 and reported as null.</summary>
    public bool Unlimited { get; init; }

    /// <summary>The maximum as reported: null when <see cref="Unlimited"/>.</summary>
    public decimal? Limit => Unlimited ? null : Max;

    /// <summary>How the score came about.</summary>
    public Explanation Explanation { get; }

    /// <summary>Reported actual, if any.</summary>
    public decimal? Actual => _source?.Actual;

    /// <summary>Reported target, if any.</summary>
    public decimal? Target => _source?.Target;

    /// <summary>Reported baseline, if any.</summary>
    public decimal? Baseline => _source?.Baseline;

    /// <summary>The metric the method read (completion as a ratio, growth in percent, or the value), when defined.</summary>
    public decimal? MetricValue { get; }

    /// <summary>Whether the target was met (spec 2.1).</summary>
    public bool TargetMet { get; }

    /// <summary>The explanation text.</summary>
    public string Explain => Explanation.Text;

    /// <inheritdoc />
    public bool Equals(IndicatorResult? other) =>
        other is not null && Id == other.Id && Score == other.Score && Max == other.Max && Unlimited == other.Unlimited && Missing == other.Missing
        && Explain == other.Explain && Actual == other.Actual && Target == other.Target && Baseline == other.Baseline
        && MetricValue == other.MetricValue && TargetMet == other.TargetMet;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Score, Max, Missing, Actual, Target, Baseline, MetricValue);

    private static Observation? Figures(string id, decimal? actual, decimal? target, decimal? baseline)
    {
        if (actual is { } a) return new Observation("", id, default, a, target, baseline);
        if (target is not null || baseline is not null)
            throw new ArgumentException($"指标 {id}：没有实际值的结果不能有目标值或上年同期值（每条报送数据都有实际值）");
        return null;
    }
}
