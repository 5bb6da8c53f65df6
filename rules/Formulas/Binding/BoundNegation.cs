namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>Unary minus (unary plus binds to its operand directly).</summary>
internal sealed class BoundNegation(BoundExpression operand) : BoundExpression
{
    public BoundExpression Operand { get; } = operand;

    public override int Depth { get; } = operand.Depth + 1;
}
