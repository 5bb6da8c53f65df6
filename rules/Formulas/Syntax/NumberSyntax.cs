namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>A number literal.</summary>
internal sealed class NumberSyntax(Token number) : ExpressionSyntax
{
    public Token Number { get; } = number;

    public override TextSpan Span => Number.Span;

    public override int Depth => 1;
}
