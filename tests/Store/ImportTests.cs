using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Imports;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>Reading units and observations from CSV and XLSX, and the XLSX template an office fills in and imports back.</summary>
public sealed class ImportTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private IAssessStore _store = null!;
    private AssessmentService _service = null!;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, new TestClock(), new TestRenderer());
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await _service.ActivateRulesetAsync("mini", 1, "chief");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    [Fact]
    public void Units_read_from_xlsx_the_same_as_from_csv()
    {
        var xlsx = Xlsx.Write(
            ["code", "name", "level", "parent", "class", "#备注"],
            ["A1", "甲一县", "county", null, "甲", "说明文字"],
            ["T1", "某镇", "town", "A1", "中心镇"]);

        var read = DataImport.ReadUnits(xlsx, "units.xlsx");

        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        Assert.Equal([new Unit("A1", "甲一县", UnitLevel.County, null, "甲"), new Unit("T1", "某镇", UnitLevel.Town, "A1", "中心镇")], read.Rows.ToArray());
    }

    [Fact]
    public void Note_columns_in_csv_are_ignored_wherever_they_stand()
    {
        const string csv = "#说明,unit,indicator,period,actual,#单位名称,target,baseline\n随便写,A1,fai,2025Q4,\"1,5\",甲一县,2,\nx,A2,fai,2025Q4,3.5,甲二县,,1\n";
        var table = DataImport.ReadTable(Mini.Bytes(csv), "notes.csv", DataFiles.ObservationColumns);
        var codes = (IReadOnlySet<string>)new HashSet<string> { "A1", "A2" };

        var read = DataImport.ReadObservations(table, new Dictionary<int, IReadOnlySet<string>> { [2025] = codes });

        Assert.Equal(["notes.csv:2:actual: '1,5' 不是数值（小数点用 .，不要千分位和单位）"], read.Errors.Select(e => e.ToString()));
        var fixedCsv = csv.Replace("\"1,5\"", "1.5");
        var ok = DataImport.ReadObservations(DataImport.ReadTable(Mini.Bytes(fixedCsv), "notes.csv", DataFiles.ObservationColumns),
            new Dictionary<int, IReadOnlySet<string>> { [2025] = codes });
        var q4 = Period.OfQuarter(2025, 4);
        Assert.Equal([new Observation("A1", "fai", q4, 1.5m, 2m, null), new Observation("A2", "fai", q4, 3.5m, null, 1m)], ok.Rows.ToArray());
    }

    [Fact]
    public void Xlsx_numbers_count_as_the_spreadsheet_shows_them()
    {
        Assert.Equal("1.1", XlsxCells.Number("1.1000000000000001"));
        Assert.Equal("0.001", XlsxCells.Number("1E-3"));
        Assert.Equal("0.3", XlsxCells.Number("0.29999999999999999"));
        Assert.Equal("123456.789", XlsxCells.Number("123456.789"));
        Assert.Equal("-2", XlsxCells.Number("-2"));
    }

    [Fact]
    public async Task Bad_xlsx_rows_are_named_by_their_spreadsheet_row_and_column()
    {
        var xlsx = Xlsx.Write(
            ["unit", "indicator", "period", "actual", "target", "baseline"],
            ["A1", "fai", "2025Q4", "=N:1.1000000000000001", "=N:2"],
            [],
            ["A2", "fai", "2025Q4", "一百"],
            ["Q9", "fai", "2025Q4", "=N:1"]);

        var e = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportObservationsAsync(xlsx, "q4.xlsx", "office"));

        Assert.Equal(["q4.xlsx:4:actual: '一百' 不是数值（小数点用 .，不要千分位和单位）", "q4.xlsx:5:unit: 未知的单位 'Q9'"], e.Errors.Select(x => x.ToString()));
        Assert.Empty(await _store.GetObservationsAsync(Period.OfQuarter(2025, 4)));
    }

    [Fact]
    public async Task A_file_with_a_wrong_header_or_not_utf8_is_rejected_where_the_problem_is()
    {
        var header = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,value\n"), "x.csv", "office"));
        Assert.Equal(["x.csv:1:value: 未知的列 'value'（应为 unit,indicator,period,actual,target,baseline，可选 plan）", "x.csv:1:actual: 缺少列 'actual'",
            "x.csv:1:target: 缺少列 'target'", "x.csv:1:baseline: 缺少列 'baseline'"], header.Errors.Select(x => x.ToString()));

        var gbk = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportUnitsAsync(2025, [0x63, 0x6F, 0x64, 0x65, 0x0A, 0xB0, 0xA1], "gbk.csv", "office"));
        // The bad byte is on row 2 (the header is row 1), in its first column.
        Assert.Equal("gbk.csv:2:code: 不是 UTF-8 编码（第 1 列有字节 0xB0；请另存为 UTF-8 的 CSV，或使用 XLSX）", Assert.Single(gbk.Errors).ToString());

        var broken = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportUnitsAsync(2025, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3], "u.xlsx", "office"));
        Assert.Equal("u.xlsx:1:-: 不是有效的 XLSX 文件（无法作为 zip 打开）", Assert.Single(broken.Errors).ToString());
    }

    [Fact]
    public async Task The_template_lists_each_unit_times_indicator_and_adjustment_with_known_targets()
    {
        var template = await _service.TemplateAsync(Mini.Q3, "mini", null);
        var cells = Xlsx.Cells(template);

        Assert.Equal(["unit", "indicator", "period", "actual", "target", "baseline", "#单位名称", "#类别", "#指标名称", "#计量单位", "#填写说明"],
            Enumerable.Range(0, 11).Select(c => cells[$"{(char)('A' + c)}1"]));
        // 4 counties × (fai, rev, honor); the town T1 is not of the ruleset's level.
        Assert.Equal(13, cells.Keys.Select(k => int.Parse(k[1..], System.Globalization.CultureInfo.InvariantCulture)).Max());
        Assert.Equal(["A1", "fai", "2025Q3", "50", "甲一县", "甲", "固定资产投资", "亿元"],
            new[] { "A2", "B2", "C2", "E2", "G2", "H2", "I2", "J2" }.Select(k => cells[k]));
        Assert.False(cells.ContainsKey("D2")); // actual is left for the office
        Assert.Equal(("honor", "国家级荣誉"), (cells["B4"], cells["I4"]));
        Assert.False(cells.ContainsKey("E4"));
        Assert.Equal(template, await _service.TemplateAsync(Mini.Q3, "mini", 1));
    }

    [Fact]
    public async Task A_filled_template_imports_back_as_the_figures_typed_in()
    {
        var q4 = Period.OfQuarter(2025, 4);
        var template = await _service.TemplateAsync(q4, "mini", null);
        var filled = Xlsx.Edit(template, data =>
        {
            for (var row = 2; row <= 13; row++) Xlsx.SetNumber(data, row, 'D', (row * 1.5m).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Xlsx.SetNumber(data, 2, 'E', "80");
        });

        var outcome = await _service.ImportObservationsAsync(filled, "2025Q4-filled.xlsx", "office");

        Assert.Equal(12, outcome.Batch.RowCount);
        var stored = await _store.GetObservationsAsync(q4);
        Assert.Equal(12, stored.Count);
        Assert.Equal(new Observation("A1", "fai", q4, 3m, 80m, null), stored.Single(o => o is { Unit: "A1", Indicator: "fai" }));
        Assert.Equal(new Observation("B2", "rev", q4, 18m, null, null), stored.Single(o => o is { Unit: "B2", Indicator: "rev" }));
        Assert.True((await _service.ImportObservationsAsync(filled, "again.xlsx", "office")).AlreadyImported);
    }

    [Fact]
    public async Task An_unfilled_template_is_rejected_naming_every_empty_actual()
    {
        var template = await _service.TemplateAsync(Mini.Q3, "mini", null);
        var e = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportObservationsAsync(template, "t.xlsx", "office"));
        Assert.Equal(Enumerable.Range(2, 12).Select(r => $"t.xlsx:{r}:actual: 必填的数值为空"), e.Errors.Select(x => x.ToString()));
    }
}
