namespace BaiQianWan.Assess.Tests.Engine.V3;

/// <summary>Method <c>steps</c> (spec 2.1.1): the spec's worked example, every number hand-computed from its wording.</summary>
public class StepsMethodTests
{
    // 完成目标得20分，每增减30%增减1分（最多加3分），达不到目标30%不得分
    private static readonly string Invest = Spec.OneIndicator("""
        weight: 20
        method: steps
        up:   { every: 0.3, points: 1, max: 3 }
        down: { every: 0.3, points: 1 }
        zeroBelow: 0.3
        """);

    [Theory]
    [InlineData("130", 21.00)] // d = 0.3, k = 1
    [InlineData("170", 22.00)] // d = 0.7, k = 2
    [InlineData("250", 23.00)] // d = 1.5, k = 5, limited to 3
    [InlineData("70", 19.00)]  // d = −0.3 exactly on the boundary: k = 1
    [InlineData("75", 20.00)]  // d = −0.25: k = 0
    [InlineData("30", 18.00)]  // exactly zeroBelow is not below it; d = −0.7, k = 2
    [InlineData("29", 0.00)]   // below zeroBelow
    [InlineData("100", 20.00)] // at the reference point
    public void The_spec_s_invest_example(string actual, double expected)
    {
        var result = Spec.Evaluate(Invest, "A 创先", $"A,x,2025Q3,{actual},100,");
        Assert.Equal((decimal)expected, result.Indicator("A").Score);
        Assert.Equal(23m, result.Indicator("A").Max);
    }

    [Fact]
    public void A_step_is_decided_on_the_exact_fraction_not_on_the_rounded_quotient()
    {
        // 5 / 3 carried to 28 places is 1.6666666666666666666666666667, so the rounded d would equal a step of
        // 0.6666666666666666666666666667 and count it; the exact d = 2/3 is a hair short of it, so no step counts.
        var yaml = Spec.OneIndicator("""
            weight: 10
            method: steps
            up: { every: 0.6666666666666666666666666667, points: 1 }
            """);
        Assert.Equal(10m, Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,5,3,").Indicator("A").Score);
        var shorter = yaml.Replace("0.6666666666666666666666666667", "0.6666666666666666666666666666");
        Assert.Equal(11m, Spec.Evaluate(shorter, "A 创先", "A,x,2025Q3,5,3,").Indicator("A").Score);
        // 0.7 = 210 / 300 is exactly three steps of 0.1 below 1 (7); a hair above 210 is two (8).
        var down = Spec.OneIndicator("""
            weight: 10
            method: steps
            down: { every: 0.1, points: 1 }
            """);
        Assert.Equal(7m, Spec.Evaluate(down, "A 创先", "A,x,2025Q3,210,300,").Indicator("A").Score);
        Assert.Equal(8m, Spec.Evaluate(down, "A 创先", "A,x,2025Q3,210.000001,300,").Indicator("A").Score);
    }

    [Fact]
    public void Down_steps_are_clamped_at_zero()
    {
        // 每降低10%扣0.5分，扣完为止, weight 2, completion 0.45: k = 5, 2 − 2.5 → 0.00
        var yaml = Spec.OneIndicator("""
            weight: 2
            method: steps
            down: { every: 0.1, points: 0.5 }
            """);
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,45,100,").Indicator("A");
        Assert.Equal(0m, r.Score);
        Assert.Equal(2m, r.Max);
        Assert.Equal("完成率 45.0%（实际 45 / 目标 100），比目标低 55.0%，每 10.0% 一档计 5 档，扣 2.5 分，扣完为止 = 0.00", r.Explain);
    }

    [Theory]
    [InlineData("7", 14.00)]
    [InlineData("12", 20.00)]
    public void New_firms_from_zero(string firms, double expected)
    {
        // 每新增1家加2分，最多20分
        var yaml = Spec.OneIndicator("""
            weight: 20
            unit: 家
            method: steps
            metric: value
            from: 0
            base: 0
            up: { every: 1, points: 2, max: 20 }
            """);
        var r = Spec.Evaluate(yaml, "A 创先", $"A,x,2025Q3,{firms},,").Indicator("A");
        Assert.Equal((decimal)expected, r.Score);
        Assert.Equal(20m, r.Max);
        if (firms == "12")
            Assert.Equal("实际 12 家，比 0 多 12，每 1 一档计 12 档，加 20 分（最多加 20 分）：权重 20 × 0 + 20 = 20.00", r.Explain);
    }

    [Fact]
    public void Explanations_follow_the_templates_of_section_3()
    {
        var up = Spec.OneIndicator("""
            weight: 35
            method: steps
            up: { every: 0.05, points: 1, max: 5 }
            """);
        Assert.Equal("完成率 110.0%（实际 110 / 目标 100），比目标高 10.0%，每 5.0% 一档计 2 档，加 2 分（最多加 5 分）：权重 35 × 1 + 2 = 37.00",
            Spec.Evaluate(up, "A 创先", "A,x,2025Q3,110,100,").Indicator("A").Explain);
        Assert.Equal("完成率 70.0%（实际 70 / 目标 100），比目标低 30.0%，每 30.0% 一档计 1 档，扣 1 分：权重 20 × 1 − 1 = 19.00",
            Spec.Evaluate(Invest, "A 创先", "A,x,2025Q3,70,100,").Indicator("A").Explain);
        Assert.Equal("完成率 29.0%（实际 29 / 目标 100），低于 30.0% 不得分 = 0",
            Spec.Evaluate(Invest, "A 创先", "A,x,2025Q3,29,100,").Indicator("A").Explain);
        var limited = Spec.OneIndicator("""
            weight: 20
            method: steps
            down: { every: 0.1, points: 2, max: 3 }
            """);
        Assert.Equal("完成率 50.0%（实际 50 / 目标 100），比目标低 50.0%，每 10.0% 一档计 5 档，扣 3 分（最多扣 3 分）：权重 20 × 1 − 3 = 17.00",
            Spec.Evaluate(limited, "A 创先", "A,x,2025Q3,50,100,").Indicator("A").Explain);
        var above = Spec.OneIndicator("""
            weight: 10
            unit: 人
            better: lower
            method: steps
            metric: value
            down: { every: 1, points: 2 }
            zeroAbove: 8
            """);
        var r = Spec.Evaluate(above, "A 创先", "A,x,2025Q3,9,5,").Indicator("A");
        Assert.Equal((0m, "实际 9 人，高于 8 人不得分 = 0"), (r.Score, r.Explain));
        // lower is better: 7 people against a target of 5 is two steps short: 10 − 4.
        Assert.Equal(6m, Spec.Evaluate(above, "A 创先", "A,x,2025Q3,7,5,").Indicator("A").Score);
        Assert.Equal(10m, Spec.Evaluate(above, "A 创先", "A,x,2025Q3,3,5,").Indicator("A").Score);
    }

    [Fact]
    public void Up_without_max_has_no_limit_and_a_null_max()
    {
        // 每增加1个加2分，不封顶
        var yaml = Spec.OneIndicator("""
            weight: 10
            method: steps
            metric: value
            up: { every: 1, points: 2 }
            """);
        var result = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,25,5,");
        Assert.Equal(50m, result.Indicator("A").Score); // 10 + 20 × 2
        Assert.Null(result.Indicator("A").Limit);
        var json = System.Text.Encoding.UTF8.GetString(BaiQianWan.Assess.Rules.Results.ResultsJson.Serialize(result));
        Assert.Contains("\"max\": null", json);
        Assert.Contains("\"score\": 50,\n", json.Replace("\r", ""));
    }

    [Fact]
    public void Value_without_from_or_target_is_missing()
    {
        var yaml = Spec.OneIndicator("""
            weight: 10
            method: steps
            metric: value
            up: { every: 1, points: 2, max: 4 }
            """);
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,25,,").Indicator("A");
        Assert.Equal(0m, r.Score);
        Assert.NotNull(r.Missing);
    }

    [Fact]
    public void Change_metric_steps_against_the_target_in_percentage_points()
    {
        // 占比比上年每提高1个百分点加1分，最多加3分; target 0.5 points: 45.3 − 44.8 = 0.5 → at the reference point.
        var yaml = Spec.OneIndicator("""
            weight: 10
            unit: "%"
            method: steps
            metric: change
            up: { every: 1, points: 1, max: 3 }
            down: { every: 1, points: 1 }
            """);
        var at = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,45.3,0.5,44.8").Indicator("A");
        Assert.Equal(10m, at.Score);
        Assert.StartsWith("占比 45.3%，上年 44.8%，提高 0.5 个百分点", at.Explain);
        // 47.8 − 44.8 = 3 points, 2.5 above the target: 2 whole steps.
        Assert.Equal(12m, Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,47.8,0.5,44.8").Indicator("A").Score);
        // No baseline: change is undefined.
        Assert.NotNull(Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,47.8,0.5,").Indicator("A").Missing);
    }
}
