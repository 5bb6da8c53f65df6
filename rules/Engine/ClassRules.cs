using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Engine;

/// <summary>The compile-time part of the class-wide rules (<c>dimension:&lt;id&gt;</c>, <c>total</c>, <c>rank</c>, <c>grade:…</c>, <c>list:…</c>, <c>result</c>).</summary>
internal sealed class ClassRules
{
    public ClassRules(Ruleset ruleset)
    {
        Ruleset = ruleset;
        var indicators = new List<IndicatorRule>();
        for (var d = 0; d < ruleset.Dimensions.Length; d++)
            foreach (var indicator in ruleset.Dimensions[d].Indicators)
                indicators.Add(new IndicatorRule(ruleset, indicator, indicators.Count, d));
        Indicators = [.. indicators];
        Adjustments = [.. ruleset.Adjustments.Select((a, i) => new AdjustmentRule(ruleset, a, i, indicators.Count + i))];
        DimensionIndicators = [.. ruleset.Dimensions.Select((_, d) =>
            ruleset.Classes.Select((_, c) => Indicators.Count(i => i.Dimension == d && i.AppliesTo(c))).ToArray())];
        DimensionsUsed = [.. ruleset.Classes.Select((_, c) => DimensionIndicators.Count(counts => counts[c] > 0))];
        PointItems = Adjustments.Count(a => a.Adjustment.Kind != AdjustmentKind.Veto);
        VetoItems = Adjustments.Length - PointItems;
        VetoGradeCaps = Adjustments.Where(a => a.Adjustment.Kind == AdjustmentKind.Veto && !a.Adjustment.Exclude)
            .ToDictionary(a => a.Adjustment.Id, a => a.GradeCap, StringComparer.Ordinal);
        ListCount = (ruleset.Lists.Red is null ? 0 : 1) + (ruleset.Lists.Black is null ? 0 : 1);
    }

    public Ruleset Ruleset { get; }

    /// <summary>Every indicator in ruleset order; an indicator's position is its item.</summary>
    public IndicatorRule[] Indicators { get; }

    public AdjustmentRule[] Adjustments { get; }

    /// <summary>
    /// Per dimension position, per class position: how many of the dimension's indicators apply (its
    /// <c>dimension:&lt;id&gt;</c> rule waits for that many scores, and fires only where there is one).
    /// </summary>
    public int[][] DimensionIndicators { get; }

    /// <summary>Per class position: how many dimensions have an indicator that applies (the <c>total</c> rule waits for that many).</summary>
    public int[] DimensionsUsed { get; }

    public int PointItems { get; }

    public int VetoItems { get; }

    public int ListCount { get; }

    public IReadOnlyDictionary<string, int> VetoGradeCaps { get; }
}
