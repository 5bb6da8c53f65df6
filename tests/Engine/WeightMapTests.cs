namespace BaiQianWan.Assess.Tests.Engine;

public class WeightMapTests
{
    private static readonly string Ruleset = Spec.OneIndicator("""
        weight: { 创先: 12, 进位: 8 }
        method: completion
        """, classes: "[创先, 进位, 消薄]");

    [Fact]
    public void Each_class_scores_with_its_own_weight()
    {
        // 48 / 50 = 0.96: 创先 12 × 0.96 = 11.52; 进位 8 × 0.96 = 7.68
        var r = Spec.Evaluate(Ruleset, "A 创先\nB 进位", "A,x,2025Q3,48,50,\nB,x,2025Q3,48,50,");
        Assert.Equal(11.52m, r.Indicator("A").Score);
        Assert.Equal(12m, r.Indicator("A").Max);
        Assert.Equal(7.68m, r.Indicator("B").Score);
    }

    [Fact]
    public void A_class_left_out_of_the_map_does_not_carry_the_indicator()
    {
        // 消薄 has no weight: no indicator entry, no dimension, not incomplete, total 0
        var r = Spec.Evaluate(Ruleset, "C 消薄", "C,x,2025Q3,48,50,");
        var c = r.Unit("C");
        Assert.Empty(c.Indicators);
        Assert.Empty(c.Dimensions);
        Assert.False(c.Incomplete);
        Assert.Equal(0m, c.Total);
    }
}
