using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Model;

/// <summary>An indicator's scoring method and its parameters (spec 2.1). Defaults are already applied.</summary>
public abstract record ScoringMethod
{
    private protected ScoringMethod()
    {
    }

    /// <summary>The method's name as written in YAML.</summary>
    public abstract string Name { get; }

    /// <summary>The metric the method reads.</summary>
    public abstract Metric Metric { get; }
}

/// <summary><c>completion</c>: w × min(completion, cap), 0 below <c>zeroBelow</c>.</summary>
public sealed record CompletionMethod(decimal Cap, decimal ZeroBelow) : ScoringMethod
{
    /// <summary>(v3) <c>cap: none</c> (得分不封顶): w × r with no upper limit; the indicator's max is null.</summary>
    public bool NoCap { get; init; }

    /// <inheritdoc />
    public override string Name => "completion";

    /// <inheritdoc />
    public override Metric Metric => Metric.Completion;
}

/// <summary><c>bands</c>: fixed shares of the weight per band of the metric.</summary>
/// <param name="Metric">The metric read.</param>
/// <param name="UsesMax">True when bands carry <c>max</c> (lower-is-better reading), false for <c>min</c>.</param>
/// <param name="Bands">The bands in the order written.</param>
public sealed record BandsMethod(Metric Metric, bool UsesMax, ImmutableArray<Band> Bands) : ScoringMethod
{
    /// <inheritdoc />
    public override string Name => "bands";

    /// <inheritdoc />
    public override Metric Metric { get; } = Metric;
}

/// <summary><c>rank</c>: w × max(floor, 1 − step × (rank − 1)) by rank among class peers.</summary>
public sealed record RankMethod(Metric Metric, decimal Step, decimal Floor) : ScoringMethod
{
    /// <inheritdoc />
    public override string Name => "rank";

    /// <inheritdoc />
    public override Metric Metric { get; } = Metric;
}

/// <summary><c>efficacy</c> (功效系数法): w × (floor + (1 − floor) × (m − worst)/(best − worst)).</summary>
public sealed record EfficacyMethod(Metric Metric, decimal Floor) : ScoringMethod
{
    /// <inheritdoc />
    public override string Name => "efficacy";

    /// <inheritdoc />
    public override Metric Metric { get; } = Metric;
}

/// <summary><c>increment</c>: clamp(w × base + per × (m − t), 0, w × cap).</summary>
public sealed record IncrementMethod(Metric Metric, decimal Base, decimal Per, decimal Cap) : ScoringMethod
{
    /// <inheritdoc />
    public override string Name => "increment";

    /// <inheritdoc />
    public override Metric Metric { get; } = Metric;
}

/// <summary><c>formula</c>: clamp(formula, 0, w × cap).</summary>
/// <param name="Metric">The metric used for class peers, <c>rank</c> and <c>classAvg</c>.</param>
/// <param name="Formula">The formula text as written.</param>
/// <param name="Cap">Cap as a multiple of the weight.</param>
/// <param name="FormulaPosition">Where the formula text starts in the YAML.</param>
public sealed record FormulaMethod(Metric Metric, string Formula, decimal Cap, SourcePosition FormulaPosition) : ScoringMethod
{
    /// <inheritdoc />
    public override string Name => "formula";

    /// <inheritdoc />
    public override Metric Metric { get; } = Metric;
}

/// <summary>One side of a <c>steps</c> method: <paramref name="Points"/> per whole <paramref name="Every"/>, at most <paramref name="Max"/>.</summary>
/// <param name="Every">The step, in the metric's unit (&gt; 0).</param>
/// <param name="Points">Points per whole step (≥ 0), the same for every class.</param>
/// <param name="Max">Most points this side adds or takes, or null for no limit.</param>
public sealed record StepRule(decimal Every, decimal Points, decimal? Max);

/// <summary>
/// <c>steps</c> (v3, spec 2.1.1): w × base at the reference point, whole steps up and down with their own points and
/// limits, zero below (above) a threshold, never below 0.
/// </summary>
/// <param name="Metric">The metric read.</param>
/// <param name="Base">The score at the reference point as a multiple of the weight.</param>
/// <param name="From">The reference point in the metric's unit; null: 1 for completion, the target otherwise.</param>
/// <param name="Up">Steps past the reference point in the better direction, if scored.</param>
/// <param name="Down">Steps short of the reference point, if scored.</param>
/// <param name="ZeroBelow">Below this (direction higher) the score is 0.</param>
/// <param name="ZeroAbove">Above this (direction lower) the score is 0.</param>
public sealed record StepsMethod(Metric Metric, decimal Base, decimal? From, StepRule? Up, StepRule? Down, decimal? ZeroBelow, decimal? ZeroAbove)
    : ScoringMethod
{
    /// <inheritdoc />
    public override string Name => "steps";

    /// <inheritdoc />
    public override Metric Metric { get; } = Metric;

    /// <summary>The most points for a weight: w × base + up.max; null (no limit) when <c>up</c> has no max.</summary>
    public decimal? MaxFor(decimal weight) => Up is null ? weight * Base : Up.Max is { } m ? weight * Base + m : null;
}
