using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Tests.Imports;

/// <summary>
/// Issue 23 item 1: the XLSX template of a month (月通报) — units × the monitor's indicators, the annual target from the
/// latest month that has one, the month's own baseline and plan or last year's actual — read back cell by cell and
/// imported back as an ordinary month file once filled in.
/// </summary>
public sealed class MonthTemplateTests
{
    private static readonly MonitorDefinition County = Load(SampleRulesets.CountyMonthly);

    private static MonitorDefinition Load(string yaml)
    {
        var loaded = MonitorLoader.Load(yaml);
        Assert.True(loaded.Monitor is not null, string.Join("\n", loaded.Diagnostics));
        return loaded.Monitor!;
    }

    private static readonly Unit[] Units =
    [
        new("B2", "乙县", UnitLevel.County, null, "进位"),
        new("A1", "甲县", UnitLevel.County, null, "创先"),
        new("C3", "丙区", UnitLevel.County, null, "新区"),          // a class the monitor does not list
        new("A1001", "甲镇", UnitLevel.Town, "A1", "中心镇"),     // another level
    ];

    private static Observation Row(string unit, string indicator, int month, decimal actual, decimal? target, decimal? baseline = null, decimal? plan = null, int year = 2025) =>
        new(unit, indicator, Period.OfMonth(year, month), actual, target, baseline, plan);

    private static readonly Observation[] Known =
    [
        Row("A1", "fai", 1, 8, 100),
        Row("A1", "fai", 2, 15, 120),                 // the target was raised in February …
        Row("A1", "fai", 3, 24, null),                // … and left blank in March: February's holds
        Row("A1", "key_projects", 3, 9, 40, plan: 8),  // a plan belongs to its month only
        Row("A1", "gdp", 6, 210, 5.5m, baseline: 200), // the month itself already has a row: its baseline and target
        Row("B2", "gdp", 2, 90, 5),
        Row("B2", "fai", 7, 70, 999),                 // a later month than the template's: ignored
        Row("B2", "fai", 6, 0, 80, plan: 33),
        Row("A1", "fai", 6, 60, 130, year: 2024),     // another year: ignored for targets
    ];

    private static readonly Observation[] LastYear =
    [
        Row("A1", "gdp", 6, 190, 5, year: 2024),
        Row("B2", "gdp", 6, 85.5m, 5, year: 2024),
        Row("B2", "gdp", 5, 70, 5, year: 2024),       // not the same month: ignored
    ];

    private static Dictionary<string, string> Cells(byte[] xlsx) => Xlsx.Cells(xlsx);

    [Fact]
    public void The_template_has_a_row_per_listed_unit_and_indicator_with_targets_baselines_and_plans_filled_in()
    {
        var cells = Cells(MonthTemplate.Write(County, Units, Period.OfMonth(2025, 6), Known, LastYear));

        Assert.Equal(["unit", "indicator", "period", "actual", "target", "baseline", "plan", "#单位名称", "#类别", "#指标名称", "#计量单位", "#填写说明"],
            "ABCDEFGHIJKL".Select(c => cells[$"{c}1"]));
        var rows = new List<string>();
        for (var r = 2; cells.ContainsKey($"A{r}"); r++)
            rows.Add(string.Join("|", "ABCDEFG".Select(c => cells.GetValueOrDefault($"{c}{r}", ""))));
        Assert.Equal([
            "A1|fai|2025-06||120||",
            "A1|industry|2025-06||||",
            "A1|key_projects|2025-06||40||",
            "A1|revenue|2025-06||||",
            "A1|gdp|2025-06||5.5|200|",
            "A1|energy|2025-06||||",
            "B2|fai|2025-06||80||33",
            "B2|industry|2025-06||||",
            "B2|key_projects|2025-06||||",
            "B2|revenue|2025-06||||",
            "B2|gdp|2025-06||5|85.5|",
            "B2|energy|2025-06||||",
        ], rows);
        Assert.Equal(("甲县", "创先", "重点项目完成投资", "亿元", "actual 填1–6月累计数，target 填全年目标，plan 填1–6月计划累计数（必填）"),
            (cells["H4"], cells["I4"], cells["J4"], cells["K4"], cells["L4"]));
        Assert.Equal("actual 填1–6月累计数，baseline 填上年1–6月累计数，target 填全年目标增速（%）", cells["L6"]);
        Assert.Equal("actual 填1–6月的值，target 填全年目标值", cells["L7"]);
    }

    [Fact]
    public void The_template_is_deterministic_and_january_reads_1月()
    {
        var june = MonthTemplate.Write(County, Units, Period.OfMonth(2025, 6), Known, LastYear);
        Assert.Equal(june, MonthTemplate.Write(County, Enumerable.Reverse(Units), Period.OfMonth(2025, 6), Enumerable.Reverse(Known), LastYear));

        var january = Cells(MonthTemplate.Write(County, Units, Period.OfMonth(2025, 1), Known, LastYear));
        Assert.Equal(("2025-01", "100", "actual 填1月累计数，target 填全年目标"), (january["C2"], january["E2"], january["L2"]));
    }

    [Fact]
    public void A_quarter_is_refused_the_month_template_is_by_month()
    {
        var e = Assert.Throws<ArgumentException>(() => MonthTemplate.Write(County, Units, Period.OfQuarter(2025, 2), [], []));
        Assert.StartsWith("月通报的填报模板按月生成（YYYY-MM），这里是 2025Q2", e.Message);
    }

    [Fact]
    public void Filled_in_the_template_imports_back_as_a_month_file_with_its_plans()
    {
        var xlsx = Xlsx.Edit(MonthTemplate.Write(County, Units, Period.OfMonth(2025, 6), Known, LastYear), data =>
        {
            for (var r = 2; r <= 13; r++) Xlsx.SetNumber(data, r, 'D', (r * 1.5m).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Xlsx.SetNumber(data, 4, 'G', "17.25");
        });

        var table = DataImport.ReadTable(xlsx, "2025-06.xlsx", DataFiles.ObservationColumns);
        var read = DataImport.ReadObservations(table, new Dictionary<int, IReadOnlySet<string>> { [2025] = new HashSet<string> { "A1", "B2" } },
            Period.OfMonth(2025, 6));

        Assert.Empty(read.Errors);
        Assert.Equal(12, read.Rows.Length);
        var fai = read.Rows.Single(o => o.Unit == "A1" && o.Indicator == "fai");
        Assert.Equal((3m, (decimal?)120m, (decimal?)null, (decimal?)null), (fai.Actual, fai.Target, fai.Baseline, fai.Plan));
        var projects = read.Rows.Single(o => o.Unit == "A1" && o.Indicator == "key_projects");
        Assert.Equal((6m, (decimal?)40m, (decimal?)17.25m), (projects.Actual, projects.Target, projects.Plan));
        Assert.Equal(33m, read.Rows.Single(o => o.Unit == "B2" && o.Indicator == "fai").Plan);
    }

    [Fact]
    public void The_generated_province_s_september_template_carries_every_county_s_annual_target_over_the_blank_months()
    {
        var province = ProvinceGenerator.Generate(new ProvinceOptions());
        var months = ProvinceGenerator.GenerateMonths(new ProvinceOptions());
        var cells = Cells(MonthTemplate.Write(County, province.Units, Period.OfMonth(2025, 9), months, []));

        var rows = 0;
        var targets = 0;
        for (var r = 2; cells.ContainsKey($"A{r}"); r++)
        {
            rows++;
            if (cells.ContainsKey($"E{r}")) targets++;
        }
        // 120 listed counties × 6 indicators, and every one has a target: the county that left its investment
        // target blank from July on gets June's.
        Assert.Equal((720, 720), (rows, targets));
        var blank = months.First(o => o.Target is null);
        var june = months.Single(o => o.Unit == blank.Unit && o.Indicator == "fai" && o.Period == Period.OfMonth(2025, 6)).Target;
        var at = Enumerable.Range(2, rows).Single(r => cells[$"A{r}"] == blank.Unit && cells[$"B{r}"] == "fai");
        Assert.Equal(june!.Value, decimal.Parse(cells[$"E{at}"], System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>The month template through the store's one entry point (<c>cli template</c>, the API's template.xlsx): a stored monitor and a month.</summary>
public sealed class StoredMonthTemplateTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private BaiQianWan.Assess.Store.IAssessStore _store = null!;
    private BaiQianWan.Assess.Workflow.AssessmentService _service = null!;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new BaiQianWan.Assess.Workflow.AssessmentService(_store, new TestClock(), null);
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(MiniMonth.ObservationsCsv), "2025-06.csv", "office");
        await _service.ActivateRulesetAsync("mini-monthly", (await _service.AddRulesetAsync(MiniMonth.MonitorYaml, "mini-monthly.yaml", "author")).Version, "chief");
        await _service.ActivateRulesetAsync("mini", (await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author")).Version, "chief");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    [Fact]
    public async Task A_stored_monitor_s_july_template_carries_june_s_targets_for_every_county()
    {
        var cells = Xlsx.Cells(await _service.TemplateAsync(MiniMonth.July, "mini-monthly", null));

        Assert.Equal("plan", cells["G1"]);
        var rows = new List<string>();
        for (var r = 2; cells.ContainsKey($"A{r}"); r++) rows.Add($"{cells[$"A{r}"]} {cells[$"B{r}"]} {cells[$"C{r}"]} {cells.GetValueOrDefault($"E{r}", "")}");
        Assert.Equal(["A1 fai 2025-07 100", "A2 fai 2025-07 100", "B1 fai 2025-07 100", "B2 fai 2025-07 100"], rows);
    }

    [Fact]
    public async Task A_monitor_with_a_quarter_or_a_scoring_ruleset_with_a_month_is_refused_in_words()
    {
        var quarter = await Assert.ThrowsAsync<BaiQianWan.Assess.Store.StoreException>(() => _service.TemplateAsync(Period.OfQuarter(2025, 2), "mini-monthly", null));
        Assert.Contains("是月度监测（kind: monitor），只评价月份（YYYY-MM", quarter.Message);
        var month = await Assert.ThrowsAsync<BaiQianWan.Assess.Store.StoreException>(() => _service.TemplateAsync(MiniMonth.June, "mini", null));
        Assert.Contains("不评价月份 2025-06", month.Message);
    }
}
