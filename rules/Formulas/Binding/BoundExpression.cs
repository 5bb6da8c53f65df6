namespace BaiQianWan.Assess.Rules.Formulas.Binding;

/// <summary>A node of the bound tree: names resolved, arity checked, ready to emit. No spans: nothing after binding reports positions.</summary>
internal abstract class BoundExpression;
