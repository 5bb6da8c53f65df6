using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Tests.Formulas;

public class UsesTests
{
    [Fact]
    public void Uses_lists_every_variable_named()
    {
        var formula = Formula.Compile("actual/target*weight");
        Assert.Equal(FormulaVariables.Actual | FormulaVariables.Target | FormulaVariables.Weight, formula.Uses);
    }

    [Fact]
    public void Uses_includes_variables_of_branches_that_are_not_taken() =>
        // baseline is only read when target is 0, but a missing baseline still makes the indicator missing.
        Assert.Equal(
            FormulaVariables.Target | FormulaVariables.Baseline | FormulaVariables.Actual,
            Formula.Compile("IF(target=0, baseline, actual)").Uses);

    [Fact]
    public void Uses_includes_variables_in_branches_removed_by_a_constant_condition() =>
        Assert.Equal(FormulaVariables.Growth, Formula.Compile("IF(1, 5, growth)").Uses);

    [Fact]
    public void Uses_is_none_for_a_constant_formula() =>
        Assert.Equal(FormulaVariables.None, Formula.Compile("1+2").Uses);

    [Fact]
    public void Uses_of_an_adjustment_formula_is_count() =>
        Assert.Equal(FormulaVariables.Count, Formula.Compile("count*0.5", FormulaContext.Adjustment).Uses);

    [Fact]
    public void Every_indicator_variable_is_known()
    {
        var formula = Formula.Compile("actual+target+baseline+weight+completion+growth+rank+peers+classAvg");
        Assert.Equal(
            ["actual", "target", "baseline", "weight", "completion", "growth", "rank", "peers", "classAvg"],
            formula.Uses.Names());
    }

    [Fact]
    public void Names_are_in_enum_order_whatever_the_text_order() =>
        Assert.Equal(["actual", "target"], Formula.Compile("TARGET - Actual").Uses.Names());

    [Fact]
    public void Names_of_none_is_empty() => Assert.Empty(FormulaVariables.None.Names());

    [Fact]
    public void Names_includes_count() =>
        Assert.Equal(["weight", "count"], (FormulaVariables.Count | FormulaVariables.Weight).Names());
}
