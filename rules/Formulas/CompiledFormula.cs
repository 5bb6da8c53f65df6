namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>
/// A formula compiled once into a delegate (the engine's, from the expression tree NRules compiled); evaluating it never looks at the text again. Immutable and safe to
/// share between threads (each thread needs its own <see cref="FormulaScope"/>).
/// </summary>
public sealed class CompiledFormula
{
    private readonly Func<FormulaScope, decimal> _code;

    internal CompiledFormula(string text, FormulaVariables uses, Func<FormulaScope, decimal> code)
    {
        Text = text;
        Uses = uses;
        _code = code;
    }

    /// <summary>The original text, exactly as given to the compiler.</summary>
    public string Text { get; }

    /// <summary>
    /// Every variable named anywhere in the text, including branches of <c>IF</c> that a given evaluation does not
    /// take: the spec makes the indicator missing when any of them is undefined for the unit, whichever branch runs.
    /// </summary>
    public FormulaVariables Uses { get; }

    /// <summary>Evaluates the formula.</summary>
    /// <exception cref="FormulaEvaluationException">Division by zero, a non-whole exponent or ROUND digit count, or a value out of range; the message is the Chinese reason.</exception>
    public decimal Evaluate(FormulaScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        try
        {
            return _code(scope);
        }
        catch (DivideByZeroException e)
        {
            throw new FormulaEvaluationException(FormulaMessages.DivisionByZero, e);
        }
        catch (OverflowException e)
        {
            throw new FormulaEvaluationException(FormulaMessages.Overflow, e);
        }
    }

    /// <summary>Evaluates the formula, reporting a run-time failure instead of throwing.</summary>
    /// <param name="scope">The inputs.</param>
    /// <param name="value">The value, or 0 on failure.</param>
    /// <param name="failure">Null on success, else the Chinese reason, e.g. <c>除数为零</c>.</param>
    /// <returns>True when the formula has a value for these inputs.</returns>
    public bool TryEvaluate(FormulaScope scope, out decimal value, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(scope);
        // System.Decimal signals division by zero and overflow by throwing, and the compiled code lets that
        // propagate instead of testing every operation; failures are rare, so the hot path stays branch-free.
        try
        {
            value = _code(scope);
            failure = null;
            return true;
        }
        catch (DivideByZeroException)
        {
            failure = FormulaMessages.DivisionByZero;
        }
        catch (OverflowException)
        {
            failure = FormulaMessages.Overflow;
        }
        catch (FormulaEvaluationException e)
        {
            failure = e.Message;
        }
        value = 0m;
        return false;
    }

    /// <summary>The original text.</summary>
    public override string ToString() => Text;
}
