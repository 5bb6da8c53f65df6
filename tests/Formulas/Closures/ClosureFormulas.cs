using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Tests.Formulas.Closures;

/// <summary>Formula text to a <see cref="CompiledFormula"/> over closures: the product's own check (up to binding), then <see cref="ClosureCompiler"/>.</summary>
internal static class ClosureFormulas
{
    /// <summary>Compiles; never throws for bad text: every problem is a diagnostic, as the product reports it.</summary>
    public static FormulaCompilation Compile(string text, FormulaContext context, IReadOnlyList<string>? inputs = null)
    {
        var diagnostics = new List<FormulaDiagnostic>();
        var bound = FormulaCompiler.Bind(text, context, inputs, diagnostics, out var uses, out _);
        if (bound is null) return new FormulaCompilation(null, diagnostics.OrderBy(d => d.Offset).ToArray().AsReadOnly());
        return new FormulaCompilation(new CompiledFormula(text, uses, ClosureCompiler.Compile(bound)), []);
    }
}
