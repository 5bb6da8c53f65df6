using BaiQianWan.Assess.Rules.Formulas.Binding;
using BaiQianWan.Assess.Rules.Formulas.Emit;
using BaiQianWan.Assess.Rules.Formulas.Syntax;

namespace BaiQianWan.Assess.Rules.Formulas;

/// <summary>
/// Formula text (ruleset spec 2.3) through its stages: text → tokens → syntax tree → bound tree, then, for the engine,
/// a LINQ expression tree NRules compiles with the rule that embeds it. Validation stops at the bound tree: a formula
/// that binds without diagnostics is valid, and nothing is emitted until the engine needs it. Each stage lives in its own type.
/// </summary>
public static class FormulaCompiler
{
    /// <summary>
    /// Checks <paramref name="text"/> for <paramref name="context"/>, with (v3) the ruleset's input ids (spec 2.7) as
    /// variables of indicator formulas. Never throws for bad text: every problem found is a diagnostic with its position
    /// in <paramref name="text"/>. Emits no code.
    /// </summary>
    public static FormulaCheck Check(string text, FormulaContext context, IReadOnlyList<string>? inputs = null)
    {
        var diagnostics = new List<FormulaDiagnostic>();
        return Bind(text, context, inputs, diagnostics, out var uses, out _) is null
            ? new FormulaCheck(FormulaVariables.None, diagnostics.OrderBy(d => d.Offset).ToArray().AsReadOnly())
            : new FormulaCheck(uses, []);
    }

    /// <summary>
    /// Text to bound tree, or null with the diagnostics. <paramref name="uses"/> gets every variable named,
    /// <paramref name="inputsUsed"/> the positions of the inputs named.
    /// </summary>
    internal static Binding.BoundExpression? Bind(
        string text, FormulaContext context, IReadOnlyList<string>? inputs, List<FormulaDiagnostic> diagnostics,
        out FormulaVariables uses, out int[] inputsUsed)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Enum.IsDefined(context)) throw new ArgumentOutOfRangeException(nameof(context));
        uses = FormulaVariables.None;
        inputsUsed = [];
        var before = diagnostics.Count;
        var syntax = Parse(text, diagnostics);
        if (syntax is null) return null;
        var bound = Binder.Bind(syntax, context, inputs, diagnostics, out uses, out inputsUsed);
        return diagnostics.Count > before ? null : bound;
    }

    /// <summary>
    /// Compiles valid formula text into a LINQ expression tree (<c>scope =&gt; value</c>) for embedding in an NRules rule,
    /// with the variables it names. Throws when the text has diagnostics: only validated rulesets get here.
    /// </summary>
    internal static (System.Linq.Expressions.Expression<Func<FormulaScope, decimal>> Tree, FormulaVariables Uses) CompileExpression(string text, FormulaContext context)
    {
        var (tree, uses, _) = CompileExpression(text, context, null);
        return (tree, uses);
    }

    /// <summary>(v3) As above, with the ruleset's input ids; <c>InputsUsed</c> are the positions of the inputs the text names.</summary>
    internal static (System.Linq.Expressions.Expression<Func<FormulaScope, decimal>> Tree, FormulaVariables Uses, int[] InputsUsed) CompileExpression(
        string text, FormulaContext context, IReadOnlyList<string>? inputs)
    {
        var diagnostics = new List<FormulaDiagnostic>();
        if (Bind(text, context, inputs, diagnostics, out var uses, out var inputsUsed) is { } bound)
        {
            var tree = ExpressionTreeCompiler.Compile(bound);
            // NRules' visitors recurse over the rule that embeds this tree: it must be short enough for them.
            TreeLimits.CheckHeight(tree);
            return (tree, uses, inputsUsed);
        }
        throw new InvalidOperationException($"无效的公式 '{text}'：{(diagnostics.Count > 0 ? diagnostics[0].Message : "")}");
    }

    /// <summary>
    /// Text to syntax tree, null with diagnostics when it cannot be read or passes a <see cref="FormulaLimits"/> bound.
    /// Text over <see cref="FormulaLimits.MaxCharacters"/> is refused before it is read, as a whole.
    /// </summary>
    private static Syntax.ExpressionSyntax? Parse(string text, List<FormulaDiagnostic> diagnostics)
    {
        if (text.Length > FormulaLimits.MaxCharacters)
        {
            diagnostics.Add(new FormulaDiagnostic(0, text.Length, FormulaMessages.TooLong(text.Length, FormulaLimits.MaxCharacters), FormulaCodes.TooLong));
            return null;
        }
        var tokens = Lexer.Tokenize(text, diagnostics);
        // Bad characters make the token stream unreliable; the parser would only add echoes of them.
        return diagnostics.Count > 0 ? null : Parser.Parse(text, tokens, diagnostics);
    }
}
