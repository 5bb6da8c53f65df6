namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>An expression in parentheses; kept as a node so spans include the parentheses.</summary>
internal sealed class ParenthesizedSyntax(Token open, ExpressionSyntax inner, Token close) : ExpressionSyntax
{
    public Token Open { get; } = open;

    public ExpressionSyntax Inner { get; } = inner;

    public Token Close { get; } = close;

    public override TextSpan Span => TextSpan.FromBounds(Open.Span.Start, Close.Span.End);

    public override int Depth { get; } = inner.Depth + 1;
}
