namespace BaiQianWan.Assess.Tests.Engine;

public class FormulaMethodTests
{
    private static string Ruleset(string formula, string more = "") => Spec.OneIndicator($"""
        weight: 10
        method: formula
        formula: "{formula}"
        {more}
        """);

    [Fact]
    public void Formula_value_is_the_raw_score_clamped_to_zero_and_weight_times_cap()
    {
        // MIN(completion, 1.2) × weight: 48/50 → 9.6; 70/50 = 1.4 → 1.2 × 10 = 12 → cap 1 → 10
        var yaml = Ruleset("=MIN(completion, 1.2) * weight");
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先", "A,x,2025Q3,48,50,\nB,x,2025Q3,70,50,");
        Assert.Equal(9.6m, r.Indicator("A").Score);
        Assert.Equal(10m, r.Indicator("B").Score);
        Assert.Equal(10m, r.Indicator("B").Max);
        Assert.Contains("completion = 0.96", r.Indicator("A").Explain);
    }

    [Fact]
    public void Negative_results_score_zero()
    {
        var r = Spec.Evaluate(Ruleset("actual - target"), "A 创先", "A,x,2025Q3,40,50,");
        Assert.Equal(0m, r.Indicator("A").Score);
        Assert.Null(r.Indicator("A").Missing);
    }

    [Fact]
    public void IF_takes_one_branch_so_a_division_by_zero_in_the_other_does_not_count()
    {
        // target 0: IF(target = 0, 5, actual / target) → 5
        var yaml = Ruleset("IF(target = 0, 5, actual / target)");
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,40,0,");
        Assert.Equal(5m, r.Indicator("A").Score);
    }

    [Fact]
    public void A_division_by_zero_that_is_evaluated_makes_the_indicator_missing()
    {
        var r = Spec.Evaluate(Ruleset("actual / (baseline - 100)"), "A 创先", "A,x,2025Q3,40,,100");
        Assert.StartsWith("公式计算失败", r.Indicator("A").Missing);
        Assert.Equal(0m, r.Indicator("A").Score);
        Assert.True(r.Unit("A").Incomplete);
    }

    [Fact]
    public void Naming_an_undefined_variable_anywhere_makes_the_indicator_missing()
    {
        // no baseline: growth is undefined, even though the IF would not take that branch
        var r = Spec.Evaluate(Ruleset("IF(actual > 0, 10, growth)"), "A 创先", "A,x,2025Q3,40,50,");
        Assert.Equal("公式用到的 growth 没有值", r.Indicator("A").Missing);
    }

    [Fact]
    public void Rank_peers_and_classAvg_come_from_the_class_peers_by_the_metric()
    {
        // values 30, 20, 10: classAvg 20, peers 3. weight × (peers − rank + 1) / peers: A 10, B 6.67, C 3.33
        var yaml = Ruleset("weight * (peers - rank + 1) / peers");
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先", "A,x,2025Q3,30,,\nB,x,2025Q3,20,,\nC,x,2025Q3,10,,");
        Assert.Equal(10m, r.Indicator("A").Score);
        Assert.Equal(6.67m, r.Indicator("B").Score);
        Assert.Equal(3.33m, r.Indicator("C").Score);
        var avg = Spec.Evaluate(Ruleset("actual / classAvg * 5"), "A 创先\nB 创先\nC 创先", "A,x,2025Q3,30,,\nB,x,2025Q3,20,,\nC,x,2025Q3,10,,");
        Assert.Equal(7.5m, avg.Indicator("A").Score); // 30 / 20 × 5
    }

    [Fact]
    public void A_unit_whose_formula_fails_is_still_a_peer()
    {
        // B's formula divides by zero (target 0) but B still counts: peers = 2 for A → A scores 2
        var r = Spec.Evaluate(Ruleset("IF(target = 0, 1 / 0, peers)"), "A 创先\nB 创先", "A,x,2025Q3,30,1,\nB,x,2025Q3,20,0,");
        Assert.Equal(2m, r.Indicator("A").Score);
        Assert.NotNull(r.Indicator("B").Missing);
    }

    [Fact]
    public void Rounding_inside_a_formula_is_half_away_from_zero()
    {
        var r = Spec.Evaluate(Ruleset("ROUND(actual, 2)"), "A 创先", "A,x,2025Q3,9.425,,");
        Assert.Equal(9.43m, r.Indicator("A").Score);
    }

    [Fact]
    public void Adjustment_formulas_see_count_and_a_failing_one_earns_nothing()
    {
        // bonus formula: 3 items → MIN(count, 2) × 1.5 = 3; penalty formula 1 / (count − 1) with count 1 → 0 points
        var yaml = Spec.OneIndicator("weight: 10\nmethod: completion", extra: """
            adjustments:
              - { id: b, name: 加分, kind: bonus, formula: "MIN(count, 2) * 1.5" }
              - { id: p, name: 扣分, kind: penalty, formula: "1 / (count - 1)" }
              - { id: v, name: 否决, kind: veto, when: "count >= 2" }
            """);
        var r = Spec.Evaluate(yaml, "A 创先\nB 创先", "A,x,2025Q3,50,50,\nA,b,2025Q3,3,,\nA,p,2025Q3,1,,\nA,v,2025Q3,1,,\nB,v,2025Q3,2,,");
        var a = r.Unit("A");
        Assert.Equal(3m, a.Bonus);
        Assert.Equal(0m, a.Penalty);
        Assert.Empty(a.Vetoes);
        Assert.Equal(["v"], r.Unit("B").Vetoes.ToArray());
    }

    [Fact]
    public void A_veto_when_formula_is_evaluated_with_zero_for_a_unit_without_a_row()
    {
        var yaml = Spec.OneIndicator("weight: 10\nmethod: completion", extra: """
            adjustments:
              - { id: v, name: 未报送统计, kind: veto, when: "count = 0" }
            """);
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,50,50,");
        Assert.Equal(["v"], r.Unit("A").Vetoes.ToArray());
    }

    [Fact]
    public void Formula_errors_are_reported_at_their_line_and_column()
    {
        // line 14 is the formula line; the unknown name starts 9 characters into the quoted text
        var yaml = Ruleset("actual + foo");
        var d = Assert.Single(Spec.Diagnose(yaml));
        Assert.Equal(14, d.Position.Line);
        Assert.Equal(19 + 9, d.Position.Column); // value starts at column 19 after '"' at 18
        Assert.Contains("foo", d.Message);
    }
}
