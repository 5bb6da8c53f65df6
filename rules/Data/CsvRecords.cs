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
        ArgumentNullException.ThrowIfNull(text);
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var row = 0;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (i < text.Length)
        {
            row++;
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
                        onError(startRow, "引号没有闭合");
                        yield break;
                    }
                    // Anything between the closing quote and the separator is kept, as spreadsheets do.
                    while (i < text.Length && text[i] is not (',' or '\n' or '\r')) field.Append(text[i++]);
                }
                else
                {
                    while (i < text.Length && text[i] is not (',' or '\n' or '\r')) field.Append(text[i++]);
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
