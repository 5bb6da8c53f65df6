using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>A validation error in a ruleset, at a YAML line and column.</summary>
/// <param name="Position">1-based line and column of the offending YAML node.</param>
/// <param name="Message">What is wrong, in Chinese, naming the key or value.</param>
public sealed record RulesetDiagnostic(SourcePosition Position, string Message)
{
    /// <summary>A diagnostic with its stable code (<see cref="RulesetCodes"/>, <see cref="Formulas.FormulaCodes"/>).</summary>
    public RulesetDiagnostic(SourcePosition position, string message, string? code) : this(position, message) => Code = code;

    /// <summary>
    /// How many characters, from <see cref="Position"/> on its line, the problem spans: the YAML node's text (a scalar as
    /// written, quotes included; a key; the first line of a mapping or list), the formula token's, or the plain word at
    /// the position. 0 marks a point (an empty value, the end of the text). Never null for a diagnostic the loaders give.
    /// </summary>
    public int? Length { get; init; }

    /// <summary>The stable code of the error (e.g. <c>RS3001</c>), never null for a diagnostic the loader produces.</summary>
    public string? Code { get; init; }

    /// <summary>
    /// <c>error</c> (every diagnostic of <see cref="RulesetLoadResult.Diagnostics"/>: it stops the ruleset from being stored or
    /// used) or <c>warning</c> (<see cref="RulesetLoadResult.Warnings"/>, <see cref="RulesetWarnings"/>: allowed, probably not meant).
    /// </summary>
    public string Severity { get; init; } = "error";

    /// <summary>What is wrong (spaces between Chinese words taken out: <see cref="TextRules.TidySpaces"/>).</summary>
    public string Message { get; init; } = TextRules.TidySpaces(Message);

    /// <summary>The diagnostic as <c>FILE:LINE:COL: message</c>, or <c>FILE:LINE:COL: CODE: message</c> when it has a code.</summary>
    public string Format(string fileName) => $"{fileName}:{Position.Line}:{Position.Column}: {CodePrefix}{Message}";

    /// <inheritdoc />
    public override string ToString() => $"{Position.Line}:{Position.Column}: {CodePrefix}{Message}";

    private string CodePrefix => Code is null ? "" : Code + ": ";
}
