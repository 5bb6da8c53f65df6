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
