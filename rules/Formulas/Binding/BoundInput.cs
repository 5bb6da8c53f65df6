namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>(v3) A read of one of the ruleset's <c>inputs</c> (spec 2.7), by its position among them.</summary>
internal sealed class BoundInput(int index) : BoundExpression
{
    public int Index { get; } = index;

    public override int Depth => 1;
}
