using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Tests.Engine;

namespace BaiQianWan.Assess.Tests.Formulas;

/// <summary>(v3) FLOOR, CEILING, TRUNC (spec 2.3), with the spec's own numbers.</summary>
public class WholeStepFunctionTests
{
    [Theory]
    [InlineData("FLOOR(-1.5)", "-2")]
    [InlineData("CEILING(-1.5)", "-1")]
    [InlineData("TRUNC(-1.5)", "-1")]
    [InlineData("FLOOR(2)", "2")]
    [InlineData("CEILING(2)", "2")]
    [InlineData("TRUNC(2)", "2")]
    [InlineData("FLOOR(7.5, 2)", "6")]
    [InlineData("FLOOR(-7.5, 2)", "-8")]
    [InlineData("CEILING(7.5, 2)", "8")]
    [InlineData("CEILING(-7.5, 2)", "-6")]
    [InlineData("TRUNC(-1.2345, 2)", "-1.23")]
    [InlineData("TRUNC(1234, -2)", "1200")]
    [InlineData("TRUNC(-1299, -2)", "-1200")]
    [InlineData("floor(-0.7)", "-1")]
    [InlineData("TRUNC(-0.7)", "0")]
    public void The_spec_s_values(string text, string expected) =>
        Assert.Equal(Formula.Number(expected), Formula.Evaluate(text));

    [Theory]
    [InlineData("FLOOR(1, 0)")]
    [InlineData("CEILING(1, -2)")]
    [InlineData("TRUNC(1, 0.5)")]
    public void A_step_not_above_zero_or_a_non_whole_place_count_fails_at_run_time(string text) =>
        Assert.NotNull(Formula.Failure(text));

    [Theory]
    [InlineData("FLOOR()")]
    [InlineData("CEILING(1, 2, 3)")]
    [InlineData("TRUNC()")]
    public void Another_argument_count_is_a_validation_error(string text) =>
        Assert.NotEmpty(Formula.Diagnostics(text));

    [Theory]
    [InlineData("93", 23.5)]  // FLOOR(−0.7) = −1 → 25 − 1.5
    [InlineData("100", 25)]
    [InlineData("85", 22)]    // FLOOR(−1.5) = −2 → 25 − 3
    public void Every_ten_percent_short_costs_one_and_a_half_points_a_part_counting_whole(string actual, double expected)
    {
        // 每低10%扣1.5分，不足10%按10%计 (the spec's example, against the target here; parentAvg in the scope tests).
        var yaml = Spec.OneIndicator("""
            weight: 25
            method: formula
            formula: =weight + 1.5*FLOOR((actual/target - 1)*10)
            """);
        Assert.Equal((decimal)expected, Spec.Evaluate(yaml, "A 创先", $"A,x,2025Q3,{actual},100,").Indicator("A").Score);
        // TRUNC drops the part: 0.93 → TRUNC(−0.7) = 0 → 25.
        var trunc = yaml.Replace("FLOOR", "TRUNC");
        Assert.Equal(actual == "85" ? 23.5m : 25m, Spec.Evaluate(trunc, "A 创先", $"A,x,2025Q3,{actual},100,").Indicator("A").Score);
    }

    [Fact]
    public void A_step_of_zero_at_run_time_makes_the_indicator_missing()
    {
        var yaml = Spec.OneIndicator("""
            weight: 10
            method: formula
            formula: FLOOR(actual, target)
            """);
        var r = Spec.Evaluate(yaml, "A 创先", "A,x,2025Q3,7,0,").Indicator("A");
        Assert.Equal(0m, r.Score);
        Assert.Contains("步长", r.Missing);
    }

    [Fact]
    public void The_scope_type_is_the_same_for_both_compilers()
    {
        Assert.Equal(3m, Formula.Evaluate("FLOOR(actual / 2)", new FormulaScope { Actual = 7m }));
    }
}
