using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>Missing indicator: the reason and the zero it scores.</summary>
internal sealed class MissingExplanation(string reason) : Explanation
{
    protected override string Compose() => $"{reason}，按 0 分计";
}

internal sealed class CompletionExplanation(MetricFacts facts, CompletionMethod method, decimal weight, decimal score, int decimals) : Explanation
{
    protected override string Compose()
    {
        var r = facts.Value;
        var w = Numbers.Plain(weight);
        var s = Numbers.Fixed(score, decimals);
        if (r < method.ZeroBelow)
            return $"{facts.Describe()}，低于 {Numbers.Percent(method.ZeroBelow)} 不得分 = {s}";
        if (r > method.Cap)
            return $"{facts.Describe()}，按封顶 {Numbers.Percent(method.Cap)} 计 × 权重 {w} = {s}";
        return $"{facts.Describe()} × 权重 {w} = {s}";
    }
}

internal sealed class BandsExplanation(MetricFacts facts, BandsMethod method, Band? band, decimal weight, decimal score, int decimals) : Explanation
{
    protected override string Compose()
    {
        var s = Numbers.Fixed(score, decimals);
        if (band is null)
            return $"{facts.Describe()}，未达到任何一档 = {s}";
        var op = method.UsesMax ? "≤" : "≥";
        return $"{facts.Describe()}，落在“{op} {MetricFacts.Show(method.Metric, band.Bound)}”档，得 {Numbers.Plain(band.Score)} × 权重 {Numbers.Plain(weight)} = {s}";
    }
}

internal sealed class RankExplanation(MetricFacts facts, RankMethod method, int rank, int peers, decimal weight, decimal score, int decimals) : Explanation
{
    protected override string Compose()
    {
        var head = $"{facts.Describe()}，在同类 {peers} 个单位中排第 {rank} 名";
        var w = Numbers.Plain(weight);
        var s = Numbers.Fixed(score, decimals);
        var share = 1m - method.Step * (rank - 1);
        if (rank == 1) return $"{head}：得满分 权重 {w} = {s}";
        if (share < method.Floor)
            return $"{head}：1 − {Numbers.Plain(method.Step)} × {rank - 1} 低于保底 {Numbers.Plain(method.Floor)}，按保底计 权重 {w} × {Numbers.Plain(method.Floor)} = {s}";
        return $"{head}：权重 {w} ×（1 − {Numbers.Plain(method.Step)} × {rank - 1}）= {s}";
    }
}

internal sealed class EfficacyExplanation(MetricFacts facts, EfficacyMethod method, decimal worst, decimal best, decimal weight, decimal score, int decimals) : Explanation
{
    protected override string Compose()
    {
        var s = Numbers.Fixed(score, decimals);
        var w = Numbers.Plain(weight);
        if (worst == best) return $"{facts.Describe()}，同类各单位该值相同，得满分 权重 {w} = {s}";
        var m = MetricFacts.Show(method.Metric, facts.Value);
        var lo = MetricFacts.Show(method.Metric, worst);
        var hi = MetricFacts.Show(method.Metric, best);
        var f = Numbers.Plain(method.Floor);
        var rest = Numbers.Plain(1m - method.Floor);
        return $"{facts.Describe()}；功效系数：同类最差 {lo}、最好 {hi}，权重 {w} ×（{f} + {rest} ×（{m} − {lo}）/（{hi} − {lo}））= {s}";
    }
}

internal sealed class IncrementExplanation(MetricFacts facts, IncrementMethod method, decimal target, decimal weight, decimal raw, decimal score, int decimals) : Explanation
{
    protected override string Compose()
    {
        var d = facts.Better == Better.Lower ? target - facts.Value : facts.Value - target;
        var unit = method.Metric == Metric.Growth ? "个百分点" : facts.UnitOfMeasure ?? "";
        var tShown = MetricFacts.Show(method.Metric, target);
        var diff = d >= 0 ? $"优于目标 {Numbers.Plain(d)} {unit}".TrimEnd() : $"差于目标 {Numbers.Plain(-d)} {unit}".TrimEnd();
        var w = Numbers.Plain(weight);
        var formula = $"权重 {w} × {Numbers.Plain(method.Base)} + {Numbers.Plain(method.Per)} × {Numbers.Plain(d)}";
        var s = Numbers.Fixed(score, decimals);
        var cap = weight * method.Cap;
        var bound = raw > cap ? $"，封顶 {Numbers.Plain(cap)}" : raw < 0 ? "，最低 0" : "";
        return $"{facts.Describe()}，目标 {tShown}，{diff}：{formula}{bound} = {s}";
    }
}

internal sealed class FormulaExplanation(FormulaMethod method, FormulaVariables uses, decimal[] values, decimal raw, decimal weight, decimal score, int decimals) : Explanation
{
    protected override string Compose()
    {
        var names = uses.Names();
        var variables = string.Join("、", names.Select((n, i) => $"{n} = {Numbers.Plain(values[i])}"));
        var cap = weight * method.Cap;
        var bound = raw > cap ? $"，按上限 {Numbers.Plain(cap)} 计" : raw < 0 ? "，按 0 计" : "";
        var vars = variables.Length == 0 ? "" : $"，其中 {variables}";
        return $"公式 {method.Formula.Trim()}{vars}：结果 {Numbers.Plain(raw)}{bound} = {Numbers.Fixed(score, decimals)}";
    }
}
