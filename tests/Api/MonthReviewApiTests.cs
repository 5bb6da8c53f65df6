using System.Net;
using System.Text.Json;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Tests.Kit;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Reviews;

/// <summary>
/// Notice and review of a month through the HTTP API (annual contract §3, "for any evaluation"): the month run of
/// <see cref="MiniMonth"/> published with 5 days of notice, A2's request on its June light (escalated red, worked by hand in
/// <see cref="MiniMonth"/>) filed with <c>POST /api/reviews</c>, and the refusals as for quarters: a town with no result in
/// the county month 403, another unit reading the request 404, an indicator the month lacks 422, after the deadline 409.
/// </summary>
public sealed class MonthReviewApiTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private AssessAppFactory _app = null!;
    private HttpClient _office = null!;

    private static string Rows(string month) =>
        string.Join("\n", MiniMonth.ObservationsCsv.Replace("\r\n", "\n").Split('\n').Where((line, i) => i == 0 || line.Contains(month, StringComparison.Ordinal))) + "\n";

    public async Task InitializeAsync()
    {
        _app = new AssessAppFactory("sqlite", _file.Path);
        _app.Clock.Now = ReviewApiWorld.T0;
        _office = _app.Client(_app.Token("office"));
        await (await _office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(Mini.Bytes(Mini.UnitsCsv)))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/periods/2025-05/observations?file=2025-05.csv", Api.Csv(Mini.Bytes(Rows("2025-05"))))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/periods/2025-06/observations?file=2025-06.csv", Api.Csv(Mini.Bytes(Rows("2025-06"))))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/rulesets/mini-monthly", Api.Yaml(MiniMonth.MonitorYaml))).JsonAsync(HttpStatusCode.Created);
        await (await _office.PostAsync("/api/rulesets/mini-monthly/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        _office.Dispose();
        await _app.DisposeAsync();
        await _file.DisposeAsync();
    }

    private static async Task<int> Refused(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task A_unit_files_a_request_on_its_month_light_through_the_api_and_is_refused_as_for_quarters()
    {
        var asked = await (await _office.PostAsync("/api/evaluations", Api.Json("""{"period":"2025-06","level":"county","ruleset":"mini-monthly"}""")))
            .JsonAsync(HttpStatusCode.Accepted);
        var run = asked.GetProperty("id").GetString()!;
        Assert.Equal("succeeded", (await Api.WaitForRunAsync(_office, run)).GetProperty("status").GetString());
        var published = await (await _office.PostAsync($"/api/evaluations/{run}/publish?noticeDays=5", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("provisional", 1), (published.GetProperty("state").GetString(), published.GetProperty("revision").GetInt32()));

        using var a2 = _app.Client(_app.Token("unit", "A2"));
        var response = await a2.PostAsync("/api/reviews", ReviewApiWorld.Request(run, "indicator", "fai", "6 月投资漏报一个项目"));
        var filed = await response.JsonAsync(HttpStatusCode.Created);
        var rv = filed.GetProperty("id").GetString()!;
        Assert.Equal(("A2", "open", run, "indicator", "fai"), (filed.GetProperty("unit").GetString(), filed.GetProperty("state").GetString(),
            filed.GetProperty("runId").GetString(), filed.GetProperty("targetKind").GetString(), filed.GetProperty("target").GetString()));

        using (var t1 = _app.Client(_app.Token("unit", "T1")))
            Assert.Equal(403, await Refused(t1.PostAsync("/api/reviews", ReviewApiWorld.Request(run, "indicator", "fai", "镇也想问"))));
        using var a1 = _app.Client(_app.Token("unit", "A1"));
        Assert.Equal(404, await Refused(a1.GetAsync($"/api/reviews/{rv}")));
        Assert.Equal(422, await Refused(a1.PostAsync("/api/reviews", ReviewApiWorld.Request(run, "indicator", "rev", "月度没有这个指标"))));
        Assert.Equal(422, await Refused(a1.PostAsync("/api/reviews", ReviewApiWorld.Request(run, "adjustment", "honor", "月度没有加减分"))));

        var answered = await (await _office.PostAsync($"/api/reviews/{rv}/answer", Api.Json("""{"decision":"维持","reason":"两个月黄灯按规则升为红灯"}""")))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("upheld", answered.GetProperty("state").GetString());

        _app.Clock.Now = new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.FromHours(8));
        Assert.Equal(409, await Refused(a1.PostAsync("/api/reviews", ReviewApiWorld.Request(run, "indicator", "fai", "过期"))));
        var list = await (await _office.GetAsync("/api/reviews")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([rv], list.GetProperty("reviews").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var final = await (await _office.PostAsync("/api/periods/2025-06/notices/county/final", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("final", final.GetProperty("state").GetString());
    }
}
