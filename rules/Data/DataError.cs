namespace BaiQianWan.Assess.Rules.Data;

/// <summary>A bad row in a data file: row number (header is row 1), column name, and the reason.</summary>
/// <param name="File">File name as given.</param>
/// <param name="Row">Row number (the header is row 1; in XLSX the spreadsheet's own row number).</param>
/// <param name="Column">Column name, a spreadsheet column letter, or <c>-</c> for the whole row or file.</param>
/// <param name="Message">What is wrong, in Chinese.</param>
/// <param name="TooLarge">True when the file was refused for passing a size bound of <see cref="DataLimits"/> (HTTP 413), not for bad content.</param>
public sealed record DataError(string File, int Row, string Column, string Message, bool TooLarge = false)
{
    /// <summary>What is wrong (spaces between Chinese words taken out: <see cref="TextRules.TidySpaces"/>).</summary>
    public string Message { get; init; } = TextRules.TidySpaces(Message);

    /// <inheritdoc />
    public override string ToString() => $"{File}:{Row}:{Column}: {Message}";
}
