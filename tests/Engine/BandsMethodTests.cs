namespace BaiQianWan.Assess.Tests.Engine;

public class BandsMethodTests
{
    [Fact]
    public void Completion_bands_take_the_greatest_min_not_above_the_metric()
    {
        // bands written out of order; completion 0.95 sits exactly on the 0.95 edge → score 1 × 8 = 8
        var yaml = Spec.OneIndicator("""
            weight: 8
            method: bands
            bands:
              - { min: 0.8, score: 0.6 }
              - { min: 0.95, score: 1 }
              - { min: 0.9, score: 0.8 }
            """);
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先\nD 创先",
            "A,x,2025Q3,95,100,\nB,x,2025Q3,94.99,100,\nC,x,2025Q3,80,100,\nD,x,2025Q3,79,100,");
        Assert.Equal(8m, r.Indicator("A").Score);
        Assert.Equal(6.4m, r.Indicator("B").Score); // 0.9499 → band 0.9 → 0.8 × 8
        Assert.Equal(4.8m, r.Indicator("C").Score); // 0.8 → band 0.8 → 0.6 × 8
        Assert.Equal(0m, r.Indicator("D").Score);   // below every band
        Assert.Null(r.Indicator("D").Missing);
        Assert.Equal(8m, r.Indicator("A").Max);     // w × highest band score
        Assert.Contains("“≥ 95.00%”档", r.Indicator("A").Explain);
        Assert.Contains("未达到任何一档", r.Indicator("D").Explain);
    }

    [Fact]
    public void Lower_is_better_value_bands_take_the_smallest_max_not_below_the_metric()
    {
        // 安全事故起数: ≤ 0 → 1, ≤ 2 → 0.5; 2 sits on the edge → 0.5 × 6 = 3; 3 fits none → 0
        var yaml = Spec.OneIndicator("""
            weight: 6
            better: lower
            method: bands
            metric: value
            bands:
              - { max: 2, score: 0.5 }
              - { max: 0, score: 1 }
            """);
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先", "A,x,2025Q3,0,,\nB,x,2025Q3,2,,\nC,x,2025Q3,3,,");
        Assert.Equal(6m, r.Indicator("A").Score);
        Assert.Equal(3m, r.Indicator("B").Score);
        Assert.Equal(0m, r.Indicator("C").Score);
    }

    [Fact]
    public void Growth_bands_read_percent()
    {
        // growth (110 − 100) / 100 × 100 = 10% → band min 8 → 1 × 5
        var yaml = Spec.OneIndicator("""
            weight: 5
            method: bands
            metric: growth
            bands: [{ min: 8, score: 1 }, { min: 0, score: 0.5 }]
            """);
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先", "A,x,2025Q3,110,,100\nB,x,2025Q3,99,,100");
        Assert.Equal(5m, r.Indicator("A").Score);
        Assert.Equal(0m, r.Indicator("B").Score); // −1% fits none
    }
}
