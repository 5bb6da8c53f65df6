namespace BaiQianWan.Assess.Rules.Data;

/// <summary>A bad row in a data file: row number (header is row 1), column name, and the reason.</summary>
public sealed record DataError(string File, int Row, string Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Row}:{Column}: {Message}";
}
