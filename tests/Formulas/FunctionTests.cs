using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Tests.Formulas;

public class FunctionTests
{
    [Theory]
    [InlineData("MIN(3)", "3")]
    [InlineData("MIN(3, 1.5)", "1.5")]
    [InlineData("MIN(3, -1, 2, 0)", "-1")]
    [InlineData("MAX(3)", "3")]
    [InlineData("MAX(3, 4.5)", "4.5")]
    [InlineData("MAX(3, -1, 7, 0)", "7")]
    public void MIN_and_MAX_take_one_or_more_arguments(string text, string expected) =>
        Assert.Equal(Formula.Number(expected), Formula.Evaluate(text));

    [Theory]
    [InlineData("ABS(-2.5)", "2.5")]
    [InlineData("ABS(2.5)", "2.5")]
    [InlineData("ABS(0)", "0")]
    public void ABS_drops_the_sign(string text, string expected) =>
        Assert.Equal(Formula.Number(expected), Formula.Evaluate(text));

    [Theory]
    [InlineData("ROUND(9.425, 2)", "9.43")]     // half away from zero, exact in decimal (no 9.42499… as in double)
    [InlineData("ROUND(-9.425, 2)", "-9.43")]
    [InlineData("ROUND(2.5, 0)", "3")]          // not banker's rounding, which would give 2
    [InlineData("ROUND(-2.5, 0)", "-3")]
    [InlineData("ROUND(2.4999, 0)", "2")]
    [InlineData("ROUND(1.005, 2)", "1.01")]
    [InlineData("ROUND(1234.5, -2)", "1200")]   // to hundreds: 34.5 is under 50
    [InlineData("ROUND(1250, -2)", "1300")]     // 50 is the midpoint: away from zero
    [InlineData("ROUND(-1250, -2)", "-1300")]
    [InlineData("ROUND(1249.99, -2)", "1200")]
    [InlineData("ROUND(15, -1)", "20")]
    [InlineData("ROUND(4.9999999999999999999999999999, -1)", "0")] // exactly, with no midpoint faked by a quotient
    [InlineData("ROUND(123, -5)", "0")]
    [InlineData("ROUND(123, -40)", "0")]
    [InlineData("ROUND(1.23456, 29)", "1.23456")] // more places than a decimal has: unchanged
    [InlineData("ROUND(1.23456, 2.0)", "1.23")]   // 2.0 is whole
    public void ROUND_rounds_half_away_from_zero(string text, string expected) =>
        Assert.Equal(Formula.Number(expected), Formula.Evaluate(text));

    [Fact]
    public void ROUND_digit_count_may_come_from_a_variable() =>
        // ROUND(2.345, 1) = 2.3
        Assert.Equal(2.3m, Formula.EvaluateCount("ROUND(2.345, count)", 1m));

    [Theory]
    [InlineData("CLAMP(5, 0, 10)", "5")]
    [InlineData("CLAMP(-5, 0, 10)", "0")]
    [InlineData("CLAMP(15, 0, 10)", "10")]
    [InlineData("CLAMP(5, 8, 2)", "8")]   // lo > hi gives lo
    [InlineData("CLAMP(0, 8, 2)", "8")]
    [InlineData("CLAMP(5, 5, 5)", "5")]
    public void CLAMP_limits_to_the_range_and_gives_lo_when_lo_exceeds_hi(string text, string expected) =>
        Assert.Equal(Formula.Number(expected), Formula.Evaluate(text));

    [Fact]
    public void Functions_nest()
    {
        var formula = Formula.Compile("ROUND(MIN(actual/target, 1.2) * weight, 1)");
        // 113.37 / 100 = 1.1337 (under the cap), * 10 = 11.337, to 1 place = 11.3
        Assert.Equal(11.3m, formula.Evaluate(new FormulaScope { Actual = 113.37m, Target = 100m, Weight = 10m }));
        // 150 / 100 = 1.5, capped at 1.2, * 10 = 12
        Assert.Equal(12m, formula.Evaluate(new FormulaScope { Actual = 150m, Target = 100m, Weight = 10m }));
    }
}
