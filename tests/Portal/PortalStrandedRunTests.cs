using System.Net;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 14 item 8 from the portal: starting an evaluation on the runs page fails a run a crashed worker left silent past
/// its lease, as the API does, and the run's page shows the office why.
/// </summary>
public sealed class PortalStrandedRunTests() : PortalAppTest("portal-stranded")
{
    [Fact]
    public async Task Starting_a_run_in_the_portal_fails_a_run_silent_past_its_lease_and_its_page_says_why()
    {
        using var office = App.Client(App.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025Q3/observations?file=o.csv", Api.Csv(TestProvince.ObservationsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/rulesets/county-2025", Api.Yaml(SampleRulesets.County))).JsonAsync(HttpStatusCode.Created);
        await (await office.PostAsync("/api/rulesets/county-2025/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);

        // A worker started a run and died without a heartbeat; 61 minutes later the office starts one from the portal.
        var service = App.Services.GetRequiredService<AssessmentService>();
        var store = App.Services.GetRequiredService<IAssessStore>();
        var start = App.Clock.Now;
        var stranded = (await service.RequestRunAsync(Period.OfQuarter(2025, 3), UnitLevel.County, "county-2025", 1, "office")).Id;
        await store.StartRunAsync(stranded, start);
        App.Clock.Now = start.AddMinutes(61);

        var token = AntiforgeryToken(await office.GetStringAsync("/office/runs"));
        var started = await office.PostAsync("/office/runs", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [Antiforgery.FieldName] = token, ["period"] = "2025Q3", ["ruleset"] = "county-2025",
        }));
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.NotEqual($"/office/runs/{stranded}", started.Headers.Location!.OriginalString);

        var run = await store.GetRunAsync(stranded);
        Assert.Equal(RunStatus.Failed, run!.Status);
        Assert.StartsWith("运行中断：2025-10-08 01:00 UTC 开始运行后超过 60 分钟没有完成", run.Reason);
        Assert.Contains("运行中断：2025-10-08 01:00 UTC 开始运行后超过 60 分钟没有完成", WebUtility.HtmlDecode(await office.GetStringAsync($"/office/runs/{stranded}")));
    }
}
