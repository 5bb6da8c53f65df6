namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>A bare name; the binder decides whether it is a variable.</summary>
internal sealed class NameSyntax(Token identifier) : ExpressionSyntax
{
    public Token Identifier { get; } = identifier;

    public override TextSpan Span => Identifier.Span;

    public override int Depth => 1;
}
