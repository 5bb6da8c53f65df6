using System.Net;
using System.Text.RegularExpressions;
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
public sealed partial class PortalStrandedRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-portal-stranded-").FullName;
    private readonly AssessAppFactory _app;

    public PortalStrandedRunTests() => _app = new AssessAppFactory("sqlite", Path.Combine(_dir, "a.db"));

    public void Dispose()
    {
        _app.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Starting_a_run_in_the_portal_fails_a_run_silent_past_its_lease_and_its_page_says_why()
    {
        using var office = _app.Client(_app.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025Q3/observations?file=o.csv", Api.Csv(TestProvince.ObservationsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/rulesets/county-2025", Api.Yaml(SampleRulesets.County))).JsonAsync(HttpStatusCode.Created);
        await (await office.PostAsync("/api/rulesets/county-2025/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);

        // A worker started a run and died without a heartbeat; 61 minutes later the office starts one from the portal.
        var service = _app.Services.GetRequiredService<AssessmentService>();
        var store = _app.Services.GetRequiredService<IAssessStore>();
        var start = _app.Clock.Now;
        var stranded = (await service.RequestRunAsync(Period.OfQuarter(2025, 3), UnitLevel.County, "county-2025", 1, "office")).Id;
        await store.StartRunAsync(stranded, start);
        _app.Clock.Now = start.AddMinutes(61);

        var token = FieldValue().Match(await office.GetStringAsync("/office/runs")).Groups[1].Value;
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

    [GeneratedRegex("""name="__af" value="([^"]+)" """)]
    private static partial Regex FieldValue();
}
