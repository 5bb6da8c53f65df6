namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>A node of the syntax tree. Nodes keep their tokens so every later stage can point at the text.</summary>
internal abstract class ExpressionSyntax
{
    /// <summary>The text this node covers.</summary>
    public abstract TextSpan Span { get; }

    /// <summary>Height of the subtree, kept so the parser can refuse trees that would exhaust the stack later.</summary>
    public abstract int Depth { get; }
}
