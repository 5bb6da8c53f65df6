namespace BaiQianWan.Assess.Tests.Engine;

public class AdjustmentTests
{
    private static readonly string Ruleset = Spec.OneIndicator("weight: 10\nmethod: completion", extra: """
        adjustments:
          - id: honor
            name: 国家级荣誉
            kind: bonus
            per: 1.5
            max: 2
          - id: pilot
            name: 试点
            kind: bonus
            per: 2
          - id: problem
            name: 督查问题
            kind: penalty
            per: 0.5
            max: 3
          - id: safety
            name: 安全事故
            kind: veto
            grade: 较好
        bonusCap: 3
        """);

    [Fact]
    public void Bonus_items_are_capped_each_and_together()
    {
        // honor 3 × 1.5 = 4.5 → max 2; pilot 1 × 2 = 2; Σ bonus 4 → bonusCap 3; problem 2 × 0.5 = −1
        // total = 10 (50/50 × 10) + 3 − 1 = 12
        var r = Spec.Evaluate(Ruleset, "A 创先", """
            A,x,2025Q3,50,50,
            A,honor,2025Q3,3,,
            A,pilot,2025Q3,1,,
            A,problem,2025Q3,2,,
            """);
        var a = r.Unit("A");
        Assert.Equal([("honor", 2m), ("pilot", 2m), ("problem", -1m)], a.Adjustments.Select(x => (x.Id, x.Points)));
        Assert.Equal(3m, a.Bonus);
        Assert.Equal(-1m, a.Penalty);
        Assert.Equal(12m, a.Total);
    }

    [Fact]
    public void Every_bonus_and_penalty_item_is_listed_with_zero_points_when_absent_and_vetoes_are_not()
    {
        var r = Spec.Evaluate(Ruleset, "A 创先", "A,x,2025Q3,50,50,");
        var a = r.Unit("A");
        Assert.Equal(["honor", "pilot", "problem"], a.Adjustments.Select(x => x.Id));
        Assert.All(a.Adjustments, x => Assert.Equal(0m, x.Points));
        Assert.Empty(a.Vetoes);
        Assert.Equal(0m, a.Bonus);
        Assert.Equal(0m, a.Penalty);
    }

    [Fact]
    public void Penalty_cap_bounds_the_item_and_penalties_have_no_overall_cap()
    {
        // problem 10 × 0.5 = 5 → max 3 → −3; total 10 − 3 = 7
        var r = Spec.Evaluate(Ruleset, "A 创先", "A,x,2025Q3,50,50,\nA,problem,2025Q3,10,,");
        Assert.Equal(-3m, r.Unit("A").Penalty);
        Assert.Equal(7m, r.Unit("A").Total);
    }

    [Fact]
    public void Veto_applies_when_count_is_positive_and_caps_the_grade()
    {
        // A has the best total but a veto: grade at best 较好 (the veto's grade)
        var r = Spec.Evaluate(Ruleset, "A 创先\nB 创先\nC 创先", """
            A,x,2025Q3,50,50,
            A,safety,2025Q3,1,,
            B,x,2025Q3,40,50,
            C,x,2025Q3,30,50,
            """);
        var a = r.Unit("A");
        Assert.Equal(["safety"], a.Vetoes.ToArray());
        Assert.Equal(1, a.Rank);
        // n = 3: 好 takes ranks ≤ round(0.9) = 1 → A would be 好, veto caps it at 较好
        Assert.Equal("较好", a.Grade);
        Assert.DoesNotContain(a.Adjustments, x => x.Id == "safety");
    }

    [Fact]
    public void Negative_counts_earn_no_points()
    {
        var r = Spec.Evaluate(Ruleset, "A 创先", "A,x,2025Q3,50,50,\nA,pilot,2025Q3,-2,,\nA,safety,2025Q3,-1,,");
        Assert.Equal(0m, r.Unit("A").Adjustments.Single(x => x.Id == "pilot").Points);
        Assert.Empty(r.Unit("A").Vetoes);
    }

    [Fact]
    public void Item_points_are_rounded_to_the_ruleset_decimals()
    {
        // per 0.125 × 1 = 0.125 → 0.13 (half away from zero)
        var yaml = Spec.OneIndicator("weight: 10\nmethod: completion", extra: """
            adjustments:
              - { id: b, name: 加分, kind: bonus, per: 0.125 }
            """);
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,50,50,\nA,b,2025Q3,1,,");
        Assert.Equal(0.13m, r.Unit("A").Bonus);
        Assert.Equal(10.13m, r.Unit("A").Total);
    }
}
