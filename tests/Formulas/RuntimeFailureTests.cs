using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Tests.Formulas;

public class RuntimeFailureTests
{
    [Fact]
    public void Division_by_zero_fails_with_a_reason()
    {
        var formula = Formula.Compile("actual/target");
        var ok = formula.TryEvaluate(new FormulaScope { Actual = 5m, Target = 0m }, out var value, out var failure);
        Assert.False(ok);
        Assert.Equal(0m, value);
        Assert.Equal("除数为零", failure);
    }

    [Fact]
    public void A_successful_TryEvaluate_gives_the_value_and_no_reason()
    {
        var ok = Formula.Compile("actual/target").TryEvaluate(
            new FormulaScope { Actual = 5m, Target = 2m }, out var value, out var failure);
        Assert.True(ok);
        Assert.Equal(2.5m, value);
        Assert.Null(failure);
    }

    [Fact]
    public void Evaluate_throws_the_same_reason()
    {
        var formula = Formula.Compile("actual/target");
        var e = Assert.Throws<FormulaEvaluationException>(() => formula.Evaluate(new FormulaScope()));
        Assert.Equal("除数为零", e.Message);
    }

    [Fact]
    public void A_constant_division_by_zero_fails_at_run_time_not_compile_time() =>
        Assert.Equal("除数为零", Formula.Failure("1/0"));

    [Theory]
    [InlineData("2^0.5")]
    [InlineData("2^actual")]          // actual = 1.5 below
    [InlineData("(2^0.5)*0")]
    public void A_non_whole_exponent_fails(string text) =>
        Assert.Equal("指数不是整数", Formula.Failure(text, new FormulaScope { Actual = 1.5m }));

    [Fact]
    public void Zero_to_a_negative_power_is_a_division_by_zero() =>
        Assert.Equal("除数为零", Formula.Failure("0^-1"));

    [Theory]
    [InlineData("ROUND(1.5, 0.5)")]
    [InlineData("ROUND(1.5, -0.5)")]
    [InlineData("ROUND(1.5, actual)")] // actual = 1.5 below
    public void A_non_whole_ROUND_digit_count_fails(string text) =>
        Assert.Equal("ROUND 的位数不是整数", Formula.Failure(text, new FormulaScope { Actual = 1.5m }));

    [Theory]
    [InlineData("79228162514264337593543950335 + 1")]  // decimal.MaxValue + 1
    [InlineData("actual * actual")]                     // actual = 10^20 below
    [InlineData("10^29")]
    [InlineData("0.1^-40")]                             // 10^40: too big, not a division by zero
    [InlineData("ROUND(79228162514264337593543950335, -28)")] // rounds up to 8 × 10^28
    [InlineData("ROUND(60000000000000000000000000000, -29)")] // rounds up to 10^29
    public void Overflow_fails(string text) =>
        Assert.Equal("数值超出范围", Formula.Failure(text, new FormulaScope { Actual = 100000000000000000000m }));

    [Fact]
    public void Overflow_in_an_untaken_branch_does_not_fail() =>
        Assert.Equal(1m, Formula.Evaluate("IF(actual=0, 1, 10^29)"));
}
