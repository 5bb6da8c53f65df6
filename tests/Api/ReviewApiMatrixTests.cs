using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BaiQianWan.Assess.Tests.Functions;

namespace BaiQianWan.Assess.Tests.Reviews;

/// <summary>
/// The review flow's world for the matrix: 2025Q1 evaluated and not published; Q2 published with 1 day of notice, Q3
/// with 5, Q4 with 30, all at <see cref="ReviewApiWorld.T0"/>; on Q4, A1's request with a PDF (the one read, listed and
/// downloaded); then the clock stands at T0 + 3 days: Q2's notice is over (it may be made final), Q3's and Q4's are not.
/// </summary>
public sealed class ReviewMatrixWorld : ReviewApiWorld
{
    public string Q1 { get; private set; } = "";
    public string Q2 { get; private set; } = "";
    public string Q3 { get; private set; } = "";
    public string Q4 { get; private set; } = "";

    public static readonly byte[] Evidence = Pdf("A1 的投资台账");

    public string ReadId { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Q1 = await RunAsync("2025Q1");
        Q2 = await RunAsync("2025Q2");
        Q3 = await RunAsync("2025Q3");
        Q4 = await RunAsync("2025Q4");
        await PublishAsync(Q2, 1);
        await PublishAsync(Q3, 5);
        await PublishAsync(Q4, 30);
        ReadId = (await FileAsync("A1", Q4, "fai", "投资额漏报了一个项目", ("投资台账.pdf", Evidence))).GetProperty("id").GetString()!;
        Clock.Now = T0.AddDays(3);
    }
}

/// <summary>
/// Issue 25 item 3: every route of the review flow × (the office, the request's own unit A1, another unit A2 of the same
/// run, a unit T1 the run did not score, an author, nobody) through the HTTP API, each with the exact status its role and
/// unit give and, when refused, nothing written (every request and the four quarters' notices read the same before and
/// after). The expectations are written out here from the contract (§3: the office publishes, answers and makes final; a
/// unit files and withdraws requests on its own results and reads its own), not derived from the flow's code. Refused
/// callers go first; then the allowed ones, whose change is checked.
/// </summary>
public sealed class ReviewApiMatrixTests(ReviewMatrixWorld world) : IClassFixture<ReviewMatrixWorld>
{
    /// <summary>The review functions whose matrix is this class (the gate-level matrix covers the rest).</summary>
    public static readonly HashSet<string> Functions =
    [
        "ReviewNotices", "ReviewFinal", "ReviewWithdrawPublication", "ReviewFile", "ReviewList", "ReviewGet", "ReviewAnswer", "ReviewWithdraw", "ReviewEvidence",
    ];

    public enum Who { Office, OwnUnit, OtherUnit, UnitNotInRun, Author, Anonymous }

    private HttpClient Client(Who who) => who switch
    {
        Who.Office => world.Client("office"),
        Who.OwnUnit => world.Client("unit", "A1"),
        Who.OtherUnit => world.Client("unit", "A2"),
        Who.UnitNotInRun => world.Client("unit", "T1"),
        Who.Author => world.Client("author"),
        _ => world.Client(null),
    };

    private static readonly Who[] Everyone = Enum.GetValues<Who>();

    public static TheoryData<string> Routes() =>
        ["publish", "notices", "final", "withdrawPublication", "file", "list", "get", "answer", "withdraw", "evidence"];

    /// <summary>What each route is sent, by whom it is allowed (the status then), and what is checked of a success.</summary>
    /// <summary>A route's request, success, who succeeds, and <paramref name="Hidden"/>: the units answered 404 (another
    /// unit's request is not found, exactly as one that does not exist, so request ids cannot be probed).</summary>
    private sealed record Case(Func<string?, HttpRequestMessage> Request, HttpStatusCode Success, Who[] Allowed, Func<Who, HttpResponseMessage, Task> Check,
        Who[]? Hidden = null);

    private static HttpRequestMessage Post(string url, HttpContent? body = null) => new(HttpMethod.Post, url) { Content = body };

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task<Case> CaseAsync(string route)
    {
        switch (route)
        {
            case "publish":
                return new(_ => Post($"/api/evaluations/{world.Q1}/publish?noticeDays=5"), HttpStatusCode.OK, [Who.Office], async (_, r) =>
                {
                    var p = await Json(r);
                    Assert.Equal(("provisional", world.Q1, 1, "2026-03-18"), (p.GetProperty("state").GetString(), p.GetProperty("runId").GetString(),
                        p.GetProperty("revision").GetInt32(), p.GetProperty("lastDay").GetString()));
                });
            case "notices":
                return new(_ => Get("/api/periods/2025Q4/notices/county"), HttpStatusCode.OK, [Who.Office, Who.OwnUnit, Who.OtherUnit, Who.UnitNotInRun], async (_, r) =>
                {
                    var n = await Json(r);
                    Assert.Equal((world.Q4, "provisional", 30, "2026-04-09"), (n.GetProperty("current").GetProperty("runId").GetString(),
                        n.GetProperty("current").GetProperty("state").GetString(), n.GetProperty("current").GetProperty("noticeDays").GetInt32(),
                        n.GetProperty("current").GetProperty("lastDay").GetString()));
                    Assert.True(n.GetProperty("filed").GetInt32() >= 1);
                });
            case "final":
                return new(_ => Post("/api/periods/2025Q2/notices/county/final"), HttpStatusCode.OK, [Who.Office], async (_, r) =>
                {
                    var p = await Json(r);
                    Assert.Equal(("final", world.Q2, "office"), (p.GetProperty("state").GetString(), p.GetProperty("runId").GetString(), p.GetProperty("closedBy").GetString()));
                    Assert.Equal(ReviewApiWorld.T0.AddDays(3), p.GetProperty("closedAt").GetDateTimeOffset());
                });
            case "withdrawPublication":
                return new(_ => Post($"/api/evaluations/{world.Q3}/withdraw", Api.Json("""{"reason":"数据口径有误"}""")), HttpStatusCode.OK, [Who.Office], async (_, r) =>
                {
                    var p = await Json(r);
                    Assert.Equal(("withdrawn", world.Q3, "数据口径有误"), (p.GetProperty("state").GetString(), p.GetProperty("runId").GetString(), p.GetProperty("closedNote").GetString()));
                    var n = await (await world.Office.GetAsync("/api/periods/2025Q3/notices/county")).JsonAsync(HttpStatusCode.OK);
                    Assert.Equal(JsonValueKind.Null, n.GetProperty("current").ValueKind);
                });
            case "file":
                return new(_ => Post("/api/reviews", ReviewApiWorld.Request(world.Q4, "indicator", "rev", "收入口径有误", ("证明.pdf", ReviewApiWorld.Pdf("证明")))),
                    HttpStatusCode.Created, [Who.OwnUnit, Who.OtherUnit], async (who, r) =>
                    {
                        var filed = await Json(r);
                        Assert.Equal((who == Who.OwnUnit ? "A1" : "A2", "open", world.Q4, 1), (filed.GetProperty("unit").GetString(),
                            filed.GetProperty("state").GetString(), filed.GetProperty("runId").GetString(), filed.GetProperty("files").GetArrayLength()));
                    });
            case "list":
                return new(_ => Get("/api/reviews?period=2025Q4"), HttpStatusCode.OK, [Who.Office, Who.OwnUnit, Who.OtherUnit, Who.UnitNotInRun], async (who, r) =>
                {
                    var units = (await Json(r)).GetProperty("reviews").EnumerateArray().Select(x => x.GetProperty("unit").GetString()).ToList();
                    var all = (await (await world.Office.GetAsync("/api/reviews?period=2025Q4")).JsonAsync(HttpStatusCode.OK)).GetProperty("reviews").GetArrayLength();
                    switch (who)
                    {
                        case Who.Office:
                            Assert.Equal(all, units.Count);
                            Assert.Contains("A1", units);
                            break;
                        case Who.OwnUnit:
                            Assert.NotEmpty(units);
                            Assert.All(units, u => Assert.Equal("A1", u));
                            break;
                        case Who.OtherUnit:
                            Assert.All(units, u => Assert.Equal("A2", u));
                            break;
                        default:
                            Assert.Empty(units);
                            break;
                    }
                });
            case "get":
                return new(_ => Get($"/api/reviews/{world.ReadId}"), HttpStatusCode.OK, [Who.Office, Who.OwnUnit], async (_, r) =>
                {
                    var g = await Json(r);
                    Assert.Equal((world.ReadId, "A1", "fai"), (g.GetProperty("id").GetString(), g.GetProperty("unit").GetString(), g.GetProperty("target").GetString()));
                }, [Who.OtherUnit, Who.UnitNotInRun]);
            case "answer":
            {
                var id = (await world.FileAsync("A1", world.Q4, "rev", "待答复的申请")).GetProperty("id").GetString();
                return new(_ => Post($"/api/reviews/{id}/answer", Api.Json("""{"decision":"uphold","reason":"数据无误"}""")), HttpStatusCode.OK, [Who.Office], async (_, r) =>
                {
                    var a = await Json(r);
                    Assert.Equal(("upheld", "维持", "office", 2), (a.GetProperty("state").GetString(), a.GetProperty("stateName").GetString(),
                        a.GetProperty("answeredBy").GetString(), a.GetProperty("version").GetInt32()));
                });
            }
            case "withdraw":
            {
                var id = (await world.FileAsync("A1", world.Q4, "rev", "将撤回的申请")).GetProperty("id").GetString();
                return new(_ => Post($"/api/reviews/{id}/withdraw", Api.Json("""{"reason":"已弄清口径"}""")), HttpStatusCode.OK, [Who.OwnUnit], async (_, r) =>
                {
                    var w = await Json(r);
                    Assert.Equal(("withdrawn", "已弄清口径", "unit:A1"), (w.GetProperty("state").GetString(), w.GetProperty("answer").GetString(), w.GetProperty("answeredBy").GetString()));
                }, [Who.OtherUnit, Who.UnitNotInRun]);
            }
            default:
                return new(_ => Get($"/api/reviews/{world.ReadId}/files/{ReviewApiWorld.Sha256(ReviewMatrixWorld.Evidence)}"), HttpStatusCode.OK, [Who.Office, Who.OwnUnit],
                    async (_, r) =>
                    {
                        Assert.Equal(ReviewMatrixWorld.Evidence, await r.Content.ReadAsByteArrayAsync());
                        Assert.Equal("application/pdf", r.Content.Headers.ContentType?.MediaType);
                        Assert.Equal("attachment", r.Content.Headers.ContentDisposition?.DispositionType);
                        Assert.Equal("投资台账.pdf", r.Content.Headers.ContentDisposition?.FileNameStar);
                        Assert.Equal("nosniff", Assert.Single(r.Headers.GetValues("X-Content-Type-Options")));
                    }, [Who.OtherUnit, Who.UnitNotInRun]);
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_route_answers_each_caller_exactly_as_the_contract_names(string route)
    {
        var c = await CaseAsync(route);
        var order = Everyone.Where(w => !c.Allowed.Contains(w)).Concat(c.Allowed);
        foreach (var who in order)
        {
            var before = await world.SnapshotAsync();
            using var client = Client(who);
            var response = await client.SendAsync(c.Request(null));
            var expected = c.Allowed.Contains(who) ? c.Success : who == Who.Anonymous ? HttpStatusCode.Unauthorized
                : c.Hidden?.Contains(who) == true ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden;
            Assert.True(expected == response.StatusCode,
                $"{route} as {who}: {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync()}");
            if (c.Allowed.Contains(who))
            {
                await c.Check(who, response);
                continue;
            }
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal((int)expected, (await Json(response)).GetProperty("status").GetInt32());
            Assert.Equal(before, await world.SnapshotAsync());
        }
    }

    [Fact]
    public async Task Through_the_worker_pipeline_the_requests_unit_reads_it_another_unit_is_refused_and_a_unit_files_with_evidence()
    {
        // As the Functions host drives it (functions.metadata's route, the worker middleware, the bound parameters).
        HttpRequestMessage Read(string unit) => new(HttpMethod.Get, $"/api/reviews/{world.ReadId}")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", world.App.Token("unit", unit)) },
        };
        var refused = await WorkerInvocation.SendAsync(world.App.Services, Read("A2"));
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.Equal(404, JsonDocument.Parse(refused.Text).RootElement.GetProperty("status").GetInt32());
        var read = await WorkerInvocation.SendAsync(world.App.Services, Read("A1"));
        Assert.True(read.Status == HttpStatusCode.OK, read.Text);
        Assert.Equal("A1", JsonDocument.Parse(read.Text).RootElement.GetProperty("unit").GetString());

        // A multipart request with its evidence, as the host forwards it: T1 (no result in the run) refused, B1 filed.
        HttpRequestMessage File(string unit) => new(HttpMethod.Post, "/api/reviews")
        {
            Content = ReviewApiWorld.Request(world.Q4, "indicator", "fai", "经宿主提出", ("说明.pdf", ReviewApiWorld.Pdf("经宿主"))),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", world.App.Token("unit", unit)) },
        };
        var before = await world.SnapshotAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await WorkerInvocation.SendAsync(world.App.Services, File("T1"))).Status);
        Assert.Equal(before, await world.SnapshotAsync());
        var filed = await WorkerInvocation.SendAsync(world.App.Services, File("B1"));
        Assert.True(filed.Status == HttpStatusCode.Created, filed.Text);
        var request = JsonDocument.Parse(filed.Text).RootElement;
        Assert.Equal(("B1", "open", 1), (request.GetProperty("unit").GetString(), request.GetProperty("state").GetString(), request.GetProperty("files").GetArrayLength()));
    }
}
