using System.Net;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// One table of access cases, run through the API and through the portal, with the same expected status on both
/// (issue 20 item 2): a unit's scorecard and its class's bulletin are decided by the published run's own units. The
/// town of county A was county B's in 2024 (the 2024 units file) and is A's in 2025: B reads the town's 2024Q4 pages
/// and not its 2025Q3 ones, A the other way round, in both hosts.
/// </summary>
public sealed class AccessAgreementTests(ReparentedProvince fixture) : IClassFixture<ReparentedProvince>
{
    public enum Host { Api, Portal }

    public enum Who { Office, Author, CountyA, CountyB, Town, TownOfB }

    public enum Document { Scorecard, Bulletin }

    private static readonly Period Q4 = Period.OfQuarter(2024, 4);
    private static readonly Period Q3 = Period.OfQuarter(2025, 3);

    /// <summary>One case: who asks for which unit's document of which period, and whether they get it.</summary>
    public sealed record Case(Who Who, Document Document, string Unit, Period Period, bool Allowed)
    {
        public override string ToString() => $"{Who} {Document} {Unit} {Period}: {(Allowed ? "200" : "403")}";
    }

    private static string A => TestProvince.CountyA.Code;
    private static string B => TestProvince.CountyB.Code;
    private static string Town => TestProvince.TownOf(TestProvince.CountyA).Code;
    private static string TownOfB => TestProvince.TownOf(TestProvince.CountyB).Code;

    /// <summary>The shared table.</summary>
    public static IEnumerable<Case> Cases()
    {
        // The re-parented town: its parent in each quarter's published run decides, never a units table.
        yield return new(Who.Office, Document.Scorecard, Town, Q3, true);
        yield return new(Who.Town, Document.Scorecard, Town, Q3, true);
        yield return new(Who.CountyA, Document.Scorecard, Town, Q3, true);
        yield return new(Who.CountyB, Document.Scorecard, Town, Q3, false);
        yield return new(Who.TownOfB, Document.Scorecard, Town, Q3, false);
        yield return new(Who.Author, Document.Scorecard, Town, Q3, false);
        yield return new(Who.Office, Document.Scorecard, Town, Q4, true);
        yield return new(Who.Town, Document.Scorecard, Town, Q4, true);
        yield return new(Who.CountyB, Document.Scorecard, Town, Q4, true);
        yield return new(Who.CountyA, Document.Scorecard, Town, Q4, false);
        yield return new(Who.TownOfB, Document.Scorecard, Town, Q4, false);
        // Counties: their own, never another county's.
        yield return new(Who.CountyA, Document.Scorecard, A, Q3, true);
        yield return new(Who.CountyB, Document.Scorecard, A, Q3, false);
        yield return new(Who.Town, Document.Scorecard, A, Q3, false);
        yield return new(Who.CountyB, Document.Scorecard, B, Q3, true);
        yield return new(Who.CountyB, Document.Scorecard, TownOfB, Q3, true);
        yield return new(Who.CountyA, Document.Scorecard, TownOfB, Q3, false);
        // A unit that does not exist is refused like one that does.
        yield return new(Who.CountyA, Document.Scorecard, "999999", Q3, false);
        // The bulletin of the unit's class: the office and the units of that class in that run; a county not its towns'.
        yield return new(Who.Office, Document.Bulletin, Town, Q3, true);
        yield return new(Who.Town, Document.Bulletin, Town, Q3, true);
        yield return new(Who.Town, Document.Bulletin, Town, Q4, true);
        yield return new(Who.CountyA, Document.Bulletin, Town, Q3, false);
        yield return new(Who.CountyB, Document.Bulletin, Town, Q4, false);
        yield return new(Who.CountyA, Document.Bulletin, A, Q3, true);
        yield return new(Who.Author, Document.Bulletin, A, Q3, false);
    }

    public static TheoryData<Host, int> Matrix()
    {
        var data = new TheoryData<Host, int>();
        var count = Cases().Count();
        foreach (var host in Enum.GetValues<Host>())
            for (var i = 0; i < count; i++)
                data.Add(host, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_host_answers_each_case_of_the_one_table_alike(Host host, int index)
    {
        var c = Cases().ElementAt(index);
        using var client = fixture.App.Client(Token(c.Who));
        var response = await client.GetAsync(Url(host, c));
        var expected = c.Allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{host}: {c}: got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 200)]}");
        if (c.Allowed) Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The same request in each host: the API by period and class, the portal under the unit's pages (the PDF).</summary>
    private string Url(Host host, Case c) => (host, c.Document) switch
    {
        (Host.Api, Document.Scorecard) => $"/api/periods/{c.Period}/scorecards/{c.Unit}.pdf",
        (Host.Api, Document.Bulletin) => $"/api/periods/{c.Period}/bulletins/{fixture.LevelOf(c.Unit).ToText()}/{Uri.EscapeDataString(fixture.ClassOf(c.Unit, c.Period))}.pdf",
        (Host.Portal, Document.Scorecard) => $"/units/{c.Unit}/scorecards/{c.Period}/pdf",
        _ => $"/units/{c.Unit}/bulletin/{c.Period}/pdf",
    };

    private string Token(Who who) => who switch
    {
        Who.Office => fixture.App.Token("office"),
        Who.Author => fixture.App.Token("author"),
        Who.CountyA => fixture.App.Token("unit", A),
        Who.CountyB => fixture.App.Token("unit", B),
        Who.Town => fixture.App.Token("unit", Town),
        _ => fixture.App.Token("unit", TownOfB),
    };

    [Fact]
    public async Task The_portal_pages_of_the_re_parented_town_follow_the_same_runs()
    {
        // The HTML pages too: the old parent does not see the later quarter's page, the new parent does, and the town's
        // home page shows each county only the quarters it was the parent in.
        using var countyA = fixture.App.Client(Token(Who.CountyA));
        using var countyB = fixture.App.Client(Token(Who.CountyB));
        Assert.Equal(HttpStatusCode.OK, (await countyA.GetAsync($"/units/{Town}/scorecards/{Q3}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await countyB.GetAsync($"/units/{Town}/scorecards/{Q3}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await countyB.GetAsync($"/units/{Town}/scorecards/{Q4}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await countyA.GetAsync($"/units/{Town}/scorecards/{Q4}")).StatusCode);
        var homeOfB = await countyB.GetAsync($"/units/{Town}");
        Assert.Equal(HttpStatusCode.OK, homeOfB.StatusCode);
        var html = await homeOfB.Content.ReadAsStringAsync();
        Assert.Contains($"/units/{Town}/scorecards/{Q4}", html);
        Assert.DoesNotContain($"/units/{Town}/scorecards/{Q3}", html);
        var homeOfA = await (await countyA.GetAsync($"/units/{Town}")).Content.ReadAsStringAsync();
        Assert.Contains($"/units/{Town}/scorecards/{Q3}", homeOfA);
        Assert.DoesNotContain($"/units/{Town}/scorecards/{Q4}", homeOfA);
    }
}

/// <summary>
/// The test province with 2024 units in which county A's first town belongs to county B, 2025 units as generated (the
/// town under A), the same figures for 2024Q4 and 2025Q3, the town runs of both quarters and the 2025Q3 county run
/// evaluated, rendered and published.
/// </summary>
public sealed class ReparentedProvince : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bqw-reparented-").FullName;
    private readonly Dictionary<(string, Period), string> _classes = [];

    public AssessAppFactory App { get; private set; } = null!;

    public UnitLevel LevelOf(string code) => TestProvince.Units.Single(u => u.Code == code).Level;

    /// <summary>The class a unit was ranked in by a quarter's published run.</summary>
    public string ClassOf(string code, Period period) => _classes[(code, period)];

    public async Task InitializeAsync()
    {
        App = new AssessAppFactory("sqlite", Path.Combine(_directory, "a.db"));
        using var office = App.Client(App.Token("office"));
        var town = TestProvince.TownOf(TestProvince.CountyA).Code;
        var b = TestProvince.CountyB.Code;
        var units2024 = TestProvince.Units.Select(u => u.Code == town ? u with { Parent = b } : u).ToList();
        await (await office.PutAsync("/api/units?year=2024&file=units-2024.csv", Api.Csv(Csv(w => ProvinceFiles.WriteUnits(w, units2024))))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/units?year=2025&file=units-2025.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        var q4 = Period.OfQuarter(2024, 4);
        var observations2024 = TestProvince.Observations.Select(o => o with { Period = q4 }).ToList();
        await (await office.PutAsync("/api/periods/2024Q4/observations?file=o-2024.csv", Api.Csv(Csv(w => ProvinceFiles.WriteObservations(w, observations2024))))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025Q3/observations?file=o-2025.csv", Api.Csv(TestProvince.ObservationsCsv()))).JsonAsync(HttpStatusCode.OK);
        foreach (var (id, yaml) in new[] { ("county-2025", SampleRulesets.County), ("town-2025", SampleRulesets.Town) })
            await (await office.PutAsync($"/api/rulesets/{id}", Api.Yaml(yaml))).JsonAsync(HttpStatusCode.Created);
        foreach (var (period, level, ruleset) in new[] { ("2024Q4", "town", "town-2025"), ("2025Q3", "town", "town-2025"), ("2025Q3", "county", "county-2025") })
        {
            var queued = await (await office.PostAsync("/api/evaluations",
                Api.Json($$"""{"period":"{{period}}","level":"{{level}}","ruleset":"{{ruleset}}","version":1}"""))).JsonAsync(HttpStatusCode.Accepted);
            var id = queued.GetProperty("id").GetString()!;
            Assert.Equal("succeeded", (await Api.WaitForRunAsync(office, id)).GetProperty("status").GetString());
            await (await office.PostAsync($"/api/evaluations/{id}/publish", null)).JsonAsync(HttpStatusCode.OK);
            var rankings = await (await office.GetAsync($"/api/periods/{period}/rankings?level={level}")).JsonAsync(HttpStatusCode.OK);
            Collect(rankings, Period.Parse(period));
        }
    }

    /// <summary>Every unit's class from a rankings answer (whatever nesting it has: objects with <c>code</c> and <c>class</c>).</summary>
    private void Collect(System.Text.Json.JsonElement element, Period period)
    {
        switch (element.ValueKind)
        {
            case System.Text.Json.JsonValueKind.Object:
                if (element.TryGetProperty("code", out var code) && element.TryGetProperty("class", out var @class)
                    && code.ValueKind == System.Text.Json.JsonValueKind.String && @class.ValueKind == System.Text.Json.JsonValueKind.String)
                    _classes[(code.GetString()!, period)] = @class.GetString()!;
                foreach (var p in element.EnumerateObject()) Collect(p.Value, period);
                break;
            case System.Text.Json.JsonValueKind.Array:
                foreach (var e in element.EnumerateArray()) Collect(e, period);
                break;
        }
    }

    private static byte[] Csv(Action<TextWriter> write)
    {
        var w = new StringWriter { NewLine = "\n" };
        write(w);
        return Encoding.UTF8.GetBytes(w.ToString());
    }

    public async Task DisposeAsync()
    {
        if (App is not null) await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
