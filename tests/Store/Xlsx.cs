using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>XLSX files for tests: write rows of cells (numbers as numeric cells, like a spreadsheet saves them), fill in a template.</summary>
internal static class Xlsx
{
    /// <summary>A one-sheet workbook; a cell given as <c>=N:text</c> is stored as a numeric cell holding that text, others as shared strings.</summary>
    public static byte[] Write(params string?[][] rows)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable();
            var index = new Dictionary<string, int>();
            var sheet = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (var r = 0; r < rows.Length; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    if (rows[r][c] is not { } text) continue;
                    var reference = $"{(char)('A' + c)}{r + 1}";
                    if (text.StartsWith("=N:", StringComparison.Ordinal))
                        row.Append(new Cell { CellReference = reference, CellValue = new CellValue(text[3..]) });
                    else
                    {
                        if (!index.TryGetValue(text, out var i))
                        {
                            i = index.Count;
                            index[text] = i;
                            strings.SharedStringTable.Append(new SharedStringItem(new Text(text)));
                        }
                        row.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(i.ToString(System.Globalization.CultureInfo.InvariantCulture)) });
                    }
                }
                data.Append(row);
            }
            sheet.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets()).Append(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "data" });
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    /// <summary>Opens a workbook, lets <paramref name="edit"/> change its first sheet's rows, and returns the saved bytes.</summary>
    public static byte[] Edit(byte[] xlsx, Action<SheetData> edit)
    {
        using var stream = new MemoryStream();
        stream.Write(xlsx);
        using (var document = SpreadsheetDocument.Open(stream, true))
        {
            var workbook = document.WorkbookPart!;
            var first = workbook.Workbook.Sheets!.Elements<Sheet>().First();
            var part = (WorksheetPart)workbook.GetPartById(first.Id!.Value!);
            edit(part.Worksheet.GetFirstChild<SheetData>()!);
            part.Worksheet.Save();
        }
        return stream.ToArray();
    }

    /// <summary>The text of each cell of the first sheet by reference (A1, B2 …).</summary>
    public static Dictionary<string, string> Cells(byte[] xlsx)
    {
        var cells = new Dictionary<string, string>();
        Edit(xlsx, data =>
        {
            foreach (var cell in data.Descendants<Cell>())
                cells[cell.CellReference!.Value!] = cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text ?? "";
        });
        return cells;
    }

    /// <summary>Sets column <paramref name="column"/> (a letter) of data row <paramref name="row"/> to a numeric value, keeping cells in order.</summary>
    public static void SetNumber(SheetData data, int row, char column, string value)
    {
        var r = data.Elements<Row>().Single(x => x.RowIndex!.Value == (uint)row);
        var reference = $"{column}{row}";
        var existing = r.Elements<Cell>().FirstOrDefault(c => c.CellReference!.Value == reference);
        var cell = new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(value) };
        if (existing is not null)
        {
            r.ReplaceChild(cell, existing);
            return;
        }
        var after = r.Elements<Cell>().LastOrDefault(c => string.CompareOrdinal(c.CellReference!.Value![..1], column.ToString()) < 0);
        if (after is null) r.PrependChild(cell);
        else r.InsertAfter(cell, after);
    }
}
