using System.Diagnostics.CodeAnalysis;
using BaiQianWan.Assess.Rules.Formulas;

namespace BaiQianWan.Assess.Tests.Formulas.Closures;

/// <summary>The outcome of <see cref="ClosureFormulas.Compile"/>: a formula, or the diagnostics that prevent one.</summary>
/// <param name="Formula">The compiled formula; null exactly when there are diagnostics.</param>
/// <param name="Diagnostics">Every problem found, ordered by offset; empty on success.</param>
public sealed record FormulaCompilation(CompiledFormula? Formula, IReadOnlyList<FormulaDiagnostic> Diagnostics)
{
    /// <summary>True when <see cref="Formula"/> is available.</summary>
    [MemberNotNullWhen(true, nameof(Formula))]
    public bool Succeeded => Formula is not null;
}
