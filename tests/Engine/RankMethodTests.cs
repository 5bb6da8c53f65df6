namespace BaiQianWan.Assess.Tests.Engine;

public class RankMethodTests
{
    private static readonly string Ruleset = Spec.OneIndicator("""
        weight: 10
        method: rank
        step: 0.05
        """);

    [Fact]
    public void Competition_ranking_gives_ties_the_better_rank_and_skips_the_next()
    {
        // values 10, 8, 8, 5 → ranks 1, 2, 2, 4 → 10 × (1 − 0.05 × (rank − 1)) = 10, 9.5, 9.5, 8.5
        var r = Spec.Evaluate(Ruleset, "A 创先\nB 创先\nC 创先\nD 创先",
            "A,x,2025Q3,10,,\nB,x,2025Q3,8,,\nC,x,2025Q3,8,,\nD,x,2025Q3,5,,");
        Assert.Equal(10m, r.Indicator("A").Score);
        Assert.Equal(9.5m, r.Indicator("B").Score);
        Assert.Equal(9.5m, r.Indicator("C").Score);
        Assert.Equal(8.5m, r.Indicator("D").Score);
        Assert.Contains("在同类 4 个单位中排第 4 名", r.Indicator("D").Explain);
    }

    [Fact]
    public void Ranks_are_within_class_and_exclude_units_without_data()
    {
        // 创先: A 10, B missing → A is rank 1 of 1 peer; 进位: C 3, D 7 → D 1st, C 2nd
        var r = Spec.Evaluate(Ruleset, "A 创先\nB 创先\nC 进位\nD 进位",
            "A,x,2025Q3,10,,\nC,x,2025Q3,3,,\nD,x,2025Q3,7,,");
        Assert.Equal(10m, r.Indicator("A").Score);
        Assert.Equal(0m, r.Indicator("B").Score);
        Assert.NotNull(r.Indicator("B").Missing);
        Assert.Equal(10m, r.Indicator("D").Score);
        Assert.Equal(9.5m, r.Indicator("C").Score);
    }

    [Fact]
    public void Lower_is_better_ranks_the_smallest_first_and_floor_holds()
    {
        // better: lower; values 1, 2, 3 → ranks 1, 2, 3; step 0.3, floor 0.5 → 1, 0.7, max(0.5, 0.4) = 0.5
        var yaml = Spec.OneIndicator("""
            weight: 10
            better: lower
            method: rank
            step: 0.3
            floor: 0.5
            """);
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先", "A,x,2025Q3,1,,\nB,x,2025Q3,2,,\nC,x,2025Q3,3,,");
        Assert.Equal(10m, r.Indicator("A").Score);
        Assert.Equal(7m, r.Indicator("B").Score);
        Assert.Equal(5m, r.Indicator("C").Score);
        Assert.Contains("保底", r.Indicator("C").Explain);
    }

    [Fact]
    public void Completion_metric_ranks_higher_first_even_for_lower_is_better_indicators()
    {
        // better: lower; completion = 2 − a/t: A 40/50 → 1.2, B 50/50 → 1 → A ranks first
        var yaml = Spec.OneIndicator("""
            weight: 10
            better: lower
            method: rank
            metric: completion
            step: 0.1
            """);
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先", "A,x,2025Q3,40,50,\nB,x,2025Q3,50,50,");
        Assert.Equal(10m, r.Indicator("A").Score);
        Assert.Equal(9m, r.Indicator("B").Score);
    }
}
