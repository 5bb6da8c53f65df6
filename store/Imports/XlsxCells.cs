using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BaiQianWan.Assess.Store.Imports;

/// <summary>Reads the first worksheet of an XLSX file as text records numbered by their spreadsheet row.</summary>
internal static class XlsxCells
{
    /// <summary>Records (row number, cell texts by column from A); throws <see cref="InvalidDataException"/> for a file that is not XLSX.</summary>
    public static List<(int Row, string[] Fields)> Read(byte[] content)
    {
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(new MemoryStream(content, writable: false), false);
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or IOException or FileFormatException)
        {
            throw new InvalidDataException("不是有效的 XLSX 文件", e);
        }
        using (document)
        {
            var workbook = document.WorkbookPart ?? throw new InvalidDataException("XLSX 文件没有工作簿");
            var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new InvalidDataException("XLSX 文件没有工作表");
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
            var records = new List<(int, string[])>();
            var data = part.Worksheet.GetFirstChild<SheetData>();
            if (data is null) return records;
            var rowNumber = 0;
            foreach (var row in data.Elements<Row>())
            {
                rowNumber = row.RowIndex?.Value is { } index ? (int)index : rowNumber + 1;
                var cells = new SortedDictionary<int, string>();
                var column = 0;
                foreach (var cell in row.Elements<Cell>())
                {
                    column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : column + 1;
                    cells[column] = Text(cell, shared).Trim();
                }
                if (cells.Values.All(v => v.Length == 0)) continue;
                var fields = new string[cells.Keys.Max()];
                Array.Fill(fields, "");
                foreach (var (c, text) in cells) fields[c - 1] = text;
                records.Add((rowNumber, fields));
            }
            return records;
        }
    }

    private static string Text(Cell cell, string[] shared)
    {
        var value = cell.CellValue?.Text ?? "";
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < shared.Length ? shared[i] : "";
        if (type == CellValues.InlineString) return cell.InlineString?.InnerText ?? "";
        if (type == CellValues.Boolean) return value == "1" ? "TRUE" : "FALSE";
        if (type is null || type == CellValues.Number) return Number(value);
        return value;
    }

    /// <summary>
    /// A numeric cell as the spreadsheet shows it: Excel stores some typed values with 17 significant digits
    /// (1.1 as 1.1000000000000001) and small ones with an exponent; it shows 15 digits, so that is what counts.
    /// </summary>
    internal static string Number(string stored)
    {
        if (stored.Length == 0) return "";
        var digits = stored.Count(char.IsAsciiDigit);
        if (digits <= 15 && !stored.Contains('E') && !stored.Contains('e')) return stored;
        if (!double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return stored;
        var shown = decimal.Parse(d.ToString("G15", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        return Rules.Evaluation.Numbers.Plain(shown);
    }

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var ch in reference)
        {
            if (ch is < 'A' or > 'Z') break;
            index = index * 26 + (ch - 'A' + 1);
        }
        return index;
    }
}
