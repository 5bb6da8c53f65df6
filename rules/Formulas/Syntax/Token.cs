namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>A token with its place in the original text. <see cref="Value"/> is set for numbers only.</summary>
internal readonly record struct Token(TokenKind Kind, TextSpan Span, string Text, decimal Value = 0m)
{
    /// <summary>True for tokens that can start an operand, used to tell "missing operator" from a stray token.</summary>
    public bool StartsOperand => Kind is TokenKind.Number or TokenKind.Identifier or TokenKind.OpenParen;
}
