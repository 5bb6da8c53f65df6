using System.Net;
using System.Security.Cryptography;
using System.Security.Claims;
using System.Text.Json;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Samples;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// Every HTTP function × every kind of caller, with the exact status each gets: 401 without a valid token (or with
/// more than one role or unit claim, or an Easy Auth header the app on its own must not trust), 403 for a valid token
/// without the right, and for units only their own scorecards (a county also its towns'). Run twice with the same
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

    private static IEnumerable<Endpoint> Endpoints(SqlitePublishedProvince f) =>
    [
        new("OpenApi", HttpMethod.Get, "/api/openapi.json", () => null, HttpStatusCode.OK, Everyone),
        new("EvaluationsCreate", HttpMethod.Post, "/api/evaluations",
            () => Api.Json("""{"period":"2025Q3","level":"county","ruleset":"county-2025","version":1}"""), HttpStatusCode.Accepted, OfficeOnly),
        new("EvaluationsGet", HttpMethod.Get, $"/api/evaluations/{f.CountyRunId}", () => null, HttpStatusCode.OK, OfficeOnly),
        new("EvaluationsPublish", HttpMethod.Post, $"/api/evaluations/{f.CountyRunId}/publish", () => null, HttpStatusCode.OK, OfficeOnly),
        new("Rankings", HttpMethod.Get, "/api/periods/2025Q3/rankings?level=county", () => null, HttpStatusCode.OK, OfficeOnly),
        new("RankingsClass", HttpMethod.Get, "/api/periods/2025Q3/rankings?level=town", () => null, HttpStatusCode.OK, OfficeOnly),
        new("ScorecardsZip", HttpMethod.Get, "/api/periods/2025Q3/scorecards.zip?level=county", () => null, HttpStatusCode.OK, OfficeOnly),
        new("Bulletin", HttpMethod.Get, "/api/periods/2025Q3/bulletins/county/" + Uri.EscapeDataString("创先") + ".pdf", () => null, HttpStatusCode.OK, OfficeOnly),
        new("Template", HttpMethod.Get, "/api/periods/2025Q4/template.xlsx?level=county&ruleset=county-2025", () => null, HttpStatusCode.OK, OfficeOnly),
        new("ObservationsImport", HttpMethod.Put, "/api/periods/2025Q3/observations?file=observations.csv", () => Api.Csv(TestProvince.ObservationsCsv()), HttpStatusCode.OK, OfficeOnly),
        new("UnitsImport", HttpMethod.Put, "/api/units?year=2025&file=units.csv", () => Api.Csv(TestProvince.UnitsCsv()), HttpStatusCode.OK, OfficeOnly),
        new("RulesetsValidate", HttpMethod.Post, "/api/rulesets/validate", () => Api.Yaml(SampleRulesets.County), HttpStatusCode.OK, RulesetPeople),
        new("RulesetsList", HttpMethod.Get, "/api/rulesets", () => null, HttpStatusCode.OK, RulesetPeople),
        new("RulesetsPut", HttpMethod.Put, "/api/rulesets/county-2025", () => Api.Yaml(SampleRulesets.County), HttpStatusCode.OK, RulesetPeople),
        new("RulesetsGetVersion", HttpMethod.Get, "/api/rulesets/county-2025/versions/1", () => null, HttpStatusCode.OK, RulesetPeople),
        new("RulesetsActivate", HttpMethod.Post, "/api/rulesets/county-2025/versions/1/activate", () => null, HttpStatusCode.OK, RulesetPeople),
        // town-2025 is active in the fixture and no other request needs it: deactivating it again answers the same.
        new("RulesetsDeactivate", HttpMethod.Post, "/api/rulesets/town-2025/deactivate", () => null, HttpStatusCode.OK, OfficeOnly),
        new("RulesetsPreview", HttpMethod.Post, "/api/rulesets/county-2025/versions/1/preview?period=2025Q3", () => null, HttpStatusCode.OK, RulesetPeople),
        new("ScorecardCountyA", HttpMethod.Get, $"/api/periods/2025Q3/scorecards/{A}.pdf", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyA]),
        new("ScorecardTownOfA", HttpMethod.Get, $"/api/periods/2025Q3/scorecards/{TownA}.pdf", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyA, Caller.TownOfA]),
        new("ScorecardCountyB", HttpMethod.Get, $"/api/periods/2025Q3/scorecards/{B}.pdf", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyB]),
        new("ScorecardTownOfB", HttpMethod.Get, $"/api/periods/2025Q3/scorecards/{TownB}.pdf", () => null, HttpStatusCode.OK, [Caller.Office, Caller.CountyB]),
    ];

    private static readonly string[] Names =
    [
        "OpenApi", "EvaluationsCreate", "EvaluationsGet", "EvaluationsPublish", "Rankings", "RankingsClass", "ScorecardsZip", "Bulletin",
        "Template", "ObservationsImport", "UnitsImport", "RulesetsValidate", "RulesetsList", "RulesetsPut", "RulesetsGetVersion",
        "RulesetsActivate", "RulesetsDeactivate", "RulesetsPreview", "ScorecardCountyA", "ScorecardTownOfA", "ScorecardCountyB", "ScorecardTownOfB",
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
            : n == "RankingsClass" ? "Rankings" : n).ToHashSet();
        var api = HttpFunctionCatalog.All.Where(f => f.Route.StartsWith("api/", StringComparison.Ordinal)).Select(f => f.Name);
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
