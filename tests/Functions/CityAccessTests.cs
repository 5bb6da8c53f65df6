using System.Net;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Publications;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// A published city-level run (<c>level: city</c>, samples/rulesets/city-v3.yaml over samples/rulesets/city-v3/) is read
/// by the one access policy from the run's own units, in the API and the portal alike: a city reads its own scorecard and
/// its class's bulletin; a county whose parent is that city, another city, and a city of the other class do not.
/// </summary>
public sealed class CityAccessTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bqw-city-access-").FullName;
    private AssessAppFactory _app = null!;

    private static string Data(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BaiQianWan.Assess.sln"))) return Path.Combine(dir.FullName, "samples", "rulesets", "city-v3", file);
        throw new DirectoryNotFoundException("BaiQianWan.Assess.sln not found above " + AppContext.BaseDirectory);
    }

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
    public async Task A_city_reads_its_own_published_scorecard_and_a_county_of_that_city_does_not()
    {
        using var office = _app.Client(_app.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(File.ReadAllBytes(Data("units.csv"))))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025Q4/observations?file=observations.csv", Api.Csv(File.ReadAllBytes(Data("observations.csv"))))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/rulesets/city-v3-2025", Api.Yaml(SampleRulesets.CityV3))).JsonAsync(HttpStatusCode.Created);
        var queued = await (await office.PostAsync("/api/evaluations",
            Api.Json("""{"period":"2025Q4","level":"city","ruleset":"city-v3-2025","version":1}"""))).JsonAsync(HttpStatusCode.Accepted);
        var runId = queued.GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Api.WaitForRunAsync(office, runId)).GetProperty("status").GetString());
        await (await office.PostAsync($"/api/evaluations/{runId}/publish", null)).JsonAsync(HttpStatusCode.OK);

        using var city = _app.Client(_app.Token("unit", "9801"));          // 甲市, 珠三角
        using var county = _app.Client(_app.Token("unit", "980102"));      // 甲市东区, a county whose parent is 9801
        using var sameClass = _app.Client(_app.Token("unit", "9802"));     // 乙市, 珠三角
        using var otherClass = _app.Client(_app.Token("unit", "9803"));    // 丙市, 粤东西北

        const string own = "/api/periods/2025Q4/scorecards/9801.pdf";
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(own)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await city.GetAsync(own)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync(own)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sameClass.GetAsync(own)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherClass.GetAsync(own)).StatusCode);
        // The city does not read its county's scorecard either (that is a town run's rule for a county, not a city's).
        Assert.Equal(HttpStatusCode.Forbidden, (await city.GetAsync("/api/periods/2025Q4/scorecards/980102.pdf")).StatusCode);

        // The class bulletin of the city run: its class's cities, not the other class, not a county.
        var bulletin = "/api/periods/2025Q4/bulletins/city/" + Uri.EscapeDataString("珠三角") + ".pdf";
        Assert.Equal(HttpStatusCode.OK, (await city.GetAsync(bulletin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sameClass.GetAsync(bulletin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherClass.GetAsync(bulletin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync(bulletin)).StatusCode);

        // The portal decides by the same policy.
        foreach (var page in new[] { "/units/9801", "/units/9801/scorecards/2025Q4", "/units/9801/scorecards/2025Q4/pdf" })
        {
            Assert.Equal(HttpStatusCode.OK, (await city.GetAsync(page)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await county.GetAsync(page)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(page)).StatusCode);
        }
        var home = await (await city.GetAsync("/units/9801")).Content.ReadAsStringAsync();
        Assert.Contains("地级市", home);
        Assert.Contains("100.00", home);
    }

    [Fact]
    public void The_policy_lets_a_city_read_only_its_own_unit_of_a_city_run()
    {
        var units = new Dictionary<string, PublishedResults.Unit>(StringComparer.Ordinal)
        {
            ["9801"] = new("甲市", null, "珠三角"),
            ["9802"] = new("乙市", null, "珠三角"),
        };
        PortalUser Unit(string code) => new("u" + code, "u" + code, AccountRole.Unit, code);
        Assert.True(AccessPolicy.MayReadUnit(Unit("9801"), "9801", UnitLevel.City, units));
        Assert.False(AccessPolicy.MayReadUnit(Unit("9802"), "9801", UnitLevel.City, units));
        Assert.False(AccessPolicy.MayReadUnit(Unit("980102"), "9801", UnitLevel.City, units));
        Assert.True(AccessPolicy.MayReadBulletin(Unit("9802"), "珠三角", units));
        Assert.False(AccessPolicy.MayReadBulletin(Unit("980102"), "珠三角", units));
    }
}
