using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Data;

/// <summary>
/// Refuses evaluations that would mislead, before any scoring: a table of zeros from a period with no figures,
/// from figures of another scheme, or from units no indicator applies to, ranked and graded as if they meant
/// something. The CLI and the workflow both run it before evaluating; it knows nothing of how scores are computed.
/// </summary>
public static class DatasetCheck
{
    /// <summary>Every reason not to evaluate <paramref name="data"/> for <paramref name="period"/> with <paramref name="ruleset"/>; empty when it may be.</summary>
    public static IReadOnlyList<string> Problems(Ruleset ruleset, Dataset data, Period period)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(data);
        var level = ruleset.Level;
        var units = data.Units.Where(u => u.Level == level).ToList();
        if (units.Count == 0)
            return [$"没有{level.ToChinese()}层级（{level.ToText()}）的单位，无法按规则集 '{ruleset.Id}' 评价"];

        var problems = new List<string>();
        var classes = ruleset.Classes.ToHashSet(StringComparer.Ordinal);
        var scored = units.Where(u => classes.Contains(u.Class)).ToList();
        if (scored.Count == 0)
            problems.Add($"{units.Count} 个{level.ToChinese()}单位的类别都不在规则集 '{ruleset.Id}' 的类别（{string.Join("、", ruleset.Classes)}）中，没有可评价的单位");

        var uncovered = scored.Where(u => !ruleset.Indicators.Any(i => i.Weight.TryGetFor(u.Class, out _))).Select(u => $"{u.Code}（{u.Class}）").ToList();
        if (uncovered.Count > 0)
            problems.Add($"规则集 '{ruleset.Id}' 没有适用于这些单位类别的指标（没有权重）：{Few(uncovered)}");

        var codes = units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var figures = data.Observations.Where(o => o.Period == period && codes.Contains(o.Unit)).ToList();
        if (figures.Count == 0)
        {
            problems.Add($"{period} 没有任何{level.ToChinese()}单位的报送数据：不评价（否则每个单位都会是 0 分，照样排名定等）");
            return problems;
        }
        var known = ruleset.Indicators.Select(i => i.Id).Concat(ruleset.Adjustments.Select(a => a.Id)).ToHashSet(StringComparer.Ordinal);
        if (!figures.Any(o => known.Contains(o.Indicator)))
        {
            var received = figures.Select(o => o.Indicator).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            problems.Add($"{period} 的{level.ToChinese()}报送数据中没有规则集 '{ruleset.Id}' 的任何指标（收到的指标：{Few(received)}）");
        }
        return problems;
    }

    private static string Few(IReadOnlyList<string> items) =>
        string.Join("、", items.Take(10)) + (items.Count > 10 ? $" 等 {items.Count} 个" : "");
}
