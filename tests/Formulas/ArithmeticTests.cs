using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Tests.Formulas;

public class ArithmeticTests
{
    [Theory]
    [InlineData("2+3*4", "14")]        // * before +: 2 + 12
    [InlineData("(2+3)*4", "20")]      // parentheses first: 5 * 4
    [InlineData("10-2-3", "5")]        // left-associative: (10 - 2) - 3
    [InlineData("8/2/2", "2")]         // left-associative: (8 / 2) / 2
    [InlineData("2*3^2", "18")]        // ^ before *: 2 * 9
    [InlineData("-2^2", "-4")]         // ^ before unary minus: -(2^2), unlike Excel
    [InlineData("(-2)^2", "4")]
    [InlineData("2^-1", "0.5")]        // the exponent may carry a sign: 1 / 2
    [InlineData("2^+3", "8")]
    [InlineData("-3*-2", "6")]         // unary minus binds tighter than *
    [InlineData("--2", "2")]
    [InlineData("+2", "2")]
    [InlineData("6-2*-1", "8")]        // 6 - (-2)
    [InlineData("1+2=3", "1")]         // comparison is loosest: (1 + 2) = 3
    [InlineData("2*3>5", "1")]
    [InlineData("(2^3)^2", "64")]      // an explicit chain is fine: 8^2
    [InlineData("2^(3^2)", "512")]     // 2^9
    public void Operators_follow_the_spec_precedence(string text, string expected) =>
        Assert.Equal(Formula.Number(expected), Formula.Evaluate(text));

    [Theory]
    [InlineData("123", "123")]
    [InlineData("1.5", "1.5")]
    [InlineData(".5", "0.5")]
    [InlineData("0.25", "0.25")]
    [InlineData("007", "7")]
    public void Number_literals_in_the_three_spec_forms(string text, string expected) =>
        Assert.Equal(Formula.Number(expected), Formula.Evaluate(text));

    [Fact]
    public void A_leading_equals_sign_is_allowed_as_in_Excel()
    {
        Assert.Equal(14m, Formula.Evaluate("=2+3*4"));
        Assert.Equal(14m, Formula.Evaluate("  = 2+3*4"));
    }

    [Fact]
    public void Whitespace_is_allowed_between_any_tokens() =>
        Assert.Equal(1m, Formula.Evaluate(" \t( 2 +3 )\n*\r\n4 >= 20 "));

    [Fact]
    public void Decimal_arithmetic_is_exact() =>
        // In binary floating point 0.1 + 0.2 is 0.30000000000000004.
        Assert.Equal(0.3m, Formula.Evaluate("0.1+0.2"));

    [Fact]
    public void A_quotient_that_does_not_terminate_keeps_28_digits()
    {
        // 1/3 = 0.3333333333333333333333333333 (28 threes); times 3 it stays short of 1, as System.Decimal gives.
        Assert.Equal(0.3333333333333333333333333333m, Formula.Evaluate("1/3"));
        Assert.Equal(0.9999999999999999999999999999m, Formula.Evaluate("1/3*3"));
    }

    [Fact]
    public void Variables_read_the_scope()
    {
        var scope = new FormulaScope
        {
            Actual = 120m, Target = 100m, Baseline = 90m, Weight = 10m, Completion = 1.2m,
            Growth = 33.3m, Rank = 2m, Peers = 7m, ClassAvg = 95.5m,
        };
        // 120 / 100 * 10 = 12
        Assert.Equal(12m, Formula.Evaluate("actual/target*weight", scope));
        // 90 + 1.2 + 33.3 + 2 + 7 + 95.5 = 229
        Assert.Equal(229m, Formula.Evaluate("baseline+completion+growth+rank+peers+classAvg", scope));
    }

    [Fact]
    public void Count_is_read_in_adjustment_formulas() =>
        // 3 items at 0.5 points each
        Assert.Equal(1.5m, Formula.EvaluateCount("count*0.5", 3m));

    [Fact]
    public void Names_and_functions_ignore_case()
    {
        var scope = new FormulaScope { Actual = 5m, ClassAvg = 2m };
        Assert.Equal(5m, Formula.Evaluate("ACTUAL", scope));
        Assert.Equal(2m, Formula.Evaluate("classavg", scope));
        Assert.Equal(2m, Formula.Evaluate("ClassAvg", scope));
        Assert.Equal(2m, Formula.Evaluate("min(Actual, CLASSAVG)", scope));
        Assert.Equal(2m, Formula.Evaluate("Min(actual, classAvg)", scope));
    }

    [Theory]
    [InlineData("2^10", "1024")]
    [InlineData("2^0", "1")]
    [InlineData("0^0", "1")]           // by the spec's definition
    [InlineData("0^3", "0")]
    [InlineData("(-2)^3", "-8")]
    [InlineData("2^-2", "0.25")]       // 1 / 2^2
    [InlineData("(-1)^1000001", "-1")]
    [InlineData("1^99999999999", "1")] // an exponent beyond int range is still whole
    [InlineData("1.1^2", "1.21")]
    [InlineData("2^3.0", "8")]         // 3.0 is a whole number
    public void Power_with_a_whole_exponent_is_exact(string text, string expected) =>
        Assert.Equal(Formula.Number(expected), Formula.Evaluate(text));

    [Fact]
    public void Evaluation_reuses_one_scope_across_units()
    {
        var formula = Formula.Compile("actual*2");
        var scope = new FormulaScope { Actual = 1m };
        Assert.Equal(2m, formula.Evaluate(scope));
        scope.Actual = 21m;
        Assert.Equal(42m, formula.Evaluate(scope));
    }

    [Fact]
    public void The_compiled_formula_keeps_the_original_text()
    {
        var formula = Formula.Compile(" =actual*2 ");
        Assert.Equal(" =actual*2 ", formula.Text);
        Assert.Equal(" =actual*2 ", formula.ToString());
    }
}
