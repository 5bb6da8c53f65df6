namespace BaiQianWan.Assess.Tests.Engine;

public class RankingAndGradeTests
{
    private static readonly string Ruleset = Spec.OneIndicator("weight: 100\nmethod: completion");

    private static string Units(int n, string cls = "创先") =>
        string.Join("\n", Enumerable.Range(1, n).Select(i => $"U{i:D2} {cls}"));

    /// <summary>Unit Uk scores 100 − k (distinct totals, U01 best).</summary>
    private static string Descending(int n) =>
        string.Join("\n", Enumerable.Range(1, n).Select(i => $"U{i:D2},x,2025Q3,{100 - i},100,"));

    [Fact]
    public void RankShare_grades_use_rounded_cumulative_shares()
    {
        // n = 10, shares 0.3 / 0.4: 好 ranks ≤ round(3) = 3, 较好 ranks ≤ round(7) = 7, 一般 the rest
        var r = Spec.Evaluate(Ruleset, Units(10), Descending(10));
        var grades = r.Units.Select(u => u.Grade).ToArray();
        Assert.Equal(["好", "好", "好", "较好", "较好", "较好", "较好", "一般", "一般", "一般"], grades);
    }

    [Fact]
    public void RankShare_cutoff_rounds_half_away_from_zero()
    {
        // n = 5: round(1.5) = 2 → ranks 1–2 are 好; round(5 × 0.7) = round(3.5) = 4 → ranks 3–4 较好; 5 一般
        var r = Spec.Evaluate(Ruleset, Units(5), Descending(5));
        Assert.Equal(["好", "好", "较好", "较好", "一般"], r.Units.Select(u => u.Grade));
    }

    [Fact]
    public void Tied_totals_share_the_better_rank_and_the_grade_that_goes_with_it()
    {
        // totals 99, 98, 98, 96 → ranks 1, 2, 2, 4; n = 4: 好 ≤ round(1.2) = 1; 较好 ≤ round(2.8) = 3
        var r = Spec.Evaluate(Ruleset, Units(4), "U01,x,2025Q3,99,100,\nU02,x,2025Q3,98,100,\nU03,x,2025Q3,98,100,\nU04,x,2025Q3,96,100,");
        Assert.Equal([1, 2, 2, 4], r.Units.Select(u => u.Rank));
        Assert.Equal(["好", "较好", "较好", "一般"], r.Units.Select(u => u.Grade));
        Assert.All(r.Units, u => Assert.Equal(4, u.Peers));
    }

    [Fact]
    public void Score_grades_take_the_first_level_whose_min_is_reached()
    {
        var yaml = Spec.OneIndicator("weight: 100\nmethod: completion").Replace(Spec.Grades, """
            grades:
              by: score
              levels:
                - { name: 优秀, min: 90 }
                - { name: 良好, min: 75 }
                - { name: 一般 }
            """);
        var r = Spec.Evaluate(yaml, Units(3), "U01,x,2025Q3,90,100,\nU02,x,2025Q3,89.99,100,\nU03,x,2025Q3,74,100,");
        Assert.Equal(["优秀", "良好", "一般"], r.Units.Select(u => u.Grade));
    }

    [Fact]
    public void A_unit_with_no_data_is_ranked_with_its_total_and_counts_in_n()
    {
        var r = Spec.Evaluate(Ruleset, Units(3), "U01,x,2025Q3,80,100,\nU02,x,2025Q3,70,100,");
        var u3 = r.Unit("U03");
        Assert.Equal(0m, u3.Total);
        Assert.Equal(3, u3.Rank);
        Assert.Equal(3, u3.Peers);
        Assert.True(u3.Incomplete);
    }

    [Fact]
    public void Units_are_ordered_by_class_in_ruleset_order_then_rank_then_code()
    {
        // 进位 units come after 创先 whatever their codes; ties ordered by code
        var r = Spec.Evaluate(Ruleset, "Z1 创先\nA1 进位\nB2 创先\nB1 创先",
            "Z1,x,2025Q3,90,100,\nA1,x,2025Q3,99,100,\nB2,x,2025Q3,50,100,\nB1,x,2025Q3,50,100,");
        Assert.Equal(["Z1", "B1", "B2", "A1"], r.Units.Select(u => u.Code));
    }

    [Fact]
    public void Units_whose_class_is_not_listed_are_skipped_and_other_levels_ignored()
    {
        var r = Spec.Evaluate(Ruleset, "A 创先\nB 消薄", "A,x,2025Q3,80,100,\nB,x,2025Q3,80,100,");
        Assert.Equal(["A"], r.Units.Select(u => u.Code));
        var skipped = Assert.Single(r.Skipped);
        Assert.Equal("B", skipped.Code);
        Assert.Contains("消薄", skipped.Reason);
    }

    [Fact]
    public void Unknown_indicator_ids_of_the_period_are_reported_sorted_and_other_periods_ignored()
    {
        var r = Spec.Evaluate(Ruleset, "A 创先", "A,x,2025Q3,80,100,\nA,zeta,2025Q3,1,,\nA,alpha,2025Q3,1,,\nA,old,2025Q2,1,,");
        Assert.Equal(["alpha", "zeta"], r.UnknownIndicators.ToArray());
    }
}
