namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>A node of the bound tree: names resolved, arity checked, ready to emit. No spans: nothing after binding reports positions.</summary>
internal abstract class BoundExpression
{
    /// <summary>Height of the subtree (a leaf is 1), so each emitter can refuse a tree past <see cref="FormulaLimits.MaxDepth"/> before walking it.</summary>
    public abstract int Depth { get; }
}
