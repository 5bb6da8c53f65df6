using System.Net;
using System.Text;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// Who may read a published scorecard follows the hierarchy the run was computed with: a town moved to another
/// county by a later units import stays readable by the county it belonged to for that quarter, and not by its new one,
/// in the API and the portal alike.
/// </summary>
public sealed class PublishedAccessTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bqw-frozen-").FullName;
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
    public async Task A_town_moved_to_another_county_after_publication_stays_with_the_county_of_its_run()
    {
        using var office = _app.Client(_app.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025Q3/observations?file=o.csv", Api.Csv(TestProvince.ObservationsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/rulesets/town-2025", Api.Yaml(SampleRulesets.Town))).JsonAsync(HttpStatusCode.Created);
        var queued = await (await office.PostAsync("/api/evaluations",
            Api.Json("""{"period":"2025Q3","level":"town","ruleset":"town-2025","version":1}"""))).JsonAsync(HttpStatusCode.Accepted);
        var runId = queued.GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Api.WaitForRunAsync(office, runId)).GetProperty("status").GetString());
        await (await office.PostAsync($"/api/evaluations/{runId}/publish", null)).JsonAsync(HttpStatusCode.OK);

        var a = TestProvince.CountyA.Code;
        var b = TestProvince.CountyB.Code;
        var town = TestProvince.TownOf(TestProvince.CountyA).Code;
        var url = $"/api/periods/2025Q3/scorecards/{town}.pdf";
        using var countyA = _app.Client(_app.Token("unit", a));
        using var countyB = _app.Client(_app.Token("unit", b));
        Assert.Equal(HttpStatusCode.OK, (await countyA.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await countyB.GetAsync(url)).StatusCode);

        // The town moves to county B in the year's units.
        var moved = TestProvince.Units.Select(u => u.Code == town ? u with { Parent = b } : u).ToList();
        var w = new StringWriter { NewLine = "\n" };
        ProvinceFiles.WriteUnits(w, moved);
        await (await office.PutAsync("/api/units?year=2025&file=units-moved.csv", Api.Csv(Encoding.UTF8.GetBytes(w.ToString())))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, (await countyA.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await countyB.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(url)).StatusCode);

        // The portal decides from the same run (it read the year's units table, which now names county B).
        foreach (var page in new[] { $"/units/{town}/scorecards/2025Q3", $"/units/{town}/scorecards/2025Q3/pdf" })
        {
            Assert.Equal(HttpStatusCode.OK, (await countyA.GetAsync(page)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await countyB.GetAsync(page)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(page)).StatusCode);
        }
    }
}
