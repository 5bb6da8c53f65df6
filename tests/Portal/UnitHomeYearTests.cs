using System.Net;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Portal.Rendering;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 25: a unit's home with published quarters and a published year (cadence: year, period <c>2025</c>). The quarters
/// alone make the quarterly list and the trend; the year has its own 年度考评 row (total, rank in class, grade, rank in the
/// level, the annual scorecard) and the level-wide ranking's link (the bulletin keyed <c>level-county</c>).
/// </summary>
/// <remarks>
/// By hand (the mini province, tests/Store/Mini.cs): A1 scores 90.5 in Q2 (2nd of 2 in 甲) and 112 in Q3 (1st). The year's
/// ruleset (<see cref="YearRunServiceTests.YearYaml"/>) takes avg = the quarters' mean (90.5 + 112) / 2 = 101.25 as its
/// score, and gdp 10 of target 10 → 10 of weight 10: A1 111.25; no month is published, so no red light is counted. A2's
/// quarters average 101 (worked in YearApiAndPortalTests) and its gdp 5 of 10 gives 5: 106, so A1 is 1st of 2 in 甲. The level-scope grade gives
/// 优秀 to a quarter of the 4 ranked counties (one: the highest total, A1, whose level rank is 1 of 4).
/// </remarks>
public sealed class UnitHomeYearTests : IAsyncLifetime
{
    private const string YearRows = """
        unit,indicator,period,actual,target,baseline
        A1,gdp,2025,10,10,
        A2,gdp,2025,5,10,
        B1,gdp,2025,8,10,
        B2,gdp,2025,10,10,

        """;

    private static readonly PortalUser Stranger = new("z9", "某县", AccountRole.Unit, "Z9");

    private readonly TempSqlite _file = new();
    private IAssessStore _store = null!;
    private AssessmentService _service = null!;
    private PortalPages _pages = null!;
    private readonly PageRenderer _renderer = new();

    public async Task InitializeAsync()
    {
        var clock = new TestClock(MiniPortal.T0);
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, clock, new TestRenderer());
        _pages = new PortalPages(_service, null, clock);
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(YearRows), "2025.csv", "office");
        var yearYaml = YearRunServiceTests.YearYaml + "\ngrades:\n  by: rankShare\n  scope: level\n  levels:\n    - { name: 优秀, share: 0.25 }\n    - { name: 合格 }\n";
        await _service.ActivateRulesetAsync("mini", (await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author")).Version, "office");
        await _service.ActivateRulesetAsync("mini-year", (await _service.AddRulesetAsync(yearYaml, "mini-year.yaml", "author")).Version, "office");
        foreach (var (period, ruleset) in new[] { (Mini.Q2, "mini"), (Mini.Q3, "mini"), (Period.OfYear(2025), "mini-year") })
        {
            var run = await _service.RunAsync(period, UnitLevel.County, ruleset, null, "office");
            Assert.Equal(RunStatus.Succeeded, run.Status);
            await _service.PublishAsync(run.Id, "office");
        }
    }

    public async Task DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    [Fact]
    public async Task The_home_lists_and_plots_only_the_quarters_and_shows_the_year_in_its_own_row()
    {
        var home = await _pages.UnitHomeAsync(MiniPortal.A1, MiniPortal.Frame(MiniPortal.A1), "A1");

        // The quarters: the list newest first, the trend oldest first, the latest the newest quarter (not the year).
        Assert.Equal([Mini.Q3, Mini.Q2], home.Quarters.Select(q => q.Period));
        Assert.Equal([("2025Q2", 90.5m, 2), ("2025Q3", 112m, 1)], home.Trend.Select(p => (p.Label, p.Total, p.Rank)));
        Assert.Equal(Mini.Q3, home.Latest!.Period);
        Assert.Equal("/units/A1/bulletin/2025Q3", home.BulletinUrl);

        // The year: its own row with its figures and links.
        var year = Assert.Single(home.Years);
        Assert.Equal((Period.OfYear(2025), 111.25m, 1, 2, "优秀", 1, 4),
            (year.Result.Period, year.Result.Total, year.Result.Rank, year.Result.Peers, year.Result.Grade, year.LevelRank, year.LevelPeers));
        Assert.Equal(("/units/A1/scorecards/2025", "/units/A1/scorecards/2025/pdf"), (year.Result.ScorecardUrl, year.Result.PdfUrl));
        Assert.Equal("/api/periods/2025/bulletins/county/level-county.pdf", year.LevelRankingUrl);

        var html = WebUtility.HtmlDecode(await _renderer.RenderAsync<UnitHomePage>(home));
        // The trend's points are the two quarters, and the quarterly table has their two rows only.
        Assert.Equal(["2025Q2", "2025Q3"], Regex.Matches(html, "<g data-period=\"([^\"]+)\">").Select(m => m.Groups[1].Value));
        var quarters = Regex.Match(html, "<table class=\"cards\" data-testid=\"quarters\">.*?</table>", RegexOptions.Singleline).Value;
        Assert.Equal(2, Regex.Matches(quarters, "<tr>").Count - 1);
        Assert.DoesNotContain("2025年度", quarters);
        // The year's row with its figures and links.
        Assert.Contains("<h2>年度考评</h2>", html);
        var row = Regex.Match(html, "<tr data-period=\"2025\">.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains("<td data-label=\"年度\">2025年度", row);
        Assert.Contains("<td class=\"num\" data-label=\"总分\">111.25</td>", row);
        Assert.Contains("<td data-label=\"类内名次\">1/2</td>", row);
        Assert.Contains("<td data-label=\"等次\">优秀</td>", row);
        Assert.Contains("<td data-label=\"全级名次\">1/4</td>", row);
        Assert.Contains("href=\"/units/A1/scorecards/2025\"", row);
        Assert.Contains("href=\"/units/A1/scorecards/2025/pdf\"", row);
        Assert.Contains("href=\"/api/periods/2025/bulletins/county/level-county.pdf\" data-testid=\"level-ranking\"", row);
    }

    [Fact]
    public async Task Every_unit_of_the_year_run_and_the_office_get_the_level_ranking_link()
    {
        // Another unit of the run (its own year row, its own figures) and the office on A1's home.
        var a2 = Assert.Single((await _pages.UnitHomeAsync(MiniPortal.A2, MiniPortal.Frame(MiniPortal.A2), "A2")).Years);
        Assert.Equal((106m, 2, 2, "合格"), (a2.Result.Total, a2.Result.Rank, a2.Result.Peers, a2.Result.Grade));
        Assert.Equal("/api/periods/2025/bulletins/county/level-county.pdf", a2.LevelRankingUrl);
        var office = Assert.Single((await _pages.UnitHomeAsync(MiniPortal.Office, MiniPortal.Frame(MiniPortal.Office), "A1")).Years);
        Assert.Equal("/api/periods/2025/bulletins/county/level-county.pdf", office.LevelRankingUrl);
        // A unit outside the run reads no one's home.
        Assert.Equal(403, (await Assert.ThrowsAsync<PortalException>(() => _pages.UnitHomeAsync(Stranger, MiniPortal.Frame(Stranger), "A1"))).Status);
    }
}
