namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>An arithmetic operator, <c>^</c> or a comparison between two operands.</summary>
internal sealed class BinarySyntax(ExpressionSyntax left, Token @operator, ExpressionSyntax right) : ExpressionSyntax
{
    public ExpressionSyntax Left { get; } = left;

    public Token Operator { get; } = @operator;

    public ExpressionSyntax Right { get; } = right;

    public override TextSpan Span => TextSpan.FromBounds(Left.Span.Start, Right.Span.End);

    public override int Depth { get; } = Math.Max(left.Depth, right.Depth) + 1;
}
