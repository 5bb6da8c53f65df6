using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Functions.Api;
using BaiQianWan.Assess.Functions.Http;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// Issue 22 item 16: <c>/api/openapi.json</c> is a contract a client can be generated from. The document is checked
/// against what the Functions host is told (<c>functions.metadata</c>, written by the SDK at build time, not by the
/// app's catalog that builds the document), and linted by the rules of OpenAPI 3.1 that matter to a client generator:
/// references resolve, every operation answers with a schema, errors are problem details, examples fit their schemas.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    private static readonly JsonObject Document = JsonNode.Parse(OpenApiFunction.Document(null))!.AsObject();

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() =>
        from path in Document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        select (path.Key, method.Key, method.Value!.AsObject());

    /// <summary>Every HTTP function under <c>/api</c> that the host serves, from the SDK's <c>functions.metadata</c>.</summary>
    private static List<(string Name, string Path, string Method)> HostedApiRoutes()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(BuiltApp.Directory, "functions.metadata")))!.AsArray();
        var routes = new List<(string, string, string)>();
        foreach (var function in metadata)
            foreach (var binding in function!["bindings"]!.AsArray().Where(b => (string?)b!["type"] == "httpTrigger"))
            {
                var route = "/" + (string)binding!["route"]!;
                if (!route.StartsWith("/api/", StringComparison.Ordinal)) continue;
                foreach (var method in binding["methods"]!.AsArray())
                    routes.Add(((string)function["name"]!, RouteConstraint().Replace(route, "{$1}"), ((string)method!).ToLowerInvariant()));
            }
        return routes;
    }

    [Fact]
    public void Every_api_route_the_host_serves_is_in_the_document_with_its_methods_and_nothing_else_is()
    {
        var hosted = HostedApiRoutes().Select(r => (r.Name, r.Path, r.Method)).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var described = Operations().Select(o => ((string)o.Operation["operationId"]!, o.Path, o.Method)).OrderBy(r => r.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal(43, hosted.Count);
        Assert.Equal(hosted, described);
    }

    [Fact]
    public void Every_api_function_has_exactly_one_description()
    {
        // A function left out of ApiOperations would be listed without the schema of its answer.
        var functions = BaiQianWan.Assess.Functions.Hosting.HttpFunctionCatalog.All
            .Where(f => f.Path.StartsWith("/api/", StringComparison.Ordinal) && f.Name != "OpenApi").Select(f => f.Name).Order(StringComparer.Ordinal);
        Assert.Equal(functions, BaiQianWan.Assess.Functions.Api.OpenApi.ApiOperations.All.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_document_is_openapi_3_1_with_an_mit_licence_and_bearer_tokens()
    {
        Assert.StartsWith("3.1.", (string)Document["openapi"]!);
        var licence = Document["info"]!["license"]!;
        Assert.Equal("MIT", (string)licence["name"]!);
        Assert.Equal("MIT", (string)licence["identifier"]!);
        // 3.1: a licence has an identifier or a URL, not both.
        Assert.Null(licence["url"]);
        var bearer = Document["components"]!["securitySchemes"]!["Bearer"]!;
        Assert.Equal("bearer", (string)bearer["scheme"]!);
        Assert.Equal("JWT", (string)bearer["bearerFormat"]!);
        // Everything needs a token but the document itself.
        Assert.Empty(Document["paths"]!["/api/openapi.json"]!["get"]!["security"]!.AsArray());
        Assert.All(Operations().Where(o => o.Path != "/api/openapi.json"), o => Assert.Null(o.Operation["security"]));
    }

    [Fact]
    public void Every_reference_resolves_and_every_component_schema_is_used()
    {
        var text = Document.ToJsonString();
        var refs = RefPattern().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(refs);
        foreach (var pointer in refs)
        {
            JsonNode? node = Document;
            foreach (var part in pointer.TrimStart('#', '/').Split('/')) node = node?[part.Replace("~1", "/").Replace("~0", "~")];
            Assert.True(node is JsonObject, $"$ref {pointer} does not resolve");
        }
        var unused = Document["components"]!["schemas"]!.AsObject().Select(s => s.Key).Where(name => !refs.Contains("#/components/schemas/" + name)).ToList();
        Assert.Empty(unused);
    }

    [Fact]
    public void Operation_ids_are_unique_and_every_operation_has_a_summary_a_tag_and_its_path_parameters()
    {
        var ids = Operations().Select(o => (string)o.Operation["operationId"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var tags = Document["tags"]!.AsArray().Select(t => (string)t!["name"]!).ToHashSet();
        foreach (var (path, method, operation) in Operations())
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{method} {path}: no summary");
            Assert.All(operation["tags"]!.AsArray(), t => Assert.Contains((string)t!, tags));
            var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
            var inPath = parameters.Where(p => (string)p["in"]! == "path").Select(p => (string)p["name"]!).Order(StringComparer.Ordinal).ToList();
            var templated = TemplateVariable().Matches(path).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(templated, inPath);
            Assert.All(parameters, p =>
            {
                Assert.NotNull(p["schema"]);
                if ((string)p["in"]! == "path") Assert.True((bool)p["required"]!);
            });
            Assert.Equal(parameters.Count, parameters.Select(p => ((string)p["name"]!, (string)p["in"]!)).Distinct().Count());
        }
    }

    [Fact]
    public void Every_answer_has_a_schema_and_every_error_is_problem_json()
    {
        foreach (var (path, method, operation) in Operations())
        {
            var responses = operation["responses"]!.AsObject();
            Assert.Contains(responses, r => r.Key.StartsWith('2'));
            foreach (var (status, response) in responses)
            {
                Assert.False(string.IsNullOrWhiteSpace((string?)response!["description"]), $"{method} {path} {status}: no description");
                // Not modified, and a range outside the file (the framework's range processing): no body.
                if (status is "304" or "416") { Assert.Null(response["content"]); continue; }
                var content = response["content"]!.AsObject();
                Assert.NotEmpty(content);
                Assert.All(content, c => Assert.NotNull(c.Value!["schema"]));
                if (status[0] is '4' or '5')
                {
                    var problem = Assert.Single(content);
                    Assert.Equal("application/problem+json", problem.Key);
                    Assert.NotNull(problem.Value!["example"]);
                }
                else if (content.ContainsKey("application/json") && path != "/api/openapi.json")
                    Assert.NotNull(content["application/json"]!["example"]);
            }
            // Every operation that needs a token says what a missing or refused one gets, and every one a fault.
            if (path != "/api/openapi.json") Assert.All(new[] { "401", "403", "500" }, s => Assert.True(responses.ContainsKey(s), $"{method} {path}: no {s}"));
            if (operation["requestBody"] is { } body)
            {
                // Only the publication's body may be left out (no body: a final publication, as before notices existed).
                Assert.True((bool)body["required"]! || (string?)operation["operationId"] == "EvaluationsPublish", $"{method} {path}: an optional body");
                Assert.All(body["content"]!.AsObject(), c => Assert.NotNull(c.Value!["schema"]));
                Assert.True(responses.ContainsKey("413"), $"{method} {path}: a body has a size limit");
            }
        }
    }

    [Theory]
    [InlineData("/api/periods/{period}/scorecards/{unitCode}.pdf", "application/pdf")]
    [InlineData("/api/periods/{period}/bulletins/{level}/{class}.pdf", "application/pdf")]
    [InlineData("/api/periods/{period}/scorecards.zip", "application/zip")]
    [InlineData("/api/periods/{period}/template.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("/api/evaluations/{id}/results.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("/api/periods/{period}/results/{unitCode}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public void Downloads_are_binary_with_their_media_type_an_etag_and_304(string path, string mediaType)
    {
        var responses = Document["paths"]![path]!["get"]!["responses"]!;
        var ok = Assert.Single(responses["200"]!["content"]!.AsObject());
        Assert.Equal(mediaType, ok.Key);
        Assert.Equal("string", (string)ok.Value!["schema"]!["type"]!);
        Assert.Equal("binary", (string)ok.Value!["schema"]!["format"]!);
        Assert.NotNull(responses["200"]!["headers"]!["ETag"]);
        Assert.NotNull(responses["304"]);
    }

    [Fact]
    public void Query_parameters_the_functions_read_are_described()
    {
        string[] Query(string path, string method) => [.. Document["paths"]![path]![method]!["parameters"]!.AsArray()
            .Where(p => (string)p!["in"]! == "query").Select(p => (string)p!["name"]! + ((bool)p!["required"]! ? "!" : ""))];
        Assert.Equal(["level!", "class"], Query("/api/periods/{period}/rankings", "get"));
        Assert.Equal(["level!"], Query("/api/periods/{period}/scorecards.zip", "get"));
        Assert.Equal(["ruleset!", "version", "level"], Query("/api/periods/{period}/template.xlsx", "get"));
        Assert.Equal(["file", "errors"], Query("/api/periods/{period}/observations", "put"));
        Assert.Equal(["year!", "file", "replaceAll", "errors"], Query("/api/units", "put"));
        Assert.Equal(["replace"], Query("/api/rulesets/{id}/versions/{version}/activate", "post"));
        Assert.Equal(["period!"], Query("/api/rulesets/{id}/versions/{version}/preview", "post"));
        Assert.Equal(["noticeDays"], Query("/api/evaluations/{id}/publish", "post"));
        Assert.Equal(["period", "level", "state"], Query("/api/reviews", "get"));
        var idempotency = Assert.Single(Document["paths"]!["/api/evaluations"]!["post"]!["parameters"]!.AsArray());
        Assert.Equal("Idempotency-Key", (string)idempotency!["name"]!);
        Assert.Equal("header", (string)idempotency["in"]!);
    }

    [Fact]
    public void The_records_schemas_follow_the_api_records()
    {
        var schemas = Document["components"]!["schemas"]!;
        // Names as the API writes them (camelCase), all always written; nullable where the record is.
        var run = schemas["Run"]!;
        var properties = run["properties"]!.AsObject().Select(p => p.Key).ToList();
        var expected = typeof(RunDto).GetConstructors().Single().GetParameters().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!)).ToList();
        Assert.Equal(expected, properties);
        Assert.Equal(expected, run["required"]!.AsArray().Select(r => (string)r!).ToList());
        Assert.Equal(["string", "null"], run["properties"]!["reason"]!["type"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("#/components/schemas/Documents", (string)run["properties"]!["documents"]!["oneOf"]![0]!["$ref"]!);
        Assert.Equal(["queued", "running", "succeeded", "failed"], run["properties"]!["status"]!["enum"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("date-time", (string)run["properties"]!["requestedAt"]!["format"]!);
        Assert.Equal("decimal", (string)schemas["PreviewRow"]!["properties"]!["total"]!["format"]!);
        // The request: what a client may leave out.
        Assert.Equal(["period", "level", "ruleset"], schemas["EvaluationRequest"]!["required"]!.AsArray().Select(r => (string)r!));
        // A validation's warnings beside its fields: an array of code, line, column and message, always written.
        var validation = schemas["Validation"]!;
        Assert.Equal(["valid", "id", "name", "level", "sha256", "warnings"], validation["required"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("array", (string)validation["properties"]!["warnings"]!["type"]!);
        Assert.Equal("#/components/schemas/RulesetWarning", (string)validation["properties"]!["warnings"]!["items"]!["$ref"]!);
        var warning = schemas["RulesetWarning"]!;
        Assert.Equal(["code", "line", "column", "message"], warning["required"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(("integer", "integer", "^RS9[0-9]{3}$"), ((string)warning["properties"]!["line"]!["type"]!, (string)warning["properties"]!["column"]!["type"]!,
            (string)warning["properties"]!["code"]!["pattern"]!));
    }

    [Fact]
    public async Task Every_example_validates_against_its_schema_read_as_a_client_generator_reads_it()
    {
        var parsed = await NSwag.OpenApiDocument.FromJsonAsync(OpenApiFunction.Document(null));
        var checkedExamples = 0;
        var failures = new List<string>();
        foreach (var (path, item) in parsed.Paths)
            foreach (var (method, operation) in item)
            {
                var media = operation.Responses.SelectMany(r => r.Value.Content.Select(c => ($"{r.Key} {c.Key}", c.Value)));
                if (operation.RequestBody is { } body) media = media.Concat(body.Content.Select(c => ($"body {c.Key}", c.Value)));
                foreach (var (where, content) in media)
                {
                    if (content.Example is null) continue;
                    var errors = content.Schema.Validate(Newtonsoft.Json.JsonConvert.SerializeObject(content.Example));
                    failures.AddRange(errors.Select(e => $"{method} {path} {where}: {e}"));
                    checkedExamples++;
                }
            }
        Assert.Empty(failures);
        // Every example of the document was read and checked (none lost by the reader).
        var examples = Operations().Sum(o =>
            (o.Operation["requestBody"]?["content"]?.AsObject().Count(c => c.Value!["example"] is not null) ?? 0)
            + o.Operation["responses"]!.AsObject().Sum(r => r.Value!["content"]?.AsObject().Count(c => c.Value!["example"] is not null) ?? 0));
        Assert.True(examples > 100, $"{examples} examples");
        Assert.Equal(examples, checkedExamples);
    }

    [Theory]
    [InlineData("Run", """{"id":"run-1","period":"2025Q3","level":"county","ruleset":"r","version":1,"status":"done","reason":null,"dataSha256":null,"actor":"office","requestedAt":"2025-10-08T09:00:00+08:00","startedAt":null,"heartbeatAt":null,"completedAt":null,"sample":false,"documents":null}""", "status")]
    [InlineData("Run", """{"id":"run-1","period":"2025Q5","level":"county","ruleset":"r","version":1,"status":"queued","reason":null,"dataSha256":null,"actor":"office","requestedAt":"2025-10-08T09:00:00+08:00","startedAt":null,"heartbeatAt":null,"completedAt":null,"sample":false,"documents":null}""", "period")]
    [InlineData("Run", """{"id":"run-1","period":"2025Q3","level":"county","ruleset":"r","version":1,"status":"queued","reason":null,"dataSha256":null,"actor":"office","requestedAt":"2025-10-08T09:00:00+08:00","startedAt":null,"heartbeatAt":null,"completedAt":null,"sample":false}""", "documents")]
    [InlineData("EvaluationRequest", """{"period":"2025Q3","level":"province","ruleset":"r"}""", "level")]
    [InlineData("UnitResult", """{"code":"1"}""", "name")]
    [InlineData("Validation", """{"valid":true,"id":"r","name":"n","level":"county","sha256":"x"}""", "warnings")]
    [InlineData("RulesetWarning", """{"code":"RS3001","line":4,"column":11,"message":"m"}""", "code")]
    public async Task The_schemas_refuse_what_the_api_never_writes(string component, string json, string named)
    {
        // The oracle of the example test above: a wrong value is found, and named.
        var parsed = await NSwag.OpenApiDocument.FromJsonAsync(OpenApiFunction.Document(null));
        var errors = parsed.Components.Schemas[component].Validate(json);
        Assert.Contains(errors, e => e.ToString().Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void The_operations_table_of_docs_api_md_is_the_documents()
    {
        // docs/api.md lists each operation with its method, path, success and error statuses: it says what the document says.
        var table = File.ReadAllLines(Repository.Path("docs", "api.md"))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(c => $"{c[1].Trim('`')} {c[2].Trim('`')} {c[4]} / {c[5]}")
            .Order(StringComparer.Ordinal).ToList();
        var document = Operations().Select(o =>
        {
            var statuses = o.Operation["responses"]!.AsObject().Select(r => r.Key).ToList();
            return $"{o.Operation["operationId"]} {o.Method.ToUpperInvariant()} {o.Path} {string.Join(' ', statuses.Where(s => s[0] is '2' or '3'))} / {string.Join(' ', statuses.Where(s => s[0] is '4' or '5'))}";
        }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(document, table);
    }

    [GeneratedRegex(@"""\$ref""\s*:\s*""([^""]+)""")]
    private static partial Regex RefPattern();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex TemplateVariable();

    [GeneratedRegex(@"\{(\w+):\w+\}")]
    private static partial Regex RouteConstraint();
}
