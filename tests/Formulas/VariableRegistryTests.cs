using System.Reflection;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Formulas.Binding;
using BaiQianWan.Assess.Rules.Formulas.Emit;
using BaiQianWan.Assess.Tests.Formulas.Closures;

namespace BaiQianWan.Assess.Tests.Formulas;

/// <summary>The one list of formula variables (rules/Formulas/Variables.cs) against the flags, the scope and its readers.</summary>
public class VariableRegistryTests
{
    [Fact]
    public void Every_flag_has_exactly_one_entry_and_every_entry_one_flag()
    {
        var flags = Enum.GetValues<FormulaVariables>().Where(f => f != FormulaVariables.None).ToArray();
        Assert.Equal(21, flags.Length);
        foreach (var flag in flags) Assert.Single(Variables.All, v => v.Flag == flag);
        Assert.Equal(flags.Length, Variables.All.Length);
        Assert.All(Variables.All, v => Assert.True(System.Numerics.BitOperations.IsPow2((uint)v.Flag), v.Name));
        Assert.Equal(Variables.All.Length, Variables.All.Select(v => v.Name.ToLowerInvariant()).Distinct().Count());
    }

    [Fact]
    public void Every_decimal_field_of_the_scope_is_one_entrys_and_each_entry_reads_its_own_field()
    {
        var fields = typeof(FormulaScope).GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => f.FieldType == typeof(decimal)).ToArray();
        Assert.Equal(fields.Select(f => f.Name).Order(), Variables.All.Select(v => v.Field).Order());
        var scope = new FormulaScope();
        for (var i = 0; i < fields.Length; i++) fields[i].SetValue(scope, 1000m + i);
        foreach (var variable in Variables.All)
        {
            var expected = (decimal)typeof(FormulaScope).GetField(variable.Field)!.GetValue(scope)!;
            Assert.Equal(expected, variable.Read(scope));
            // the expression tree reads the same field as the closures
            var tree = ExpressionTreeCompiler.Compile(new BoundVariable(variable.Flag)).Compile();
            Assert.Equal(expected, tree(scope));
            Assert.Equal(expected, ClosureCompiler.Compile(new BoundVariable(variable.Flag))(scope));
        }
    }

    [Fact]
    public void Each_context_lists_its_names_in_the_documented_order()
    {
        Assert.Equal(
            ["actual", "target", "baseline", "weight", "completion", "growth", "change", "rank", "peers", "classAvg", "parentAvg", "levelAvg"],
            Variables.NamesIn(FormulaContext.Indicator));
        Assert.Equal(["count"], Variables.NamesIn(FormulaContext.Adjustment));
        Assert.Equal(
            ["actual", "target", "baseline", "plan", "progress", "pace", "gap", "growth", "value", "month", "rank", "peers", "levelRank", "levelPeers", "classAvg", "levelAvg"],
            Variables.NamesIn(FormulaContext.Monitor));
    }

    [Fact]
    public void Names_put_scoring_variables_first_then_the_monitors_own()
    {
        var set = FormulaVariables.Plan | FormulaVariables.Actual | FormulaVariables.Rank | FormulaVariables.Month | FormulaVariables.Count;
        Assert.Equal(["actual", "rank", "count", "plan", "month"], set.Names());
    }

    [Fact]
    public void What_each_variable_needs_comes_from_the_list()
    {
        Assert.Equal(VariableNeeds.None, Variables.NeedsOf(FormulaVariables.Actual | FormulaVariables.Peers | FormulaVariables.Weight));
        Assert.Equal(VariableNeeds.ClassRanks, Variables.NeedsOf(FormulaVariables.Rank));
        Assert.Equal(VariableNeeds.ClassStats, Variables.NeedsOf(FormulaVariables.ClassAvg));
        Assert.Equal(VariableNeeds.LevelFigures, Variables.NeedsOf(FormulaVariables.ParentAvg));
        Assert.Equal(VariableNeeds.ClassRanks | VariableNeeds.LevelFigures, Variables.NeedsOf(FormulaVariables.Rank | FormulaVariables.LevelAvg));
    }

    [Fact]
    public void A_flag_unknown_to_the_registry_is_an_error_everywhere_never_a_fallback()
    {
        var stray = (FormulaVariables)(1 << 30);
        Assert.Throws<InvalidOperationException>(() => Variables.Of(stray));
        Assert.Throws<InvalidOperationException>(() => Variables.Of(FormulaVariables.Actual | FormulaVariables.Target));
        Assert.Throws<InvalidOperationException>(() => Variables.In(FormulaVariables.ClassAvg | stray));
        Assert.Throws<InvalidOperationException>(() => (FormulaVariables.Actual | stray).Names());
        Assert.Throws<InvalidOperationException>(() => ExpressionTreeCompiler.Compile(new BoundVariable(stray)));
        Assert.Throws<InvalidOperationException>(() => ClosureCompiler.Compile(new BoundVariable(stray)));
    }

    [Fact]
    public void A_name_unknown_to_the_registry_is_a_diagnostic()
    {
        var d = Formula.Diagnostic("classavgg * 2");
        Assert.Equal(FormulaCodes.UnknownName, d.Code);
        Assert.Equal((0, 9), (d.Offset, d.Length));
        // a monitor's name is no scoring variable, and a scoring one no monitor's
        Assert.Equal(FormulaCodes.UnknownName, Formula.Diagnostic("plan * 2").Code);
        Assert.Equal(FormulaCodes.UnknownName, Formula.Diagnostic("weight * 2", FormulaContext.Monitor).Code);
        Assert.Null(Variables.Find("plan", FormulaContext.Indicator));
        Assert.Equal(FormulaVariables.Plan, Variables.Find("PLAN", FormulaContext.Monitor)!.Flag);
        Assert.Equal(FormulaVariables.Count, Variables.Find("count", FormulaContext.Indicator)!.Flag);
    }
}
