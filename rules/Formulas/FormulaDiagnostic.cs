namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>A compile-time problem in a formula's text.</summary>
/// <param name="Offset">0-based offset into the original text, counting any leading <c>=</c> and spaces.</param>
/// <param name="Length">Length of the offending text; at least 1 unless the text is empty.</param>
/// <param name="Message">What is wrong, in Chinese, for the rule author.</param>
/// <param name="Code">The stable code of the error (<see cref="FormulaCodes"/>).</param>
public readonly record struct FormulaDiagnostic(int Offset, int Length, string Message, string Code);
