using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Tests.Formulas;

public class LogicTests
{
    [Theory]
    [InlineData("2=2", 1)]
    [InlineData("2=3", 0)]
    [InlineData("2.0=2", 1)]   // equal values, different scale
    [InlineData("2<>3", 1)]
    [InlineData("2<>2", 0)]
    [InlineData("2<3", 1)]
    [InlineData("3<3", 0)]
    [InlineData("3<=3", 1)]
    [InlineData("4<=3", 0)]
    [InlineData("4>3", 1)]
    [InlineData("3>3", 0)]
    [InlineData("3>=3", 1)]
    [InlineData("2>=3", 0)]
    public void Comparisons_give_one_or_zero(string text, int expected) =>
        Assert.Equal(expected, Formula.Evaluate(text));

    [Fact]
    public void Comparisons_chain_left_to_right() =>
        // (3 > 2) > 1 is 1 > 1, which is 0
        Assert.Equal(0m, Formula.Evaluate("3>2>1"));

    [Fact]
    public void Comparison_results_are_numbers() =>
        // 10 points when actual reaches the target: (1) * 10
        Assert.Equal(10m, Formula.Evaluate("(actual>=target)*10", new FormulaScope { Actual = 5m, Target = 5m }));

    [Theory]
    [InlineData("IF(1, 10, 20)", 10)]
    [InlineData("IF(0, 10, 20)", 20)]
    [InlineData("IF(-0.5, 10, 20)", 10)] // any non-zero value is true
    [InlineData("IF(2>1, 10)", 10)]
    [InlineData("IF(2<1, 10)", 0)]       // a false condition without a third argument gives 0
    public void IF_chooses_by_zero_or_not(string text, int expected) =>
        Assert.Equal(expected, Formula.Evaluate(text));

    [Fact]
    public void IF_evaluates_only_the_branch_it_takes()
    {
        var formula = Formula.Compile("IF(target=0, 0, actual/target)");
        // target 0: the division in the untaken branch never runs
        Assert.Equal(0m, formula.Evaluate(new FormulaScope { Actual = 5m, Target = 0m }));
        // target 4: 5 / 4
        Assert.Equal(1.25m, formula.Evaluate(new FormulaScope { Actual = 5m, Target = 4m }));
    }

    [Fact]
    public void IF_with_a_constant_condition_still_skips_the_other_branch() =>
        Assert.Equal(7m, Formula.Evaluate("IF(1, 7, 1/0)"));

    [Theory]
    [InlineData("AND(1, 2, -3)", 1)]
    [InlineData("AND(1, 0, 1)", 0)]
    [InlineData("AND(0)", 0)]
    [InlineData("OR(0, 0, 0.1)", 1)]
    [InlineData("OR(0, 0)", 0)]
    [InlineData("OR(5)", 1)]
    [InlineData("NOT(0)", 1)]
    [InlineData("NOT(3)", 0)]
    [InlineData("NOT(1>2)", 1)]
    public void AND_OR_NOT_treat_zero_as_false_and_give_one_or_zero(string text, int expected) =>
        Assert.Equal(expected, Formula.Evaluate(text));

    [Fact]
    public void AND_evaluates_every_argument_so_a_later_failure_still_fails() =>
        Assert.Equal("除数为零", Formula.Failure("AND(0, 1/actual)"));

    [Fact]
    public void OR_evaluates_every_argument_so_a_later_failure_still_fails() =>
        Assert.Equal("除数为零", Formula.Failure("OR(1, 1/actual)"));
}
