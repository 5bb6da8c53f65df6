namespace BaiQianWan.Assess.Tests.Engine;

public class IncrementMethodTests
{
    private static readonly string Ruleset = Spec.OneIndicator("""
        weight: 10
        method: increment
        base: 0.8
        per: 0.5
        cap: 1.2
        """);

    [Fact]
    public void Meeting_the_growth_target_earns_the_base_and_each_point_above_adds()
    {
        // growth (108.5 − 100) / 100 × 100 = 8.5%; target 6 → d = 2.5 → 10 × 0.8 + 0.5 × 2.5 = 9.25
        var r = Spec.Evaluate(Ruleset, "A 创先", "A,x,2025Q3,108.5,6,100");
        Assert.Equal(9.25m, r.Indicator("A").Score);
        Assert.Equal(12m, r.Indicator("A").Max);
        Assert.True(r.Indicator("A").TargetMet); // growth 8.5 ≥ 6
    }

    [Fact]
    public void Increment_is_clamped_between_zero_and_weight_times_cap()
    {
        // 30% growth, target 6 → 8 + 0.5 × 24 = 20 → cap 12; −30% → 8 + 0.5 × (−36) = −10 → 0
        var r = Spec.Evaluate(Ruleset, "A 创先\nB 创先", "A,x,2025Q3,130,6,100\nB,x,2025Q3,70,6,100");
        Assert.Equal(12m, r.Indicator("A").Score);
        Assert.Equal(0m, r.Indicator("B").Score);
        Assert.False(r.Indicator("B").TargetMet);
    }

    [Fact]
    public void Negative_baseline_uses_its_absolute_value()
    {
        // (−50 − (−100)) / |−100| × 100 = 50% ; d = 50 − 6 = 44 → 8 + 22 = 30 → cap 12
        var r = Spec.Evaluate(Ruleset, "A 创先", "A,x,2025Q3,-50,6,-100");
        Assert.Equal(50m, r.Indicator("A").MetricValue);
        Assert.Equal(12m, r.Indicator("A").Score);
    }

    [Fact]
    public void Lower_is_better_counts_points_below_the_target()
    {
        // value metric, better lower: a 95, t 100 → d = 100 − 95 = 5 → 10 × 0.8 + 0.2 × 5 = 9
        var yaml = Spec.OneIndicator("""
            weight: 10
            better: lower
            method: increment
            metric: value
            per: 0.2
            """);
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,95,100,");
        Assert.Equal(9m, r.Indicator("A").Score);
    }

    [Fact]
    public void No_target_or_no_baseline_is_missing()
    {
        var r = Spec.Evaluate(Ruleset, "A 创先\nB 创先\nC 创先", "A,x,2025Q3,108,,100\nB,x,2025Q3,108,6,\nC,x,2025Q3,108,6,0");
        Assert.Equal("缺少目标值，无法计算增量得分", r.Indicator("A").Missing);
        Assert.Equal("缺少上年同期值，无法计算增速", r.Indicator("B").Missing);
        Assert.Equal("上年同期值为 0，无法计算增速", r.Indicator("C").Missing);
    }
}
