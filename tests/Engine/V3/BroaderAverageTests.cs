namespace BaiQianWan.Assess.Tests.Engine.V3;

/// <summary>(v3) <c>parentAvg</c>, <c>levelAvg</c> and the formula variable <c>change</c> (spec 2.3).</summary>
public class BroaderAverageTests
{
    private static string Ruleset(string formula, string extra = "") => RulesetYaml.County().Class("创先", "进位")
        .Indicator("x", "指标", $"weight: 25\nmethod: formula\ncap: 2\nformula: \"{formula}\"").Then(extra).NoGrades().Build();

    // City C1: A 93, B 107 (进位) → parentAvg 100; city C2: D 50 → 50; N has no parent. levelAvg = 250 / 3 (N has no row).
    private const string Units = "A 创先 C1\nB 进位 C1\nD 创先 C2\nN 创先 -";
    private const string Data = "A,x,2025Q3,93,,\nB,x,2025Q3,107,,\nD,x,2025Q3,50,,";

    [Fact]
    public void The_spec_s_example_every_ten_percent_below_the_city_average_costs_one_and_a_half()
    {
        // 每低10%扣1.5分，不足10%按10%计: actual/parentAvg = 0.93 → FLOOR(−0.7) = −1 → 25 − 1.5 = 23.5.
        var result = Spec.EvaluateWithParents(Ruleset("=weight + 1.5*FLOOR((actual/parentAvg - 1)*10)"), Units, Data);
        Assert.Equal(23.5m, result.Indicator("A").Score);
        Assert.Equal(25m, result.Indicator("B").Score); // 1.07 → FLOOR(0.7) = 0: the class does not matter
        Assert.Equal(25m, result.Indicator("D").Score); // alone in C2: its own average
        Assert.EndsWith("；所在市平均 100.00", result.Indicator("A").Explain);
        // TRUNC would give 25.
        Assert.Equal(25m, Spec.EvaluateWithParents(Ruleset("=weight + 1.5*TRUNC((actual/parentAvg - 1)*10)"), Units, Data).Indicator("A").Score);
    }

    [Fact]
    public void Without_a_parent_parentAvg_is_undefined_and_the_indicator_missing()
    {
        var result = Spec.EvaluateWithParents(Ruleset("=weight * actual / parentAvg"), Units, Data + "\nN,x,2025Q3,80,,");
        Assert.NotNull(result.Indicator("N").Missing);
        Assert.Equal(0m, result.Indicator("N").Score);
        Assert.True(result.Unit("N").Incomplete);
    }

    [Fact]
    public void LevelAvg_is_the_mean_over_every_class_not_rounded()
    {
        // 93 / (250/3) × 10 = 11.16; 107 → 12.84; 50 → 6.
        var result = Spec.EvaluateWithParents(Ruleset("actual / levelAvg * 10"), Units, Data);
        Assert.Equal([11.16m, 12.84m, 6m], new[] { "A", "B", "D" }.Select(c => result.Indicator(c).Score));
        Assert.EndsWith("；全省平均 83.33", result.Indicator("A").Explain);
    }

    [Fact]
    public void An_excluded_unit_still_counts_in_the_averages()
    {
        var yaml = Ruleset("=weight + 1.5*FLOOR((actual/parentAvg - 1)*10)",
            "adjustments:\n  - { id: fraud, name: 弄虚作假, kind: veto, exclude: true }");
        // E (150) joins C2 and is excluded: parentAvg of C2 is 100, so D at 0.5 → FLOOR(−5) → 25 − 7.5.
        var result = Spec.EvaluateWithParents(yaml, Units + "\nE 创先 C2", Data + "\nE,x,2025Q3,150,,\nE,fraud,2025Q3,1,,");
        Assert.Equal(17.5m, result.Indicator("D").Score);
        Assert.Equal(0, result.Unit("E").Rank);
    }

    [Fact]
    public void Change_is_actual_minus_baseline_whatever_better_says()
    {
        // 每提高1个百分点得5分: 45.3 − 44.8 = 0.5 → 2.5.
        var result = Spec.EvaluateWithParents(Ruleset("change * 5"), "A 创先 C1", "A,x,2025Q3,45.3,,44.8");
        Assert.Equal(2.5m, result.Indicator("A").Score);
        Assert.NotNull(Spec.EvaluateWithParents(Ruleset("change * 5"), "A 创先 C1", "A,x,2025Q3,45.3,,").Indicator("A").Missing);
    }
}
