using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace BaiQianWan.Assess.Rules.Data;

/// <summary>
/// Turns the bytes of a CSV data file into text: UTF-8 (a byte-order mark is allowed), strictly, within
/// <see cref="DataLimits.MaxFileBytes"/>. A byte that is not UTF-8 is reported at the row and column of the
/// record it falls in (as <see cref="CsvRecords"/> numbers them), never silently replaced.
/// </summary>
public static class DataText
{
    /// <summary>Decodes <paramref name="content"/>; on failure returns null and the error.</summary>
    public static string? Decode(byte[] content, string fileName, out DataError? error)
    {
        ArgumentNullException.ThrowIfNull(content);
        error = null;
        if (content.Length > DataLimits.MaxFileBytes)
        {
            error = new DataError(fileName, 1, "-", $"文件有 {content.Length} 字节，超过 {DataLimits.MaxFileBytes / (1 << 20)} MiB 的上限，不予处理", TooLarge: true);
            return null;
        }
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, content.Length));
        try
        {
            var status = Utf8.ToUtf16(content, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status == OperationStatus.Done) return new string(chars, 0, written);
            var prefix = new string(chars, 0, written);
            error = Locate(prefix, fileName, content[read]);
            return null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static DataError Locate(string prefix, string fileName, byte bad)
    {
        var start = prefix.Length > 0 && prefix[0] == '\uFEFF' ? 1 : 0;
        int row = 1, field = 0;
        bool inQuotes = false, fieldStart = true;
        for (var i = start; i < prefix.Length; i++)
        {
            var c = prefix[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < prefix.Length && prefix[i + 1] == '"') i++;
                    else inQuotes = false;
                }
                continue;
            }
            switch (c)
            {
                case '"' when fieldStart:
                    inQuotes = true;
                    fieldStart = false;
                    break;
                case ',':
                    field++;
                    fieldStart = true;
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < prefix.Length && prefix[i + 1] == '\n') i++;
                    row++;
                    field = 0;
                    fieldStart = true;
                    break;
                default:
                    fieldStart = false;
                    break;
            }
        }
        var column = "-";
        if (row > 1)
        {
            var header = CsvRecords.Read(prefix, (_, _, _) => { }).FirstOrDefault().Fields;
            if (header is not null && field < header.Length && header[field].Trim().Length > 0) column = header[field].Trim();
        }
        var hex = bad.ToString("X2", CultureInfo.InvariantCulture);
        return new DataError(fileName, row, column,
            $"不是 UTF-8 编码（第 {field + 1} 列有字节 0x{hex}；请另存为 UTF-8 的 CSV，或使用 XLSX）");
    }
}
