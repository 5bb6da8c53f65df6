using System.Collections.Immutable;
using System.Globalization;

namespace BaiQianWan.Assess.Rules.Formulas.Syntax;

/// <summary>
/// Splits formula text into tokens. A leading <c>=</c> (Excel habit) is skipped; offsets stay those of the original
/// text. Every bad character is reported, so one pass shows the author all of them.
/// </summary>
internal sealed class Lexer
{
    private readonly string _text;
    private readonly List<FormulaDiagnostic> _diagnostics;
    private int _position;

    private Lexer(string text, List<FormulaDiagnostic> diagnostics)
    {
        _text = text;
        _diagnostics = diagnostics;
    }

    /// <summary>Tokenizes <paramref name="text"/>; the result always ends with an <see cref="TokenKind.End"/> token.</summary>
    public static ImmutableArray<Token> Tokenize(string text, List<FormulaDiagnostic> diagnostics) =>
        new Lexer(text, diagnostics).Run();

    private ImmutableArray<Token> Run()
    {
        var tokens = ImmutableArray.CreateBuilder<Token>();
        SkipWhitespace();
        if (Current == '=') _position++;
        while (true)
        {
            SkipWhitespace();
            if (_position >= _text.Length) break;
            if (Next() is { } token) tokens.Add(token);
        }
        tokens.Add(new Token(TokenKind.End, new TextSpan(_text.Length, 0), ""));
        return tokens.ToImmutable();
    }

    private char Current => Peek(0);

    private char Peek(int ahead) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    private void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position])) _position++;
    }

    private Token? Next()
    {
        var c = Current;
        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1)))) return Number();
        if (char.IsLetter(c) || c == '_') return Identifier();
        switch (c)
        {
            case '+': return Punctuation(TokenKind.Plus, 1);
            case '-': return Punctuation(TokenKind.Minus, 1);
            case '*': return Punctuation(TokenKind.Star, 1);
            case '/': return Punctuation(TokenKind.Slash, 1);
            case '^': return Punctuation(TokenKind.Caret, 1);
            case '(': return Punctuation(TokenKind.OpenParen, 1);
            case ')': return Punctuation(TokenKind.CloseParen, 1);
            case ',': return Punctuation(TokenKind.Comma, 1);
            case '=' when Peek(1) == '=':
                // "==" is a programmer's habit; name the fix instead of reporting a bare '='.
                _diagnostics.Add(new FormulaDiagnostic(_position, 2, FormulaMessages.DoubleEquals, FormulaCodes.DoubleEquals));
                _position += 2;
                return null;
            case '=': return Punctuation(TokenKind.Equals, 1);
            case '<' when Peek(1) == '>': return Punctuation(TokenKind.NotEquals, 2);
            case '<' when Peek(1) == '=': return Punctuation(TokenKind.LessOrEqual, 2);
            case '<': return Punctuation(TokenKind.Less, 1);
            case '>' when Peek(1) == '=': return Punctuation(TokenKind.GreaterOrEqual, 2);
            case '>': return Punctuation(TokenKind.Greater, 1);
        }

        // Chinese input methods produce full-width punctuation that looks right on screen; say what to type instead.
        var hint = c switch
        {
            '（' => "(",
            '）' => ")",
            '，' => ",",
            '＋' => "+",
            '－' => "-",
            '＊' or '×' => "*",
            '／' or '÷' => "/",
            '＾' => "^",
            '＝' => "=",
            '＜' => "<",
            '＞' => ">",
            '≤' => "<=",
            '≥' => ">=",
            '≠' => "<>",
            '．' or '。' => ".",
            '!' when Peek(1) == '=' => "<>",
            _ => null,
        };
        _diagnostics.Add(new FormulaDiagnostic(
            _position,
            1,
            hint is null ? FormulaMessages.UnexpectedCharacter(c) : FormulaMessages.UnexpectedCharacterWithHint(c, hint),
            FormulaCodes.UnexpectedCharacter));
        _position++;
        return null;
    }

    private Token Punctuation(TokenKind kind, int length)
    {
        var span = new TextSpan(_position, length);
        _position += length;
        return new Token(kind, span, _text.Substring(span.Start, length));
    }

    private Token Identifier()
    {
        var start = _position;
        SkipName();
        if (Current == '.' && (char.IsLetter(Peek(1)) || Peek(1) == '_'))
        {
            // "gdp.growth": authors reach for another indicator's figure. Say once that a formula reads only its own
            // indicator, instead of a cascade of "unexpected '.'" and unknown names; a zero stands in for the parser.
            while (Current == '.' && (char.IsLetter(Peek(1)) || Peek(1) == '_'))
            {
                _position++;
                SkipName();
            }
            var span = TextSpan.FromBounds(start, _position);
            _diagnostics.Add(new FormulaDiagnostic(span.Start, span.Length, FormulaMessages.OtherIndicator(_text[start.._position]), FormulaCodes.OtherIndicator));
            return new Token(TokenKind.Number, span, "0", 0m);
        }
        return new Token(TokenKind.Identifier, TextSpan.FromBounds(start, _position), _text[start.._position]);
    }

    private void SkipName()
    {
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_')) _position++;
    }

    private Token? Number()
    {
        // Take letters and dots too, so "1e5", "1.2.3" or "2actual" is one bad number rather than a confusing
        // pair of tokens.
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '.' or '_')) _position++;
        var span = TextSpan.FromBounds(start, _position);
        var text = _text[start.._position];
        if (!IsWellFormed(text))
        {
            _diagnostics.Add(new FormulaDiagnostic(span.Start, span.Length, FormulaMessages.InvalidNumber(text), FormulaCodes.InvalidNumber));
            return null;
        }
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            _diagnostics.Add(new FormulaDiagnostic(span.Start, span.Length, FormulaMessages.NumberTooLarge(text), FormulaCodes.NumberTooLarge));
            return null;
        }
        return new Token(TokenKind.Number, span, text, value);
    }

    /// <summary>The spec's literal forms only: <c>123</c>, <c>1.5</c>, <c>.5</c>.</summary>
    private static bool IsWellFormed(string text)
    {
        var dot = text.IndexOf('.');
        var integerPart = dot < 0 ? text : text[..dot];
        var fractionPart = dot < 0 ? null : text[(dot + 1)..];
        if (!AllAsciiDigits(integerPart)) return false;
        if (fractionPart is null) return integerPart.Length > 0;
        return fractionPart.Length > 0 && AllAsciiDigits(fractionPart);
    }

    private static bool AllAsciiDigits(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }
}
