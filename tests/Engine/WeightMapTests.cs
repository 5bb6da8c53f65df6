namespace BaiQianWan.Assess.Tests.Engine;

public class WeightMapTests
{
    // x leaves 消薄 out of its map; y applies to 消薄 only (a class no indicator applies to is a validation error).
    private static readonly string Ruleset = Spec.OneIndicator("""
        weight: { 创先: 12, 进位: 8 }
        method: completion
        """, classes: "[创先, 进位, 消薄]").Replace("""
              - id: x
        """, """
              - id: y
                name: 指标二
                weight: { 消薄: 5 }
                method: completion
              - id: x
        """);

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
        // 消薄 has no weight for x: no entry for x, not incomplete for lack of it; y 40 / 50 = 0.8 × 5 = 4
        var r = Spec.Evaluate(Ruleset, "C 消薄", "C,x,2025Q3,48,50,\nC,y,2025Q3,40,50,");
        var c = r.Unit("C");
        Assert.Equal(["y"], c.Indicators.Select(i => i.Id));
        Assert.False(c.Incomplete);
        Assert.Equal(4m, c.Total);
    }
}
