namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>The outcome of <see cref="FormulaCompiler.Check"/>: the variables a formula names, or the diagnostics that make it invalid.</summary>
/// <param name="Uses">Every variable named anywhere in the text (none when there are diagnostics).</param>
/// <param name="Diagnostics">Every problem found, ordered by offset; empty when the text is valid.</param>
public sealed record FormulaCheck(FormulaVariables Uses, IReadOnlyList<FormulaDiagnostic> Diagnostics)
{
    /// <summary>True when the text is a valid formula of its context.</summary>
    public bool Succeeded => Diagnostics.Count == 0;
}
