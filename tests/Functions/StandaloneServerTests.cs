using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Scorecards;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The issue's "done when", on a real server: the functions app started alone (its own process, Kestrel on a
/// loopback port, SQLite, the real PDF renderer) takes a units file, an observations file and a ruleset through
/// the API, evaluates, publishes, and serves a county its own scorecard and nobody else's.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class StandaloneServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-server-").FullName;
    private StandaloneApp? _app;

    public void Dispose()
    {
        _app?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The app of this test on its SQLite file; <paramref name="environment"/> as <see cref="StandaloneApp"/> takes it.</summary>
    private StandaloneApp App(IReadOnlyDictionary<string, string?>? environment = null) =>
        _app = new StandaloneApp(Path.Combine(_dir, "assess.db"), environment);

    [Fact]
    public async Task Started_alone_the_app_evaluates_publishes_and_serves_each_county_only_its_own_scorecard()
    {
        var app = App();
        var baseUrl = await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        HttpRequestMessage Request(HttpMethod method, string url, string role, string? unit = null, HttpContent? body = null)
        {
            var message = new HttpRequestMessage(method, url) { Content = body };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.Token(role, unit));
            return message;
        }
        async Task<JsonElement> Send(HttpRequestMessage message, HttpStatusCode expected)
        {
            var response = await http.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            // Kestrel names itself on no answer (issue 19 item 6).
            Assert.False(response.Headers.Contains("Server"), $"{message.RequestUri}: Server: {string.Join(",", response.Headers.TryGetValues("Server", out var v) ? v : [])}");
            Assert.True(response.StatusCode == expected, $"{message.Method} {message.RequestUri}: {(int)response.StatusCode} {text}");
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        static ByteArrayContent Csv(byte[] bytes)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            return content;
        }

        await Send(Request(HttpMethod.Put, "/api/units?year=2025", "office", body: Csv(TestProvince.UnitsCsv())), HttpStatusCode.OK);
        await Send(Request(HttpMethod.Put, "/api/periods/2025Q3/observations", "office", body: Csv(TestProvince.ObservationsCsv())), HttpStatusCode.OK);
        var yaml = new StringContent(SampleRulesets.County, Encoding.UTF8, "application/yaml");
        var version = await Send(Request(HttpMethod.Put, "/api/rulesets/county-2025", "author", body: yaml), HttpStatusCode.Created);
        Assert.Equal(1, version.GetProperty("version").GetInt32());
        // The office activates (issue 19 item 5: an author could, over the API).
        await Send(Request(HttpMethod.Post, "/api/rulesets/county-2025/versions/1/activate", "author"), HttpStatusCode.Forbidden);
        await Send(Request(HttpMethod.Post, "/api/rulesets/county-2025/versions/1/activate", "office"), HttpStatusCode.OK);

        var ask = JsonContent("""{"period":"2025Q3","level":"county","ruleset":"county-2025","version":null}""");
        var run = await Send(Request(HttpMethod.Post, "/api/evaluations", "office", body: ask), HttpStatusCode.Accepted);
        var id = run.GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (run.GetProperty("status").GetString() is "queued" or "running" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            run = await Send(Request(HttpMethod.Get, $"/api/evaluations/{id}", "office"), HttpStatusCode.OK);
        }
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        var counties = TestProvince.Counties.Count(c => c.Class is "创先" or "进位" or "消薄");
        Assert.Equal(counties, run.GetProperty("documents").GetProperty("scorecardsStored").GetInt32());
        await Send(Request(HttpMethod.Post, $"/api/evaluations/{id}/publish", "office"), HttpStatusCode.OK);

        // County A reads its own scorecard: a real PDF with its name, rank and the run in the footer.
        var a = TestProvince.CountyA;
        var b = TestProvince.CountyB;
        var own = await http.SendAsync(Request(HttpMethod.Get, $"/api/periods/2025Q3/scorecards/{a.Code}.pdf", "unit", a.Code));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var pdf = await own.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
        var text = Pdf.Text(pdf);
        Assert.Contains(a.Name, text);
        Assert.Contains(id, text);
        Assert.Contains("第", text);

        // …and nothing of county B's, whether B exists or not.
        var other = await http.SendAsync(Request(HttpMethod.Get, $"/api/periods/2025Q3/scorecards/{b.Code}.pdf", "unit", a.Code));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.DoesNotContain(b.Name, await other.Content.ReadAsStringAsync());
        var rankings = await http.SendAsync(Request(HttpMethod.Get, "/api/periods/2025Q3/rankings?level=county", "unit", a.Code));
        Assert.Equal(HttpStatusCode.Forbidden, rankings.StatusCode);
        var anonymous = await http.GetAsync($"/api/periods/2025Q3/scorecards/{a.Code}.pdf");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task First_started_without_a_key_it_makes_one_beside_the_sqlite_file_says_so_in_one_line_and_serves()
    {
        var app = App(new Dictionary<string, string?> { ["Auth__SigningKey"] = null });
        var baseUrl = await app.StartAsync();
        var file = Path.Combine(_dir, "assess.db.signing-key");
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var key = Convert.FromBase64String(File.ReadAllText(file));
        Assert.Equal(32, key.Length);
        var said = app.Stdout;
        Assert.Equal(1, said.Split('\n').Count(l => l.Contains(file, StringComparison.Ordinal)));
        Assert.Contains("未配置签名密钥：已生成 " + file, said);

        // Tokens signed with that key are the app's; the office reads the (empty) ruleset list.
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/rulesets");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenCommand.Issue(key, "office", null, "office",
            TokenCommand.DefaultIssuer, TokenCommand.DefaultAudience, DateTimeOffset.UtcNow, TimeSpan.FromHours(1)));
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Store__Kind", "cosmos", "Store:Kind 应为 sqlite 或 azure，这里是 'cosmos'")]
    [InlineData("Auth__SigningKey", "c2hvcnQ=", "Auth:SigningKey 只有 5 字节；HS256 至少需要 32 字节")]
    [InlineData("Auth__SigningKey", "not base64!", "Auth:SigningKey 不是有效的 base64")]
    public void A_configuration_error_is_one_line_and_exit_code_1(string name, string value, string message)
    {
        var (exit, _, stderr) = App(new Dictionary<string, string?> { [name] = value }).RunToExit("--urls", $"http://127.0.0.1:{StandaloneApp.FreePort()}");
        Assert.Equal(1, exit);
        Assert.Equal(message, stderr.TrimEnd('\n'));
    }

    [Fact]
    public void Hosted_by_the_functions_host_without_a_key_or_authority_it_refuses_to_start()
    {
        // The arguments the host starts a worker with; the worker stops before it ever dials the host.
        var (exit, _, stderr) = App(new Dictionary<string, string?> { ["Auth__SigningKey"] = null, ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated" })
            .RunToExit("--host", "127.0.0.1", "--port", "9", "--workerId", "w-1", "--requestId", "r-1", "--grpcMaxMessageLength", "2147483647");
        Assert.Equal(1, exit);
        Assert.Equal("没有配置令牌验证：请设置 Auth__SigningKey（base64，至少 32 字节）或 Auth__Authority，或开启 Auth__EasyAuth", stderr.TrimEnd('\n'));
        Assert.False(File.Exists(Path.Combine(_dir, "assess.db.signing-key")));
    }
}
