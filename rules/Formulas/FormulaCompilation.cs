using System.Diagnostics.CodeAnalysis;

namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>The outcome of <see cref="FormulaCompiler.Compile(string, FormulaContext)"/>: a formula, or the diagnostics that prevent one.</summary>
/// <param name="Formula">The compiled formula; null exactly when there are diagnostics.</param>
/// <param name="Diagnostics">Every problem found, ordered by offset; empty on success.</param>
public sealed record FormulaCompilation(CompiledFormula? Formula, IReadOnlyList<FormulaDiagnostic> Diagnostics)
{
    /// <summary>True when <see cref="Formula"/> is available.</summary>
    [MemberNotNullWhen(true, nameof(Formula))]
    public bool Succeeded => Formula is not null;
}
