namespace BaiQianWan.Assess.Rules.Model;

/// <summary>Red and black list rules (红黑榜); either may be absent.</summary>
public sealed record ListRules(RedListRule? Red, BlackListRule? Black)
{
    /// <summary>No lists.</summary>
    public static ListRules None { get; } = new(null, null);
}

/// <summary>Red list: the top <paramref name="Top"/> ranks, optionally only units that met their core targets.</summary>
public sealed record RedListRule(int Top, bool RequireTargetsMet);

/// <summary>Black list: the bottom <paramref name="Bottom"/> ranks, optionally only units that missed their core targets.</summary>
public sealed record BlackListRule(int Bottom, bool RequireTargetsMissed);
