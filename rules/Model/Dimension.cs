using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Model;

/// <summary>A group of indicators whose scores add up to the dimension's score.</summary>
public sealed record Dimension(string Id, string Name, ImmutableArray<Indicator> Indicators, SourcePosition Position)
{
    /// <summary>(v3) The dimension counts at most this many points (板块封顶), before <see cref="Factor"/>.</summary>
    public decimal? Cap { get; init; }

    /// <summary>(v3) The capped sum is multiplied by this (双百分制折算).</summary>
    public decimal? Factor { get; init; }

    /// <summary>True when the dimension has <c>cap</c> or <c>factor</c> (its result then carries raw, max and explain).</summary>
    public bool IsV3 => Cap is not null || Factor is not null;
}
