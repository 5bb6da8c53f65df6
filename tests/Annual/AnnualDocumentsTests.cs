using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Scorecards;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Annual;

/// <summary>
/// The year's documents (issue 25 item 4) from a store run of <see cref="YearRunServiceTests.YearYaml"/> over
/// <see cref="Mini"/>'s counties with Q2, Q3, May and June published, rendered by the real PDF renderer and read back with
/// pdftotext against figures worked by hand (no engine code): the annual scorecard's quarters, months and publications,
/// the annual bulletin's quarter columns, the level-wide ranking only with a level scope, byte-identical re-renders.
/// </summary>
/// <remarks>
/// By hand (Mini, MiniMonth and YearRunServiceTests' remarks): quarter totals Q2 A1 90.5, A2 112, B1 70, B2 80; Q3 A1 112,
/// A2 90, B1 70, B2 80; class ranks 甲 Q2 A2 1 A1 2, Q3 A1 1 A2 2; 乙 B2 1 B1 2 both quarters (2 peers each). Means: A1
/// 101.25, A2 101. Lights (one indicator): May A1 green, A2 yellow, B1 red, B2 green; June A1 green, A2 red, B1 red, B2
/// green. A2: May 红 0 黄 1 绿 0, June 红 1 黄 0 绿 0; year 红灯 1、黄灯 1、绿灯 0 over 2 months. Year totals A1 111.25,
/// A2 105.5, B1 77, B2 90. With the level scope (优秀 share 0.25 of N = 4 → levelRank ≤ round(1) = 1): levelRanks A1 1,
/// A2 2, B2 3, B1 4; A1 优秀, the rest 合格.
/// </remarks>
[Trait("Cost", "Slow")]
public sealed class AnnualDocumentsTests : IAsyncLifetime
{
    private const string LevelGrades = """

        grades:
          by: rankShare
          scope: level
          levels:
            - { name: 优秀, share: 0.25 }
            - { name: 合格 }
        """;

    private static readonly Period Year = Period.OfYear(2025);
    private static readonly Period May = Period.OfMonth(2025, 5);

    private readonly TempSqlite _file = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-annualdocs-").FullName;
    private IAssessStore _store = null!;
    private AssessmentService _service = null!;
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        var renderer = new PdfDocumentRenderer(parallelism: 2, sources: new AnnualSources(_store).Read);
        _service = new AssessmentService(_store, new TestClock(), renderer);
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(MiniMonth.ObservationsCsv), "2025-06.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nA1,gdp,2025,10,10,\nA2,gdp,2025,5,10,\nB1,gdp,2025,8,10,\nB2,gdp,2025,10,10,\n"), "2025.csv", "office");
        await _service.ActivateRulesetAsync("mini", (await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author")).Version, "chief");
        await _service.ActivateRulesetAsync("mini-monthly", (await _service.AddRulesetAsync(MiniMonth.MonitorYaml, "mini-monthly.yaml", "author")).Version, "chief");
        await _service.ActivateRulesetAsync("mini-year", (await _service.AddRulesetAsync(YearRunServiceTests.YearYaml, "mini-year.yaml", "author")).Version, "chief");
        foreach (var (period, ruleset) in new[] { (Mini.Q2, "mini"), (Mini.Q3, "mini"), (May, "mini-monthly"), (MiniMonth.June, "mini-monthly") })
        {
            var run = await _service.RunAsync(period, UnitLevel.County, ruleset, null, "office");
            Assert.Equal(RunStatus.Succeeded, run.Status);
            await _service.PublishAsync(run.Id, "office");
            _ids[period.ToString()] = run.Id;
        }
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<EvaluationRun> RunYearAsync(string yaml)
    {
        var added = await _service.AddRulesetAsync(yaml, "mini-year.yaml", "author");
        await _service.ActivateRulesetAsync("mini-year", added.Version, "chief");
        var run = await _service.RunAsync(Year, UnitLevel.County, "mini-year", null, "office");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        return run;
    }

    private async Task<byte[]> DocumentAsync(string runId, DocumentKind kind, string key) =>
        (await _service.GetDocumentAsync(runId, kind, key))?.Content ?? throw new Xunit.Sdk.XunitException($"运行 {runId} 没有 {kind} {key}");

    /// <summary>The text as pdftotext lays it out, without whitespace: a table row reads as its cells one after another.</summary>
    private static string Flat(byte[] pdf) => Pdf.Flat(Pdf.Text(pdf, layout: true));

    [Fact]
    public async Task The_annual_scorecard_shows_each_quarter_each_month_and_the_publications_read_beside_the_year_end_indicators()
    {
        var run = await _service.RunAsync(Year, UnitLevel.County, "mini-year", null, "office");
        Assert.Equal(RunStatus.Succeeded, run.Status);

        var a2 = Flat(await DocumentAsync(run.Id, DocumentKind.Scorecard, "A2"));
        Assert.Contains("百千万工程年度考核评价记分卡", a2);
        Assert.Contains("甲二县", a2);
        Assert.Contains("2025年度", a2);
        Assert.Contains("105.50", a2);                                  // the year total
        Assert.Contains("年度过程考核（数据来源）", a2);
        // Quarters: Q1 and Q4 were never published; Q2 112 first of 2; Q3 90 second of 2; with the runs read.
        Assert.Contains("一季度未公布——", a2);
        Assert.Contains($"二季度112第1名/2{_ids["2025Q2"]}", a2);
        Assert.Contains($"三季度90第2名/2{_ids["2025Q3"]}", a2);
        Assert.Contains("四季度未公布——", a2);
        Assert.DoesNotContain("全省排名", a2);                          // no quarter carried a level rank
        Assert.Contains("季度总分平均101（2个季度）", a2);
        // Months: the lights' columns in the monitor's order (红灯, 黄灯, 绿灯); May yellow, June red (escalated).
        Assert.Contains("月份■红灯▲黄灯●绿灯公布的运行", a2);
        Assert.Contains($"5月010{_ids["2025-05"]}", a2);
        Assert.Contains($"6月100{_ids["2025-06"]}", a2);
        Assert.Contains("4月———未公布", a2);
        Assert.Contains("全年亮灯：红灯1个、黄灯1个、绿灯0个（读取2个月）", a2);
        Assert.Contains("任务台账：本年度没有本单位的任务。", a2);
        // The publications read, in the results' order (months before the quarters ending with them).
        Assert.Contains("读取的公布结果", a2);
        var result = (await _service.GetResultsAsync(run.Id))!;
        foreach (var s in result.Sources)
            Assert.Contains($"{s.Period}{(s.Period.IsMonth ? "月度监测" : "季度考核")}{s.Run}{s.Sha256[..12]}", a2);
        Assert.Equal(4, result.Sources.Length);

        // A1: Q2 90.5 second, Q3 112 first; mean 101.25; green both months.
        var a1 = Flat(await DocumentAsync(run.Id, DocumentKind.Scorecard, "A1"));
        Assert.Contains($"二季度90.5第2名/2{_ids["2025Q2"]}", a1);
        Assert.Contains($"三季度112第1名/2{_ids["2025Q3"]}", a1);
        Assert.Contains("季度总分平均101.25（2个季度）", a1);
        Assert.Contains("全年亮灯：红灯0个、黄灯0个、绿灯2个（读取2个月）", a1);
    }

    [Fact]
    public async Task The_annual_bulletin_puts_each_quarter_read_beside_the_year_total_and_there_is_no_level_ranking_without_a_level_scope()
    {
        var run = await _service.RunAsync(Year, UnitLevel.County, "mini-year", null, "office");

        var bulletins = (await _store.ListDocumentsAsync(run.Id)).Where(d => d.Kind == DocumentKind.Bulletin).Select(d => d.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["乙", "甲"], bulletins.Order(StringComparer.Ordinal));
        var jia = Flat(await DocumentAsync(run.Id, DocumentKind.Bulletin, "甲"));
        Assert.Contains("“甲”类县（市、区）年度考核排名通报", jia);
        Assert.Contains("名次单位代码二季度三季度年度总分红黑榜", jia);
        Assert.Contains("1甲一县A190.5112111.25", jia);
        Assert.Contains("2甲二县A211290105.50", jia);
        Assert.DoesNotContain("一季度", jia);
        var yi = Flat(await DocumentAsync(run.Id, DocumentKind.Bulletin, "乙"));
        Assert.Contains("1乙二县B2808090.00", yi);
        Assert.Contains("2乙一县B1707077.00", yi);
        Assert.Null(AnnualDocuments.LevelRankingKey((await _service.GetResultsAsync(run.Id))!));
    }

    [Fact]
    public async Task With_a_level_scope_the_year_also_gets_the_level_wide_ranking_and_a_quarter_never_does()
    {
        var run = await RunYearAsync(YearRunServiceTests.YearYaml + LevelGrades);

        var result = (await _service.GetResultsAsync(run.Id))!;
        Assert.Equal("level-county", AnnualDocuments.LevelRankingKey(result));
        Assert.Equal((4, 3), (run.ScorecardsExpected, run.BulletinsExpected));
        var level = Flat(await DocumentAsync(run.Id, DocumentKind.Bulletin, "level-county"));
        Assert.Contains("全省县（市、区）年度考核排名", level);
        Assert.Contains("参加全省排名4个", level);
        Assert.Contains("1甲一县A1甲1/2111.25优秀", level);
        Assert.Contains("2甲二县A2甲2/2105.50合格", level);
        Assert.Contains("3乙二县B2乙1/290.00合格", level);
        Assert.Contains("4乙一县B1乙2/277.00合格", level);
        Assert.Contains("等次分布（全省）：优秀1个，合格3个。", level);
        Assert.True(level.IndexOf("A1甲", StringComparison.Ordinal) < level.IndexOf("A2甲", StringComparison.Ordinal));
        Assert.True(level.IndexOf("B2乙", StringComparison.Ordinal) < level.IndexOf("B1乙", StringComparison.Ordinal));
        Assert.Contains("全省排名第2名/共4名", Flat(await DocumentAsync(run.Id, DocumentKind.Scorecard, "A2")));

        // The same figures for a quarter: no level-wide ranking document (it is the year's).
        Assert.Null(AnnualDocuments.LevelRankingKey(result with { Period = Period.OfQuarter(2025, 4) }));
        Assert.Equal((4, 2), EvaluationRun.ExpectedDocuments(result with { Period = Period.OfQuarter(2025, 4) }));
    }

    [Fact]
    public async Task Rendering_the_year_again_gives_the_same_bytes_even_after_a_source_is_published_again()
    {
        var run = await RunYearAsync(YearRunServiceTests.YearYaml + LevelGrades);
        var stored = new Dictionary<(DocumentKind, string), string>();
        foreach (var d in await _store.ListDocumentsAsync(run.Id))
            stored[(d.Kind, d.Key)] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await DocumentAsync(run.Id, d.Kind, d.Key)));
        Assert.Equal(4 + 3, stored.Count);

        // Q3 published again by another run: the year's documents still show the Q3 run it read.
        var q3 = await _service.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        await _service.PublishAsync(q3.Id, "office");
        var again = await _service.RerenderAsync(run.Id);
        Assert.Equal(stored.Count, again.Count);
        foreach (var d in again)
            Assert.Equal(stored[(d.Kind, d.Key)], d.Sha256);
        Assert.Contains(_ids["2025Q3"], Flat(again.Single(d => d.Key == "A1").Content));
        Assert.DoesNotContain(q3.Id, Flat(again.Single(d => d.Key == "A1").Content));
    }

    [Fact]
    public async Task Cli_run_of_the_year_on_a_store_renders_the_annual_documents_and_export_writes_them()
    {
        var added = await _service.AddRulesetAsync(YearRunServiceTests.YearYaml + LevelGrades, "mini-year.yaml", "author");
        await _service.ActivateRulesetAsync("mini-year", added.Version, "chief");

        // The store session's own renderer (no test renderer): the PDFs, with the publications read back from the store.
        var (code, stdout, err) = Cli("run", "--period", "2025", "--level", "county", "--store", _file.Path);
        Assert.True(code == 0, err);
        Assert.Contains("记分卡 4 份，通报 3 份", stdout);
        var run = (await _store.ListRunsAsync(Year)).Single();
        Assert.Equal(0, Cli("publish", run.Id, "--store", _file.Path).Code);
        var dir = Path.Combine(_dir, "export");
        (code, _, err) = Cli("export", "--period", "2025", "--out", dir, "--store", _file.Path);
        Assert.True(code == 0, err);

        Assert.Equal(["county/bulletins/level-county.pdf", "county/bulletins/乙.pdf", "county/bulletins/甲.pdf",
                "county/scorecards/A1.pdf", "county/scorecards/A2.pdf", "county/scorecards/B1.pdf", "county/scorecards/B2.pdf"],
            Directory.GetFiles(dir, "*.pdf", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
        var b1 = Flat(File.ReadAllBytes(Path.Combine(dir, "county", "scorecards", "B1.pdf")));
        Assert.Contains($"二季度70第2名/2{_ids["2025Q2"]}", b1);
        Assert.Contains("季度总分平均70（2个季度）", b1);
        Assert.Contains("全年亮灯：红灯2个、黄灯0个、绿灯0个（读取2个月）", b1);
        Assert.Contains("4乙一县B1乙2/277.00合格", Flat(File.ReadAllBytes(Path.Combine(dir, "county", "bulletins", "level-county.pdf"))));
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Cli_render_of_a_year_from_files_reads_the_sources_given_and_marks_those_not_given()
    {
        // SourceDataTests' publications: A in Q1 80 (2nd), Q2 85 (1st), Q4 81.5 (2nd); January red ×2 and green, February
        // red and green ×2. Mean (80 + 85 + 81.5) / 3 = 82.1666… (shown to four places: 82.1667).
        var files = new[] { ("Q1.json", SourceDataTests.Q1), ("Q2.json", SourceDataTests.Q2), ("Q4.json", SourceDataTests.Q4), ("M01.json", SourceDataTests.M01), ("M02.json", SourceDataTests.M02) }
            .Select(f => Write(f.Item1, f.Item2)).ToArray();
        var results = Path.Combine(_dir, "year.json");
        var (code, _, err) = Cli(["evaluate", "--units", Write("U.csv", "code,name,level,parent,class\nA,甲县,county,,创先\nB,乙县,county,,创先\nC,丙县,county,,创先\nD,丁县,county,,创先\n"u8.ToArray()),
            "--observations", Write("O.csv", "unit,indicator,period,actual,target,baseline\n"u8.ToArray()),
            "--ruleset", Write("R.yaml", System.Text.Encoding.UTF8.GetBytes(SourceDataTests.Yaml)), "--period", "2025", "--out", results, "--sources", .. files]);
        Assert.True(code == 0, err);

        var all = Path.Combine(_dir, "all");
        (code, var stdout, err) = Cli(["render", "--results", results, "--out", all, "--run-id", "file-run", "--sources", .. files]);
        Assert.True(code == 0, err);
        Assert.Contains("已生成 4 份记分卡、1 份排名通报", stdout);
        var a = Flat(File.ReadAllBytes(Path.Combine(all, "scorecards", "A.pdf")));
        Assert.Contains("一季度80第2名（文件）", a);
        Assert.Contains("二季度85第1名（文件）", a);
        Assert.Contains("三季度未公布——", a);
        Assert.Contains("四季度81.5第2名（文件）", a);
        Assert.Contains("季度总分平均82.1667（3个季度）", a);
        Assert.Contains("1月201（文件）", a);
        Assert.Contains("2月102（文件）", a);
        Assert.Contains("全年亮灯：红灯3个、黄灯0个、绿灯3个（读取2个月）", a);
        Assert.Contains("2025Q1季度考核（文件，无运行编号）", a);
        var bulletin = Flat(File.ReadAllBytes(Path.Combine(all, "bulletins", "创先.pdf")));
        Assert.Contains("一季度二季度四季度年度总分", bulletin);

        // February not given: listed, its figures marked; the same render again is byte for byte the same.
        var part = Path.Combine(_dir, "part");
        (code, _, err) = Cli(["render", "--results", results, "--out", part, "--run-id", "file-run", "--sources", .. files[..4]]);
        Assert.True(code == 0, err);
        var partial = Flat(File.ReadAllBytes(Path.Combine(part, "scorecards", "A.pdf")));
        Assert.Contains("2月———（文件）", partial);
        Assert.Contains("全年亮灯：红灯2个、黄灯0个、绿灯1个（读取2个月）", partial);
        Assert.Contains("有1期公布结果未随文档提供", partial);
        var again = Path.Combine(_dir, "again");
        Assert.Equal(0, Cli(["render", "--results", results, "--out", again, "--run-id", "file-run", "--sources", .. files]).Code);
        foreach (var f in Directory.GetFiles(all, "*.pdf", SearchOption.AllDirectories))
            Assert.Equal(File.ReadAllBytes(f), File.ReadAllBytes(Path.Combine(again, Path.GetRelativePath(all, f))));

        // A file the year did not read is refused, naming it.
        var other = Write("Q3.json", AnnualData.Quarter("2025Q3", new AnnualData.Q("A", 1, 1)));
        (code, _, err) = Cli(["render", "--results", results, "--out", Path.Combine(_dir, "bad"), "--sources", other]);
        Assert.Equal(2, code);
        Assert.Contains("Q3.json", err);
        Assert.Contains("2025Q3", err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "bad")));
    }
}
