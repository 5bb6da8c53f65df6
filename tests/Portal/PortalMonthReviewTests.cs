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
/// Notice and review of a month in the portal (annual contract §3, "for any evaluation"), through the app's own HTTP
/// pipeline on <see cref="MiniMonth"/>'s June, published with 5 days of notice: the month panel of a unit's home shows the
/// request form while 公示中 (its indicators with the lights they got, worked by hand in <see cref="MiniMonth"/>), the unit
/// files on its June light, and the refusals as for quarters: another unit 403, an indicator the month lacks 422, after
/// the deadline 409 (and the form gone). Each step is checked in the store.
/// </summary>
public sealed partial class PortalMonthReviewTests() : PortalAppTest("portal-month-review")
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private AssessmentService Service => App.Services.GetRequiredService<AssessmentService>();

    private ReviewService Reviews => Service.Reviews!;

    private static readonly ReviewActor Office = ReviewActor.Office("office");

    private static MultipartFormDataContent Request(string token, string target, string reason) => new()
    {
        { new StringContent(token), "__af" },
        { new StringContent(target), "target" },
        { new StringContent(reason), "reason" },
    };

    [Fact]
    public async Task The_month_panel_takes_a_units_request_on_its_light_while_the_month_is_under_notice()
    {
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await Service.ImportObservationsAsync(Mini.Bytes(MiniMonth.ObservationsCsv), "months.csv", "office");
        var v = await Service.AddRulesetAsync(MiniMonth.MonitorYaml, "m.yaml", "author");
        await Service.ActivateRulesetAsync("mini-monthly", v.Version, "office");
        var run = await Service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", null, "office");
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var notice = await Reviews.PublishAsync(run.Id, Office, noticeDays: 5);

        // A2's home: the month panel with the form; the one indicator with the light A2 got (yellow twice → red).
        using var a2 = App.Client(App.Token("unit", "A2"));
        var home = await a2.GetStringAsync("/units/A2");
        var panel = Regex.Match(home, "data-testid=\"unit-month\".*?</section>\\s*</section>", RegexOptions.Singleline).Value;
        Assert.Contains("data-testid=\"file-review\"", panel);
        Assert.Equal([("indicator:fai", "指标：固定资产投资（fai），红灯")], Targets(panel));
        Assert.Contains("action=\"/units/A2/scorecards/2025-06/reviews\"", panel);

        var filed = await a2.PostAsync("/units/A2/scorecards/2025-06/reviews", Request(AntiforgeryToken(panel), "indicator:fai", "6 月投资漏报一个项目"));
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        Assert.Equal("/units/A2?done=filed", filed.Headers.Location!.OriginalString);
        var rv = await Reviews.GetAsync("rv-000001", Office);
        Assert.Equal((ReviewState.Open, "A2", ReviewTargetKind.Indicator, "fai", run.Id, 1, MiniMonth.June),
            (rv.State, rv.Unit, rv.TargetKind, rv.Target, rv.RunId, rv.Revision, rv.Period));
        Assert.Equal([("rv-000001", "open")], Requests(await a2.GetStringAsync("/units/A2")));
        // The office's notice page of the month names the target as the month panel does (the monitor's name, with its id).
        using var office = App.Client(App.Token("office"));
        var page = await office.GetStringAsync("/office/notices/2025-06/county");
        var cell = Regex.Match(page, "<td data-label=\"复核事项\" data-target=\"([^\"]+)\">(.*?)</td>", RegexOptions.Singleline);
        Assert.Equal(("indicator:fai", "指标：固定资产投资（fai）"), (cell.Groups[1].Value, WebUtility.HtmlDecode(cell.Groups[2].Value).Trim()));

        // Another unit is refused on A2's month (403); A1 on an indicator its month lacks (422); nothing written.
        using var a1 = App.Client(App.Token("unit", "A1"));
        var token = AntiforgeryToken(await a1.GetStringAsync("/units/A1"));
        Assert.Equal(HttpStatusCode.Forbidden, (await a1.PostAsync("/units/A2/scorecards/2025-06/reviews", Request(token, "indicator:fai", "代为申请"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await a1.PostAsync("/units/A1/scorecards/2025-06/reviews", Request(token, "indicator:rev", "x"))).StatusCode);
        Assert.Single(await Reviews.ListAsync(Office));

        // At the deadline: the form is gone, the mark stays, a post is refused (409).
        App.Clock.Now = notice.Deadline!.Value;
        var late = await a1.GetStringAsync("/units/A1");
        Assert.DoesNotContain("data-testid=\"file-review\"", late);
        Assert.Contains("data-testid=\"review-closed\"", late);
        Assert.Equal(HttpStatusCode.Conflict, (await a1.PostAsync("/units/A1/scorecards/2025-06/reviews",
            Request(token, "indicator:fai", "再问一次"))).StatusCode);
        Assert.Single(await Reviews.ListAsync(Office));
    }

    private static List<(string, string)> Targets(string html) =>
        [.. Regex.Matches(Regex.Match(html, "<select id=\"review-target\".*?</select>", RegexOptions.Singleline).Value, "<option value=\"([^\"]+)\">([^<]*)<")
            .Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)))];

    private static List<(string, string)> Requests(string html) =>
        [.. Regex.Matches(html, "<tr data-review=\"([^\"]+)\" data-state=\"([^\"]+)\"").Select(m => (m.Groups[1].Value, m.Groups[2].Value))];
}
