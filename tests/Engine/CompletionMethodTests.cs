namespace BaiQianWan.Assess.Tests.Engine;

public class CompletionMethodTests
{
    private static readonly string Ruleset = Spec.OneIndicator("""
        weight: 10
        method: completion
        cap: 1.2
        zeroBelow: 0.6
        """);

    [Fact]
    public void Score_is_weight_times_completion()
    {
        // 48 / 50 = 0.96; 10 × 0.96 = 9.60
        var r = Spec.Evaluate(Ruleset, "A 创先", "A,x,2025Q3,48,50,");
        var x = r.Indicator("A");
        Assert.Equal(9.6m, x.Score);
        Assert.Equal(12m, x.Max); // w × cap = 10 × 1.2
        Assert.Null(x.Missing);
        Assert.Equal("完成率 96.00%（实际 48 / 目标 50） × 权重 10 = 9.60", x.Explain);
    }

    [Fact]
    public void Completion_above_cap_scores_the_cap()
    {
        // 65 / 50 = 1.3 > cap 1.2 → 10 × 1.2 = 12
        var r = Spec.Evaluate(Ruleset, "A 创先", "A,x,2025Q3,65,50,");
        Assert.Equal(12m, r.Indicator("A").Score);
        Assert.Contains("封顶 120.00%", r.Indicator("A").Explain);
    }

    [Fact]
    public void Completion_below_zeroBelow_scores_nothing_and_at_zeroBelow_scores()
    {
        // 29.99 / 50 = 0.5998 < 0.6 → 0; 30 / 50 = 0.6 is not below → 10 × 0.6 = 6
        var r = Spec.Evaluate(Ruleset, "A 创先\nB 创先", "A,x,2025Q3,29.99,50,\nB,x,2025Q3,30,50,");
        Assert.Equal(0m, r.Indicator("A").Score);
        Assert.Equal(6m, r.Indicator("B").Score);
    }

    [Fact]
    public void Lower_is_better_completion_is_two_minus_ratio()
    {
        // 逆向指标: 55 / 50 = 1.1 → 2 − 1.1 = 0.9 → 10 × 0.9 = 9; 45 / 50 = 0.9 → 1.1 → 11
        var yaml = Spec.OneIndicator("""
            weight: 10
            better: lower
            method: completion
            cap: 1.2
            """);
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先", "A,x,2025Q3,55,50,\nB,x,2025Q3,45,50,\nC,x,2025Q3,150,50,");
        Assert.Equal(9m, r.Indicator("A").Score);
        Assert.Equal(11m, r.Indicator("B").Score);
        // 150 / 50 = 3 → max(0, 2 − 3) = 0
        Assert.Equal(0m, r.Indicator("C").Score);
        Assert.Equal(0m, r.Indicator("C").MetricValue);
    }

    [Fact]
    public void Defaults_are_cap_one_and_no_floor()
    {
        // cap 1: 70 / 50 = 1.4 → 10 × 1 = 10; zeroBelow 0: 5 / 50 = 0.1 → 1
        var yaml = Spec.OneIndicator("weight: 10\nmethod: completion");
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先", "A,x,2025Q3,70,50,\nB,x,2025Q3,5,50,");
        Assert.Equal(10m, r.Indicator("A").Score);
        Assert.Equal(1m, r.Indicator("B").Score);
        Assert.Equal(10m, r.Indicator("A").Max);
    }

    [Fact]
    public void Missing_target_or_zero_target_makes_the_indicator_missing()
    {
        var r = Spec.Evaluate(Ruleset, "A 创先\nB 创先\nC 创先", "A,x,2025Q3,48,,\nB,x,2025Q3,48,0,");
        Assert.Equal("缺少目标值，无法计算完成率", r.Indicator("A").Missing);
        Assert.Equal("目标值为 0，无法计算完成率", r.Indicator("B").Missing);
        Assert.Equal("未报送数据", r.Indicator("C").Missing);
        Assert.All(new[] { "A", "B", "C" }, c =>
        {
            Assert.Equal(0m, r.Indicator(c).Score);
            Assert.True(r.Unit(c).Incomplete);
        });
        Assert.Equal("未报送数据，按 0 分计", r.Indicator("C").Explain);
    }

    [Fact]
    public void Scores_round_half_away_from_zero()
    {
        // 10 × 47.125 / 50 = 9.425 exactly → 9.43 (not banker's 9.42)
        var r = Spec.Evaluate(Ruleset, "A 创先", "A,x,2025Q3,47.125,50,");
        Assert.Equal(9.43m, r.Indicator("A").Score);
    }

    [Fact]
    public void Non_terminating_quotients_keep_full_decimal_precision_before_rounding()
    {
        // 10 × 1 / 3 = 3.333… → 3.33; 10 × 2 / 3 = 6.666… → 6.67
        var r = Spec.Evaluate(Spec.OneIndicator("weight: 10\nmethod: completion"), "A 创先\nB 创先", "A,x,2025Q3,1,3,\nB,x,2025Q3,2,3,");
        Assert.Equal(3.33m, r.Indicator("A").Score);
        Assert.Equal(6.67m, r.Indicator("B").Score);
    }
}
