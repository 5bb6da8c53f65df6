using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Formulas.Syntax;

namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>
/// Resolves names and functions against the context, checks argument counts and records every variable the text
/// names. It keeps going after an error so the author sees all of them at once; a node in error binds to a
/// placeholder that is never emitted, because any diagnostic stops compilation.
/// </summary>
internal sealed class Binder
{
    private readonly FormulaContext _context;
    private readonly List<FormulaDiagnostic> _diagnostics;
    private FormulaVariables _uses;
    private readonly IReadOnlyList<string> _inputs;
    private readonly SortedSet<int> _inputsUsed = [];

    private Binder(FormulaContext context, List<FormulaDiagnostic> diagnostics, IReadOnlyList<string>? inputs)
    {
        _context = context;
        _diagnostics = diagnostics;
        // (v3) inputs are variables of indicator formulas only (adjustment formulas know only count).
        _inputs = context == FormulaContext.Indicator && inputs is not null ? inputs : [];
    }

    /// <summary>(v3) Binds with the ruleset's input ids as variables; <paramref name="inputsUsed"/> gets the positions of those named.</summary>
    public static BoundExpression Bind(
        ExpressionSyntax syntax,
        FormulaContext context,
        IReadOnlyList<string>? inputs,
        List<FormulaDiagnostic> diagnostics,
        out FormulaVariables uses,
        out int[] inputsUsed)
    {
        if (syntax.Depth > FormulaLimits.MaxDepth)
            throw new ArgumentException($"A syntax tree {syntax.Depth} deep is past FormulaLimits.MaxDepth ({FormulaLimits.MaxDepth}).", nameof(syntax));
        var binder = new Binder(context, diagnostics, inputs);
        var bound = binder.BindExpression(syntax);
        uses = binder._uses;
        inputsUsed = [.. binder._inputsUsed];
        return bound;
    }

    /// <summary>Binds a syntax tree; <paramref name="uses"/> gets every variable named anywhere, taken branch or not.</summary>
    public static BoundExpression Bind(
        ExpressionSyntax syntax,
        FormulaContext context,
        List<FormulaDiagnostic> diagnostics,
        out FormulaVariables uses)
    {
        // The parser returns no tree past the limit; checked before the walk all the same, as each stage does.
        if (syntax.Depth > FormulaLimits.MaxDepth)
            throw new ArgumentException($"A syntax tree {syntax.Depth} deep is past FormulaLimits.MaxDepth ({FormulaLimits.MaxDepth}).", nameof(syntax));
        var binder = new Binder(context, diagnostics, null);
        var bound = binder.BindExpression(syntax);
        uses = binder._uses;
        return bound;
    }

    private BoundExpression BindExpression(ExpressionSyntax syntax) => syntax switch
    {
        NumberSyntax number => new BoundLiteral(number.Number.Value),
        NameSyntax name => BindName(name.Identifier),
        ParenthesizedSyntax parenthesized => BindExpression(parenthesized.Inner),
        UnarySyntax { Operator.Kind: TokenKind.Plus } unary => BindExpression(unary.Operand),
        UnarySyntax unary => new BoundNegation(BindExpression(unary.Operand)),
        BinarySyntax binary => new BoundBinary(
            BinaryOperator(binary.Operator.Kind),
            BindExpression(binary.Left),
            BindExpression(binary.Right)),
        CallSyntax call => BindCall(call),
        _ => throw new InvalidOperationException($"Unexpected syntax node {syntax.GetType().Name}."),
    };

    private BoundExpression BindName(Token identifier)
    {
        var name = identifier.Text;
        // (monitors) their own variables; a scoring name (weight, completion, count, …) is unknown there, and a
        // monitor's name (plan, month, …) is free in scoring formulas, for an input id.
        if (Variables.Find(name, _context) is { } variable)
        {
            if (variable.IsKnownIn(_context))
            {
                _uses |= variable.Flag;
                return new BoundVariable(variable.Flag);
            }
            Report(identifier.Span, variable.Flag == FormulaVariables.Count ? FormulaCodes.CountOutsideAdjustment : FormulaCodes.VariableOutsideIndicator,
                variable.Flag == FormulaVariables.Count
                ? FormulaMessages.CountOutsideAdjustment
                : FormulaMessages.VariableOutsideIndicator(name));
        }
        else if (IndexOfInput(name) is { } input)
        {
            _inputsUsed.Add(input);
            return new BoundInput(input);
        }
        else if (FunctionTable.TryLookup(name, out var function))
        {
            Report(identifier.Span, FormulaCodes.FunctionWithoutArguments, FormulaMessages.FunctionWithoutArguments(function.Name));
        }
        else
        {
            var known = Variables.NamesIn(_context).Concat(_inputs).ToList();
            Report(identifier.Span, FormulaCodes.UnknownName, FormulaMessages.UnknownName(name, Suggestions.Closest(name, known), known));
        }
        return new BoundLiteral(0m);
    }

    private int? IndexOfInput(string name)
    {
        for (var i = 0; i < _inputs.Count; i++)
            if (string.Equals(_inputs[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return null;
    }

    private BoundExpression BindCall(CallSyntax call)
    {
        var name = call.Name.Text;
        var known = FunctionTable.TryLookup(name, out var function);
        if (!known)
        {
            var isVariable = Variables.Find(name, _context) is not null;
            Report(call.Name.Span, isVariable ? FormulaCodes.NotAFunction : FormulaCodes.UnknownFunction, isVariable
                ? FormulaMessages.NotAFunction(name)
                : FormulaMessages.UnknownFunction(name, Suggestions.Closest(name, FunctionTable.All.Select(f => f.Name)), FunctionTable.All.Select(f => f.Name)));
        }
        else if (!function.Accepts(call.Arguments.Length))
        {
            Report(call.Name.Span, FormulaCodes.ArgumentCount, FormulaMessages.ArgumentCount(
                function.Name, function.MinArguments, function.MaxArguments, call.Arguments.Length));
            known = false;
        }

        // Arguments are bound even when the call is wrong: they may hold further errors, and they count for Uses.
        var arguments = ImmutableArray.CreateBuilder<BoundExpression>(call.Arguments.Length);
        foreach (var argument in call.Arguments) arguments.Add(BindExpression(argument));
        return known ? new BoundCall(function.Function, arguments.MoveToImmutable()) : new BoundLiteral(0m);
    }

    private static BoundBinaryOperator BinaryOperator(TokenKind kind) => kind switch
    {
        TokenKind.Plus => BoundBinaryOperator.Add,
        TokenKind.Minus => BoundBinaryOperator.Subtract,
        TokenKind.Star => BoundBinaryOperator.Multiply,
        TokenKind.Slash => BoundBinaryOperator.Divide,
        TokenKind.Caret => BoundBinaryOperator.Power,
        TokenKind.Equals => BoundBinaryOperator.Equal,
        TokenKind.NotEquals => BoundBinaryOperator.NotEqual,
        TokenKind.Less => BoundBinaryOperator.Less,
        TokenKind.LessOrEqual => BoundBinaryOperator.LessOrEqual,
        TokenKind.Greater => BoundBinaryOperator.Greater,
        TokenKind.GreaterOrEqual => BoundBinaryOperator.GreaterOrEqual,
        _ => throw new InvalidOperationException($"Token {kind} is not a binary operator."),
    };

    private void Report(TextSpan span, string code, string message) =>
        _diagnostics.Add(new FormulaDiagnostic(span.Start, span.Length, message, code));
}
