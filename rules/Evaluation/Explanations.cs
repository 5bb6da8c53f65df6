using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>Missing indicator: the reason and the zero it scores.</summary>
internal sealed class MissingExplanation(string reason) : Explanation
{
    protected override string Compose() => $"{reason}，按 0 分计";
}

// Each explanation keeps only the unit's own numbers and a reference to what its class shares (weight,
// method, peers), so scoring allocates one small object per unit and indicator; the sentence is composed
// only when read.

internal sealed class CompletionExplanation(ClassIndicator cls, Observation o, decimal value, decimal score) : Explanation
{
    protected override string Compose()
    {
        var method = (CompletionMethod)cls.Indicator.Method;
        var facts = cls.Facts(o, value);
        var w = Numbers.Plain(cls.Weight);
        var s = Numbers.Fixed(score, cls.Decimals);
        if (value < method.ZeroBelow)
            return $"{facts.Describe()}，低于 {Numbers.Percent(method.ZeroBelow)} 不得分 = {s}";
        if (!method.NoCap && value > method.Cap)
            return $"{facts.Describe()}，按封顶 {Numbers.Percent(method.Cap)} 计 × 权重 {w} = {s}";
        return $"{facts.Describe()} × 权重 {w} = {s}";
    }
}

internal sealed class BandsExplanation(ClassIndicator cls, Observation o, decimal value, Band? band, decimal score) : Explanation
{
    protected override string Compose()
    {
        var method = (BandsMethod)cls.Indicator.Method;
        var facts = cls.Facts(o, value);
        var s = Numbers.Fixed(score, cls.Decimals);
        if (band is null)
            return $"{facts.Describe()}，未达到任何一档 = {s}";
        var op = method.UsesMax ? "≤" : "≥";
        return $"{facts.Describe()}，落在“{op} {Figures.Show(method.Metric, band.Bound, facts.UnitOfMeasure)}”档，得 {Numbers.Plain(band.Score)} × 权重 {Numbers.Plain(cls.Weight)} = {s}";
    }
}

internal sealed class RankExplanation(ClassIndicator cls, Observation o, decimal value, int rank, decimal score) : Explanation
{
    protected override string Compose()
    {
        var method = (RankMethod)cls.Indicator.Method;
        var head = $"{cls.Facts(o, value).Describe()}，在同类 {cls.Peers.Count} 个单位中排第 {rank} 名";
        var w = Numbers.Plain(cls.Weight);
        var s = Numbers.Fixed(score, cls.Decimals);
        var share = 1m - method.Step * (rank - 1);
        if (rank == 1) return $"{head}：得满分，权重 {w} = {s}";
        if (share < method.Floor)
            return $"{head}：1 − {Numbers.Plain(method.Step)} × {rank - 1} 低于保底 {Numbers.Plain(method.Floor)}，按保底计：权重 {w} × {Numbers.Plain(method.Floor)} = {s}";
        return $"{head}：权重 {w} ×（1 − {Numbers.Plain(method.Step)} × {rank - 1}）= {s}";
    }
}

internal sealed class EfficacyExplanation(ClassIndicator cls, Observation o, decimal value, decimal score) : Explanation
{
    protected override string Compose()
    {
        var method = (EfficacyMethod)cls.Indicator.Method;
        var facts = cls.Facts(o, value);
        var (worst, best) = (cls.Peers.Worst, cls.Peers.Best);
        var s = Numbers.Fixed(score, cls.Decimals);
        var w = Numbers.Plain(cls.Weight);
        if (worst == best) return $"{facts.Describe()}，同类各单位该值相同，得满分，权重 {w} = {s}";
        var m = MetricFacts.Show(method.Metric, value);
        var lo = Numbers.Operand(MetricFacts.Show(method.Metric, worst));
        var hi = MetricFacts.Show(method.Metric, best);
        var f = Numbers.Plain(method.Floor);
        var rest = Numbers.Plain(1m - method.Floor);
        return $"{facts.Describe()}；功效系数：同类最差 {Figures.Show(method.Metric, worst, facts.UnitOfMeasure)}、最好 {Figures.Show(method.Metric, best, facts.UnitOfMeasure)}，权重 {w} ×（{f} + {rest} ×（{m} − {lo}）/（{hi} − {lo}））= {s}";
    }
}

internal sealed class IncrementExplanation(ClassIndicator cls, Observation o, decimal value, decimal raw, decimal score) : Explanation
{
    protected override string Compose()
    {
        var method = (IncrementMethod)cls.Indicator.Method;
        var facts = cls.Facts(o, value);
        var target = o.Target!.Value;
        var weight = cls.Weight;
        var d = facts.Better == Better.Lower ? target - value : value - target;
        // One unit per figure: the target and the difference carry the figure's unit as the actual value does
        // (99.5%, 目标 98%, 优于目标 1.5%; 增速 in 个百分点).
        var tShown = Figures.Show(method.Metric, target, facts.UnitOfMeasure);
        // Growth is shown with two places everywhere, so its difference is too; values are exact inputs.
        var shown = method.Metric == Metric.Growth ? Numbers.Fixed(d, 2) : Numbers.Brief(d);
        var magnitude = method.Metric == Metric.Growth ? Numbers.Fixed(Math.Abs(d), 2) : Numbers.Brief(Math.Abs(d));
        var withUnit = method.Metric == Metric.Growth ? magnitude + " 个百分点" : magnitude + Figures.UnitAfter(facts.UnitOfMeasure);
        var diff = d >= 0 ? $"优于目标 {withUnit}" : $"差于目标 {withUnit}";
        var w = Numbers.Plain(weight);
        var formula = $"权重 {w} × {Numbers.Plain(method.Base)} + {Numbers.Plain(method.Per)} × {Numbers.Operand(shown)}";
        var s = Numbers.Fixed(score, cls.Decimals);
        var cap = weight * method.Cap;
        var bound = raw > cap ? $"，封顶 {Numbers.Plain(cap)}" : raw < 0 ? "，最低 0" : "";
        return $"{facts.Describe()}，目标 {tShown}，{diff}：{formula}{bound} = {s}";
    }
}

internal sealed class FormulaExplanation(ClassIndicator cls, FormulaVariables uses, decimal[] values, decimal raw, decimal score) : Explanation
{
    /// <summary>(v3) The inputs the formula read, with the unit's values: 户籍人口 50 万人.</summary>
    public (InputItem Input, decimal Value)[] Inputs { get; init; } = [];

    protected override string Compose()
    {
        var method = (FormulaMethod)cls.Indicator.Method;
        var read = Variables.In(uses);
        var variables = string.Join("、", read.Select((v, i) => $"{v.Name} = {Numbers.Brief(values[i])}"));
        var cap = cls.Weight * method.Cap;
        var bound = raw > cap ? $"，按上限 {Numbers.Plain(cap)} 计" : raw < 0 ? "，按 0 计" : "";
        var vars = variables.Length == 0 ? "" : $"，其中 {variables}";
        var text = $"公式 {method.Formula.Trim()}{vars}：结果 {Numbers.Brief(raw)}{bound} = {Numbers.Fixed(score, cls.Decimals)}";
        // (v3) the broader averages the formula read, in the metric's terms: 所在市平均 6123.33，全省平均 7.12%.
        var averages = new List<string>();
        for (var i = 0; i < read.Count; i++)
        {
            if (read[i].Note == VariableNote.ParentAverage) averages.Add($"{cls.ParentWord}平均 {Average(cls, values[i])}");
            else if (read[i].Note == VariableNote.LevelAverage) averages.Add($"全省平均 {Average(cls, values[i])}");
        }
        foreach (var (input, value) in Inputs) averages.Add($"{input.Name} {Numbers.Plain(value)}{Figures.UnitAfter(input.UnitOfMeasure)}");
        return averages.Count == 0 ? text : $"{text}；{string.Join("，", averages)}";
    }

    private static string Average(ClassIndicator cls, decimal value) => cls.Indicator.Method.Metric switch
    {
        Metric.Completion => Numbers.Percent(value),
        Metric.Growth => Numbers.Fixed(value, 2) + "%",
        _ => Numbers.Fixed(value, 2) + Figures.UnitAfter(cls.Indicator.UnitOfMeasure),
    };
}

/// <summary>A figure with its unit: value-metric figures carry the indicator's unit of measure, the others their own (%).</summary>
internal static class Figures
{
    public static string Show(Metric metric, decimal value, string? unit) =>
        metric == Metric.Value ? Numbers.Plain(value) + UnitAfter(unit) : MetricFacts.Show(metric, value);

    /// <summary>" 亿元" after a number, but "%" and "‰" written close up (as <see cref="MetricFacts.Describe"/> does).</summary>
    public static string UnitAfter(string? unit) => unit switch
    {
        null or "" => "",
        "%" or "‰" or "％" => unit,
        _ => " " + unit,
    };
}
