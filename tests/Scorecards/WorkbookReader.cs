using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>An XLSX read back with OpenXml as a spreadsheet program sees it: each sheet's cells with their value, kind and number format.</summary>
internal sealed class WorkbookReader
{
    /// <summary>One cell: its text (a number as stored), whether it is numeric, its number format code.</summary>
    public sealed record CellValue(string Text, bool IsNumber, string Format)
    {
        public decimal Number => IsNumber ? decimal.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"'{Text}' is text");
    }

    /// <summary>One sheet: rows of cells by column index, its frozen pane, page setup, column widths, print titles.</summary>
    public sealed record SheetValues(string Name, List<CellValue?[]> Rows, Pane? Pane, PageSetup? PageSetup, bool FitToPage, double[] Widths, string? PrintTitles);

    public List<SheetValues> Sheets { get; } = [];

    public WorkbookReader(byte[] xlsx)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var workbook = document.WorkbookPart!;
        var styles = workbook.WorkbookStylesPart!.Stylesheet;
        var custom = styles.NumberingFormats?.Elements<NumberingFormat>().ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode!.Value!) ?? [];
        var builtIn = new Dictionary<uint, string> { [0] = "General", [1] = "0", [2] = "0.00", [9] = "0%", [10] = "0.00%" };
        var xfs = styles.CellFormats!.Elements<CellFormat>().ToList();
        string FormatOf(uint style)
        {
            var id = xfs[(int)style].NumberFormatId?.Value ?? 0;
            return custom.TryGetValue(id, out var code) ? code : builtIn[id];
        }
        var names = workbook.Workbook.DefinedNames?.Elements<DefinedName>().ToList() ?? [];
        var index = 0u;
        foreach (var sheet in workbook.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
            var ws = part.Worksheet;
            var rows = new List<CellValue?[]>();
            foreach (var row in ws.GetFirstChild<SheetData>()!.Elements<Row>())
            {
                Assert.Equal((uint)(rows.Count + 1), row.RowIndex!.Value);
                var cells = row.Elements<Cell>().ToList();
                var values = new CellValue?[cells.Count == 0 ? 0 : Column(cells[^1].CellReference!) + 1];
                foreach (var cell in cells)
                {
                    var style = cell.StyleIndex?.Value ?? 0;
                    values[Column(cell.CellReference!)] = cell.DataType?.Value == CellValues.InlineString
                        ? new CellValue(cell.InlineString!.InnerText, false, FormatOf(style))
                        : new CellValue(cell.CellValue!.Text, cell.DataType is null || cell.DataType.Value == CellValues.Number, FormatOf(style));
                }
                rows.Add(values);
            }
            var widths = ws.GetFirstChild<Columns>()?.Elements<Column>().Select(c => c.Width!.Value).ToArray() ?? [];
            var pane = ws.GetFirstChild<SheetViews>()?.GetFirstChild<SheetView>()?.GetFirstChild<Pane>();
            var fit = ws.GetFirstChild<SheetProperties>()?.PageSetupProperties?.FitToPage?.Value ?? false;
            var titles = names.SingleOrDefault(n => n.Name == "_xlnm.Print_Titles" && n.LocalSheetId?.Value == index)?.Text;
            Sheets.Add(new SheetValues(sheet.Name!, rows, pane, ws.GetFirstChild<PageSetup>(), fit, widths, titles));
            index++;
        }
    }

    public SheetValues Sheet(string name) => Sheets.Single(s => s.Name == name);

    private static int Column(string reference)
    {
        var n = 0;
        foreach (var ch in reference.TakeWhile(char.IsAsciiLetterUpper)) n = n * 26 + (ch - 'A' + 1);
        return n - 1;
    }
}
