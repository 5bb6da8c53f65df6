using System.Net;
using BaiQianWan.Assess.Functions.Api;
using BaiQianWan.Assess.Samples;
using NJsonSchema;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// What the API really answers fits what its description says: each JSON answer of a published province, and its
/// problems, validated against the schema the document gives for that operation and status (as a client generator
/// reads the document). The results JSON's schema is written by hand beside a field-by-field writer, so this is what
/// keeps the two together.
/// </summary>
public sealed class OpenApiResponseTests(SqlitePublishedProvince fixture) : IClassFixture<SqlitePublishedProvince>
{
    private static readonly Lazy<Task<NSwag.OpenApiDocument>> Parsed = new(() => NSwag.OpenApiDocument.FromJsonAsync(OpenApiFunction.Document(null)));

    private HttpClient Office => fixture.Office;

    /// <summary>Sends, expects the status, and validates the body against the document's schema for that path, method, status and media type.</summary>
    private static async Task<string> Described(HttpResponseMessage response, string path, string method, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode} {body}");
        var mediaType = response.Content.Headers.ContentType!.MediaType!;
        var operation = (await Parsed.Value).Paths[path][method];
        Assert.True(operation.Responses.TryGetValue(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), out var described),
            $"{method} {path}: {(int)status} is not described");
        Assert.True(described.Content.TryGetValue(mediaType, out var content), $"{method} {path} {(int)status}: {mediaType} is not described");
        var errors = content.Schema.Validate(body);
        Assert.True(errors.Count == 0, $"{method} {path} {(int)status}: " + string.Join("; ", errors.Select(e => e.ToString())) + "\n" + body[..Math.Min(body.Length, 2000)]);
        return body;
    }

    [Fact]
    public async Task Runs_publications_and_rankings_fit_their_schemas()
    {
        await Described(await Office.GetAsync($"/api/evaluations/{fixture.CountyRunId}"), "/api/evaluations/{id}", "get", HttpStatusCode.OK);
        // Publishing the published run again answers its publication.
        await Described(await Office.PostAsync($"/api/evaluations/{fixture.CountyRunId}/publish", null), "/api/evaluations/{id}/publish", "post", HttpStatusCode.OK);
        foreach (var level in new[] { "county", "town" })
        {
            var body = await Described(await Office.GetAsync($"/api/periods/2025Q3/rankings?level={level}"), "/api/periods/{period}/rankings", "get", HttpStatusCode.OK);
            Assert.Contains("\"explain\"", body);
        }
        await Described(await Office.GetAsync("/api/periods/2025Q3/rankings?level=county&class=%E5%88%9B%E5%85%88"), "/api/periods/{period}/rankings", "get", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Rulesets_validation_preview_and_imports_fit_their_schemas()
    {
        await Described(await Office.GetAsync("/api/rulesets"), "/api/rulesets", "get", HttpStatusCode.OK);
        await Described(await Office.GetAsync("/api/rulesets/county-2025/versions/1"), "/api/rulesets/{id}/versions/{version}", "get", HttpStatusCode.OK);
        await Described(await Office.PostAsync("/api/rulesets/validate", Api.Yaml(SampleRulesets.County)), "/api/rulesets/validate", "post", HttpStatusCode.OK);
        // The same text again: the version it already is.
        await Described(await Office.PutAsync("/api/rulesets/county-2025", Api.Yaml(SampleRulesets.County)), "/api/rulesets/{id}", "put", HttpStatusCode.OK);
        await Described(await Office.PostAsync("/api/rulesets/county-2025/versions/1/preview?period=2025Q3", null),
            "/api/rulesets/{id}/versions/{version}/preview", "post", HttpStatusCode.OK);
        // The same file again: already imported, nothing written.
        var again = await Described(await Office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv())), "/api/units", "put", HttpStatusCode.OK);
        Assert.Contains("\"alreadyImported\":true", again);
        await Described(await Office.PutAsync("/api/periods/2025Q3/observations?file=observations.csv", Api.Csv(TestProvince.ObservationsCsv())),
            "/api/periods/{period}/observations", "put", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Problems_fit_the_problem_schemas()
    {
        using var anonymous = fixture.App.Client(null);
        using var unit = fixture.App.Client(fixture.App.Token("unit", TestProvince.CountyA.Code));
        await Described(await anonymous.GetAsync("/api/rulesets"), "/api/rulesets", "get", HttpStatusCode.Unauthorized);
        await Described(await unit.GetAsync("/api/periods/2025Q3/rankings?level=county"), "/api/periods/{period}/rankings", "get", HttpStatusCode.Forbidden);
        await Described(await Office.GetAsync("/api/evaluations/run-999999"), "/api/evaluations/{id}", "get", HttpStatusCode.NotFound);
        await Described(await Office.GetAsync("/api/periods/2025Q5/rankings?level=county"), "/api/periods/{period}/rankings", "get", HttpStatusCode.BadRequest);
        await Described(await Office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025Q3","level":"county","ruleset":"county-2025","pad":" """ + new string(' ', 70_000) + "\"}")),
            "/api/evaluations", "post", HttpStatusCode.RequestEntityTooLarge);
        // A rejected file lists its errors (strings); an invalid ruleset its positioned errors (objects).
        var rejected = await Described(await Office.PutAsync("/api/periods/2025Q3/observations?file=bad.csv", Api.Csv("unit_code,indicator,value\n9999,x,abc\n"u8.ToArray())),
            "/api/periods/{period}/observations", "put", HttpStatusCode.UnprocessableEntity);
        Assert.Contains("\"errors\"", rejected);
        var invalid = await Described(await Office.PostAsync("/api/rulesets/validate", Api.Yaml("id: x\nlevel: nowhere\n")), "/api/rulesets/validate", "post", HttpStatusCode.UnprocessableEntity);
        Assert.Contains("\"line\"", invalid);
        // Publishing a failed or unknown run.
        await Described(await Office.PostAsync("/api/evaluations/run-999999/publish", null), "/api/evaluations/{id}/publish", "post", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_schemas_are_strict_enough_to_catch_a_results_field_gone_missing()
    {
        // The oracle of the tests above: the served results with one field removed no longer fit.
        var body = await (await Office.GetAsync("/api/periods/2025Q3/rankings?level=county")).Content.ReadAsStringAsync();
        var node = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        node["units"]![0]!.AsObject().Remove("peers");
        var schema = (await Parsed.Value).Components.Schemas["Results"];
        Assert.Contains(schema.Validate(node.ToJsonString()), e => e.ToString().Contains("peers", StringComparison.Ordinal));
    }
}
