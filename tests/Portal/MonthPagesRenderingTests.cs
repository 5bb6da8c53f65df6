using System.Text.RegularExpressions;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Portal.Rendering;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 23 item 6, as HTML: the office's month review (light counts per class, the light matrix with its class and
/// light filters, the red list with streaks and escalations, links to the run's PDFs) and a unit's month panel on its
/// home (this month's lights, a progress chart per indicator, its PDF, the bulletin once published), over the generated
/// province's September for counties, whose counts the samples' tests fix (85 red, 21 yellow, 613 green, 1 missing).
/// </summary>
public sealed partial class MonthPagesRenderingTests : IAsyncLifetime
{
    internal static readonly Lazy<MonthResult> September = new(() =>
    {
        var units = ProvinceGenerator.Generate(new ProvinceOptions()).Units;
        var loaded = MonitorLoader.Load(SampleRulesets.CountyMonthly);
        var monitor = CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256);
        return MonitorEvaluator.Evaluate(monitor, new Dataset(units, ProvinceGenerator.GenerateMonths(new ProvinceOptions())), Period.OfMonth(2025, 9), 1);
    });

    private readonly PageRenderer _renderer = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _renderer.DisposeAsync();

    private static PageFrame Frame(string title) => new(title, null, "AF-TOKEN", "runs", null, null);

    private Task<string> Review(string? @class, string? light) => _renderer.RenderAsync<MonthReviewPage>(new MonthReviewModel(
        Frame("月度监测审阅"), "run-000042", September.Value.Monitor.Name, September.Value.Period, "县", false,
        MonthMatrix.Of(September.Value, @class, light), "/office/runs/run-000042", "/office/runs/run-000042/bulletins/county/pdf",
        code => $"/office/runs/run-000042/units/{code}/pdf"));

    [GeneratedRegex("<tr data-unit=\"([^\"]+)\">")]
    private static partial Regex UnitRow();

    private static List<string> Rows(string html, string table)
    {
        var at = html.IndexOf($"data-testid=\"{table}\"", StringComparison.Ordinal);
        var end = html.IndexOf("</table>", at, StringComparison.Ordinal);
        return [.. UnitRow().Matches(html[at..end]).Select(m => m.Groups[1].Value)];
    }

    private static string CountsRow(string html, string @class)
    {
        var at = html.IndexOf($"<tr data-class=\"{@class}\">", StringComparison.Ordinal);
        var row = html[at..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
        return string.Join(" ", Regex.Matches(row, "<td class=\"num\"[^>]*>(\\d+)</td>").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task The_review_counts_every_light_of_the_level_and_of_each_class_and_lists_every_unit()
    {
        var html = await Review(null, null);

        Assert.Equal("120 85 21 613 1", CountsRow(html, ""));
        var perClass = September.Value.Monitor.Classes.Select(c => CountsRow(html, c).Split(' ').Select(int.Parse).ToArray()).ToList();
        Assert.Equal([120, 85, 21, 613, 1], Enumerable.Range(0, 5).Select(i => perClass.Sum(c => c[i])));
        Assert.Equal(120, Rows(html, "month-matrix").Count);
        Assert.Contains("显示 120 / 120 个单位", html);
        Assert.Contains("href=\"/office/runs/run-000042/bulletins/county/pdf\"", html);
        Assert.Contains("href=\"/office/runs/run-000042/units/980802/pdf\"", html);
        // A light is its shape and name, never the colour alone.
        Assert.Contains("<span class=\"light light-worst\">■红灯</span>", html);
        Assert.Contains("<span class=\"light light-best\">●绿灯</span>", html);
        Assert.Contains("<span class=\"light light-none\">缺数</span>", html);
        Assert.DoesNotMatch("style=\"", html);
        Assert.DoesNotMatch("<script>", html);
    }

    [Fact]
    public async Task The_red_list_puts_the_longest_streaks_first_and_says_which_lights_an_escalation_lit()
    {
        var html = await Review(null, null);

        var red = Rows(html, "red-list");
        Assert.Equal(85, red.Count);
        Assert.Contains("亮红灯的单位和指标（85 项，持续时间长的在前）", html);
        var streaks = Regex.Matches(html[html.IndexOf("data-testid=\"red-list\"", StringComparison.Ordinal)..], "连续 (\\d+) 个月</td>")
            .Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(85, streaks.Count);
        Assert.Equal(streaks.OrderByDescending(s => s), streaks);
        Assert.Equal(9, streaks[0]);
        var matrix = MonthMatrix.Of(September.Value);
        Assert.Equal(58, matrix.RedList.Count(l => l.Why == "连续 2 个月黄灯及以上，升为红灯"));
        Assert.Equal(27, matrix.RedList.Count(l => l.Why == "本月数据"));
        var escalated = matrix.RedList.Single(l => l.Code == "980102" && l.Indicator == "固定资产投资");
        Assert.Equal((2, "连续 2 个月黄灯及以上，升为红灯"), (escalated.Streak, escalated.Why));
    }

    [Fact]
    public async Task The_filters_keep_a_class_or_the_units_with_a_light_and_mark_the_matching_cells()
    {
        var lead = await Review("创先", null);
        var leadCodes = September.Value.Units.Where(u => u.Class == "创先").Select(u => u.Code).ToList();
        Assert.Equal(leadCodes, Rows(lead, "month-matrix"));
        Assert.Contains("<option value=\"创先\" selected>创先</option>", lead);
        Assert.DoesNotContain("<tr data-class=\"进位\">", lead);
        Assert.All(Rows(lead, "red-list"), code => Assert.Contains(code, leadCodes));

        var missing = await Review(null, "missing");
        Assert.Equal(["981623"], Rows(missing, "month-matrix"));
        Assert.Contains("显示 1 / 120 个单位", missing);
        Assert.Single(Regex.Matches(missing, "class=\"hit\""));
        Assert.Contains("data-indicator=\"fai\" data-light=\"missing\" class=\"hit\"", missing);

        var yellow = MonthMatrix.Of(September.Value, null, "yellow");
        Assert.Equal(September.Value.Units.Count(u => u.Indicators.Any(i => i.Light == "yellow")), yellow.Rows.Length);
        Assert.Equal(21, yellow.Rows.Sum(r => r.Cells.Count(c => c.Matches)));

        // An unknown class or light is no filter.
        Assert.Equal(120, MonthMatrix.Of(September.Value, "不存在", "purple").Rows.Length);
    }

    [Fact]
    public async Task A_unit_s_home_shows_this_month_s_lights_a_chart_per_indicator_its_pdf_and_the_published_bulletin()
    {
        var month = UnitMonthModel.Of(September.Value, "980802", "/units/980802/months/2025-09/pdf", "/units/980802/month-bulletin/2025-09/pdf")!;
        var model = new UnitHomeModel(Frame("蓬岭区"), "980802", "蓬岭区", "县", null, [], [], null, null) { Month = month };

        var html = await _renderer.RenderAsync<UnitHomePage>(model);

        Assert.Contains("月度监测：2025年1–9月", html);
        Assert.Contains("红灯 6，黄灯 0，绿灯 0，缺数 0", html);
        Assert.Contains("<tr data-indicator=\"fai\" data-light=\"red\">", html);
        Assert.Contains("1–9月累计 383.24 亿元，完成全年目标 673.83 亿元的 56.87%，序时进度 75.00%，落后序时 18.13 个百分点；红灯（连续 7 个月）", html);
        Assert.Contains("href=\"/units/980802/months/2025-09/pdf\"", html);
        Assert.Contains("href=\"/units/980802/month-bulletin/2025-09/pdf\"", html);
        Assert.Equal(6, Regex.Matches(html, "data-testid=\"month-chart\"").Count);
        Assert.Equal(6, Regex.Matches(html, "data-series=\"pace\"").Count);
        // Nine months a chart; the investment chart's marks follow its lights month by month.
        var fai = html[html.IndexOf("data-testid=\"month-chart\" data-indicator=\"fai\"", html.IndexOf("month-chart", StringComparison.Ordinal), StringComparison.Ordinal)..];
        fai = fai[..fai.IndexOf("</figure>", StringComparison.Ordinal)];
        var history = September.Value.Units.Single(u => u.Code == "980802").Indicators.Single(i => i.Id == "fai").History;
        Assert.Equal(history.Select(h => h.Light ?? "missing"), Regex.Matches(fai, "<g data-month=\"\\d+\" data-light=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
        Assert.Contains("9月 56.87%，序时 75%，红灯", fai);

        // Before the bulletin is published, no link to it.
        var unpublished = await _renderer.RenderAsync<UnitHomePage>(model with { Month = month with { BulletinPdfUrl = null } });
        Assert.DoesNotContain("data-testid=\"month-bulletin\"", unpublished);
        // No month: the home page is as before.
        Assert.DoesNotContain("unit-month", await _renderer.RenderAsync<UnitHomePage>(model with { Month = null }));
        Assert.Null(UnitMonthModel.Of(September.Value, "nope", null, null));
    }
}
