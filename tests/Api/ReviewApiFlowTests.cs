using System.Net;
using System.Text.Json;
using BaiQianWan.Assess.Functions.Api;
using BaiQianWan.Assess.Tests.Functions;

namespace BaiQianWan.Assess.Tests.Reviews;

/// <summary>
/// Issue 25 item 3, notice and review (公示、复核) end to end through the HTTP API, on a clock that stands still where each
/// step puts it: a provisional publication with its deadline, a unit's request with a PDF on its own result, the refusal
/// of a unit that has no business there (nothing written), the office's 更正, the correcting run published with its own
/// notice replacing the first (the request 已更正, naming it, and the corrected total in the published rankings), final
/// refused before the deadline and while a request waits, filing refused after the deadline, and the final publication
/// with its counts. Each JSON answer is also checked against the schema the OpenAPI document gives it. The figures are
/// worked out here by hand from <c>Mini</c>'s data (A1 2025Q2: fai 50/50 → 60, rev 30/40 → 30, honor 1 → 0.5: 90.5).
/// </summary>
public sealed class ReviewApiFlowTests(ReviewApiWorld world) : IClassFixture<ReviewApiWorld>
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static readonly Lazy<Task<NSwag.OpenApiDocument>> Document = new(() => NSwag.OpenApiDocument.FromJsonAsync(OpenApiFunction.Document(null)));

    /// <summary>The body, after checking the status and that it fits the document's schema for the operation.</summary>
    private static async Task<JsonElement> Described(HttpResponseMessage response, string path, string method, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode}, expected {(int)status}: {body}");
        var operation = (await Document.Value).Paths[path][method];
        var content = operation.Responses[((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)].Content[response.Content.Headers.ContentType!.MediaType!];
        var errors = content.Schema.Validate(body);
        Assert.True(errors.Count == 0, $"{method} {path} {(int)status}: " + string.Join("; ", errors.Select(e => e.ToString())) + "\n" + body);
        using var parsed = JsonDocument.Parse(body);
        return parsed.RootElement.Clone();
    }

    private async Task<JsonElement> NoticesAsync() =>
        await Described(await world.Office.GetAsync("/api/periods/2025Q2/notices/county"), "/api/periods/{period}/notices/{level}", "get", HttpStatusCode.OK);

    private async Task<JsonElement> ReviewAsync(string id) =>
        await Described(await world.Office.GetAsync($"/api/reviews/{id}"), "/api/reviews/{id}", "get", HttpStatusCode.OK);

    private static async Task<int> Refused(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        return (int)response.StatusCode;
    }

    private static decimal TotalOf(JsonElement rankings, string unit) =>
        rankings.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("code").GetString() == unit).GetProperty("total").GetDecimal();

    [Fact]
    public async Task A_request_its_correction_run_the_replacement_and_the_final_publication_through_the_api()
    {
        world.Clock.Now = ReviewApiWorld.T0;
        var run1 = await world.RunAsync("2025Q2");

        // Published provisionally on 2026-03-10 15:00 China time with 5 days: requests until 2026-03-15 24:00.
        var published = await Described(await world.Office.PostAsync($"/api/evaluations/{run1}/publish?noticeDays=5", null),
            "/api/evaluations/{id}/publish", "post", HttpStatusCode.OK);
        Assert.Equal(("provisional", 1, run1, 5), (published.GetProperty("state").GetString(), published.GetProperty("revision").GetInt32(),
            published.GetProperty("runId").GetString(), published.GetProperty("noticeDays").GetInt32()));
        Assert.Equal(new DateTimeOffset(2026, 3, 16, 0, 0, 0, China), published.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal("2026-03-15", published.GetProperty("lastDay").GetString());
        var notices = await NoticesAsync();
        Assert.Equal((run1, "provisional", 1, 0, 0), (notices.GetProperty("current").GetProperty("runId").GetString(),
            notices.GetProperty("current").GetProperty("state").GetString(), notices.GetProperty("history").GetArrayLength(),
            notices.GetProperty("filed").GetInt32(), notices.GetProperty("corrected").GetInt32()));
        var rankings = await (await world.Office.GetAsync("/api/periods/2025Q2/rankings?level=county")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(90.5m, TotalOf(rankings, "A1"));

        // A1 asks about its revenue (30/40 → 30 points) with a PDF, on its own result.
        world.Clock.Now = ReviewApiWorld.T0.AddHours(2);
        var pdf = ReviewApiWorld.Pdf("A1 的财政收入台账");
        using var a1 = world.Client("unit", "A1");
        var filedResponse = await a1.PostAsync("/api/reviews", ReviewApiWorld.Request(run1, "indicator", "rev", "上级补助应计入收入", ("收入台账.pdf", pdf)));
        var filed = await Described(filedResponse, "/api/reviews", "post", HttpStatusCode.Created);
        var rv1 = filed.GetProperty("id").GetString()!;
        Assert.Matches("^rv-[0-9]{6}$", rv1);
        Assert.Equal($"/api/reviews/{rv1}", filedResponse.Headers.Location?.OriginalString);
        Assert.Equal((rv1, "A1", "open", run1, 1, "indicator", "rev", 1), (filed.GetProperty("id").GetString(), filed.GetProperty("unit").GetString(),
            filed.GetProperty("state").GetString(), filed.GetProperty("runId").GetString(), filed.GetProperty("revision").GetInt32(),
            filed.GetProperty("targetKind").GetString(), filed.GetProperty("target").GetString(), filed.GetProperty("version").GetInt32()));
        Assert.Equal(ReviewApiWorld.T0.AddHours(2), filed.GetProperty("filedAt").GetDateTimeOffset());
        var file = Assert.Single(filed.GetProperty("files").EnumerateArray());
        Assert.Equal(("收入台账.pdf", "pdf", pdf.Length, ReviewApiWorld.Sha256(pdf)), (file.GetProperty("name").GetString(), file.GetProperty("type").GetString(),
            file.GetProperty("size").GetInt32(), file.GetProperty("sha256").GetString()));
        var evidence = await a1.GetAsync(file.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, evidence.StatusCode);
        Assert.Equal(pdf, await evidence.Content.ReadAsByteArrayAsync());

        // Another unit is refused, and nothing is written: T1 has no result in the county run (403); A2 may neither read,
        // withdraw, nor download A1's request (404, as a request that does not exist: ids cannot be probed).
        var before = await world.SnapshotAsync();
        using (var t1 = world.Client("unit", "T1"))
            Assert.Equal(403, await Refused(t1.PostAsync("/api/reviews", ReviewApiWorld.Request(run1, "indicator", "rev", "镇也想问", ("x.pdf", pdf)))));
        using (var a2 = world.Client("unit", "A2"))
        {
            Assert.Equal(404, await Refused(a2.GetAsync($"/api/reviews/{rv1}")));
            Assert.Equal(404, await Refused(a2.PostAsync($"/api/reviews/{rv1}/withdraw", Api.Json("""{"reason":"代为撤回"}"""))));
            Assert.Equal(404, await Refused(a2.GetAsync(file.GetProperty("url").GetString())));
            Assert.Equal(0, (await (await a2.GetAsync("/api/reviews")).JsonAsync(HttpStatusCode.OK)).GetProperty("reviews").GetArrayLength());
        }
        Assert.Equal(before, await world.SnapshotAsync());

        // The office answers 更正: the request stays 更正中 until a correcting run is published.
        world.Clock.Now = ReviewApiWorld.T0.AddDays(1);
        var answered = await Described(await world.Office.PostAsync($"/api/reviews/{rv1}/answer", Api.Json("""{"decision":"更正","reason":"核实补助口径，更正数据"}""")),
            "/api/reviews/{id}/answer", "post", HttpStatusCode.OK);
        Assert.Equal(("correcting", "更正中", 2, "office"), (answered.GetProperty("state").GetString(), answered.GetProperty("stateName").GetString(),
            answered.GetProperty("version").GetInt32(), answered.GetProperty("answeredBy").GetString()));
        Assert.Equal(JsonValueKind.Null, answered.GetProperty("closedAt").ValueKind);

        // The correction: A1's revenue was 40, not 30 (30 → 40 points, total 90.5 → 100.5); a new run, published with 3 days
        // on 2026-03-13 10:00 (requests until 2026-03-16 24:00).
        await ReviewApiWorld.Ok(world.Office.PutAsync("/api/periods/2025Q2/observations?file=fix.csv",
            Api.Csv(System.Text.Encoding.UTF8.GetBytes("unit,indicator,period,actual,target,baseline\nA1,rev,2025Q2,40,40,\n"))));
        var run2 = await world.RunAsync("2025Q2");
        var republishedAt = new DateTimeOffset(2026, 3, 13, 10, 0, 0, China);
        world.Clock.Now = republishedAt;
        var second = await Described(await world.Office.PostAsync($"/api/evaluations/{run2}/publish", Api.Json("""{"noticeDays":3}""")),
            "/api/evaluations/{id}/publish", "post", HttpStatusCode.OK);
        Assert.Equal(("provisional", 2, run2, "2026-03-16"), (second.GetProperty("state").GetString(), second.GetProperty("revision").GetInt32(),
            second.GetProperty("runId").GetString(), second.GetProperty("lastDay").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 3, 17, 0, 0, 0, China), second.GetProperty("deadline").GetDateTimeOffset());
        var corrected = await ReviewAsync(rv1);
        Assert.Equal(("corrected", run2, 3), (corrected.GetProperty("state").GetString(), corrected.GetProperty("correctingRunId").GetString(),
            corrected.GetProperty("version").GetInt32()));
        Assert.Equal(republishedAt, corrected.GetProperty("closedAt").GetDateTimeOffset());
        notices = await NoticesAsync();
        Assert.Equal([(1, "replaced", run1), (2, "provisional", run2)], notices.GetProperty("history").EnumerateArray()
            .Select(n => (n.GetProperty("revision").GetInt32(), n.GetProperty("state").GetString(), n.GetProperty("runId").GetString())));
        Assert.Equal(run2, notices.GetProperty("history")[0].GetProperty("closedNote").GetString());
        rankings = await (await world.Office.GetAsync("/api/periods/2025Q2/rankings?level=county")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(100.5m, TotalOf(rankings, "A1"));
        Assert.Equal(112m, TotalOf(rankings, "A2"));

        // Every unit may look again: A2 asks about run2; asking about the replaced run1 is a conflict.
        world.Clock.Now = new DateTimeOffset(2026, 3, 14, 9, 0, 0, China);
        var rv2 = await world.FileAsync("A2", run2, "fai", "投资完成率封顶有误");
        var rv2Id = rv2.GetProperty("id").GetString()!;
        Assert.Equal((run2, 2), ( rv2.GetProperty("filedRunId").GetString(), rv2.GetProperty("filedRevision").GetInt32()));
        using (var b1 = world.Client("unit", "B1"))
            Assert.Equal(409, await Refused(b1.PostAsync("/api/reviews", ReviewApiWorld.Request(run1, "indicator", "fai", "问旧的运行"))));

        // Not final before the deadline, nor at it while A2's request waits for its answer.
        world.Clock.Now = new DateTimeOffset(2026, 3, 16, 23, 59, 59, China);
        Assert.Equal(409, await Refused(world.Office.PostAsync("/api/periods/2025Q2/notices/county/final", null)));
        world.Clock.Now = new DateTimeOffset(2026, 3, 17, 0, 0, 0, China);
        Assert.Equal(409, await Refused(world.Office.PostAsync("/api/periods/2025Q2/notices/county/final", null)));
        Assert.Equal("provisional", (await NoticesAsync()).GetProperty("current").GetProperty("state").GetString());

        // Filing after the deadline is refused, and nothing is written.
        before = await world.SnapshotAsync();
        using (var b1 = world.Client("unit", "B1"))
            Assert.Equal(409, await Refused(b1.PostAsync("/api/reviews", ReviewApiWorld.Request(run2, "indicator", "fai", "截止后才看到"))));
        Assert.Equal(before, await world.SnapshotAsync());

        // The office upholds A2's request; the publication is made final; the counts are N = 2, M = 1.
        var upheld = await (await world.Office.PostAsync($"/api/reviews/{rv2Id}/answer", Api.Json("""{"decision":"uphold","reason":"封顶 120% 符合规则"}""")))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("upheld", upheld.GetProperty("state").GetString());
        var finalAt = new DateTimeOffset(2026, 3, 17, 9, 30, 0, China);
        world.Clock.Now = finalAt;
        var final = await Described(await world.Office.PostAsync("/api/periods/2025Q2/notices/county/final", null),
            "/api/periods/{period}/notices/{level}/final", "post", HttpStatusCode.OK);
        Assert.Equal(("final", 2, run2, "office"), (final.GetProperty("state").GetString(), final.GetProperty("revision").GetInt32(),
            final.GetProperty("runId").GetString(), final.GetProperty("closedBy").GetString()));
        Assert.Equal(finalAt, final.GetProperty("closedAt").GetDateTimeOffset());
        notices = await NoticesAsync();
        Assert.Equal(("final", 2, 1), (notices.GetProperty("current").GetProperty("state").GetString(), notices.GetProperty("filed").GetInt32(),
            notices.GetProperty("corrected").GetInt32()));
        var list = await Described(await world.Office.GetAsync("/api/reviews?period=2025Q2&level=county"), "/api/reviews", "get", HttpStatusCode.OK);
        Assert.Equal([(rv1, "corrected"), (rv2Id, "upheld")], list.GetProperty("reviews").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetString(), r.GetProperty("state").GetString())));
        var filtered = await (await world.Office.GetAsync("/api/reviews?period=2025Q2&state=corrected")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([rv1], filtered.GetProperty("reviews").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        // A final publication never changes: another request, or making it final again, is a conflict.
        using (var b2 = world.Client("unit", "B2"))
            Assert.Equal(409, await Refused(b2.PostAsync("/api/reviews", ReviewApiWorld.Request(run2, "indicator", "rev", "正式之后"))));
        Assert.Equal(409, await Refused(world.Office.PostAsync("/api/periods/2025Q2/notices/county/final", null)));
        // Nor does a direct final publication replace it (only a run published provisionally again may).
        Assert.Equal(409, await Refused(world.Office.PostAsync($"/api/evaluations/{run1}/publish", null)));
        Assert.Equal((run2, "final", 2), ((await NoticesAsync()).GetProperty("current").GetProperty("runId").GetString(),
            (await NoticesAsync()).GetProperty("current").GetProperty("state").GetString(), (await NoticesAsync()).GetProperty("history").GetArrayLength()));
    }

    [Fact]
    public async Task Without_notice_days_a_publication_is_final_as_before()
    {
        world.Clock.Now = ReviewApiWorld.T0;
        var run = await world.RunAsync("2025Q1");
        var published = await Described(await world.Office.PostAsync($"/api/evaluations/{run}/publish", null), "/api/evaluations/{id}/publish", "post", HttpStatusCode.OK);
        Assert.Equal((run, 1, "final", "office"), (published.GetProperty("runId").GetString(), published.GetProperty("revision").GetInt32(),
            published.GetProperty("state").GetString(), published.GetProperty("actor").GetString()));
        Assert.Equal(ReviewApiWorld.T0, published.GetProperty("at").GetDateTimeOffset());
        Assert.All(new[] { "noticeDays", "deadline", "lastDay", "closedBy", "closedAt", "closedNote" },
            p => Assert.Equal(JsonValueKind.Null, published.GetProperty(p).ValueKind));
        // No notice: nothing to ask about (409), nothing to make final (409).
        using var a1 = world.Client("unit", "A1");
        Assert.Equal(409, await Refused(a1.PostAsync("/api/reviews", ReviewApiWorld.Request(run, "indicator", "fai", "正式发布的结果"))));
        Assert.Equal(409, await Refused(world.Office.PostAsync("/api/periods/2025Q1/notices/county/final", null)));
        var notices = await (await world.Office.GetAsync("/api/periods/2025Q1/notices/county")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("final", 1, 0), (notices.GetProperty("current").GetProperty("state").GetString(), notices.GetProperty("history").GetArrayLength(),
            notices.GetProperty("filed").GetInt32()));
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_their_status_and_nothing_is_written()
    {
        world.Clock.Now = ReviewApiWorld.T0;
        var run = await world.RunAsync("2025Q4");
        // noticeDays out of range: 422 (the flow's rule); not a number, or two different numbers: 400. Nothing published.
        Assert.Equal(422, await Refused(world.Office.PostAsync($"/api/evaluations/{run}/publish?noticeDays=91", null)));
        Assert.Equal(422, await Refused(world.Office.PostAsync($"/api/evaluations/{run}/publish", Api.Json("""{"noticeDays":0}"""))));
        Assert.Equal(400, await Refused(world.Office.PostAsync($"/api/evaluations/{run}/publish?noticeDays=five", null)));
        Assert.Equal(400, await Refused(world.Office.PostAsync($"/api/evaluations/{run}/publish?noticeDays=5", Api.Json("""{"noticeDays":6}"""))));
        Assert.Equal(400, await Refused(world.Office.PostAsync($"/api/evaluations/{run}/publish", Api.Json("""{"noticeDays":"five"}"""))));
        var notices = await (await world.Office.GetAsync("/api/periods/2025Q4/notices/county")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((JsonValueKind.Null, 0), (notices.GetProperty("current").ValueKind, notices.GetProperty("history").GetArrayLength()));
        await world.PublishAsync(run, 30);

        var before = await world.SnapshotAsync();
        using var a1 = world.Client("unit", "A1");
        // An unknown kind, a target not in the unit's results, no reason, a file whose bytes are not its type: 422.
        Assert.Equal(422, await Refused(a1.PostAsync("/api/reviews", ReviewApiWorld.Request(run, "score", "fai", "理由"))));
        Assert.Equal(422, await Refused(a1.PostAsync("/api/reviews", ReviewApiWorld.Request(run, "indicator", "gdp", "理由"))));
        Assert.Equal(422, await Refused(a1.PostAsync("/api/reviews", ReviewApiWorld.Request(run, "indicator", "fai", " "))));
        Assert.Equal(422, await Refused(a1.PostAsync("/api/reviews", ReviewApiWorld.Request(run, "indicator", "fai", "理由",
            ("台账.pdf", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])))));
        // Not a form: 400; an unknown run: 404; a bad filter: 400.
        Assert.Equal(400, await Refused(a1.PostAsync("/api/reviews", Api.Json("""{"run":"x"}"""))));
        Assert.Equal(404, await Refused(a1.PostAsync("/api/reviews", ReviewApiWorld.Request("run-999999", "indicator", "fai", "理由"))));
        Assert.Equal(400, await Refused(a1.GetAsync("/api/reviews?state=done")));
        Assert.Equal(400, await Refused(a1.GetAsync("/api/periods/2025Q5/notices/county")));
        Assert.Equal(before, await world.SnapshotAsync());

        // An answer without a decision, or a withdrawal of the publication without a reason: 422.
        var filed = await world.FileAsync("A1", run, "fai", "投资额漏报");
        var id = filed.GetProperty("id").GetString();
        before = await world.SnapshotAsync();
        Assert.Equal(422, await Refused(world.Office.PostAsync($"/api/reviews/{id}/answer", Api.Json("""{"reason":"无决定"}"""))));
        Assert.Equal(422, await Refused(world.Office.PostAsync($"/api/reviews/{id}/answer", Api.Json("""{"decision":"maybe","reason":"?"}"""))));
        Assert.Equal(422, await Refused(world.Office.PostAsync($"/api/reviews/{id}/answer", Api.Json("""{"decision":"uphold"}"""))));
        Assert.Equal(422, await Refused(world.Office.PostAsync($"/api/evaluations/{run}/withdraw", Api.Json("{}"))));
        Assert.Equal(404, await Refused(world.Office.GetAsync("/api/reviews/rv-999999")));
        Assert.Equal(before, await world.SnapshotAsync());

        // A unit withdraws its own request; withdrawing it again is a conflict.
        var withdrawn = await (await a1.PostAsync($"/api/reviews/{id}/withdraw", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("withdrawn", 2), (withdrawn.GetProperty("state").GetString(), withdrawn.GetProperty("version").GetInt32()));
        Assert.Equal(409, await Refused(a1.PostAsync($"/api/reviews/{id}/withdraw", null)));
    }
}
