using System.Net;
using System.Text.Json;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Functions.Api;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Functions.Runs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// Rows 9 and 15 of the hostile-input review, reproduced: the OpenAPI document followed the request's Host, a bad
/// JSON body's problem named a .NET type, answers lacked nosniff and a CSP; an Idempotency-Key answered another
/// caller's or another body's run. Headers are checked on both pipelines.
/// </summary>
public sealed class HttpHardeningTests(SqlitePublishedProvince fixture) : IClassFixture<SqlitePublishedProvince>
{
    [Fact]
    public async Task The_openapi_servers_entry_is_relative_whatever_host_the_request_names()
    {
        using var client = fixture.App.Client(null);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/openapi.json");
        request.Headers.Host = "evil.example";
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("evil.example", text);
        var server = Assert.Single(JsonDocument.Parse(text).RootElement.GetProperty("servers").EnumerateArray());
        Assert.Equal("/", server.GetProperty("url").GetString());
    }

    [Fact]
    public void The_openapi_servers_entry_is_the_configured_url_when_there_is_one()
    {
        var document = JsonDocument.Parse(OpenApiFunction.Document("https://assess.example.gov.cn")).RootElement;
        Assert.Equal("https://assess.example.gov.cn", Assert.Single(document.GetProperty("servers").EnumerateArray()).GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("""{"period":5,"level":"county","ruleset":"county-2025"}""", "$.period")]
    [InlineData("""{"period":"2025Q3","level":"county","ruleset":"county-2025","version":"one"}""", "$.version")]
    [InlineData("""[1,2,3]""", "第 1 行")]
    [InlineData("""{"period":""", "第 1 行")]
    public async Task A_bad_json_body_is_a_400_that_says_where_and_names_no_dotnet_type(string body, string where)
    {
        var problem = await (await fixture.Office.PostAsync("/api/evaluations", Api.Json(body))).JsonAsync(HttpStatusCode.BadRequest);
        var text = problem.GetRawText();
        Assert.Contains(where, problem.GetProperty("detail").GetString());
        foreach (var leak in new[] { "BaiQianWan.", "System.", "EvaluationRequest", "Nullable", "Exception" })
            Assert.DoesNotContain(leak, text);
    }

    public static TheoryData<AuthorizationMatrixTests.Pipeline, string, string?, HttpStatusCode> Answers() => new()
    {
        { AuthorizationMatrixTests.Pipeline.Standalone, "/api/periods/2025Q3/rankings?level=county", "office", HttpStatusCode.OK },
        { AuthorizationMatrixTests.Pipeline.Standalone, "/api/periods/2025Q3/scorecards/" + TestProvince.CountyA.Code + ".pdf", "office", HttpStatusCode.OK },
        { AuthorizationMatrixTests.Pipeline.Standalone, "/api/periods/2025Q3/rankings?level=county", null, HttpStatusCode.Unauthorized },
        { AuthorizationMatrixTests.Pipeline.Standalone, "/api/periods/2025Q3/rankings?level=county", "author", HttpStatusCode.Forbidden },
        { AuthorizationMatrixTests.Pipeline.Standalone, "/api/evaluations/run-999999", "office", HttpStatusCode.NotFound },
        { AuthorizationMatrixTests.Pipeline.Standalone, "/api/openapi.json", null, HttpStatusCode.OK },
        { AuthorizationMatrixTests.Pipeline.Standalone, "/api/no-such-function", null, HttpStatusCode.NotFound },
        { AuthorizationMatrixTests.Pipeline.Worker, "/api/periods/2025Q3/rankings?level=county", "office", HttpStatusCode.OK },
        { AuthorizationMatrixTests.Pipeline.Worker, "/api/periods/2025Q3/scorecards/" + TestProvince.CountyA.Code + ".pdf", "office", HttpStatusCode.OK },
        { AuthorizationMatrixTests.Pipeline.Worker, "/api/periods/2025Q3/rankings?level=county", null, HttpStatusCode.Unauthorized },
        { AuthorizationMatrixTests.Pipeline.Worker, "/api/periods/2025Q3/rankings?level=county", "author", HttpStatusCode.Forbidden },
        { AuthorizationMatrixTests.Pipeline.Worker, "/api/evaluations/run-999999", "office", HttpStatusCode.NotFound },
        { AuthorizationMatrixTests.Pipeline.Worker, "/api/openapi.json", null, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Every_answer_forbids_sniffing_referrers_and_active_content(AuthorizationMatrixTests.Pipeline pipeline, string url, string? role, HttpStatusCode status)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (role is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.App.Token(role));
        Func<string, string?> header;
        HttpStatusCode got;
        if (pipeline == AuthorizationMatrixTests.Pipeline.Standalone)
        {
            using var client = fixture.App.Client(null);
            var response = await client.SendAsync(request);
            got = response.StatusCode;
            header = name => response.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : null;
        }
        else
        {
            var answer = await WorkerInvocation.SendAsync(fixture.App.Services, request);
            got = answer.Status;
            header = name => answer.Headers.TryGetValue(name, out var v) ? v.ToString() : null;
        }
        Assert.Equal(status, got);
        Assert.Equal("nosniff", header("X-Content-Type-Options"));
        Assert.Equal("no-referrer", header("Referrer-Policy"));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, header("Content-Security-Policy"));
    }

    private static HttpRequestMessage Evaluation(string body, string key, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/evaluations") { Content = Api.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private string OfficeToken(string subject) => TokenCommand.Issue(fixture.App.Key, "office", null, subject, TokenCommand.DefaultIssuer,
        TokenCommand.DefaultAudience, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_422_not_the_first_run()
    {
        using var client = fixture.App.Client(null);
        var token = OfficeToken("office-row15");
        var first = await (await client.SendAsync(Evaluation("""{"period":"2025Q3","level":"county","ruleset":"county-2025","version":1}""", "row-15", token)))
            .JsonAsync(HttpStatusCode.Accepted);
        // Another period, another level, another version, sample data: each is another request under the same key.
        foreach (var other in new[]
        {
            """{"period":"2025Q2","level":"county","ruleset":"county-2025","version":1}""",
            """{"period":"2025Q3","level":"town","ruleset":"town-2025","version":1}""",
            """{"period":"2025Q3","level":"county","ruleset":"county-2025","version":1,"sample":true}""",
        })
        {
            var problem = await (await client.SendAsync(Evaluation(other, "row-15", token))).JsonAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Contains(first.GetProperty("id").GetString()!, problem.GetProperty("detail").GetString());
        }
        // The same body again is the same run.
        var again = await (await client.SendAsync(Evaluation("""{"period":"2025Q3","level":"county","ruleset":"county-2025","version":1}""", "row-15", token)))
            .JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        await Api.WaitForRunAsync(fixture.Office, first.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task The_same_idempotency_key_from_another_caller_is_another_run()
    {
        using var client = fixture.App.Client(null);
        const string body = """{"period":"2025Q3","level":"county","ruleset":"county-2025","version":1}""";
        var mine = await (await client.SendAsync(Evaluation(body, "row-15-shared", OfficeToken("office-a")))).JsonAsync(HttpStatusCode.Accepted);
        var theirs = await (await client.SendAsync(Evaluation(body, "row-15-shared", OfficeToken("office-b")))).JsonAsync(HttpStatusCode.Accepted);
        Assert.NotEqual(mine.GetProperty("id").GetString(), theirs.GetProperty("id").GetString());
        Assert.Equal("office-a", mine.GetProperty("actor").GetString());
        Assert.Equal("office-b", theirs.GetProperty("actor").GetString());
        await Api.WaitForRunAsync(fixture.Office, mine.GetProperty("id").GetString()!);
        await Api.WaitForRunAsync(fixture.Office, theirs.GetProperty("id").GetString()!);
    }

    [Fact]
    public async Task The_function_class_called_directly_with_a_real_request_refuses_a_reused_key_with_another_body()
    {
        // The function as the worker calls it: built from the app's services, given an HttpRequest and the caller.
        await using var scope = fixture.App.Services.CreateAsyncScope();
        async Task<(int Status, string Body)> CallAsync(string body)
        {
            var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new("sub", "office-direct"), new("role", "office")], "Bearer", "sub", "role"));
            http.Request.Method = "POST";
            http.Request.Headers["Idempotency-Key"] = "direct";
            http.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
            http.Response.Body = new MemoryStream();
            var function = ActivatorUtilities.CreateInstance<EvaluationFunctions>(scope.ServiceProvider);
            try
            {
                await (await function.Create(http.Request, CancellationToken.None)).ExecuteAsync(http);
            }
            catch (ApiException e)
            {
                return (e.Status, e.Message);
            }
            return (http.Response.StatusCode, System.Text.Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray()));
        }
        var first = await CallAsync("""{"period":"2025Q3","level":"town","ruleset":"town-2025","version":1}""");
        Assert.Equal(StatusCodes.Status202Accepted, first.Status);
        var runId = JsonDocument.Parse(first.Body).RootElement.GetProperty("id").GetString()!;
        var refused = await CallAsync("""{"period":"2025Q3","level":"county","ruleset":"county-2025","version":1}""");
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, refused.Status);
        Assert.Contains(runId, refused.Body);
        await Api.WaitForRunAsync(fixture.Office, runId);
    }

    [Fact]
    public async Task An_xlsx_over_a_limit_is_413_naming_the_file_and_writes_nothing()
    {
        // One cell longer than a cell may be: refused as too large (413), not as invalid (422), with the file named.
        var xlsx = BaiQianWan.Assess.Tests.Store.Xlsx.Write(
            ["unit", "indicator", "period", "actual", "target", "baseline"],
            [new string('x', 5_000), "gdp", "2025Q3", "1", null, null]);
        var content = new ByteArrayContent(xlsx);
        content.Headers.ContentType = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var response = await fixture.Office.PutAsync("/api/periods/2025Q3/observations?file=big.xlsx", content);
        var problem = await response.JsonAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("big.xlsx", problem.GetProperty("detail").GetString());
        Assert.Contains("单元格超过", problem.ToString());
        // The province's observations are still there: the published rankings answer as before.
        await (await fixture.Office.GetAsync("/api/periods/2025Q3/rankings?level=county")).JsonAsync(HttpStatusCode.OK);
    }
}
