using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>A name followed by a parenthesized argument list; the binder checks the function and its arity.</summary>
internal sealed class CallSyntax(Token name, Token open, ImmutableArray<ExpressionSyntax> arguments, Token close)
    : ExpressionSyntax
{
    public Token Name { get; } = name;

    public Token Open { get; } = open;

    public ImmutableArray<ExpressionSyntax> Arguments { get; } = arguments;

    public Token Close { get; } = close;

    public override TextSpan Span => TextSpan.FromBounds(Name.Span.Start, Close.Span.End);

    public override int Depth { get; } = (arguments.IsEmpty ? 0 : arguments.Max(a => a.Depth)) + 1;
}
