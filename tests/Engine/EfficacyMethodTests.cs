namespace BaiQianWan.Assess.Tests.Engine;

public class EfficacyMethodTests
{
    [Fact]
    public void Efficacy_scales_between_worst_and_best_of_the_class()
    {
        // worst 30, best 60, floor 0.6: A 48 → 10 × (0.6 + 0.4 × 18 / 30) = 8.4; best → 10; worst → 6
        var yaml = Spec.OneIndicator("weight: 10\nmethod: efficacy");
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先", "A,x,2025Q3,48,,\nB,x,2025Q3,60,,\nC,x,2025Q3,30,,");
        Assert.Equal(8.4m, r.Indicator("A").Score);
        Assert.Equal(10m, r.Indicator("B").Score);
        Assert.Equal(6m, r.Indicator("C").Score);
        Assert.Contains("同类最差 30、最好 60", r.Indicator("A").Explain);
    }

    [Fact]
    public void Lower_is_better_takes_the_largest_as_worst()
    {
        // better: lower; worst 9, best 3, floor 0.5: A 5 → 10 × (0.5 + 0.5 × (5 − 9) / (3 − 9)) = 10 × (0.5 + 0.5 × 2/3) = 8.333… → 8.33
        var yaml = Spec.OneIndicator("weight: 10\nbetter: lower\nmethod: efficacy\nfloor: 0.5");
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先", "A,x,2025Q3,5,,\nB,x,2025Q3,9,,\nC,x,2025Q3,3,,");
        Assert.Equal(8.33m, r.Indicator("A").Score);
        Assert.Equal(5m, r.Indicator("B").Score);
        Assert.Equal(10m, r.Indicator("C").Score);
    }

    [Fact]
    public void When_every_peer_has_the_same_value_everyone_scores_the_weight()
    {
        var yaml = Spec.OneIndicator("weight: 7\nmethod: efficacy");
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先", "A,x,2025Q3,4,,\nB,x,2025Q3,4,,");
        Assert.Equal(7m, r.Indicator("A").Score);
        Assert.Equal(7m, r.Indicator("B").Score);
    }
}
