using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BaiQianWan.Assess.Workflow.Documents;

/// <summary>
/// A run's results as an XLSX 汇总表 for offices that work in Excel or WPS: one sheet per class (units × indicator
/// scores, dimension subtotals, bonus, penalty, total, rank, grade, lists, vetoes, 数据不全 and, when the previous
/// quarter's published run is given, the change in rank and total), a sheet of the figures used (actual, target,
/// baseline, completion or growth, score, maximum; adjustment counts and points) and a 说明 sheet. Numbers are numeric
/// cells in the ruleset's decimals (number formats, never text), header rows frozen, columns wide enough for
/// Chinese names, every sheet set to print on A4 landscape one page wide with its header rows repeated. Pure: the
/// same result gives the same bytes (fixed part order, fixed zip entry times, no wall clock).
/// </summary>
public static partial class ResultsWorkbook
{
    /// <summary>The name of the sheet of figures used.</summary>
    public const string FiguresSheet = "所用数据";

    /// <summary>The name of the notes sheet (last).</summary>
    public const string NotesSheet = "说明";

    /// <summary>Header rows of each class sheet and of the figures sheet (title, then column names): frozen and printed on every page.</summary>
    public const int HeaderRows = 2;

    /// <summary>Columns of the figures sheet.</summary>
    public static readonly IReadOnlyList<string> FigureColumns =
        ["类别", "单位代码", "单位名称", "维度", "指标代码", "指标名称", "计量单位", "口径", "实际值", "目标值", "上年同期值", "完成率/增速", "得分", "满分", "说明"];

    // Cell styles (indexes into cellXfs, see Styles).
    private const uint Text = 1, Score = 2, Integer = 3, Percent = 4, GrowthPercent = 5, General = 6, Header = 7, Title = 8, SignedScore = 9, SignedInteger = 10;

    /// <summary>Writes the workbook.</summary>
    /// <param name="result">The run's results.</param>
    /// <param name="previous">The previous quarter's published results the run recorded, or null (no change columns then).</param>
    /// <param name="stamp">The run (id and time printed on the notes sheet).</param>
    public static byte[] Write(EvaluationResult result, EvaluationResult? previous, RunStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stamp);
        var rs = result.Ruleset;
        var classes = rs.Classes.Concat(result.Units.Select(u => u.Class)).Distinct(StringComparer.Ordinal)
            .Where(c => result.Units.Any(u => u.Class == c)).ToList();
        var sheets = new List<SheetSpec>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { FiguresSheet, NotesSheet };
        foreach (var c in classes) sheets.Add(ClassSheet(result, previous, c, SheetName(c, names)));
        sheets.Add(FiguresSheetOf(result, classes));
        sheets.Add(NotesSheetOf(result, previous, stamp));
        return PackageBytes.Deterministic(Build(sheets, rs.Decimals));
    }

    /// <summary>The indicators a class's units carry, by dimension, in ruleset order.</summary>
    internal static IReadOnlyList<(DimensionInfo Dimension, IReadOnlyList<IndicatorInfo> Indicators)> Layout(EvaluationResult result, string className)
    {
        var carried = result.Units.Where(u => u.Class == className).SelectMany(u => u.Indicators.Select(i => i.Id)).ToHashSet(StringComparer.Ordinal);
        return [.. result.Ruleset.Dimensions
            .Select(d => (d, (IReadOnlyList<IndicatorInfo>)[.. d.Indicators.Where(i => carried.Contains(i.Id))]))
            .Where(x => x.Item2.Count > 0)];
    }

    private static SheetSpec ClassSheet(EvaluationResult result, EvaluationResult? previous, string className, string sheetName)
    {
        var rs = result.Ruleset;
        var layout = Layout(result, className);
        var header = new List<string> { "名次", "单位代码", "单位名称" };
        foreach (var (d, indicators) in layout)
        {
            header.AddRange(indicators.Select(i => i.Name));
            header.Add($"{d.Name}小计");
        }
        var members = result.Units.Where(u => u.Class == className).ToList();
        // (v3) columns only a v3 ruleset fills: the total before its cap, the rank in the whole level, notes (cap, exclusion).
        var capped = members.Any(u => u.RawTotal is not null);
        var levelRanked = members.Any(u => u.LevelPeers is not null);
        var noted = members.Any(u => !u.Notes.IsDefaultOrEmpty);
        var firstTail = header.Count;
        header.AddRange(["加分", "扣分"]);
        if (capped) header.Add("封顶前总分");
        header.AddRange(["总分", "等级"]);
        if (levelRanked) header.Add("全层级名次");
        header.AddRange(["红黑榜", "一票否决", "数据不全"]);
        if (previous is not null) header.AddRange(["较上期名次", "较上期总分"]);
        if (noted) header.Add("备注");
        var adjustments = rs.Adjustments.ToDictionary(a => a.Id, a => a.Name, StringComparer.Ordinal);
        var before = previous?.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var rows = new List<CellSpec?[]>
        {
            Cells(Str($"{rs.Name} {result.Period.ToChinese()} “{className}”类考核结果汇总表", Title)),
            header.Select<string, CellSpec?>(h => Str(h, Header)).ToArray(),
        };
        foreach (var u in members)
        {
            var row = new List<CellSpec?> { u.Ranked ? Int(u.Rank) : Str(u.Excluded == true ? "取消资格" : "—"), Str(u.Code), Str(u.Name) };
            var scores = u.Indicators.ToDictionary(i => i.Id, StringComparer.Ordinal);
            var dims = u.Dimensions.ToDictionary(d => d.Id, StringComparer.Ordinal);
            foreach (var (d, indicators) in layout)
            {
                row.AddRange(indicators.Select(i => scores.TryGetValue(i.Id, out var s) ? Num(s.Score, Score) : Str("—")));
                row.Add(dims.TryGetValue(d.Id, out var ds) ? Num(ds.Score, Score) : Str("—"));
            }
            row.Add(Num(u.Bonus, Score));
            row.Add(Num(u.Penalty, Score));
            if (capped) row.Add(u.RawTotal is { } raw ? Num(raw, Score) : Str("—"));
            row.Add(Num(u.Total, Score));
            row.Add(Str(u.Grade));
            if (levelRanked) row.Add(u.LevelRank is { } lr ? Int(lr) : Str("—"));
            row.Add(Str(string.Join("、", u.Lists.Select(l => l switch { "red" => "红榜", "black" => "黑榜", _ => l }))));
            row.Add(Str(string.Join("、", u.Vetoes.Select(v => adjustments.GetValueOrDefault(v, v)))));
            row.Add(Str(u.Incomplete ? "数据不全" : ""));
            if (before is not null)
            {
                if (!u.Ranked)
                {
                    row.Add(Str("—"));
                    row.Add(Str("—"));
                }
                else if (before.TryGetValue(u.Code, out var p) && p.Class == u.Class && p.Ranked)
                {
                    row.Add(Int(p.Rank - u.Rank, SignedInteger));
                    row.Add(Num(u.Total - p.Total, SignedScore));
                }
                else
                {
                    row.Add(Str("新参评"));
                    row.Add(Str("—"));
                }
            }
            if (noted) row.Add(Str(u.Notes.IsDefaultOrEmpty ? "" : string.Join("；", u.Notes)));
            rows.Add([.. row]);
        }
        var wrapFrom = 3; // indicator columns wrap their (long) names; widths stay narrow
        var wrapTo = firstTail;
        return new SheetSpec(sheetName, rows, FrozenColumns: 3, HeaderWidthCap: (c => c >= wrapFrom && c < wrapTo ? 12 : null), HeaderHeight: 33);
    }

    private static SheetSpec FiguresSheetOf(EvaluationResult result, IReadOnlyList<string> classes)
    {
        var rs = result.Ruleset;
        var rows = new List<CellSpec?[]>
        {
            Cells(Str($"{rs.Name} {result.Period.ToChinese()} 计分所用数据", Title)),
            FigureColumns.Select<string, CellSpec?>(h => Str(h, Header)).ToArray(),
        };
        var indicators = rs.Dimensions.SelectMany(d => d.Indicators.Select(i => (Dimension: d, Indicator: i)))
            .ToDictionary(x => x.Indicator.Id, StringComparer.Ordinal);
        var adjustments = rs.Adjustments.ToDictionary(a => a.Id, StringComparer.Ordinal);
        foreach (var c in classes)
        {
            foreach (var u in result.Units.Where(u => u.Class == c))
            {
                foreach (var i in u.Indicators)
                {
                    indicators.TryGetValue(i.Id, out var info);
                    var metric = info.Indicator?.Metric;
                    rows.Add(
                    [
                        Str(u.Class), Str(u.Code), Str(u.Name), Str(info.Dimension?.Name ?? ""), Str(i.Id), Str(info.Indicator?.Name ?? i.Id),
                        Str(info.Indicator?.Unit ?? ""), Str(MetricName(metric)),
                        Opt(i.Actual, General), Opt(i.Target, General), Opt(i.Baseline, General),
                        Opt(i.MetricValue, metric switch { "completion" => Percent, "growth" => GrowthPercent, _ => General }),
                        Num(i.Score, Score), i.Limit is { } max ? Num(max, Score) : Str("不封顶"), Str(i.Missing ?? i.Explain),
                    ]);
                }
                foreach (var a in u.Adjustments)
                {
                    adjustments.TryGetValue(a.Id, out var info);
                    rows.Add(
                    [
                        Str(u.Class), Str(u.Code), Str(u.Name), Str("加减分"), Str(a.Id), Str(info?.Name ?? a.Id), Str("项"),
                        Str(info?.Kind switch { "bonus" => "加分项", "penalty" => "扣分项", "veto" => "一票否决项", _ => info?.Kind ?? "" }),
                        Num(a.Count, General), null, null, null, Num(a.Points, Score), null,
                        Str(info?.Kind == "veto" ? (a.Count > 0 ? $"否决：等级最高为{info.Grade}" : "") : "积分为封顶前的分值"),
                    ]);
                }
            }
        }
        return new SheetSpec(FiguresSheet, rows, FrozenColumns: 3, HeaderWidthCap: c => c == FigureColumns.Count - 1 ? 60 : null, HeaderHeight: null);
    }

    private static SheetSpec NotesSheetOf(EvaluationResult result, EvaluationResult? previous, RunStamp stamp)
    {
        var rs = result.Ruleset;
        var beijing = stamp.At.ToOffset(TimeSpan.FromHours(8));
        var lines = new List<(string, string)>
        {
            ("考核", rs.Name),
            ("期间", result.Period.ToChinese()),
            ("层级", rs.Level.ToChinese()),
            ("规则集", $"{rs.Id}（{(rs.Version is { } v ? $"第 {v} 版" : "文件版")}），SHA-256 {rs.Sha256}"),
            ("数据", $"SHA-256 {result.DataSha256}"),
            ("运行", $"{stamp.RunId}，{beijing.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}（北京时间）{(stamp.Sample ? "，示例数据" : "")}"),
            ("分数", $"保留 {rs.Decimals} 位小数；扣分为负数；总分 = 各维度小计 + 加分 + 扣分"),
            ("较上期", previous is null ? "没有上一期已发布的结果，不列较上期变化" : $"与 {previous.Period.ToChinese()} 已发布的结果相比：名次上升为正，总分增加为正；类别不同或上期未参评的记为新参评"),
            ("未参评", result.Skipped.IsEmpty ? "无" : string.Join("；", result.Skipped.Select(s => $"{s.Code}：{s.Reason}"))),
        };
        var rows = new List<CellSpec?[]> { Cells(Str($"{rs.Name} {result.Period.ToChinese()} 考核结果汇总表说明", Title)) };
        rows.AddRange(lines.Select(l => Cells(Str(l.Item1, Header), Str(l.Item2))));
        return new SheetSpec(NotesSheet, rows, FrozenColumns: 0, HeaderWidthCap: c => c == 1 ? 100 : null, HeaderHeight: null, Frozen: false);
    }

    private static string MetricName(string? metric) => metric switch
    {
        "completion" => "完成率",
        "growth" => "增速（%）",
        "value" => "数值",
        null => "",
        _ => metric,
    };

    // ---- cells ----

    private sealed record CellSpec(string? Text, string? Number, uint Style);

    private sealed record SheetSpec(string Name, List<CellSpec?[]> Rows, int FrozenColumns, Func<int, double?> HeaderWidthCap, double? HeaderHeight, bool Frozen = true);

    private static CellSpec?[] Cells(params CellSpec?[] cells) => cells;

    private static CellSpec Str(string text, uint style = Text) => new(text, null, style);

    private static CellSpec Num(decimal value, uint style) => new(null, Numbers.Plain(value), style);

    private static CellSpec Int(int value, uint style = Integer) => new(null, value.ToString(CultureInfo.InvariantCulture), style);

    private static CellSpec? Opt(decimal? value, uint style) => value is { } v ? Num(v, style) : null;

    /// <summary>A valid, unique sheet name: no <c>[]:*?/\</c>, at most 31 characters.</summary>
    private static string SheetName(string name, HashSet<string> taken)
    {
        var clean = InvalidSheetChars().Replace(name, "_").Trim('\'');
        if (clean.Length == 0) clean = "类别";
        if (clean.Length > 31) clean = clean[..31];
        var candidate = clean;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            var suffix = $"({n})";
            candidate = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }
        return candidate;
    }

    [GeneratedRegex(@"[\[\]:*?/\\]")]
    private static partial Regex InvalidSheetChars();

    /// <summary>Column letters: 0 → A, 26 → AA.</summary>
    internal static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    /// <summary>How wide a text shows, in character widths: CJK and full-width characters count two.</summary>
    internal static int DisplayWidth(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
            width += rune.Value is >= 0x1100 and (<= 0x115F or >= 0x2E80) and not (>= 0xD7A4 and < 0xF900) and not (>= 0xFF61 and <= 0xFFDC) ? 2 : 1;
        return width;
    }

    // ---- package ----

    private static byte[] Build(List<SheetSpec> sheets, int decimals)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>("rIdStyles");
            styles.Stylesheet = Styles(decimals);
            var sheetList = new Sheets();
            var defined = new DefinedNames();
            for (var s = 0; s < sheets.Count; s++)
            {
                var spec = sheets[s];
                var part = workbook.AddNewPart<WorksheetPart>($"rId{s + 1}");
                part.Worksheet = Worksheet(spec, tabSelected: s == 0);
                sheetList.Append(new Sheet { Id = $"rId{s + 1}", SheetId = (uint)(s + 1), Name = spec.Name });
                if (spec.Frozen)
                    defined.Append(new DefinedName($"'{spec.Name.Replace("'", "''")}'!${1}:${HeaderRows}") { Name = "_xlnm.Print_Titles", LocalSheetId = (uint)s });
            }
            workbook.Workbook.Append(sheetList);
            if (defined.HasChildren) workbook.Workbook.Append(defined);
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static Worksheet Worksheet(SheetSpec spec, bool tabSelected)
    {
        var columns = spec.Rows.Max(r => r.Length);
        var widths = new double[columns];
        var data = new SheetData();
        for (var r = 0; r < spec.Rows.Count; r++)
        {
            var index = (uint)(r + 1);
            var row = new Row { RowIndex = index };
            if (r == HeaderRows - 1 && spec.HeaderHeight is { } h && spec.Frozen) { row.Height = h; row.CustomHeight = true; }
            var cells = spec.Rows[r];
            for (var c = 0; c < cells.Length; c++)
            {
                if (cells[c] is not { } cell) continue;
                var reference = ColumnName(c) + index;
                row.Append(cell.Number is { } number
                    ? new Cell { CellReference = reference, StyleIndex = cell.Style, CellValue = new CellValue(number) }
                    : new Cell { CellReference = reference, StyleIndex = cell.Style, DataType = CellValues.InlineString, InlineString = new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(cell.Text!)) });
                if (cell.Style == Title) continue; // the title spans the sheet; it does not size its column
                var shown = cell.Number is { } n ? n.Length + 3 : DisplayWidth(cell.Text!) + 2;
                if (cell.Style == Header && spec.HeaderWidthCap(c) is { } cap) shown = (int)Math.Min(shown, cap);
                widths[c] = Math.Max(widths[c], shown);
            }
            data.Append(row);
        }
        var cols = new Columns();
        for (var c = 0; c < columns; c++)
        {
            var cap = spec.HeaderWidthCap(c) is { } hc && hc > 40 ? hc : 40;
            cols.Append(new Column { Min = (uint)(c + 1), Max = (uint)(c + 1), Width = Math.Clamp(widths[c], 6, cap), CustomWidth = true });
        }
        var view = new SheetView { TabSelected = tabSelected, WorkbookViewId = 0 };
        if (spec.Frozen)
        {
            var topLeft = ColumnName(spec.FrozenColumns) + (HeaderRows + 1);
            view.Append(new Pane
            {
                HorizontalSplit = spec.FrozenColumns > 0 ? spec.FrozenColumns : null,
                VerticalSplit = HeaderRows,
                TopLeftCell = topLeft,
                ActivePane = spec.FrozenColumns > 0 ? PaneValues.BottomRight : PaneValues.BottomLeft,
                State = PaneStateValues.Frozen,
            });
        }
        return new Worksheet(
            new SheetProperties(new PageSetupProperties { FitToPage = true }),
            new SheetViews(view),
            new SheetFormatProperties { DefaultRowHeight = 15 },
            cols,
            data,
            new PageMargins { Left = 0.4, Right = 0.4, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 },
            new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 },
            new HeaderFooter(new OddFooter("&C第 &P 页，共 &N 页")));
    }

    private static Stylesheet Styles(int decimals)
    {
        var score = decimals <= 0 ? "0" : "0." + new string('0', decimals);
        var numberFormats = new NumberingFormats(
            new NumberingFormat { NumberFormatId = 164, FormatCode = score },
            new NumberingFormat { NumberFormatId = 165, FormatCode = "0.00\"%\"" },
            new NumberingFormat { NumberFormatId = 166, FormatCode = $"+{score};-{score};{score}" },
            new NumberingFormat { NumberFormatId = 167, FormatCode = "+0;-0;0" });
        var fonts = new Fonts(
            new Font(new FontSize { Val = 11 }, new FontName { Val = "宋体" }, new FontCharSet { Val = 134 }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "宋体" }, new FontCharSet { Val = 134 }),
            new Font(new Bold(), new FontSize { Val = 14 }, new FontName { Val = "宋体" }, new FontCharSet { Val = 134 }));
        var fills = new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE7EEF7" }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid }));
        var thin = new Border(
            new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());
        var borders = new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), thin);
        CellFormat Format(uint numberFormat, uint font = 0, uint fill = 0, uint border = 1, Alignment? alignment = null)
        {
            var f = new CellFormat { NumberFormatId = numberFormat, FontId = font, FillId = fill, BorderId = border, FormatId = 0 };
            if (numberFormat != 0) f.ApplyNumberFormat = true;
            if (font != 0) f.ApplyFont = true;
            if (fill != 0) f.ApplyFill = true;
            if (border != 0) f.ApplyBorder = true;
            if (alignment is not null) { f.Append(alignment); f.ApplyAlignment = true; }
            return f;
        }
        var cellFormats = new CellFormats(
            Format(0, border: 0),                                // 0 default
            Format(0, alignment: new Alignment { Vertical = VerticalAlignmentValues.Center }), // 1 text
            Format(164),                                         // 2 score
            Format(1),                                           // 3 integer
            Format(10),                                          // 4 percent (ratio)
            Format(165),                                         // 5 percent (a number already in percent)
            Format(0),                                           // 6 a reported figure as reported
            Format(0, font: 1, fill: 2, alignment: new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true }), // 7 header
            Format(0, font: 2, border: 0),                       // 8 title
            Format(166),                                         // 9 signed score
            Format(167));                                        // 10 signed integer
        return new Stylesheet(
            numberFormats, fonts, fills, borders,
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }),
            cellFormats,
            new CellStyles(new CellStyle { Name = "常规", FormatId = 0, BuiltinId = 0 }));
    }


}
