namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>A read of one scope variable.</summary>
internal sealed class BoundVariable(FormulaVariables variable) : BoundExpression
{
    public FormulaVariables Variable { get; } = variable;

    public override int Depth => 1;
}
