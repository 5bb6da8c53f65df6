using System.Net;
using System.Text;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Functions.Triggers;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Scorecards;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow.Runs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// A month from upload to publication through the API and the monthly timer (the real app, store and PDF renderer), and
/// through the command line: the lights and figures asserted against <see cref="MiniMonth"/>'s hand-worked June, the
/// documents read back with pdftotext, an empty month refused before any run exists, the timer idempotent.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class MonthRunEndToEndTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bqw-month-").FullName;
    private AssessAppFactory _app = null!;
    private HttpClient _office = null!;

    private static string Rows(string month) =>
        string.Join("\n", MiniMonth.ObservationsCsv.Replace("\r\n", "\n").Split('\n').Where((line, i) => i == 0 || line.Contains(month, StringComparison.Ordinal))) + "\n";

    public async Task InitializeAsync()
    {
        _app = new AssessAppFactory("sqlite", Path.Combine(_directory, "month.db"), new Dictionary<string, string?> { ["Runs:AutoPublish"] = "true" });
        _office = _app.Client(_app.Token("office"));
        await (await _office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(Mini.Bytes(Mini.UnitsCsv)))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/periods/2025-05/observations?file=2025-05.csv", Api.Csv(Mini.Bytes(Rows("2025-05"))))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/periods/2025-06/observations?file=2025-06.csv", Api.Csv(Mini.Bytes(Rows("2025-06"))))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/rulesets/mini-monthly", Api.Yaml(MiniMonth.MonitorYaml))).JsonAsync(HttpStatusCode.Created);
        await (await _office.PostAsync("/api/rulesets/mini-monthly/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        _office.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private IAssessStore Store => _app.Services.GetRequiredService<IAssessStore>();

    [Fact]
    public async Task A_month_runs_from_upload_to_publication_through_the_api_with_its_bulletin_and_unit_pages()
    {
        var accepted = await (await _office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025-06","level":"county","ruleset":"mini-monthly"}""")))
            .JsonAsync(HttpStatusCode.Accepted);
        var run = await Api.WaitForRunAsync(_office, accepted.GetProperty("id").GetString()!);

        Assert.Equal(("succeeded", "2025-06", "county", "mini-monthly", 1),
            (run.GetProperty("status").GetString(), run.GetProperty("period").GetString(), run.GetProperty("level").GetString(),
                run.GetProperty("ruleset").GetString(), run.GetProperty("version").GetInt32()));
        var documents = run.GetProperty("documents");
        Assert.Equal((4, 4, 1, 1), (documents.GetProperty("scorecardsExpected").GetInt32(), documents.GetProperty("scorecardsStored").GetInt32(),
            documents.GetProperty("bulletinsExpected").GetInt32(), documents.GetProperty("bulletinsStored").GetInt32()));
        var id = run.GetProperty("id").GetString()!;
        // The stored result: MiniMonth's June by hand.
        var month = (await Store.GetMonthResultsAsync(id))!;
        Assert.Equal(["A1 60.00 50.00 10.00 green 2", "A2 45.00 50.00 -5.00 red 1", "B1 35.00 50.00 -15.00 red 2", "B2 50.00 50.00 0.00 green 2"],
            month.Units.Select(u => (u.Code, F: u.Indicators[0])).Select(x =>
                $"{x.Code} {x.F.Progress:0.00} {x.F.Pace:0.00} {x.F.Gap:0.00} {x.F.Light} {x.F.Streak}"));

        await (await _office.PostAsync($"/api/evaluations/{id}/publish", null)).JsonAsync(HttpStatusCode.OK);

        // The published documents through the period's download routes (the app's test renderer: text a test reads back;
        // the real PDFs are read back with pdftotext in the command-line test below).
        var bulletin = await _office.GetAsync("/api/periods/2025-06/bulletins/county/county.pdf");
        Assert.Equal(HttpStatusCode.OK, bulletin.StatusCode);
        Assert.EndsWith("month county 2025-06 A1:green A2:red B1:red B2:green\n", TestRenderer.Read(await bulletin.Content.ReadAsByteArrayAsync()));
        var page = await _office.GetAsync("/api/periods/2025-06/scorecards/A2.pdf");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.EndsWith("unit A2 fai=red/1\n", TestRenderer.Read(await page.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task An_empty_month_is_refused_with_422_naming_the_month_and_no_run_is_made()
    {
        var problem = await (await _office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025-07","level":"county","ruleset":"mini-monthly"}""")))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("2025-07 没有数据", problem.GetProperty("detail").GetString());
        Assert.Empty(await Store.ListRunsAsync(MiniMonth.July));
    }

    [Fact]
    public async Task The_monthly_timer_evaluates_and_publishes_the_month_before_once_however_often_it_fires_and_skips_an_empty_month()
    {
        // 2025-07-09 18:00 UTC is 02:00 on the 10th in China: the month before is June.
        _app.Clock.Now = new DateTimeOffset(2025, 7, 9, 18, 0, 0, TimeSpan.Zero);
        var timer = ActivatorUtilities.CreateInstance<MonthlyEvaluation>(_app.Services);

        var first = Assert.Single(await timer.FireAsync(new TimerInfo(), new InProcessCarrier(), CancellationToken.None));
        var again = Assert.Single(await timer.FireAsync(new TimerInfo { IsPastDue = true }, new InProcessCarrier(), CancellationToken.None));

        Assert.Equal((RunStatus.Succeeded, "timer", MiniMonth.June, "timer:2025-06:county:mini-monthly:1"),
            (first.Status, first.Actor, first.Period, first.IdempotencyKey));
        Assert.Equal(first.Id, again.Id);
        Assert.Single(await Store.ListRunsAsync(MiniMonth.June));
        // Runs:AutoPublish: the timer's run is the published one.
        Assert.Equal(first.Id, (await Store.GetPublicationAsync(MiniMonth.June, UnitLevel.County))!.RunId);
        Assert.Equal(["red 2", "yellow 0", "green 2", "missing 0"], (await Store.GetMonthResultsAsync(first.Id))!.Totals().Select(t => $"{t.Light} {t.Count}"));

        // A month later July has no data: refused, not lit, and not a failure of the timer.
        _app.Clock.Now = new DateTimeOffset(2025, 8, 9, 18, 0, 0, TimeSpan.Zero);
        Assert.Empty(await timer.FireAsync(new TimerInfo(), new InProcessCarrier(), CancellationToken.None));
        Assert.Empty(await Store.ListRunsAsync(MiniMonth.July));
        Assert.Single(await Store.ListRunsAsync());
    }

    [Fact]
    public void A_month_runs_from_upload_to_publication_through_the_command_line_and_exports_as_render_writes()
    {
        var db = Path.Combine(_directory, "cli.db");
        string Write(string name, string text)
        {
            var path = Path.Combine(_directory, name);
            File.WriteAllText(path, text.Replace("\r\n", "\n"), new UTF8Encoding(false));
            return path;
        }
        (int Code, string Out, string Err) Cli(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = CliApp.Run([.. args, "--store", db], stdout, stderr);
            return (code, stdout.ToString().Replace("\r\n", "\n"), stderr.ToString().Replace("\r\n", "\n"));
        }
        Assert.Equal(0, Cli("init").Code);
        Assert.Equal(0, Cli("import", "units", Write("units.csv", Mini.UnitsCsv), "--year", "2025").Code);
        Assert.Equal(0, Cli("import", "observations", Write("quarters.csv", Mini.ObservationsCsv)).Code);
        Assert.Equal(0, Cli("import", "observations", Write("months.csv", MiniMonth.ObservationsCsv)).Code);
        Assert.Equal(0, Cli("ruleset", "add", Write("mini.yaml", Mini.RulesetYaml)).Code);
        Assert.Equal(0, Cli("ruleset", "activate", "mini", "1").Code);
        Assert.Equal(0, Cli("ruleset", "add", Write("monitor.yaml", MiniMonth.MonitorYaml)).Code);
        Assert.Equal(0, Cli("ruleset", "activate", "mini-monthly", "1").Code);
        var list = Cli("ruleset", "list").Out;
        Assert.Contains("县（市、区）·月度监测", list.Split('\n').Single(l => l.StartsWith("mini-monthly", StringComparison.Ordinal)));

        var run = Cli("run", "--month", "2025-06", "--level", "county");

        Assert.Equal(0, run.Code);
        Assert.Contains("月度监测 mini-monthly 第 1 版，评价 4 个单位（红灯 2，黄灯 0，绿灯 2，缺数 0），单位页 4 份，通报 1 份", run.Out);
        var runId = run.Out.Split('\n').Single(l => l.StartsWith("核对后发布：", StringComparison.Ordinal)).Split(' ')[^1];
        Assert.Equal(0, Cli("publish", runId).Code);
        var export = Path.Combine(_directory, "export");
        Assert.Equal(0, Cli("export", "--period", "2025-06", "--out", export).Code);
        Assert.Equal(["county/bulletins/county.pdf", "county/units/A1.pdf", "county/units/A2.pdf", "county/units/B1.pdf", "county/units/B2.pdf"],
            Directory.GetFiles(export, "*.pdf", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(export, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
        var bulletin = Pdf.Text(File.ReadAllBytes(Path.Combine(export, "county", "bulletins", "county.pdf")));
        Assert.Contains("迷你月度通报（2025年1–6月）", bulletin);
        foreach (var expected in new[] { "红灯", "绿灯", "甲一县", "甲二县", "乙一县", "乙二县" }) Assert.Contains(expected, bulletin);
        var page = Pdf.Text(File.ReadAllBytes(Path.Combine(export, "county", "units", "A2.pdf")));
        Assert.Contains("甲二县", page);
        Assert.Contains("红灯", page);

        // --period takes a month too; a month with no data is refused (exit 2) with the reason, and no run is made.
        var empty = Cli("run", "--period", "2025-07", "--level", "county");
        Assert.Equal(CliApp.InvalidInput, empty.Code);
        Assert.Contains("2025-07 没有数据", empty.Err);
        var preview = Cli("ruleset", "preview", "mini-monthly", "1", "--period", "2025-06");
        Assert.Equal(0, preview.Code);
        Assert.Contains("A2\t甲二县\t甲\tfai\t红灯\t红灯\t-", preview.Out);
        Assert.Contains("共 4 个单位，0 个灯与启用版本不同", preview.Out);
        // The quarterly ruleset still answers quarters beside the monitor.
        Assert.Equal(0, Cli("run", "--period", "2025Q3", "--level", "county").Code);
    }
}

/// <summary>The monthly timer's schedule as the standalone app reads it: the default, a configured one, a bad one named.</summary>
public sealed class MonthlyScheduleTests
{
    private static Microsoft.Extensions.Configuration.IConfiguration Settings(string? schedule) =>
        new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [MonthlySchedule.Setting] = schedule }).Build();

    [Theory]
    [InlineData("2025-07-01T00:00:00Z", "2025-07-09T18:00:00.0000000+00:00")]
    [InlineData("2025-07-09T18:00:00Z", "2025-08-09T18:00:00.0000000+00:00")]
    [InlineData("2025-12-10T00:00:00Z", "2026-01-09T18:00:00.0000000+00:00")]
    public void By_default_it_fires_at_1800_utc_on_the_9th(string after, string next) =>
        Assert.Equal(next, MonthlySchedule.Expression(Settings(null))
            .GetNextOccurrence(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.Utc)!.Value
            .ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Timer_MonthlySchedule_replaces_the_default_and_a_bad_one_is_named()
    {
        var configured = MonthlySchedule.Expression(Settings("0 30 1 3 * *"));
        Assert.Equal(new DateTimeOffset(2025, 8, 3, 1, 30, 0, TimeSpan.Zero),
            configured.GetNextOccurrence(new DateTimeOffset(2025, 7, 9, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc));

        var bad = Assert.Throws<ConfigurationException>(() => MonthlySchedule.Expression(Settings("every month")));
        Assert.StartsWith("Timer__MonthlySchedule: 'every month' 不是六段的 NCRONTAB 表达式", bad.Message);
    }

    [Theory]
    [InlineData("2025-07-09T18:00:00Z", "2025-06")]
    [InlineData("2025-07-09T15:59:59Z", "2025-06")]
    [InlineData("2025-07-31T16:00:00Z", "2025-07")]
    [InlineData("2026-01-09T18:00:00Z", "2025-12")]
    public void The_month_evaluated_is_the_one_before_the_firings_china_date(string at, string month) =>
        Assert.Equal(month, MonthlyEvaluation.MonthJustEnded(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)).ToString());
}
