using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Reviews;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Notice and review (公示、复核) in the portal through the app's own HTTP pipeline, on the mini province's 2025Q2 county
/// run: the office publishes with a notice from the run's page, B1 files a request with a PDF from its scorecard, the
/// office answers 更正, a correction run published with its own notice replaces the first, and the office makes it final
/// after the deadline; the 公示稿 mark is on B1's pages until then. And the refusals: another unit, after the deadline,
/// final too early or while a correction is pending. Each step is checked in the store (states, revisions, runs,
/// versions), never by the pages' wording alone.
/// </summary>
public sealed partial class PortalNoticeFlowTests() : PortalAppTest("portal-notice")
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // The app's clock starts at 2025-10-08 09:00 China time: 5 days of notice end with 2025-10-13, i.e. before 2025-10-14 00:00+08:00.
    private static readonly DateTimeOffset Deadline5 = new(2025, 10, 14, 0, 0, 0, China);

    private static readonly byte[] Pdf = "%PDF-1.4\n% B1 投资台账\n%%EOF\n"u8.ToArray();

    private AssessmentService Service => App.Services.GetRequiredService<AssessmentService>();

    private ReviewService Reviews => Service.Reviews!;

    private static readonly ReviewActor Office = ReviewActor.Office("office");

    private async Task<string> SeedAsync()
    {
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await Service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        var v = await Service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await Service.ActivateRulesetAsync("mini", v.Version, "office");
        return await RunQ2Async();
    }

    private async Task<string> RunQ2Async()
    {
        var run = await Service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        return run.Id;
    }

    private HttpClient OfficeClient() => App.Client(App.Token("office"));

    private HttpClient UnitClient(string code) => App.Client(App.Token("unit", code));

    /// <summary>The antiforgery token a page gives this caller.</summary>
    private static async Task<string> TokenAsync(HttpClient client, string page) => AntiforgeryToken(await client.GetStringAsync(page));

    private static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new(new[] { new KeyValuePair<string, string>("__af", token) }.Concat(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    private static MultipartFormDataContent Request(string token, string target, string reason, (string Name, byte[] Content)? file = null)
    {
        var multipart = new MultipartFormDataContent
        {
            { new StringContent(token), "__af" },
            { new StringContent(target), "target" },
            { new StringContent(reason), "reason" },
        };
        if (file is { } f)
        {
            var content = new ByteArrayContent(f.Content);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            multipart.Add(content, "files", f.Name);
        }
        return multipart;
    }

    private async Task<HttpResponseMessage> PublishAsync(HttpClient office, string runId, string mode, int days)
    {
        var token = await TokenAsync(office, $"/office/runs/{runId}");
        return await office.PostAsync($"/office/runs/{runId}/publish", Form(token, ("mode", mode), ("days", days.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    private async Task<HttpResponseMessage> FileAsync(HttpClient unit, string page, string code, string target, (string, byte[])? file = null)
    {
        var token = await TokenAsync(unit, page);
        return await unit.PostAsync($"/units/{code}/scorecards/2025Q2/reviews", Request(token, target, "投资额漏报了一个项目", file));
    }

    [Fact]
    public async Task A_request_answered_corrected_is_replaced_by_the_correction_run_which_the_office_makes_final()
    {
        var run1 = await SeedAsync();
        using var office = OfficeClient();
        using var b1 = UnitClient("B1");

        // The office publishes with 5 days of notice from the run's page.
        var runPage = await office.GetStringAsync($"/office/runs/{run1}");
        Assert.Contains("data-testid=\"publish-form\"", runPage);
        var published = await PublishAsync(office, run1, "notice", 5);
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal($"/office/runs/{run1}?done=noticed", published.Headers.Location!.OriginalString);
        var notice = (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!;
        Assert.Equal((NoticeState.Provisional, 1, run1, 5, Deadline5, "office"), (notice.State, notice.Revision, notice.RunId, notice.NoticeDays!.Value, notice.Deadline!.Value, notice.Actor));
        Assert.Equal("provisional", State(await office.GetStringAsync($"/office/runs/{run1}"), "notice-state"));

        // B1's pages carry the 公示稿 mark with the deadline: its scorecard (with the form), its home (and the quarter's row), its class bulletin.
        var card = await b1.GetStringAsync("/units/B1/scorecards/2025Q2");
        Assert.Equal("2025-10-13 24:00", Deadline(card));
        Assert.Equal("70.00", Text(card, "total"));
        Assert.Equal(["indicator:fai", "indicator:rev", "adjustment:honor"], Targets(card));
        var home = await b1.GetStringAsync("/units/B1");
        Assert.Equal("2025-10-13 24:00", Deadline(home));
        Assert.Contains("data-testid=\"draft-tag\"", home);
        Assert.Equal("2025-10-13 24:00", Deadline(await b1.GetStringAsync("/units/B1/bulletin/2025Q2")));

        // B1 files a request about its investment with a PDF; its scorecard lists it, open, with the file to download.
        var filed = await FileAsync(b1, "/units/B1/scorecards/2025Q2", "B1", "indicator:fai", ("台账.pdf", Pdf));
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        Assert.Equal("/units/B1/scorecards/2025Q2?done=filed", filed.Headers.Location!.OriginalString);
        var rv1 = await Reviews.GetAsync("rv-000001", Office);
        Assert.Equal((ReviewState.Open, "B1", ReviewTargetKind.Indicator, "fai", run1, 1, "unit:B1", 1),
            (rv1.State, rv1.Unit, rv1.TargetKind, rv1.Target, rv1.RunId, rv1.Revision, rv1.FiledBy, rv1.Version));
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdf));
        Assert.Equal(sha, Assert.Single(rv1.Files).Sha256);
        card = await b1.GetStringAsync("/units/B1/scorecards/2025Q2");
        Assert.Equal([("rv-000001", "open")], Requests(card));
        Assert.Contains($"href=\"/reviews/rv-000001/files/{sha}\"", card);
        var download = await b1.GetAsync($"/reviews/rv-000001/files/{sha}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);

        // The office's notice page: provisional, the request with its file; the office downloads it too.
        var page = await office.GetStringAsync("/office/notices/2025Q2/county");
        Assert.Equal("provisional", State(page, "notice-state"));
        Assert.Equal([("rv-000001", "open")], Requests(page));
        Assert.Contains("data-testid=\"answer-rv-000001\"", page);
        Assert.Equal(Pdf, await (await office.GetAsync($"/reviews/rv-000001/files/{sha}")).Content.ReadAsByteArrayAsync());
        var list = await office.GetStringAsync("/office/notices");
        Assert.Equal([("2025Q2", "county", "provisional")], NoticeRows(list));

        // Not final before the deadline: the page again (409) with the reason, nothing changed.
        var early = await office.PostAsync("/office/notices/2025Q2/county/final", Form(AntiforgeryToken(page)));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("role=\"alert\"", await early.Content.ReadAsStringAsync());
        Assert.Equal(NoticeState.Provisional, (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!.State);

        // The office answers 更正.
        App.Clock.Now = new DateTimeOffset(2025, 10, 10, 10, 0, 0, China);
        var answered = await office.PostAsync("/reviews/rv-000001/answer", Form(AntiforgeryToken(page), ("decision", "corrected"), ("reason", "核实漏报，更正数据")));
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        Assert.Equal("/office/notices/2025Q2/county?done=answered", answered.Headers.Location!.OriginalString);
        rv1 = await Reviews.GetAsync("rv-000001", Office);
        Assert.Equal((ReviewState.Correcting, "office", 2), (rv1.State, rv1.AnsweredBy, rv1.Version));
        Assert.Equal([("rv-000001", "correcting")], Requests(await b1.GetStringAsync("/units/B1/scorecards/2025Q2")));

        // After the deadline: not final while the correction is pending.
        App.Clock.Now = Deadline5;
        page = await office.GetStringAsync("/office/notices/2025Q2/county");
        var pending = await office.PostAsync("/office/notices/2025Q2/county/final", Form(AntiforgeryToken(page)));
        Assert.Equal(HttpStatusCode.Conflict, pending.StatusCode);
        Assert.Contains("rv-000001", Alert(await pending.Content.ReadAsStringAsync()));
        Assert.Equal(NoticeState.Provisional, (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!.State);

        // The correction: B1's investment was 50, not 25 (total 70 → 100); the new run published with 3 days replaces the first.
        await Service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nB1,fai,2025Q2,50,50,\n"), "b1.csv", "office");
        var run2 = await RunQ2Async();
        App.Clock.Now = new DateTimeOffset(2025, 10, 14, 10, 0, 0, China);
        var republished = await PublishAsync(office, run2, "notice", 3);
        Assert.Equal(HttpStatusCode.Redirect, republished.StatusCode);
        var deadline3 = new DateTimeOffset(2025, 10, 18, 0, 0, 0, China);
        Assert.Equal([(1, NoticeState.Replaced, run1), (2, NoticeState.Provisional, run2)],
            (await Reviews.GetNoticesAsync(Mini.Q2, UnitLevel.County)).Select(n => (n.Revision, n.State, n.RunId)));
        Assert.Equal(deadline3, (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!.Deadline);
        rv1 = await Reviews.GetAsync("rv-000001", Office);
        Assert.Equal((ReviewState.Corrected, run2), (rv1.State, rv1.CorrectingRunId));
        card = await b1.GetStringAsync("/units/B1/scorecards/2025Q2");
        Assert.Equal("100.00", Text(card, "total"));
        Assert.Equal("2025-10-17 24:00", Deadline(card));
        Assert.Equal([("rv-000001", "corrected")], Requests(card));
        page = await office.GetStringAsync("/office/notices/2025Q2/county");
        Assert.Equal([(2, "provisional"), (1, "replaced")], History(page));

        // After the new deadline, every request answered: final. The marks go; the counts are N = 1, M = 1.
        App.Clock.Now = deadline3;
        var final = await office.PostAsync("/office/notices/2025Q2/county/final", Form(AntiforgeryToken(page)));
        Assert.Equal(HttpStatusCode.Redirect, final.StatusCode);
        Assert.Equal("/office/notices/2025Q2/county?done=final", final.Headers.Location!.OriginalString);
        var made = (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!;
        Assert.Equal((NoticeState.Final, 2, run2, deadline3, "office"), (made.State, made.Revision, made.RunId, made.ClosedAt!.Value, made.ClosedBy));
        page = await office.GetStringAsync("/office/notices/2025Q2/county");
        Assert.Equal("final", State(page, "notice-state"));
        Assert.Equal([1, 1], Numbers(Text(page, "review-counts")));
        Assert.DoesNotContain("data-testid=\"make-final\"", page);
        foreach (var url in new[] { "/units/B1/scorecards/2025Q2", "/units/B1", "/units/B1/bulletin/2025Q2" })
        {
            var html = await b1.GetStringAsync(url);
            Assert.DoesNotContain("data-testid=\"draft-mark\"", html);
            Assert.DoesNotContain("data-testid=\"draft-tag\"", html);
        }
        Assert.DoesNotContain("data-testid=\"file-review\"", await b1.GetStringAsync("/units/B1/scorecards/2025Q2"));
    }

    [Fact]
    public async Task Another_unit_a_request_after_the_deadline_and_a_final_publication_before_an_answer_are_refused()
    {
        var run = await SeedAsync();
        using var office = OfficeClient();
        Assert.Equal(HttpStatusCode.Redirect, (await PublishAsync(office, run, "notice", 5)).StatusCode);
        using var b1 = UnitClient("B1");
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(b1, "/units/B1/scorecards/2025Q2", "B1", "indicator:fai", ("台账.pdf", Pdf))).StatusCode);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdf));

        // Another unit (A1): not on B1's results, not B1's request, not its file, not the office's pages; nothing written.
        using var a1 = UnitClient("A1");
        var token = await TokenAsync(a1, "/units/A1/scorecards/2025Q2");
        Assert.Equal(HttpStatusCode.Forbidden, (await a1.PostAsync("/units/B1/scorecards/2025Q2/reviews", Request(token, "indicator:fai", "代为申请"))).StatusCode);
        // B1's request and its file are not found for A1, exactly as a request that does not exist (ids cannot be probed).
        Assert.Equal(HttpStatusCode.NotFound, (await a1.PostAsync("/reviews/rv-000001/withdraw", Form(token))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a1.PostAsync("/reviews/rv-000001/answer", Form(token, ("decision", "upheld"), ("reason", "x")))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a1.GetAsync($"/reviews/rv-000001/files/{sha}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a1.GetAsync("/office/notices/2025Q2/county")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a1.GetAsync("/office/notices")).StatusCode);
        // A target A1's results do not have (a veto it was not given): refused as invalid.
        var veto = await a1.PostAsync("/units/A1/scorecards/2025Q2/reviews", Request(token, "veto:fai", "x"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, veto.StatusCode);
        // The office files no request; an author has no business here.
        Assert.Equal(HttpStatusCode.Forbidden, (await office.PostAsync("/units/B1/scorecards/2025Q2/reviews",
            Request(await TokenAsync(office, "/units/B1/scorecards/2025Q2"), "indicator:fai", "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.Client(App.Token("author")).GetAsync("/office/notices/2025Q2/county")).StatusCode);
        var rv1 = await Reviews.GetAsync("rv-000001", Office);
        Assert.Equal((ReviewState.Open, 1), (rv1.State, rv1.Version));
        Assert.Single(await Reviews.ListAsync(Office));

        // B2 files and withdraws its own; A1's withdrawal of B1's was refused above.
        using var b2 = UnitClient("B2");
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(b2, "/units/B2/scorecards/2025Q2", "B2", "indicator:rev")).StatusCode);
        var withdrawn = await b2.PostAsync("/reviews/rv-000002/withdraw", Form(await TokenAsync(b2, "/units/B2/scorecards/2025Q2")));
        Assert.Equal("/units/B2/scorecards/2025Q2?done=withdrawn", withdrawn.Headers.Location!.OriginalString);
        Assert.Equal(ReviewState.Withdrawn, (await Reviews.GetAsync("rv-000002", Office)).State);

        // At the deadline: no request is taken (the form is gone, a post is refused), and rv-000001 unanswered keeps it provisional.
        App.Clock.Now = Deadline5;
        var card = await b2.GetStringAsync("/units/B2/scorecards/2025Q2");
        Assert.DoesNotContain("data-testid=\"file-review\"", card);
        Assert.Contains("data-testid=\"draft-mark\"", card);
        var late = await b2.PostAsync("/units/B2/scorecards/2025Q2/reviews", Request(AntiforgeryToken(card), "indicator:fai", "再问一次"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(2, (await Reviews.ListAsync(Office)).Count);
        var page = await office.GetStringAsync("/office/notices/2025Q2/county");
        Assert.Contains("rv-000001", Text(page, "final-blocked"));
        var unanswered = await office.PostAsync("/office/notices/2025Q2/county/final", Form(AntiforgeryToken(page)));
        Assert.Equal(HttpStatusCode.Conflict, unanswered.StatusCode);
        Assert.Contains("rv-000001", Alert(await unanswered.Content.ReadAsStringAsync()));
        Assert.Equal(NoticeState.Provisional, (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!.State);

        // Upheld, it may be made final; then nothing more is filed.
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostAsync("/reviews/rv-000001/answer",
            Form(AntiforgeryToken(page), ("decision", "upheld"), ("reason", "投资额按统计口径无误")))).StatusCode);
        Assert.Equal(ReviewState.Upheld, (await Reviews.GetAsync("rv-000001", Office)).State);
        Assert.Equal(HttpStatusCode.Redirect, (await office.PostAsync("/office/notices/2025Q2/county/final", Form(AntiforgeryToken(page)))).StatusCode);
        Assert.Equal(NoticeState.Final, (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!.State);
        Assert.Equal([2, 0], Numbers(Text(await office.GetStringAsync("/office/notices/2025Q2/county"), "review-counts")));
    }

    [Fact]
    public async Task The_office_withdraws_a_provisional_publication_and_its_open_requests_close()
    {
        var run = await SeedAsync();
        using var office = OfficeClient();
        await PublishAsync(office, run, "notice", 5);
        using var b1 = UnitClient("B1");
        await FileAsync(b1, "/units/B1/scorecards/2025Q2", "B1", "indicator:fai");
        var page = await office.GetStringAsync("/office/notices/2025Q2/county");
        Assert.Contains("data-testid=\"withdraw-publication\"", page);
        var withdrawn = await office.PostAsync("/office/notices/2025Q2/county/withdraw", Form(AntiforgeryToken(page), ("reason", "数据口径需统一")));
        Assert.Equal("/office/notices/2025Q2/county?done=unpublished", withdrawn.Headers.Location!.OriginalString);
        Assert.Null(await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County));
        var history = Assert.Single(await Reviews.GetNoticesAsync(Mini.Q2, UnitLevel.County));
        Assert.Equal((NoticeState.Withdrawn, "数据口径需统一"), (history.State, history.ClosedNote));
        Assert.Equal(ReviewState.Withdrawn, (await Reviews.GetAsync("rv-000001", Office)).State);
        page = await office.GetStringAsync("/office/notices/2025Q2/county");
        Assert.Equal([(1, "withdrawn")], History(page));
        Assert.Equal([("rv-000001", "withdrawn")], Requests(page));
        // A withdrawal needs its reason: refused on the page, nothing changed (the publication again, then withdrawn without one).
        var again = await PublishAsync(office, run, "notice", 5);
        Assert.True(again.StatusCode == HttpStatusCode.Redirect, await again.Content.ReadAsStringAsync());
        var bare = await office.PostAsync("/office/notices/2025Q2/county/withdraw", Form(AntiforgeryToken(page), ("reason", " ")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bare.StatusCode);
        Assert.Equal(NoticeState.Provisional, (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!.State);
    }

    [Fact]
    public async Task Publishing_finally_from_the_form_leaves_no_mark_and_bad_notice_days_are_refused()
    {
        var run = await SeedAsync();
        using var office = OfficeClient();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PublishAsync(office, run, "notice", 0)).StatusCode);
        var token = await TokenAsync(office, $"/office/runs/{run}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await office.PostAsync($"/office/runs/{run}/publish", Form(token, ("mode", "notice"), ("days", "五")))).StatusCode);
        Assert.Null(await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County));
        // Without a setting the form ticks 正式 and offers 5 days.
        var form = await office.GetStringAsync($"/office/runs/{run}");
        Assert.Matches("data-testid=\"mode-final\"[^>]*checked|checked[^>]*data-testid=\"mode-final\"", form);
        Assert.Contains("value=\"5\"", Regex.Match(form, "<input id=\"notice-days\"[^>]*>").Value);

        var published = await PublishAsync(office, run, "final", 5);
        Assert.Equal($"/office/runs/{run}?done=published", published.Headers.Location!.OriginalString);
        var notice = (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!;
        Assert.Equal((NoticeState.Final, (int?)null), (notice.State, notice.NoticeDays));
        using var b1 = UnitClient("B1");
        var card = await b1.GetStringAsync("/units/B1/scorecards/2025Q2");
        Assert.DoesNotContain("data-testid=\"draft-mark\"", card);
        Assert.DoesNotContain("data-testid=\"file-review\"", card);
        Assert.Equal("final", State(await office.GetStringAsync($"/office/runs/{run}"), "notice-state"));
    }

    [Fact]
    public async Task The_review_lists_name_a_requests_target_as_the_scorecard_does_not_by_its_id()
    {
        var run = await SeedAsync();
        using var office = OfficeClient();
        Assert.Equal(HttpStatusCode.Redirect, (await PublishAsync(office, run, "notice", 5)).StatusCode);
        using var b1 = UnitClient("B1");
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(b1, "/units/B1/scorecards/2025Q2", "B1", "indicator:fai")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await FileAsync(b1, "/units/B1/scorecards/2025Q2", "B1", "adjustment:honor")).StatusCode);
        Assert.Equal([(ReviewTargetKind.Indicator, "fai"), (ReviewTargetKind.Adjustment, "honor")],
            (await Reviews.ListAsync(Office)).OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => (r.TargetKind, r.Target)));

        // The mini ruleset names fai 固定资产投资 and honor 国家级荣誉: the scorecard shows the indicator by its name with its id,
        // the adjustment by its name; the review lists (the office's notice page, B1's scorecard) name them the same way.
        var card = await b1.GetStringAsync("/units/B1/scorecards/2025Q2");
        Assert.Contains("<td data-label=\"指标\"><code>固定资产投资（fai）</code></td>", card);
        Assert.Matches("<li>国家级荣誉：[-0-9.]+</li>", card);
        string[] expected = ["rv-000002 adjustment:honor 加减分项：国家级荣誉", "rv-000001 indicator:fai 指标：固定资产投资（fai）"];
        Assert.Equal(expected, ReviewTargets(card));
        var page = await office.GetStringAsync("/office/notices/2025Q2/county");
        Assert.Equal(expected, ReviewTargets(page));
        Assert.DoesNotContain("<code>fai</code>", page);
    }

    // ---- reading the pages ----

    private static string Text(string html, string testId) =>
        WebUtility.HtmlDecode(Regex.Replace(Regex.Match(html, $"data-testid=\"{testId}\"[^>]*>(.*?)</(p|span|div|dd|code)>", RegexOptions.Singleline).Groups[1].Value, "<[^>]+>", "")).Trim();

    /// <summary>The stored word of the state a tag shows (its class names it: notice-provisional …).</summary>
    private static string State(string html, string testId) =>
        Regex.Match(html, $"class=\"tag notice-(\\w+)\" data-testid=\"{testId}\"").Groups[1].Value;

    private static string Deadline(string html) => Regex.Match(Text(html, "draft-deadline"), @"\d{4}-\d{2}-\d{2} \d{2}:\d{2}").Value;

    private static string Alert(string html) => WebUtility.HtmlDecode(Regex.Match(html, "role=\"alert\">(.*?)</p>", RegexOptions.Singleline).Groups[1].Value);

    private static List<string> Targets(string html) =>
        [.. Regex.Matches(Regex.Match(html, "<select id=\"review-target\".*?</select>", RegexOptions.Singleline).Value, "<option value=\"([^\"]+)\"").Select(m => m.Groups[1].Value)];

    /// <summary>Each listed request's id, its target's form value and the target as the list names it.</summary>
    private static List<string> ReviewTargets(string html) =>
        [.. Regex.Matches(html, "<tr data-review=\"([^\"]+)\".*?<td data-label=\"复核事项\" data-target=\"([^\"]+)\">(.*?)</td>", RegexOptions.Singleline)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value} {WebUtility.HtmlDecode(Regex.Replace(m.Groups[3].Value, "<[^>]+>", "")).Trim()}")];

    private static List<(string, string)> Requests(string html) =>
        [.. Regex.Matches(html, "<tr data-review=\"([^\"]+)\" data-state=\"([^\"]+)\"").Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    private static List<(int, string)> History(string html) =>
        [.. Regex.Matches(html, "<tr data-revision=\"(\\d+)\" data-state=\"([^\"]+)\"").Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value))];

    private static List<(string, string, string)> NoticeRows(string html) =>
        [.. Regex.Matches(html, "<tr data-period=\"([^\"]+)\" data-level=\"([^\"]+)\">.*?class=\"tag notice-(\\w+)\"", RegexOptions.Singleline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value))];

    private static List<int> Numbers(string text) => [.. Regex.Matches(text, @"\d+").Select(m => int.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture))];
}
