using System.Text;

namespace BaiQianWan.Assess.Rules.Data;

/// <summary>
/// RFC 4180 records from CSV text: comma-separated, double quotes escape commas, quotes and line breaks.
/// Each record is numbered from 1 (the header) in order, so a bad row can be named exactly.
/// </summary>
public static class CsvRecords
{
    /// <summary>Splits CSV text into records. A quote left open is reported as an error at its row.</summary>
    public static IEnumerable<(int Row, string[] Fields)> Read(string text, Action<int, string> onError)
    {
        ArgumentNullException.ThrowIfNull(onError);
        return Read(text, (row, message, _) => onError(row, message));
    }

    /// <summary>
    /// Splits CSV text into records, within <see cref="DataLimits"/> (rows, cells in a row, characters in a cell).
    /// A quote left open, or a bound passed, is reported at its row (the third argument is true for a bound) and
    /// ends the reading.
    /// </summary>
    public static IEnumerable<(int Row, string[] Fields)> Read(string text, Action<int, string, bool> onError)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(onError);
        return ReadRecords(text, onError);
    }

    private static IEnumerable<(int Row, string[] Fields)> ReadRecords(string text, Action<int, string, bool> onError)
    {
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var row = 0;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (i < text.Length)
        {
            row++;
            if (row > DataLimits.MaxRows)
            {
                onError(row, $"文件超过 {DataLimits.MaxRows} 行，不予处理", true);
                yield break;
            }
            fields.Clear();
            var startRow = row;
            var endOfRecord = false;
            while (!endOfRecord)
            {
                field.Clear();
                if (i < text.Length && text[i] == '"')
                {
                    i++;
                    var closed = false;
                    while (i < text.Length)
                    {
                        if (text[i] == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"')
                            {
                                field.Append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            closed = true;
                            break;
                        }
                        field.Append(text[i++]);
                    }
                    if (!closed)
                    {
                        onError(startRow, "引号没有闭合", false);
                        yield break;
                    }
                    // Anything between the closing quote and the separator is kept, as spreadsheets do.
                    while (i < text.Length && text[i] is not (',' or '\n' or '\r')) field.Append(text[i++]);
                }
                else
                {
                    while (i < text.Length && text[i] is not (',' or '\n' or '\r')) field.Append(text[i++]);
                }
                if (field.Length > DataLimits.MaxCellCharacters)
                {
                    onError(startRow, $"第 {fields.Count + 1} 列超过 {DataLimits.MaxCellCharacters} 个字符，不予处理", true);
                    yield break;
                }
                if (fields.Count == DataLimits.MaxColumns)
                {
                    onError(startRow, $"这一行超过 {DataLimits.MaxColumns} 列，不予处理", true);
                    yield break;
                }
                fields.Add(field.ToString());
                if (i < text.Length && text[i] == ',')
                {
                    i++;
                    continue;
                }
                if (i < text.Length && text[i] == '\r') i++;
                if (i < text.Length && text[i] == '\n') i++;
                endOfRecord = true;
            }
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            yield return (startRow, fields.ToArray());
        }
    }
}
