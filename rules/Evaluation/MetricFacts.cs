using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>The numbers behind a unit's metric on an indicator, and how to say them in Chinese.</summary>
internal readonly record struct MetricFacts(Metric Metric, Better Better, decimal Actual, decimal? Target, decimal? Baseline, decimal Value, string? UnitOfMeasure)
{
    /// <summary>e.g. 完成率 96.00%（实际 48 / 目标 50）, 增速 8.50%（实际 108.5 / 上年同期 100）, 实际值 48 亿元.</summary>
    public string Describe() => Metric switch
    {
        Metric.Completion when Better == Better.Lower =>
            $"完成率 {Numbers.Percent(Value)}（逆向指标：2 − 实际 {Numbers.Plain(Actual)} / 目标 {Numbers.Plain(Target!.Value)}）",
        Metric.Completion => $"完成率 {Numbers.Percent(Value)}（实际 {Numbers.Plain(Actual)} / 目标 {Numbers.Plain(Target!.Value)}）",
        Metric.Growth => $"增速 {Numbers.Fixed(Value, 2)}%（实际 {Numbers.Plain(Actual)} / 上年同期 {Numbers.Plain(Baseline!.Value)}）",
        Metric.Change => ChangeText(),
        _ => $"实际值 {Numbers.Plain(Value)}{WithUnit(UnitOfMeasure)}",
    };

    /// <summary>(v3) 占比 45.3%，上年 44.8%，提高 0.5 个百分点 (a unit other than %: 实际 12 家，上年 9 家，提高 3 家).</summary>
    private string ChangeText()
    {
        var percent = UnitOfMeasure is "%" or "％";
        var b = Baseline!.Value;
        var word = Value >= 0m ? "提高" : "降低";
        var amount = Numbers.Brief(Math.Abs(Value)) + (percent ? " 个百分点" : WithUnit(UnitOfMeasure));
        return percent
            ? $"占比 {Numbers.Plain(Actual)}%，上年 {Numbers.Plain(b)}%，{word} {amount}"
            : $"实际 {Numbers.Plain(Actual)}{WithUnit(UnitOfMeasure)}，上年 {Numbers.Plain(b)}{WithUnit(UnitOfMeasure)}，{word} {amount}";
    }

    /// <summary>" 亿元" after a number, but "%" and "‰" written close up: 92.69%.</summary>
    private static string WithUnit(string? unit) => unit switch
    {
        null or "" => "",
        "%" or "‰" or "％" => unit,
        _ => " " + unit,
    };

    /// <summary>A bound or value in the metric's terms: a percentage for completion, "5.00%" for growth, the number otherwise.</summary>
    public static string Show(Metric metric, decimal value) => metric switch
    {
        Metric.Completion => Numbers.Percent(value),
        Metric.Growth => Numbers.Fixed(value, 2) + "%",
        _ => Numbers.Plain(value),
    };
}
