namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>A binary operation.</summary>
internal sealed class BoundBinary(BoundBinaryOperator @operator, BoundExpression left, BoundExpression right) : BoundExpression
{
    public BoundBinaryOperator Operator { get; } = @operator;

    public BoundExpression Left { get; } = left;

    public BoundExpression Right { get; } = right;

    public override int Depth { get; } = Math.Max(left.Depth, right.Depth) + 1;
}
