namespace BaiQianWan.Assess.Rules.Model;

/// <summary>Red and black list rules (红黑榜); either may be absent.</summary>
public sealed record ListRules(RedListRule? Red, BlackListRule? Black)
{
    /// <summary>No lists.</summary>
    public static ListRules None { get; } = new(null, null);
}

/// <summary>Red list: the top <paramref name="Top"/> ranks, optionally only units that met their core targets.</summary>
public sealed record RedListRule(int Top, bool RequireTargetsMet)
{
    /// <summary>(v3) <c>top: P%</c>: the count is round(n × P / 100) of the ranked units in scope; null for a count.</summary>
    public decimal? Percent { get; init; }

    /// <summary>(v3) <c>scope: level</c>: rank and n are levelRank and N.</summary>
    public bool LevelScope { get; init; }

    /// <summary>The number of places for <paramref name="n"/> ranked units.</summary>
    public int CountFor(int n) => ListCounts.Of(Top, Percent, n);
}

/// <summary>Black list: the bottom <paramref name="Bottom"/> ranks, optionally only units that missed their core targets.</summary>
public sealed record BlackListRule(int Bottom, bool RequireTargetsMissed)
{
    /// <summary>(v3) <c>bottom: P%</c>: the count is round(n × P / 100) of the ranked units in scope; null for a count.</summary>
    public decimal? Percent { get; init; }

    /// <summary>(v3) <c>scope: level</c>: rank and n are levelRank and N.</summary>
    public bool LevelScope { get; init; }

    /// <summary>The number of places for <paramref name="n"/> ranked units.</summary>
    public int CountFor(int n) => ListCounts.Of(Bottom, Percent, n);
}

internal static class ListCounts
{
    /// <summary>A count as written, or round(n × P / 100), half away from zero (spec 2.5).</summary>
    public static int Of(int count, decimal? percent, int n) =>
        percent is { } p ? (int)Math.Round(n * p / 100m, 0, MidpointRounding.AwayFromZero) : count;
}
