using System.Globalization;
using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Tests.Formulas;

/// <summary>Short ways to compile and evaluate in tests, failing with the diagnostics when compilation fails.</summary>
internal static class Formula
{
    public static CompiledFormula Compile(string text, FormulaContext context = FormulaContext.Indicator)
    {
        var compilation = Closures.ClosureFormulas.Compile(text, context);
        Assert.True(compilation.Succeeded, $"'{text}': {string.Join("; ", compilation.Diagnostics)}");
        return compilation.Formula;
    }

    public static decimal Evaluate(string text, FormulaScope? scope = null) =>
        Compile(text).Evaluate(scope ?? new FormulaScope());

    public static decimal EvaluateCount(string text, decimal count) =>
        Compile(text, FormulaContext.Adjustment).Evaluate(new FormulaScope { Count = count });

    /// <summary>The run-time failure reason; asserts that evaluation fails.</summary>
    public static string Failure(string text, FormulaScope? scope = null)
    {
        var ok = Compile(text).TryEvaluate(scope ?? new FormulaScope(), out var value, out var failure);
        Assert.False(ok, $"'{text}' evaluated to {value}");
        Assert.Equal(0m, value);
        Assert.NotNull(failure);
        return failure;
    }

    public static IReadOnlyList<FormulaDiagnostic> Diagnostics(string text, FormulaContext context = FormulaContext.Indicator)
    {
        var check = FormulaCompiler.Check(text, context);
        Assert.False(check.Succeeded, $"'{text}' compiled");
        Assert.Equal(FormulaVariables.None, check.Uses);
        Assert.NotEmpty(check.Diagnostics);
        // the closures refuse it with the same diagnostics
        Assert.Equal(check.Diagnostics, Closures.ClosureFormulas.Compile(text, context).Diagnostics);
        return check.Diagnostics;
    }

    public static FormulaDiagnostic Diagnostic(string text, FormulaContext context = FormulaContext.Indicator) =>
        Assert.Single(Diagnostics(text, context));

    public static decimal Number(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
