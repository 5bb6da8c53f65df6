namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>A unary <c>-</c> or <c>+</c>.</summary>
internal sealed class UnarySyntax(Token @operator, ExpressionSyntax operand) : ExpressionSyntax
{
    public Token Operator { get; } = @operator;

    public ExpressionSyntax Operand { get; } = operand;

    public override TextSpan Span => TextSpan.FromBounds(Operator.Span.Start, Operand.Span.End);

    public override int Depth { get; } = operand.Depth + 1;
}
