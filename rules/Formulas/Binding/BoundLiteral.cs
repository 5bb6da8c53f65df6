namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>A constant.</summary>
internal sealed class BoundLiteral(decimal value) : BoundExpression
{
    public decimal Value { get; } = value;

    public override int Depth => 1;
}
