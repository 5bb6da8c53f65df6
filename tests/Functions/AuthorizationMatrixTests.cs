using System.Net;
using System.Security.Cryptography;
using System.Security.Claims;
using System.Text.Json;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Samples;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// Every HTTP function × every kind of caller, with the exact status each gets: 401 without a valid token (or with
/// more than one role or unit claim, or an Easy Auth header the app on its own must not trust), 403 for a valid token
/// without the right, and for units only their own scorecards (a county also its towns') and their own class's
/// bulletin. Run twice with the same
/// expectations: through the standalone pipeline (Kestrel's routing, real HTTP) and through the worker middleware
/// as the Functions host drives it. Requests are chosen so an allowed caller succeeds and repeating them changes
/// nothing (same files, same texts, an idempotency key).
/// </summary>
public sealed class AuthorizationMatrixTests(SqlitePublishedProvince fixture) : IClassFixture<SqlitePublishedProvince>
{
    public enum Caller { Anonymous, WrongKey, Expired, WrongAudience, TwoRoles, TwoUnits, ForgedEasyAuth, Office, Author, CountyA, TownOfA, CountyB, UnitWithoutCode }

    public enum Pipeline { Standalone, Worker }

    private static readonly Caller[] Everyone = Enum.GetValues<Caller>();

    private static readonly Caller[] Unauthenticated =
        [Caller.Anonymous, Caller.WrongKey, Caller.Expired, Caller.WrongAudience, Caller.TwoRoles, Caller.TwoUnits, Caller.ForgedEasyAuth];

    /// <summary>Who may call an endpoint, and what success looks like.</summary>
    private sealed record Endpoint(string Name, HttpMethod Method, string Url, Func<HttpContent?> Body, HttpStatusCode Success, Caller[] Allowed);

    private static readonly Caller[] OfficeOnly = [Caller.Office];
    private static readonly Caller[] RulesetPeople = [Caller.Office, Caller.Author];

    private static string A => TestProvince.CountyA.Code;
    private static string B => TestProvince.CountyB.Code;
    private static string TownA => TestProvince.TownOf(TestProvince.CountyA).Code;
    private static string TownB => TestProvince.TownOf(TestProvince.CountyB).Code;
    private static string ClassOfA => TestProvince.CountyA.Class;

    private static IEnumerable<Endpoint> Endpoints(SqlitePublishedProvince f) =>
    [
        new("OpenApi", HttpMethod.Get, "/api/openapi.json", () => null, HttpStatusCode.OK, Everyone),
        new("EvaluationsCreate", HttpMethod.Post, "/api/evaluations",
            () => Api.Json("""{"period":"2025Q3","level":"county","ruleset":"county-2025","version":1}"""), HttpStatusCode.Accepted, OfficeOnly),
        new("EvaluationsGet", HttpMethod.Get, $"/api/evaluations/{f.CountyRunId}", () => null, HttpStatusCode.OK, OfficeOnly),
        new("EvaluationsResultsXlsx", HttpMethod.Get, $"/api/evaluations/{f.CountyRunId}/results.xlsx", () => null, HttpStatusCode.OK, OfficeOnly),
        new("EvaluationsPublish", HttpMethod.Post, $"/api/evaluations/{f.CountyRunId}/publish", () => null, HttpStatusCode.OK, OfficeOnly),
        new("Rankings", HttpMethod.Get, "/api/periods/2025Q3/rankings?level=county", () => null, HttpStatusCode.OK, OfficeOnly),
        new("RankingsClass", HttpMethod.Get, "/api/periods/2025Q3/rankings?level=town", () => null, HttpStatusCode.OK, OfficeOnly),
        new("ScorecardsZip", HttpMethod.Get, "/api/periods/2025Q3/scorecards.zip?level=county", () => null, HttpStatusCode.OK, OfficeOnly),
        // A class's bulletin: the office, and the units ranked in that class by the published run (a county not its towns').
        new("BulletinClassOfA", HttpMethod.Get, $"/api/periods/2025Q3/bulletins/county/{Uri.EscapeDataString(ClassOfA)}.pdf", () => null, HttpStatusCode.OK,
            TestProvince.CountyB.Class == ClassOfA ? [Caller.Office, Caller.CountyA, Caller.CountyB] : [Caller.Office, Caller.CountyA]),
        new("BulletinClassOfB", HttpMethod.Get, $"/api/periods/2025Q3/bulletins/county/{Uri.EscapeDataString(TestProvince.CountyB.Class)}.pdf", () => null, HttpStatusCode.OK,
            TestProvince.CountyB.Class == ClassOfA ? [Caller.Office, Caller.CountyA, Caller.CountyB] : [Caller.Office, Caller.CountyB]),
        new("BulletinClassOfTownA", HttpMethod.Get, $"/api/periods/2025Q3/bulletins/town/{Uri.EscapeDataString(TestProvince.TownOf(TestProvince.CountyA).Class)}.pdf",
            () => null, HttpStatusCode.OK, [Caller.Office, Caller.TownOfA]),
        new("Template", HttpMethod.Get, "/api/periods/2025Q4/template.xlsx?level=county&ruleset=county-2025", () => null, HttpStatusCode.OK, OfficeOnly),
        new("ObservationsImport", HttpMethod.Put, "/api/periods/2025Q3/observations?file=observations.csv", () => Api.Csv(TestProvince.ObservationsCsv()), HttpStatusCode.OK, OfficeOnly),
        new("UnitsImport", HttpMethod.Put, "/api/units?year=2025&file=units.csv", () => Api.Csv(TestProvince.UnitsCsv()), HttpStatusCode.OK, OfficeOnly),
        new("RulesetsValidate", HttpMethod.Post, "/api/rulesets/validate", () => Api.Yaml(SampleRulesets.County), HttpStatusCode.OK, RulesetPeople),
        new("RulesetsList", HttpMethod.Get, "/api/rulesets", () => null, HttpStatusCode.OK, RulesetPeople),
        new("RulesetsPut", HttpMethod.Put, "/api/rulesets/county-2025", () => Api.Yaml(SampleRulesets.County), HttpStatusCode.OK, RulesetPeople),
        new("RulesetsGetVersion", HttpMethod.Get, "/api/rulesets/county-2025/versions/1", () => null, HttpStatusCode.OK, RulesetPeople),
        // Issue 19 item 5: the office activates and deactivates; authors write, validate and preview.
        new("RulesetsActivate", HttpMethod.Post, "/api/rulesets/county-2025/versions/1/activate", () => null, HttpStatusCode.OK, OfficeOnly),
        // town-2025 is active in the fixture and no other request needs it: deactivating it again answers the same.
        new("RulesetsDeactivate", HttpMethod.Post, "/api/rulesets/town-2025/deactivate", () => null, HttpStatusCode.OK, OfficeOnly),
        new("RulesetsPreview", HttpMethod.Post, "/api/rulesets/county-2025/versions/1/preview?period=2025Q3", () => null, HttpStatusCode.OK, RulesetPeople),
        new("UnitResultsCountyA", HttpMethod.Get, $"/api/periods/2025Q3/results/{A}.xlsx", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyA]),
        new("UnitResultsTownOfA", HttpMethod.Get, $"/api/periods/2025Q3/results/{TownA}.xlsx", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyA, Caller.TownOfA]),
        new("UnitResultsCountyB", HttpMethod.Get, $"/api/periods/2025Q3/results/{B}.xlsx", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyB]),
        new("ScorecardCountyA", HttpMethod.Get, $"/api/periods/2025Q3/scorecards/{A}.pdf", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyA]),
        new("ScorecardTownOfA", HttpMethod.Get, $"/api/periods/2025Q3/scorecards/{TownA}.pdf", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyA, Caller.TownOfA]),
        new("ScorecardCountyB", HttpMethod.Get, $"/api/periods/2025Q3/scorecards/{B}.pdf", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyB]),
        new("ScorecardTownOfB", HttpMethod.Get, $"/api/periods/2025Q3/scorecards/{TownB}.pdf", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyB]),
        // The ledger lets in the office and units with a code (each unit its own tasks: here none); its derived figures are the office's.
        new("LedgerList", HttpMethod.Get, "/api/ledger/2025/tasks", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyA, Caller.TownOfA, Caller.CountyB]),
        new("LedgerObservations", HttpMethod.Get, "/api/ledger/observations/2025Q3", () => null, HttpStatusCode.OK, OfficeOnly),
    ];

    private static readonly string[] Names =
    [
        "OpenApi", "EvaluationsCreate", "EvaluationsGet", "EvaluationsResultsXlsx", "EvaluationsPublish", "Rankings", "RankingsClass", "ScorecardsZip", "BulletinClassOfA", "BulletinClassOfB", "BulletinClassOfTownA",
        "Template", "ObservationsImport", "UnitsImport", "RulesetsValidate", "RulesetsList", "RulesetsPut", "RulesetsGetVersion",
        "RulesetsActivate", "RulesetsDeactivate", "RulesetsPreview", "ScorecardCountyA", "ScorecardTownOfA", "ScorecardCountyB", "ScorecardTownOfB",
        "UnitResultsCountyA", "UnitResultsTownOfA", "UnitResultsCountyB", "LedgerList", "LedgerObservations",
    ];

    public static TheoryData<Pipeline, string, Caller> Matrix()
    {
        var data = new TheoryData<Pipeline, string, Caller>();
        foreach (var pipeline in Enum.GetValues<Pipeline>())
            foreach (var name in Names)
                foreach (var caller in Everyone)
                    data.Add(pipeline, name, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_exactly_the_status_its_rights_give(Pipeline pipeline, string endpointName, Caller caller)
    {
        var endpoint = Endpoints(fixture).Single(e => e.Name == endpointName);
        var expected = endpoint.Allowed.Contains(caller) ? endpoint.Success
            : Unauthenticated.Contains(caller) ? HttpStatusCode.Unauthorized
            : HttpStatusCode.Forbidden;
        var request = new HttpRequestMessage(endpoint.Method, endpoint.Url) { Content = endpoint.Body() };
        if (endpointName == "EvaluationsCreate") request.Headers.Add("Idempotency-Key", "matrix");
        if (Token(caller) is { } token) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (caller == Caller.ForgedEasyAuth) request.Headers.Add("X-MS-CLIENT-PRINCIPAL", EasyAuthPrincipal("office"));
        HttpStatusCode status;
        string body;
        string? mediaType;
        if (pipeline == Pipeline.Standalone)
        {
            using var client = fixture.App.Client(null);
            var response = await client.SendAsync(request);
            (status, body, mediaType) = (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            var answer = await WorkerInvocation.SendAsync(fixture.App.Services, request);
            (status, body, mediaType) = (answer.Status, answer.Text, answer.ContentType?.Split(';')[0]);
        }
        Assert.True(expected == status, $"{pipeline}: {endpointName} as {caller}: {(int)status}, expected {(int)expected}: {body[..Math.Min(body.Length, 300)]}");
        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            Assert.Equal("application/problem+json", mediaType);
            Assert.Equal((int)expected, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public void Matrix_covers_every_api_function_of_the_app()
    {
        // Every HTTP function under api/ (the portal's pages are covered by the portal's own tests).
        var covered = Names.Select(n => n.StartsWith("Scorecard", StringComparison.Ordinal) && n != "ScorecardsZip" ? "Scorecard"
            : n.StartsWith("Bulletin", StringComparison.Ordinal) ? "Bulletin"
            : n == "RankingsClass" ? "Rankings"
            : n.StartsWith("UnitResults", StringComparison.Ordinal) ? "UnitResultsXlsx" : n).ToHashSet();
        // The ledger's other functions act on tasks in given states: their matrix is LedgerApiMatrixTests (each change × caller);
        // the review flow's act on publications and requests in given states: ReviewApiMatrixTests (each route × caller).
        var api = HttpFunctionCatalog.All.Where(f => f.Route.StartsWith("api/", StringComparison.Ordinal)).Select(f => f.Name)
            .Where(n => !BaiQianWan.Assess.Tests.Ledger.LedgerApiMatrixTests.Functions.Contains(n))
            .Where(n => !BaiQianWan.Assess.Tests.Reviews.ReviewApiMatrixTests.Functions.Contains(n));
        Assert.Equal(api.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(Pipeline.Standalone)]
    [InlineData(Pipeline.Worker)]
    public async Task A_token_with_two_roles_or_two_units_is_refused_not_read_as_its_first_value(Pipeline pipeline)
    {
        // Table row 8 of the hostile-input review: role ["unit","office"] was treated as office, and the first of two unit claims won.
        foreach (var caller in new[] { Caller.TwoRoles, Caller.TwoUnits })
        {
            var url = caller == Caller.TwoRoles ? "/api/periods/2025Q3/rankings?level=county" : $"/api/periods/2025Q3/scorecards/{A}.pdf";
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token(caller));
            var (status, body) = pipeline == Pipeline.Standalone ? await SendStandaloneAsync(request) : await SendWorkerAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(caller == Caller.TwoRoles ? "令牌含有多个角色" : "令牌含有多个单位", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
        }
    }

    private async Task<(HttpStatusCode, string)> SendStandaloneAsync(HttpRequestMessage request)
    {
        using var client = fixture.App.Client(null);
        var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(HttpStatusCode, string)> SendWorkerAsync(HttpRequestMessage request)
    {
        var answer = await WorkerInvocation.SendAsync(fixture.App.Services, request);
        return (answer.Status, answer.Text);
    }

    /// <summary>What Easy Auth would forward for a signed-in user with one app role.</summary>
    internal static string EasyAuthPrincipal(string role) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
        $$"""{"auth_typ":"aad","claims":[{"typ":"name","val":"someone@example.org"},{"typ":"roles","val":"{{role}}"}],"name_typ":"name","role_typ":"roles"}"""));

    /// <summary>A token signed with the app's key carrying these claims (arrays become repeated claims).</summary>
    private string Signed(Dictionary<string, object> claims) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = BaiQianWan.Assess.Cli.Commands.TokenCommand.DefaultIssuer,
        Audience = BaiQianWan.Assess.Cli.Commands.TokenCommand.DefaultAudience,
        Claims = claims,
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(fixture.App.Key), SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public async Task Another_units_scorecard_is_refused_exactly_as_a_unit_that_does_not_exist()
    {
        using var client = fixture.App.Client(Token(Caller.CountyA));
        async Task<string> Refusal(string code)
        {
            var response = await client.GetAsync($"/api/periods/2025Q3/scorecards/{code}.pdf");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return $"{problem.GetProperty("title").GetString()}|{problem.GetProperty("detail").GetString()}|{problem.GetProperty("status").GetInt32()}";
        }
        var existing = await Refusal(B);
        Assert.Equal(existing, await Refusal("999999"));
        Assert.Equal(existing, await Refusal(TownB));
        // Not published yet is not a reason to say more either.
        using var unpublished = fixture.App.Client(Token(Caller.CountyA));
        Assert.Equal(HttpStatusCode.Forbidden, (await unpublished.GetAsync($"/api/periods/2025Q2/scorecards/{B}.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unpublished.GetAsync($"/api/periods/2025Q2/scorecards/{A}.pdf")).StatusCode);
    }

    [Fact]
    public async Task A_unit_reads_its_own_class_bulletin_and_no_other_class_or_level()
    {
        var service = fixture.App.Services.GetRequiredService<BaiQianWan.Assess.Workflow.AssessmentService>();
        var county = TestProvince.CountyA;
        var town = TestProvince.TownOf(county);
        using var countyClient = fixture.App.Client(Token(Caller.CountyA));
        using var townClient = fixture.App.Client(Token(Caller.TownOfA));

        // Its own class: the stored document's bytes.
        var own = await countyClient.GetAsync($"/api/periods/2025Q3/bulletins/county/{Uri.EscapeDataString(county.Class)}.pdf");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("application/pdf", own.Content.Headers.ContentType!.MediaType);
        var stored = await service.GetDocumentAsync(fixture.CountyRunId, BaiQianWan.Assess.Store.DocumentKind.Bulletin, county.Class);
        Assert.Equal(stored!.Content, await own.Content.ReadAsByteArrayAsync());
        Assert.StartsWith($"run={fixture.CountyRunId} ", TestRenderer.Read(stored));
        Assert.Contains($"\nbulletin {county.Class} ", TestRenderer.Read(stored));
        Assert.Equal(TestProvince.Counties.Count(c => c.Class == county.Class), TestRenderer.BulletinUnits(stored.Content).Count);
        var townOwn = await townClient.GetAsync($"/api/periods/2025Q3/bulletins/town/{Uri.EscapeDataString(town.Class)}.pdf");
        Assert.Equal(HttpStatusCode.OK, townOwn.StatusCode);
        Assert.Equal((await service.GetDocumentAsync(fixture.TownRunId, BaiQianWan.Assess.Store.DocumentKind.Bulletin, town.Class))!.Content,
            await townOwn.Content.ReadAsByteArrayAsync());

        async Task<string> Refusal(HttpClient client, string url)
        {
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{url}: {(int)response.StatusCode}");
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return $"{problem.GetProperty("title").GetString()}|{problem.GetProperty("detail").GetString()}|{problem.GetProperty("status").GetInt32()}";
        }
        // Another county class that has a bulletin, a class that does not exist, another level, an unpublished period:
        // the same refusal, so nothing is learned of what exists.
        var other = TestProvince.Counties.Select(c => c.Class).First(c => c != county.Class);
        Assert.NotNull(await service.GetDocumentAsync(fixture.CountyRunId, BaiQianWan.Assess.Store.DocumentKind.Bulletin, other));
        var refused = await Refusal(countyClient, $"/api/periods/2025Q3/bulletins/county/{Uri.EscapeDataString(other)}.pdf");
        Assert.Equal(refused, await Refusal(countyClient, $"/api/periods/2025Q3/bulletins/county/{Uri.EscapeDataString("没有这类")}.pdf"));
        Assert.Equal(refused, await Refusal(countyClient, $"/api/periods/2025Q3/bulletins/town/{Uri.EscapeDataString(town.Class)}.pdf"));
        Assert.Equal(refused, await Refusal(countyClient, $"/api/periods/2025Q2/bulletins/county/{Uri.EscapeDataString(county.Class)}.pdf"));
        Assert.Equal(refused, await Refusal(townClient, $"/api/periods/2025Q3/bulletins/county/{Uri.EscapeDataString(county.Class)}.pdf"));
        // The office is told what is missing.
        using var office = fixture.App.Client(Token(Caller.Office));
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/periods/2025Q2/bulletins/county/{Uri.EscapeDataString(county.Class)}.pdf")).StatusCode);
    }

    [Fact]
    public async Task The_portals_bulletin_pages_follow_the_same_rule_as_the_api()
    {
        var county = TestProvince.CountyA;
        var town = TestProvince.TownOf(county);
        using var countyClient = fixture.App.Client(Token(Caller.CountyA));
        using var townClient = fixture.App.Client(Token(Caller.TownOfA));
        // The county's own class: page and PDF, the API's bytes.
        Assert.Equal(HttpStatusCode.OK, (await countyClient.GetAsync($"/units/{county.Code}/bulletin/2025Q3")).StatusCode);
        var pdf = await countyClient.GetAsync($"/units/{county.Code}/bulletin/2025Q3/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal(await (await countyClient.GetAsync($"/api/periods/2025Q3/bulletins/county/{Uri.EscapeDataString(county.Class)}.pdf")).Content.ReadAsByteArrayAsync(),
            await pdf.Content.ReadAsByteArrayAsync());
        // The town reads its class's bulletin; its county sees the town's pages but not that bulletin, nor a link to it.
        Assert.Equal(HttpStatusCode.OK, (await townClient.GetAsync($"/units/{town.Code}/bulletin/2025Q3/pdf")).StatusCode);
        Assert.Contains($"/units/{town.Code}/bulletin/2025Q3", await townClient.GetStringAsync($"/units/{town.Code}"));
        var home = await countyClient.GetAsync($"/units/{town.Code}");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.DoesNotContain("/bulletin/", await home.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await countyClient.GetAsync($"/units/{town.Code}/bulletin/2025Q3")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await countyClient.GetAsync($"/units/{town.Code}/bulletin/2025Q3/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await countyClient.GetAsync($"/api/periods/2025Q3/bulletins/town/{Uri.EscapeDataString(town.Class)}.pdf")).StatusCode);
    }

    private string? Token(Caller caller) => caller switch
    {
        Caller.Anonymous => null,
        Caller.WrongKey => fixture.App.Token("office", key: RandomNumberGenerator.GetBytes(32)),
        Caller.Expired => fixture.App.Token("office", now: DateTimeOffset.UtcNow.AddHours(-3), lifetime: TimeSpan.FromHours(1)),
        Caller.WrongAudience => BaiQianWan.Assess.Cli.Commands.TokenCommand.Issue(fixture.App.Key, "office", null, "office", BaiQianWan.Assess.Cli.Commands.TokenCommand.DefaultIssuer,
            "someone-else", DateTimeOffset.UtcNow, TimeSpan.FromHours(1)),
        Caller.TwoRoles => Signed(new() { ["sub"] = "mixed", ["role"] = new[] { "unit", "office" }, ["unit"] = A }),
        Caller.TwoUnits => Signed(new() { ["sub"] = "two", ["role"] = "unit", ["unit"] = new[] { A, B } }),
        Caller.ForgedEasyAuth => null,
        Caller.Office => fixture.App.Token("office"),
        Caller.Author => fixture.App.Token("author"),
        Caller.CountyA => fixture.App.Token("unit", A),
        Caller.TownOfA => fixture.App.Token("unit", TownA),
        Caller.CountyB => fixture.App.Token("unit", B),
        Caller.UnitWithoutCode => fixture.App.Token("unit"),
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };
}
