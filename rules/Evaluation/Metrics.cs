using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>The metrics of spec 2.1 and the "target met" rule.</summary>
internal static class Metrics
{
    /// <summary>a / t, or max(0, 2 − a / t) when lower is better. t must not be 0.</summary>
    public static decimal Completion(decimal actual, decimal target, Better better)
    {
        var r = actual / target;
        return better == Better.Lower ? Math.Max(0m, 2m - r) : r;
    }

    /// <summary>(a − b) / |b| × 100. b must not be 0.</summary>
    public static decimal Growth(decimal actual, decimal baseline) => (actual - baseline) / Math.Abs(baseline) * 100m;

    /// <summary>The indicator's metric for an observation, or the reason it is undefined.</summary>
    public static bool TryMetric(Indicator indicator, Observation o, out decimal value, out string? reason)
    {
        value = 0m;
        reason = null;
        switch (indicator.Method.Metric)
        {
            case Metric.Completion:
                if (o.Target is not { } t) reason = "缺少目标值，无法计算完成率";
                else if (t == 0m) reason = "目标值为 0，无法计算完成率";
                else value = Completion(o.Actual, t, indicator.Better);
                break;
            case Metric.Growth:
                if (o.Baseline is not { } b) reason = "缺少上年同期值，无法计算增速";
                else if (b == 0m) reason = "上年同期值为 0，无法计算增速";
                else value = Growth(o.Actual, b);
                break;
            case Metric.Change:
                if (o.Baseline is not { } cb) reason = "缺少上年同期值，无法计算升降幅度";
                else value = o.Actual - cb;
                break;
            default:
                value = o.Actual;
                break;
        }
        return reason is null;
    }

    /// <summary>
    /// Target met (spec 2.1): on the growth metric, growth against the target; otherwise the actual against
    /// the target, both in the direction of <c>better</c>. Never met without an observation or target.
    /// </summary>
    /// <param name="indicator">The indicator.</param>
    /// <param name="o">The unit's observation, if any.</param>
    /// <param name="growth">The growth already computed for this observation, when the metric is growth and defined.</param>
    public static bool TargetMet(Indicator indicator, Observation? o, decimal? growth = null)
    {
        if (o?.Target is not { } t) return false;
        if (indicator.Method.Metric == Metric.Change)
        {
            if (o.Baseline is not { } cb) return false;
            var c = growth ?? o.Actual - cb;
            return indicator.Better == Better.Lower ? c <= t : c >= t;
        }
        if (indicator.Method.Metric == Metric.Growth)
        {
            if (o.Baseline is not { } b || b == 0m) return false;
            var g = growth ?? Growth(o.Actual, b);
            return indicator.Better == Better.Lower ? g <= t : g >= t;
        }
        return indicator.Better == Better.Lower ? o.Actual <= t : o.Actual >= t;
    }
}
