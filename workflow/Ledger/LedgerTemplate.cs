using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Workflow.Documents;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BaiQianWan.Assess.Workflow.Ledger;

/// <summary>
/// The XLSX tasks file to fill in (contract §1): the first sheet <c>tasks</c> with the file's columns (and, given the
/// year's ledger, its tasks as loaded, to edit and import again), every cell text (dates as <c>YYYY-MM-DD</c>), and a
/// sheet of instructions. Filled in and imported back, it is an ordinary tasks file.
/// </summary>
public static class LedgerTemplate
{
    /// <summary>The data sheet's name.</summary>
    public const string SheetName = "tasks";

    /// <summary>Writes the template for <paramref name="year"/>, with <paramref name="tasks"/> (those of the year) as rows.</summary>
    public static byte[] Write(int year, IEnumerable<LedgerTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var rows = tasks.Where(t => t.Year == year).OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => new[]
        {
            t.Id, year.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Parent, t.Kind, t.Title, t.Unit, t.Lead, t.Leader,
            Date(t.LoadedDue), t.LoadedState == TaskState.InProgress ? null : t.LoadedState.ToChinese(), Date(t.LoadedDone),
        }).ToList();
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            var data = workbook.AddNewPart<WorksheetPart>("rId1");
            var sheetData = new SheetData();
            sheetData.Append(Row(1, [.. LedgerFile.Columns]));
            var r = 2u;
            foreach (var values in rows) sheetData.Append(Row(r++, values));
            data.Worksheet = new Worksheet(
                new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
                { TabSelected = true, WorkbookViewId = 0 }),
                new Columns(Width(1, 4, 14), Width(5, 5, 60), Width(6, 8, 16), Width(9, 11, 12)), sheetData);
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(data), SheetId = 1, Name = SheetName });

            var notes = workbook.AddNewPart<WorksheetPart>("rId2");
            var noteData = new SheetData();
            string[] lines =
            [
                $"{year} 年任务清单（台账）导入表",
                "id：任务编号（1–40 位字母、数字、_ 或 -，年内唯一）；year：年度；parent：所属上级的编号（阶段目标、主要任务或重点工作），可空。",
                "kind：类型（阶段目标、主要任务、重点工作、举措……）；title：任务内容；unit：责任单位代码（分组项留空）；lead：牵头单位；leader：责任领导。",
                "due：完成时限 YYYY-MM-DD（有责任单位时必填）；status：推进中（默认）、已销号 或 中止；done：完成日期 YYYY-MM-DD（仅已销号时填，且必须填）。",
                "以 # 开头的列只是说明，导入时忽略。整表校验：任何一行有错都不会写入，并列出每个错误的行、列和原因。",
                "再次导入同一年度：新增任务，更新已有任务的文字列；已有状态变更记录的任务，其状态和日期不会被改动（会列出这些行）。",
            ];
            var n = 1u;
            foreach (var line in lines) noteData.Append(Row(n++, [line]));
            notes.Worksheet = new Worksheet(new Columns(Width(1, 1, 140)), noteData);
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(notes), SheetId = 2, Name = "填写说明" });
            workbook.Workbook.Save();
        }
        return PackageBytes.Deterministic(stream.ToArray());
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Column Width(uint from, uint to, double width) => new() { Min = from, Max = to, Width = width, CustomWidth = true };

    private static Row Row(uint index, IReadOnlyList<string?> values)
    {
        var row = new Row { RowIndex = index };
        for (var c = 0; c < values.Count; c++)
        {
            if (values[c] is not { } text) continue;
            row.Append(new Cell
            {
                CellReference = $"{(char)('A' + c)}{index}",
                DataType = CellValues.InlineString,
                InlineString = new InlineString(new Text(text)),
            });
        }
        return row;
    }
}
