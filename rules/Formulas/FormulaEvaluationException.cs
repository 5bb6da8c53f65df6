namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>
/// A formula could not be evaluated for these inputs (division by zero, a non-whole exponent or ROUND digit count,
/// a value out of range). Not a bug: the spec makes the indicator missing, so callers catch it or use
/// <see cref="CompiledFormula.TryEvaluate"/>.
/// </summary>
public sealed class FormulaEvaluationException : Exception
{
    /// <summary>Creates the exception with the Chinese reason as its message.</summary>
    public FormulaEvaluationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the Chinese reason as its message and the arithmetic error behind it.</summary>
    public FormulaEvaluationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
