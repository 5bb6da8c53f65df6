namespace BaiQianWan.Assess.Rules.Model;

/// <summary>A 1-based line and column in a ruleset's YAML text.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public readonly record struct SourcePosition(int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{Line}:{Column}";
}
