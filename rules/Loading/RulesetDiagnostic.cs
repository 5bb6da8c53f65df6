using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Loading;

/// <summary>A validation error in a ruleset, at a YAML line and column.</summary>
/// <param name="Position">1-based line and column of the offending YAML node.</param>
/// <param name="Message">What is wrong, in Chinese, naming the key or value.</param>
public sealed record RulesetDiagnostic(SourcePosition Position, string Message)
{
    /// <summary>What is wrong (spaces between Chinese words taken out: <see cref="TextRules.TidySpaces"/>).</summary>
    public string Message { get; init; } = TextRules.TidySpaces(Message);

    /// <summary>The diagnostic as <c>FILE:LINE:COL: message</c>.</summary>
    public string Format(string fileName) => $"{fileName}:{Position.Line}:{Position.Column}: {Message}";

    /// <inheritdoc />
    public override string ToString() => $"{Position.Line}:{Position.Column}: {Message}";
}
