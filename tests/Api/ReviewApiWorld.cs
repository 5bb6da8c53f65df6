using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Tests.Kit;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Reviews;

/// <summary>
/// The app under test (as <c>AssessAppFactory</c> composes it, SQLite, a clock that stands still where a test puts it)
/// with the small province of <see cref="Mini"/> uploaded through the API: counties A1, A2 (class 甲), B1, B2 (class 乙),
/// town T1 under A1 (scored by no county run), the <c>mini</c> ruleset active, and the observations of the four quarters
/// of 2025 (Q1 and Q4 are Q2's figures under their own period).
/// </summary>
public class ReviewApiWorld : IAsyncLifetime
{
    /// <summary>Where the clock starts: 2026-03-10 15:00 China time.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 10, 15, 0, 0, TimeSpan.FromHours(8));

    private readonly TempSqlite _file = new();

    public AssessAppFactory App { get; private set; } = null!;

    public HttpClient Office { get; private set; } = null!;

    internal TestClock Clock => App.Clock;

    public virtual async Task InitializeAsync()
    {
        App = new AssessAppFactory("sqlite", _file.Path);
        App.Clock.Now = T0;
        Office = App.Client(App.Token("office"));
        await Ok(Office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(Mini.Bytes(Mini.UnitsCsv))));
        var q2 = Mini.ObservationsCsv.Split('\n').Where(l => l.Contains("2025Q2", StringComparison.Ordinal)).ToList();
        foreach (var quarter in new[] { "2025Q1", "2025Q2", "2025Q3", "2025Q4" })
        {
            var rows = quarter == "2025Q3"
                ? Mini.ObservationsCsv.Split('\n').Where(l => l.Contains("2025Q3", StringComparison.Ordinal))
                : q2.Select(l => l.Replace("2025Q2", quarter, StringComparison.Ordinal));
            var csv = "unit,indicator,period,actual,target,baseline\n" + string.Join("\n", rows) + "\n";
            await Ok(Office.PutAsync($"/api/periods/{quarter}/observations?file=obs-{quarter}.csv", Api.Csv(Mini.Bytes(csv))));
        }
        var stored = await Office.PutAsync("/api/rulesets/mini", Api.Yaml(Mini.RulesetYaml));
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        await Ok(Office.PostAsync("/api/rulesets/mini/versions/1/activate", null));
    }

    public async Task DisposeAsync()
    {
        Office.Dispose();
        await App.DisposeAsync();
        await _file.DisposeAsync();
    }

    /// <summary>A client with a token of this role (and unit); no token for <c>null</c>.</summary>
    public HttpClient Client(string? role, string? unit = null) => App.Client(role is null ? null : App.Token(role, unit));

    /// <summary>Runs the quarter at the county level through the API and waits for it: the run's id.</summary>
    public async Task<string> RunAsync(string period)
    {
        var asked = await (await Office.PostAsync("/api/evaluations",
            Api.Json($$"""{"period":"{{period}}","level":"county","ruleset":"mini"}"""))).JsonAsync(HttpStatusCode.Accepted);
        var id = asked.GetProperty("id").GetString()!;
        var run = await Api.WaitForRunAsync(Office, id);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        return id;
    }

    /// <summary>Publishes a run with a notice of <paramref name="days"/> days (<c>?noticeDays=</c>): the publication.</summary>
    public async Task<JsonElement> PublishAsync(string runId, int days) =>
        await (await Office.PostAsync($"/api/evaluations/{runId}/publish?noticeDays={days}", null)).JsonAsync(HttpStatusCode.OK);

    /// <summary>The form of a review request.</summary>
    public static MultipartFormDataContent Request(string run, string kind, string target, string reason, params (string Name, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(run), "run" },
            { new StringContent(kind), "kind" },
            { new StringContent(target), "target" },
            { new StringContent(reason), "reason" },
        };
        foreach (var (name, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", name);
        }
        return form;
    }

    /// <summary>A unit files a request: the request (201).</summary>
    public async Task<JsonElement> FileAsync(string unit, string run, string target, string reason, params (string Name, byte[] Bytes)[] files)
    {
        using var client = Client("unit", unit);
        return await (await client.PostAsync("/api/reviews", Request(run, "indicator", target, reason, files))).JsonAsync(HttpStatusCode.Created);
    }

    /// <summary>Everything the review flow keeps, as the office reads it: every request and the notices of the four quarters.</summary>
    public async Task<string> SnapshotAsync()
    {
        var all = new StringBuilder(await (await Office.GetAsync("/api/reviews")).Content.ReadAsStringAsync());
        foreach (var quarter in new[] { "2025Q1", "2025Q2", "2025Q3", "2025Q4" })
            all.Append('\n').Append(await (await Office.GetAsync($"/api/periods/{quarter}/notices/county")).Content.ReadAsStringAsync());
        return all.ToString();
    }

    public static async Task Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A PDF's bytes (recognised as PDF by content).</summary>
    public static byte[] Pdf(string text) => Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text}\n%%EOF\n");

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
