using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>
/// Recursive-descent parser. Precedence, lowest first: comparisons, <c>+ -</c>, <c>* /</c>, unary <c>- +</c>,
/// <c>^</c>, primary; all binary levels left-associative. <c>^</c> binds tighter than unary minus (so <c>-2^2</c> is
/// −4) and its right operand may carry a sign (<c>2^-1</c>). The parser stops at the first real syntax error, since
/// what follows one is usually noise; a chained <c>a^b^c</c> is reported without stopping because the rest of the
/// formula is still meaningful.
/// </summary>
internal sealed class Parser
{
    /// <summary>
    /// Deepest tree accepted. Binding, emitting and evaluating recurse over the tree, so an absurd formula
    /// (thousands of nested parentheses) must be a diagnostic rather than a stack overflow that kills the process.
    /// The descent itself is bounded by the same number, checked before each level is entered.
    /// </summary>
    public const int MaxDepth = FormulaLimits.MaxDepth;

    private readonly ImmutableArray<Token> _tokens;
    private readonly List<FormulaDiagnostic> _diagnostics;
    private int _position;
    private int _nesting;
    private int _nodes;

    private Parser(ImmutableArray<Token> tokens, List<FormulaDiagnostic> diagnostics)
    {
        _tokens = tokens;
        _diagnostics = diagnostics;
    }

    /// <summary>
    /// Parses the tokens of <paramref name="text"/>; null after a syntax error, which is then in <paramref name="diagnostics"/>.
    /// A tree that comes back is within <see cref="FormulaLimits"/> (depth, nodes, arguments per call).
    /// </summary>
    public static ExpressionSyntax? Parse(string text, ImmutableArray<Token> tokens, List<FormulaDiagnostic> diagnostics)
    {
        if (tokens.Length == 1)
        {
            diagnostics.Add(new FormulaDiagnostic(0, text.Length, FormulaMessages.Empty, FormulaCodes.Empty));
            return null;
        }
        var parser = new Parser(tokens, diagnostics);
        try
        {
            var expression = parser.ParseExpression();
            parser.ExpectEnd();
            // The checks during the descent bound the recursion; this bounds what binding and evaluation see.
            if (expression.Depth > MaxDepth) throw parser.Error(expression.Span, FormulaCodes.TooDeep, FormulaMessages.TooDeep(MaxDepth));
            return expression;
        }
        catch (SyntaxErrorException)
        {
            return null;
        }
    }

    private Token Current => _tokens[_position];

    private Token Take() => _tokens[_position++];

    /// <summary>Takes a binary operator, counting it as a node where it stands in the text.</summary>
    private Token TakeOperator()
    {
        Count(Current);
        return Take();
    }

    private ExpressionSyntax ParseExpression()
    {
        Enter();
        var left = ParseAdditive();
        while (Current.Kind is TokenKind.Equals or TokenKind.NotEquals or TokenKind.Less or TokenKind.LessOrEqual
               or TokenKind.Greater or TokenKind.GreaterOrEqual)
        {
            var op = TakeOperator();
            left = Binary(left, op, ParseAdditive());
        }
        _nesting--;
        return left;
    }

    private ExpressionSyntax ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = TakeOperator();
            left = Binary(left, op, ParseMultiplicative());
        }
        return left;
    }

    private ExpressionSyntax ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var op = TakeOperator();
            left = Binary(left, op, ParseUnary());
        }
        return left;
    }

    private ExpressionSyntax ParseUnary()
    {
        if (Current.Kind is not (TokenKind.Minus or TokenKind.Plus)) return ParsePower();
        var op = Take();
        Count(op);
        Enter();
        var operand = ParseUnary();
        _nesting--;
        return Checked(new UnarySyntax(op, operand), op);
    }

    private ExpressionSyntax ParsePower()
    {
        var left = ParsePrimary();
        if (Current.Kind != TokenKind.Caret) return left;
        left = Binary(left, TakeOperator(), ParsePowerOperand());
        var reported = false;
        while (Current.Kind == TokenKind.Caret)
        {
            // Excel reads a^b^c left to right, mathematics right to left; refuse to guess. Recover as (a^b)^c
            // so the rest of the formula still gets checked.
            var extra = TakeOperator();
            if (!reported)
            {
                _diagnostics.Add(new FormulaDiagnostic(extra.Span.Start, extra.Span.Length, FormulaMessages.ChainedPower, FormulaCodes.ChainedPower));
                reported = true;
            }
            left = Binary(left, extra, ParsePowerOperand());
        }
        return left;
    }

    private ExpressionSyntax ParsePowerOperand()
    {
        if (Current.Kind is not (TokenKind.Minus or TokenKind.Plus)) return ParsePrimary();
        var op = Take();
        Count(op);
        Enter();
        var operand = ParsePowerOperand();
        _nesting--;
        return Checked(new UnarySyntax(op, operand), op);
    }

    private ExpressionSyntax ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Count(token);
                _position++;
                return new NumberSyntax(token);
            case TokenKind.Identifier when _tokens[_position + 1].Kind == TokenKind.OpenParen:
                return ParseCall();
            case TokenKind.Identifier:
                Count(token);
                _position++;
                return new NameSyntax(token);
            case TokenKind.OpenParen:
                Count(token);
                _position++;
                var inner = ParseExpression();
                if (Current.Kind != TokenKind.CloseParen) throw UnexpectedAfterOperand(token, insideCall: false);
                return Checked(new ParenthesizedSyntax(token, inner, Take()), token);
            case TokenKind.End:
                throw Error(_tokens[_position - 1].Span, FormulaCodes.Incomplete, FormulaMessages.Incomplete(_tokens[_position - 1].Text));
            case TokenKind.Comma:
                throw Error(token.Span, FormulaCodes.UnexpectedComma, FormulaMessages.UnexpectedComma);
            default:
                throw Error(token.Span, FormulaCodes.UnexpectedToken, FormulaMessages.UnexpectedToken(token.Text));
        }
    }

    private CallSyntax ParseCall()
    {
        var name = Take();
        Count(name);
        var open = Take();
        var arguments = ImmutableArray.CreateBuilder<ExpressionSyntax>();
        if (Current.Kind == TokenKind.CloseParen) return new CallSyntax(name, open, arguments.ToImmutable(), Take());
        while (true)
        {
            // Refused where the argument past the limit starts, before it is parsed.
            if (arguments.Count == FormulaLimits.MaxArguments)
            {
                var at = Current.Kind == TokenKind.End ? _tokens[_position - 1] : Current;
                throw Error(at.Span, FormulaCodes.TooManyArguments, FormulaMessages.TooManyArguments(name.Text, FormulaLimits.MaxArguments));
            }
            arguments.Add(ParseExpression());
            if (Current.Kind == TokenKind.Comma)
            {
                _position++;
                continue;
            }
            if (Current.Kind == TokenKind.CloseParen) break;
            throw UnexpectedAfterOperand(open, insideCall: true);
        }
        return Checked(new CallSyntax(name, open, arguments.ToImmutable(), Take()), name);
    }

    private void ExpectEnd()
    {
        var token = Current;
        if (token.Kind == TokenKind.End) return;
        if (token.Kind == TokenKind.CloseParen) throw Error(token.Span, FormulaCodes.ExtraCloseParen, FormulaMessages.ExtraCloseParen);
        if (token.StartsOperand) throw Error(token.Span, FormulaCodes.MissingOperator, FormulaMessages.MissingOperator(token.Text));
        if (token.Kind == TokenKind.Comma) throw Error(token.Span, FormulaCodes.UnexpectedComma, FormulaMessages.UnexpectedComma);
        throw Error(token.Span, FormulaCodes.UnexpectedToken, FormulaMessages.UnexpectedToken(token.Text));
    }

    /// <summary>The error for a token where <c>)</c> (or <c>,</c> in a call) should follow a complete operand.</summary>
    private SyntaxErrorException UnexpectedAfterOperand(Token open, bool insideCall)
    {
        var token = Current;
        // At the end of the text the useful place to point at is the parenthesis that was never closed.
        if (token.Kind == TokenKind.End) return Error(open.Span, FormulaCodes.MissingCloseParen, FormulaMessages.MissingCloseParen);
        if (token.StartsOperand)
        {
            return Error(token.Span, FormulaCodes.MissingOperator, insideCall
                ? FormulaMessages.MissingOperatorOrComma(token.Text)
                : FormulaMessages.MissingOperator(token.Text));
        }
        if (token.Kind == TokenKind.Comma) return Error(token.Span, FormulaCodes.UnexpectedComma, FormulaMessages.UnexpectedComma);
        return Error(token.Span, FormulaCodes.UnexpectedToken, FormulaMessages.UnexpectedToken(token.Text));
    }

    private BinarySyntax Binary(ExpressionSyntax left, Token op, ExpressionSyntax right)
    {
        // Left-associative chains grow the tree without recursing here, so depth is checked on the node as well.
        return Checked(new BinarySyntax(left, op, right), op);
    }

    /// <summary>
    /// The node, unless it makes the tree taller than <see cref="MaxDepth"/> (say a parenthesis around a chain at
    /// the limit): then the error at <paramref name="at"/>, the node's own token.
    /// </summary>
    private T Checked<T>(T node, Token at)
        where T : ExpressionSyntax
    {
        if (node.Depth > MaxDepth) throw Error(at.Span, FormulaCodes.TooDeep, FormulaMessages.TooDeep(MaxDepth));
        return node;
    }

    /// <summary>Counts one node of the tree (numbers, names, operators, calls, parentheses), refused at the one past the limit.</summary>
    private void Count(Token token)
    {
        if (++_nodes > FormulaLimits.MaxNodes) throw Error(token.Span, FormulaCodes.TooManyNodes, FormulaMessages.TooManyNodes(FormulaLimits.MaxNodes));
    }

    private void Enter()
    {
        if (++_nesting <= MaxDepth) return;
        var at = Current.Kind == TokenKind.End ? _tokens[_position - 1] : Current;
        throw Error(at.Span, FormulaCodes.TooDeep, FormulaMessages.TooDeep(MaxDepth));
    }

    private SyntaxErrorException Error(TextSpan span, string code, string message)
    {
        _diagnostics.Add(new FormulaDiagnostic(span.Start, span.Length, message, code));
        return new SyntaxErrorException();
    }

    /// <summary>Unwinds the descent after a syntax error has been recorded.</summary>
    private sealed class SyntaxErrorException : Exception;
}
