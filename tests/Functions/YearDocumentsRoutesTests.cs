using System.Net;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The year's documents (issue 25 item 4) through the same routes as a quarter's: a published <c>YYYY</c> run's scorecards
/// and class bulletins in the API and the portal, with the same access rules, and the level-wide ranking (全省排名) stored
/// as a bulletin keyed <c>level-county</c> that the office and every unit of the run download.
/// </summary>
public sealed class YearDocumentsRoutesTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bqw-yeardocs-").FullName;
    private AssessAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new AssessAppFactory("sqlite", Path.Combine(_directory, "a.db"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_published_year_is_served_like_a_quarter_with_its_level_ranking()
    {
        using var office = _app.Client(_app.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(Mini.Bytes(Mini.UnitsCsv)))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025/observations?file=2025.csv", Api.Csv(Mini.Bytes(
            "unit,indicator,period,actual,target,baseline\nA1,gdp,2025,10,10,\nA2,gdp,2025,5,10,\nB1,gdp,2025,8,10,\nB2,gdp,2025,10,10,\n")))).JsonAsync(HttpStatusCode.OK);
        var yaml = YearRunServiceTests.YearYaml + "\ngrades:\n  by: rankShare\n  scope: level\n  levels:\n    - { name: 优秀, share: 0.25 }\n    - { name: 合格 }\n";
        await (await office.PutAsync("/api/rulesets/mini-year", Api.Yaml(yaml))).JsonAsync(HttpStatusCode.Created);
        var queued = await (await office.PostAsync("/api/evaluations",
            Api.Json("""{"period":"2025","level":"county","ruleset":"mini-year","version":1}"""))).JsonAsync(HttpStatusCode.Accepted);
        var runId = queued.GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Api.WaitForRunAsync(office, runId)).GetProperty("status").GetString());
        await (await office.PostAsync($"/api/evaluations/{runId}/publish", null)).JsonAsync(HttpStatusCode.OK);

        using var a1 = _app.Client(_app.Token("unit", "A1"));
        // No publication read: totals are gdp alone, A1 10, A2 5, B1 8, B2 10; levelRanks A1 and B2 1 (tied), B1 3, A2 4.
        var scorecard = await a1.GetAsync("/api/periods/2025/scorecards/A1.pdf");
        Assert.Equal(HttpStatusCode.OK, scorecard.StatusCode);
        Assert.Contains("scorecard A1 甲一县 甲 total=10", await scorecard.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await a1.GetAsync("/api/periods/2025/scorecards/B1.pdf")).StatusCode);
        var bulletin = await a1.GetAsync("/api/periods/2025/bulletins/county/甲.pdf");
        Assert.Equal(HttpStatusCode.OK, bulletin.StatusCode);
        Assert.Contains("bulletin 甲 A1:1 A2:2", await bulletin.Content.ReadAsStringAsync());
        var level = await office.GetAsync("/api/periods/2025/bulletins/county/level-county.pdf");
        Assert.Equal(HttpStatusCode.OK, level.StatusCode);
        Assert.Contains("level level-county A1:1 A2:4 B2:1 B1:3", await level.Content.ReadAsStringAsync());
        // Every unit of the run reads the level-wide ranking (all classes together), as it reads its own class's bulletin;
        // another class's bulletin stays refused, and a unit the run did not score reads neither.
        var ranking = await a1.GetAsync("/api/periods/2025/bulletins/county/level-county.pdf");
        Assert.Equal(HttpStatusCode.OK, ranking.StatusCode);
        Assert.Contains("level level-county A1:1 A2:4 B2:1 B1:3", await ranking.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await a1.GetAsync("/api/periods/2025/bulletins/county/乙.pdf")).StatusCode);
        using var stranger = _app.Client(_app.Token("unit", "Z9"));
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync("/api/periods/2025/bulletins/county/level-county.pdf")).StatusCode);

        foreach (var page in new[] { "/units/A1/scorecards/2025", "/units/A1/scorecards/2025/pdf", "/units/A1/bulletin/2025", "/units/A1/bulletin/2025/pdf" })
            Assert.Equal(HttpStatusCode.OK, (await a1.GetAsync(page)).StatusCode);
        Assert.Contains("scorecard A1", await (await a1.GetAsync("/units/A1/scorecards/2025/pdf")).Content.ReadAsStringAsync());
    }
}
