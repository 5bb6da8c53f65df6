using System.Globalization;
using System.Text.Json;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Documents;
using DocumentFormat.OpenXml.Spreadsheet;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>Issue 22 item 8: a run's results as an XLSX 汇总表, read back and compared with the results JSON figure by figure.</summary>
public sealed class ResultsWorkbookTests
{
    private const string LongName = "新疆维吾尔自治区乌鲁木齐市天山区";

    private static readonly RunStamp Stamp = new("run-000042", new DateTimeOffset(2025, 10, 8, 1, 30, 0, TimeSpan.Zero), false);

    /// <summary>
    /// Two classes; x06 is a growth indicator (increment: 0.8 + 0.1 per point of growth above target, capped at 1.2).
    /// 创先: A all at target plus one honor (bonus 1) → 6 + 1 = 7.00; B at 40 + 10i %, no x06 figure (数据不全);
    /// D all at 90 % but vetoed. 进位: C at 40 % with two issues (penalty 2 × 0.5); E (a long name) at target.
    /// </summary>
    private static string Yaml => Small.Ruleset(6)
        .Replace("classes: [创先]", "classes: [创先, 进位]")
        .Replace("{ id: x06, name: 指标06, unit: 亿元, weight: 1, method: completion }",
            "{ id: x06, name: 地区生产总值增速, unit: 亿元, weight: 1, method: increment, metric: growth, per: 0.1 }");

    private static EvaluationResult Evaluate(string period, string units, string observations)
    {
        var loaded = RulesetLoader.Load(Yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        var unitFile = DataFiles.ReadUnits("code,name,level,parent,class\n" + units.Trim(), "u.csv");
        Assert.True(unitFile.IsValid, string.Join("\n", unitFile.Errors));
        var obsFile = DataFiles.ReadObservations("unit,indicator,period,actual,target,baseline\n" + observations.Trim(), "o.csv",
            unitFile.Rows.Select(u => u.Code).ToHashSet());
        Assert.True(obsFile.IsValid, string.Join("\n", obsFile.Errors));
        return Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256), new Dataset(unitFile.Rows, obsFile.Rows), Period.Parse(period));
    }

    private static string Rows(string code, Func<int, decimal> actual, string period, bool growth = true) =>
        Small.Rows(code, 5, actual, period) + (growth ? $"\n{code},x06,{period},108.5,6,100" : "");

    private static readonly string Units = $"""
        A,甲县,county,,创先
        B,乙县,county,,创先
        D,丁县,county,,创先
        C,丙县,county,,进位
        E,{LongName},county,,进位
        """;

    private static readonly EvaluationResult Q3 = Evaluate("2025Q3", Units, string.Join("\n",
        Rows("A", _ => 100, "2025Q3"), "A,honor,2025Q3,1,,",
        Rows("B", i => 40 + 10 * i, "2025Q3", growth: false),
        Rows("D", _ => 90, "2025Q3"), "D,accident,2025Q3,1,,",
        Rows("C", _ => 40, "2025Q3"), "C,issue,2025Q3,2,,",
        Rows("E", _ => 100, "2025Q3")));

    // Before: B first, A second in 创先 (D not assessed); C and E in 进位, E first.
    private static readonly EvaluationResult Q2 = Evaluate("2025Q2", Units.Replace("D,丁县,county,,创先\n", ""), string.Join("\n",
        Rows("A", _ => 50, "2025Q2"), Rows("B", _ => 100, "2025Q2"), Rows("C", _ => 30, "2025Q2"), Rows("E", _ => 100, "2025Q2")));

    [Fact]
    public void Each_class_sheet_holds_every_figure_of_the_results_json()
    {
        var json = JsonDocument.Parse(ResultsJson.Serialize(Q3)).RootElement;
        var book = new WorkbookReader(ResultsWorkbook.Write(Q3, Q2, Stamp));
        Assert.Equal(["创先", "进位", "所用数据", "说明"], book.Sheets.Select(s => s.Name));
        var indicatorNames = json.GetProperty("ruleset").GetProperty("dimensions").EnumerateArray()
            .SelectMany(d => d.GetProperty("indicators").EnumerateArray()).ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("name").GetString()!);
        var dimensionNames = json.GetProperty("ruleset").GetProperty("dimensions").EnumerateArray()
            .ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("name").GetString()!);
        var before = JsonDocument.Parse(ResultsJson.Serialize(Q2)).RootElement.GetProperty("units").EnumerateArray()
            .ToDictionary(u => u.GetProperty("code").GetString()!);
        var seen = 0;
        foreach (var unit in json.GetProperty("units").EnumerateArray())
        {
            var sheet = book.Sheet(unit.GetProperty("class").GetString()!);
            var header = sheet.Rows[1].Select(c => c!.Text).ToList();
            var row = sheet.Rows.Skip(ResultsWorkbook.HeaderRows).Single(r => r[1]!.Text == unit.GetProperty("code").GetString());
            WorkbookReader.CellValue CellAt(string column) => row[header.IndexOf(column)]!;
            void Score(string column, JsonElement value)
            {
                var cell = CellAt(column);
                Assert.True(cell.IsNumber, $"{column} is a number");
                Assert.Equal(value.GetDecimal(), cell.Number);
                Assert.Equal("0.00", cell.Format);
            }
            Assert.Equal(unit.GetProperty("rank").GetInt32(), (int)CellAt("名次").Number);
            Assert.Equal(unit.GetProperty("name").GetString(), CellAt("单位名称").Text);
            foreach (var i in unit.GetProperty("indicators").EnumerateArray()) Score(indicatorNames[i.GetProperty("id").GetString()!], i.GetProperty("score"));
            foreach (var d in unit.GetProperty("dimensions").EnumerateArray()) Score(dimensionNames[d.GetProperty("id").GetString()!] + "小计", d.GetProperty("score"));
            Score("加分", unit.GetProperty("bonus"));
            Score("扣分", unit.GetProperty("penalty"));
            Score("总分", unit.GetProperty("total"));
            Assert.Equal(unit.GetProperty("grade").GetString(), CellAt("等级").Text);
            Assert.Equal(string.Join("、", unit.GetProperty("lists").EnumerateArray().Select(l => l.GetString() == "red" ? "红榜" : "黑榜")), CellAt("红黑榜").Text);
            Assert.Equal(unit.GetProperty("vetoes").GetArrayLength() > 0 ? "较大安全事故" : "", CellAt("一票否决").Text);
            Assert.Equal(unit.GetProperty("incomplete").GetBoolean() ? "数据不全" : "", CellAt("数据不全").Text);
            if (before.TryGetValue(unit.GetProperty("code").GetString()!, out var p) && p.GetProperty("class").GetString() == unit.GetProperty("class").GetString())
            {
                Assert.Equal(p.GetProperty("rank").GetInt32() - unit.GetProperty("rank").GetInt32(), (int)CellAt("较上期名次").Number);
                Assert.Equal(unit.GetProperty("total").GetDecimal() - p.GetProperty("total").GetDecimal(), CellAt("较上期总分").Number);
            }
            else Assert.Equal("新参评", CellAt("较上期名次").Text);
            seen++;
        }
        Assert.Equal(5, seen);
        Assert.Equal(2 + 3, book.Sheet("创先").Rows.Count);
        Assert.Equal(2 + 2, book.Sheet("进位").Rows.Count);
    }

    [Fact]
    public void The_figures_by_hand_rank_grade_lists_and_change()
    {
        var sheet = new WorkbookReader(ResultsWorkbook.Write(Q3, Q2, Stamp)).Sheet("创先");
        Assert.Equal("测试考核 2025年第三季度（1—9月累计） “创先”类考核结果汇总表", sheet.Rows[0][0]!.Text);
        Assert.Equal(["名次", "单位代码", "单位名称", "指标01", "指标02", "维度甲小计", "指标03", "指标04", "维度乙小计", "指标05", "地区生产总值增速", "维度丙小计",
            "加分", "扣分", "总分", "等级", "红黑榜", "一票否决", "数据不全", "较上期名次", "较上期总分"], sheet.Rows[1].Select(c => c!.Text));
        string Line(int r) => string.Join("|", sheet.Rows[r].Select(c => c is null ? "" : c.Text));
        // A: five completions at 1 plus growth 8.5 % against a 6 % target → 0.8 + 0.1 × 2.5 = 1.05; bonus 1 → 7.05. Was 2nd with 5 × 0.5 + 1.05 = 3.55.
        Assert.Equal("1|A|甲县|1|1|2|1|1|2|1|1.05|2.05|1|0|7.05|好|红榜|||1|3.5", Line(2));
        // D: 0.9 × 5 + 1.05 = 5.55, vetoed to 一般, new this quarter.
        Assert.Equal("2|D|丁县|0.9|0.9|1.8|0.9|0.9|1.8|0.9|1.05|1.95|0|0|5.55|一般||较大安全事故||新参评|—", Line(3));
        // B: 0.5 + 0.6 + 0.7 + 0.8 + 0.9, no growth figure: 数据不全, from 1st to 3rd.
        Assert.Equal("3|B|乙县|0.5|0.6|1.1|0.7|0.8|1.5|0.9|0|0.9|0|0|3.5|一般|黑榜||数据不全|-2|-2.55", Line(4));
        Assert.Equal("0.00", sheet.Rows[4][14]!.Format);
        Assert.Equal("+0;-0;0", sheet.Rows[4][19]!.Format);
        Assert.Equal("+0.00;-0.00;0.00", sheet.Rows[4][20]!.Format);
    }

    [Fact]
    public void The_figures_sheet_lists_each_reported_figure_and_metric_as_numbers()
    {
        var json = JsonDocument.Parse(ResultsJson.Serialize(Q3)).RootElement;
        var sheet = new WorkbookReader(ResultsWorkbook.Write(Q3, Q2, Stamp)).Sheet(ResultsWorkbook.FiguresSheet);
        Assert.Equal(ResultsWorkbook.FigureColumns, sheet.Rows[1].Select(c => c!.Text));
        var rows = sheet.Rows.Skip(ResultsWorkbook.HeaderRows).ToList();
        var count = 0;
        foreach (var unit in json.GetProperty("units").EnumerateArray())
        {
            var code = unit.GetProperty("code").GetString();
            foreach (var i in unit.GetProperty("indicators").EnumerateArray())
            {
                var row = rows.Single(r => r[1]!.Text == code && r[4]!.Text == i.GetProperty("id").GetString());
                void Figure(int column, string name)
                {
                    var value = i.GetProperty(name);
                    if (value.ValueKind == JsonValueKind.Null) Assert.True(column >= row.Length || row[column] is null, $"{code} {name} empty");
                    else
                    {
                        Assert.True(row[column]!.IsNumber);
                        Assert.Equal(value.GetDecimal(), row[column]!.Number);
                    }
                }
                Figure(8, "actual");
                Figure(9, "target");
                Figure(10, "baseline");
                Figure(11, "metric");
                Figure(12, "score");
                if (i.GetProperty("max").ValueKind == JsonValueKind.Null) Assert.Equal("不封顶", row[13]!.Text);
                else Figure(13, "max");
                Assert.Equal(i.GetProperty("missing").GetString() ?? i.GetProperty("explain").GetString(), row[14]!.Text);
                count++;
            }
            foreach (var a in unit.GetProperty("adjustments").EnumerateArray())
            {
                var row = rows.Single(r => r[1]!.Text == code && r[4]!.Text == a.GetProperty("id").GetString());
                Assert.Equal(a.GetProperty("count").GetDecimal(), row[8]!.Number);
                Assert.Equal(a.GetProperty("points").GetDecimal(), row[12]!.Number);
                count++;
            }
        }
        Assert.Equal(rows.Count, count);
        // The completion is a ratio shown as a percentage; growth is already in percent.
        var a1 = rows.Single(r => r[1]!.Text == "B" && r[4]!.Text == "x01");
        Assert.Equal(("0.5", "0.00%", "完成率"), (a1[11]!.Text, a1[11]!.Format, a1[7]!.Text));
        var growth = rows.Single(r => r[1]!.Text == "A" && r[4]!.Text == "x06");
        Assert.Equal(("8.5", "0.00\"%\"", "增速（%）", "108.5", "6", "100"), (growth[11]!.Text, growth[11]!.Format, growth[7]!.Text, growth[8]!.Text, growth[9]!.Text, growth[10]!.Text));
        var issue = rows.Single(r => r[1]!.Text == "C" && r[4]!.Text == "issue");
        Assert.Equal(("扣分项", "2", "-1"), (issue[7]!.Text, issue[8]!.Text, issue[12]!.Text));
    }

    [Fact]
    public void Headers_are_frozen_columns_fit_chinese_names_and_sheets_print_on_a4_landscape()
    {
        var book = new WorkbookReader(ResultsWorkbook.Write(Q3, Q2, Stamp));
        foreach (var name in new[] { "创先", "进位", ResultsWorkbook.FiguresSheet })
        {
            var sheet = book.Sheet(name);
            Assert.Equal((2d, 3d, "D3", PaneStateValues.Frozen), (sheet.Pane!.VerticalSplit!.Value, sheet.Pane.HorizontalSplit!.Value, sheet.Pane.TopLeftCell!.Value, sheet.Pane.State!.Value));
            Assert.Equal((9u, OrientationValues.Landscape, 1u, 0u), (sheet.PageSetup!.PaperSize!.Value, sheet.PageSetup.Orientation!.Value, sheet.PageSetup.FitToWidth!.Value, sheet.PageSetup.FitToHeight!.Value));
            Assert.True(sheet.FitToPage);
            Assert.Equal($"'{name}'!$1:$2", sheet.PrintTitles);
        }
        // The name column of 进位 fits the 16 Chinese characters of E's name (two widths each, plus a margin).
        Assert.Equal(34, book.Sheet("进位").Widths[2]);
        Assert.Equal(10, book.Sheet("创先").Widths[2]); // the header 单位名称 is the widest
    }

    [Fact]
    public void V3_results_show_exclusion_the_total_before_its_cap_and_unlimited_maxima()
    {
        var v3 = Q3 with
        {
            Units = [.. Q3.Units.Select(u => u.Code switch
            {
                "C" => u with { Rank = 0, Lists = [], Excluded = true, Notes = ["取消参评资格：督查问题未整改"] },
                "E" => u with { Excluded = false, RawTotal = 8.05m, Indicators = [.. u.Indicators.Select(i => i.Id == "x01" ? i with { Unlimited = true } : i)] },
                _ => u,
            })],
        };
        var book = new WorkbookReader(ResultsWorkbook.Write(v3, Q2, Stamp));
        var sheet = book.Sheet("进位");
        string Line(int r) => string.Join("|", sheet.Rows[r].Select(c => c is null ? "" : c.Text));
        Assert.Equal("名次|单位代码|单位名称|指标01|指标02|维度甲小计|指标03|指标04|维度乙小计|指标05|地区生产总值增速|维度丙小计|加分|扣分|封顶前总分|总分|等级|红黑榜|一票否决|数据不全|较上期名次|较上期总分|备注", Line(1));
        Assert.Equal($"1|E|{LongName}|1|1|2|1|1|2|1|1.05|2.05|0|0|8.05|6.05|好|红榜|||0|0|", Line(2));
        Assert.Equal("取消资格|C|丙县|0.4|0.4|0.8|0.4|0.4|0.8|0.4|1.05|1.45|0|-1|—|2.05|较好||||—|—|取消参评资格：督查问题未整改", Line(3));
        var figures = book.Sheet(ResultsWorkbook.FiguresSheet).Rows.Skip(ResultsWorkbook.HeaderRows).Single(r => r[1]?.Text == "E" && r[4]?.Text == "x01");
        Assert.Equal(("1", "不封顶"), (figures[12]!.Text, figures[13]!.Text));
        // A v2 result has none of these columns (see The_figures_by_hand_rank_grade_lists_and_change).
        Assert.DoesNotContain("备注", book.Sheet("创先").Rows[1].Select(c => c!.Text));
    }

    [Fact]
    public void The_package_is_valid_office_open_xml()
    {
        using var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(ResultsWorkbook.Write(Q3, Q2, Stamp)), false);
        var errors = new DocumentFormat.OpenXml.Validation.OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2016).Validate(document)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
    }

    [Fact]
    public void The_same_run_gives_the_same_bytes_also_from_its_stored_json_and_no_change_columns_without_a_previous_quarter()
    {
        var first = ResultsWorkbook.Write(Q3, Q2, Stamp);
        var stored = ResultsJson.Read(ResultsJson.Serialize(Q3));
        var storedPrevious = ResultsJson.Read(ResultsJson.Serialize(Q2));
        Assert.Equal(first, ResultsWorkbook.Write(stored, storedPrevious, Stamp));
        Assert.Equal(first, ResultsWorkbook.Write(Q3, Q2, Stamp));
        var alone = new WorkbookReader(ResultsWorkbook.Write(Q3, null, Stamp));
        Assert.Equal("数据不全", alone.Sheet("创先").Rows[1].Last()!.Text);
        Assert.Equal("没有上一期已发布的结果，不列较上期变化", alone.Sheet(ResultsWorkbook.NotesSheet).Rows.Single(r => r[0]!.Text == "较上期")[1]!.Text);
        Assert.NotEqual(first, ResultsWorkbook.Write(Q3, Q2, Stamp with { RunId = "run-000043" }));
    }
}
