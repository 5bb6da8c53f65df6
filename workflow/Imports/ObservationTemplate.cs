using System.IO.Compression;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Rules.Model;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using BaiQianWan.Assess.Workflow.Documents;

namespace BaiQianWan.Assess.Workflow.Imports;

/// <summary>
/// The XLSX observations template an office sends out each quarter: the spec's columns in long format
/// (one row per unit × indicator or adjustment), unit, indicator and period filled in, known targets and
/// baselines too, plus note columns (<c>#…</c>) with names for the people filling it in, which import ignores.
/// Filled in and imported back, it is an ordinary observations file.
/// </summary>
public static class ObservationTemplate
{
    /// <summary>The note columns after the spec's columns.</summary>
    public static readonly IReadOnlyList<string> NoteColumns = ["#单位名称", "#类别", "#指标名称", "#计量单位", "#填写说明"];

    /// <summary>The name of the data sheet (the first sheet, the one import reads).</summary>
    public const string SheetName = "observations";

    /// <summary>
    /// Writes the template. Units whose class the ruleset does not list are left out, and so are indicators a
    /// unit's class does not carry and the task ledger's derived ids (<c>ledger_*</c>, never typed in). Known figures of the period give the target and baseline; a missing
    /// baseline is taken from last year's actual of the same period.
    /// </summary>
    /// <param name="ruleset">The ruleset whose indicators and adjustments make the rows.</param>
    /// <param name="units">Units (those of the ruleset's level are used), any order.</param>
    /// <param name="period">The period to fill in.</param>
    /// <param name="known">Figures already stored for <paramref name="period"/>.</param>
    /// <param name="lastYear">Figures of the same period a year earlier.</param>
    public static byte[] Write(Ruleset ruleset, IEnumerable<Unit> units, Period period, IEnumerable<Observation> known, IEnumerable<Observation> lastYear)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        var knownBy = known.ToDictionary(o => (o.Unit, o.Indicator));
        var lastBy = lastYear.ToDictionary(o => (o.Unit, o.Indicator));
        var classes = ruleset.Classes.ToHashSet(StringComparer.Ordinal);
        var rows = new List<string?[]>();
        var header = DataFiles.ObservationColumns.Concat(NoteColumns).ToArray();
        foreach (var unit in units.Where(u => u.Level == ruleset.Level && classes.Contains(u.Class)).OrderBy(u => u.Code, StringComparer.Ordinal))
        {
            foreach (var indicator in ruleset.Indicators)
            {
                if (!indicator.Weight.TryGetFor(unit.Class, out _) || LedgerFigures.IsDerived(indicator.Id)) continue;
                knownBy.TryGetValue((unit.Code, indicator.Id), out var k);
                lastBy.TryGetValue((unit.Code, indicator.Id), out var last);
                var baseline = k?.Baseline ?? last?.Actual;
                rows.Add([unit.Code, indicator.Id, period.ToString(), null, Num(k?.Target), Num(baseline),
                    unit.Name, unit.Class, indicator.Name, indicator.UnitOfMeasure ?? "", Hint(indicator)]);
            }
            foreach (var adjustment in ruleset.Adjustments)
            {
                if (LedgerFigures.IsDerived(adjustment.Id)) continue;
                var (measure, hint) = Guidance(adjustment, ruleset);
                rows.Add([unit.Code, adjustment.Id, period.ToString(), null, null, null,
                    unit.Name, unit.Class, adjustment.Name, measure, hint]);
            }
        }
        string[] lines =
        [
            $"{ruleset.Name}（{ruleset.Id}）{period.ToChinese()} 数据填报表",
            "在 observations 表中填写 actual（必填，数值，小数点用 .，不要千分位和单位）；target、baseline 已知的已填好，可修改。",
            "不要改动 unit、indicator、period 三列；以 # 开头的列只是说明，导入时忽略。",
            "导入时整表校验：任何一行有错都不会写入，并列出每个错误的行、列和原因。",
        ];
        return PackageBytes.Deterministic(Build(header, rows, lines, numbers: 3));
    }

    /// <summary>
    /// The unit of measure and the guidance of a bonus, penalty or veto row, from its definition: what <c>actual</c> counts (the
    /// item's name, its unit of measure the name's last bracket, as in <c>违法占用耕地（亩）</c>; 项 for an item counted per
    /// occurrence), and how the figure is scored: per item and cap, the formula and cap, or when the veto applies (a
    /// <c>when</c> of the form <c>count &gt; 30</c> said in words with its threshold, any other quoted) and what it does.
    /// </summary>
    public static (string Measure, string Hint) Guidance(Adjustment adjustment, Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(adjustment);
        ArgumentNullException.ThrowIfNull(ruleset);
        var (what, bracket) = SplitName(adjustment.Name);
        var counted = bracket is null && adjustment.Formula is null && adjustment.When is null;
        var measure = bracket ?? (counted ? "项" : "");
        var quantity = bracket is null ? (counted ? $"“{what}”的件数" : $"“{what}”的数值") : $"“{what}”的数量（{bracket}）";
        var perUnit = bracket ?? "项";
        string Max(string verb) => adjustment.Max is { } m ? $"，最多{verb} {Numbers.Plain(m)} 分" : "";
        var how = adjustment.Kind switch
        {
            AdjustmentKind.Bonus when adjustment.Formula is { } f => $"加分按公式 {f.TrimStart('=').Trim()} 计算（count 即所填数值）{Max("加")}",
            AdjustmentKind.Bonus => $"每{perUnit}加 {Numbers.Plain(adjustment.Per ?? 0)} 分{Max("加")}",
            AdjustmentKind.Penalty when adjustment.Formula is { } f => $"扣分按公式 {f.TrimStart('=').Trim()} 计算（count 即所填数值）{Max("扣")}",
            AdjustmentKind.Penalty => $"每{perUnit}扣 {Numbers.Plain(adjustment.Per ?? 0)} 分{Max("扣")}",
            _ => $"{VetoWhen(adjustment.When, bracket)}否决：{VetoEffect(adjustment, ruleset)}",
        };
        var kind = adjustment.Kind switch { AdjustmentKind.Bonus => "加分项", AdjustmentKind.Penalty => "扣分项", _ => "一票否决项" };
        return (measure, $"{kind}：actual 填{quantity}，没有填 0；{how}");
    }

    /// <summary>The name without its last bracket, and the bracket's text (the unit of measure), if the name ends with one.</summary>
    private static (string What, string? Bracket) SplitName(string name)
    {
        var trimmed = name.Trim();
        foreach (var (open, close) in new[] { ('（', '）'), ('(', ')') })
        {
            if (!trimmed.EndsWith(close)) continue;
            var at = trimmed.LastIndexOf(open);
            if (at > 0 && trimmed.Length - at - 2 is > 0 and <= 8) return (trimmed[..at].Trim(), trimmed[(at + 1)..^1].Trim());
        }
        return (trimmed, null);
    }

    /// <summary>When a veto applies, in words: <c>count &gt; 30</c> → 超过 30 亩时; no <c>when</c> → 大于 0 时; any other formula quoted.</summary>
    private static string VetoWhen(string? when, string? measure)
    {
        if (when is null) return "大于 0 时";
        var text = when.TrimStart('=').Trim();
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^count\s*(>=|<=|<>|!=|==|=|>|<)\s*(-?\d+(?:\.\d+)?)$");
        if (!match.Success) return $"满足公式 {text} 时（count 即所填数值）";
        var n = match.Groups[2].Value + (measure is null ? "" : " " + measure);
        var words = match.Groups[1].Value switch
        {
            ">" => $"超过 {n}",
            ">=" => $"达到或超过 {n}",
            "<" => $"少于 {n}",
            "<=" => $"不超过 {n}",
            "<>" or "!=" => $"不等于 {n}",
            _ => $"等于 {n}",
        };
        return $"{words}时（规则：{text}）";
    }

    private static string VetoEffect(Adjustment veto, Ruleset ruleset) =>
        veto.Exclude ? "取消参评资格（照常计分，但不排名、不评等次、不上红黑榜）"
        : !ruleset.HasGrades ? "不得进入红榜"
        : $"等次最高为“{veto.Grade ?? ruleset.Grades.Levels[^1].Name}”，不得进入红榜";

    private static string Hint(Indicator indicator) =>
        indicator.Method.Metric == Metric.Growth
            ? "actual 填本期累计值，baseline 填上年同期值，target 填目标增速（%）"
            : "actual 填本期累计值" + (indicator.Better == Better.Lower ? "（越低越好）" : "");

    private static string? Num(decimal? value) => value is { } v ? Numbers.Plain(v) : null;

    /// <summary>
    /// The workbook: the data sheet (<see cref="SheetName"/>, the header frozen; the three key columns text, the next
    /// <paramref name="numbers"/> columns numbers, the note columns text) and a sheet of instructions, one line a row.
    /// </summary>
    internal static byte[] Build(string[] header, List<string?[]> rows, IReadOnlyList<string> lines, int numbers)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheets = workbook.Workbook.AppendChild(new Sheets());

            var data = workbook.AddNewPart<WorksheetPart>("rId1");
            var sheetData = new SheetData();
            sheetData.Append(Row(1, header, numericFrom: int.MaxValue, numericTo: 0));
            var r = 2u;
            foreach (var values in rows) sheetData.Append(Row(r++, values, numericFrom: 3, numericTo: 2 + numbers));
            var n = (uint)numbers;
            var columns = new Columns(
                Width(1, 3, 14), Width(4, 3 + n, 12), Width(4 + n, 4 + n, 18), Width(5 + n, 5 + n, 10), Width(6 + n, 6 + n, 24), Width(7 + n, 7 + n, 10),
                Width(8 + n, 8 + n, 48));
            data.Worksheet = new Worksheet(
                new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
                { TabSelected = true, WorkbookViewId = 0 }),
                columns, sheetData);
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(data), SheetId = 1, Name = SheetName });

            var notes = workbook.AddNewPart<WorksheetPart>("rId2");
            var noteData = new SheetData();
            var line = 1u;
            foreach (var text in lines) noteData.Append(Row(line++, [text], numericFrom: int.MaxValue, numericTo: 0));
            notes.Worksheet = new Worksheet(new Columns(Width(1, 1, 120)), noteData);
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(notes), SheetId = 2, Name = "填写说明" });
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static Column Width(uint from, uint to, double width) => new() { Min = from, Max = to, Width = width, CustomWidth = true };

    private static Row Row(uint index, IReadOnlyList<string?> values, int numericFrom, int numericTo)
    {
        var row = new Row { RowIndex = index };
        for (var c = 0; c < values.Count; c++)
        {
            if (values[c] is not { } text) continue;
            var reference = $"{(char)('A' + c)}{index}";
            row.Append(c >= numericFrom && c <= numericTo
                ? new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(text) }
                : new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) });
        }
        return row;
    }

}
