using System.Net;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// Issue 14 item 8 over HTTP: a new evaluation request fails a run its crashed worker left silent past its lease
/// (counted from its last heartbeat, not its start), and the office reads why on <c>GET /api/evaluations/{id}</c>.
/// </summary>
public sealed class StrandedRunApiTests
{
    private const string Body = """{"period":"2025Q3","level":"county","ruleset":"county-2025","version":1}""";

    [Fact]
    public async Task A_new_request_fails_a_run_silent_past_its_lease_and_the_office_reads_why()
    {
        var directory = Directory.CreateTempSubdirectory("bqw-stranded-").FullName;
        await using var app = new AssessAppFactory("sqlite", Path.Combine(directory, "a.db"));
        using var office = app.Client(app.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/periods/2025Q3/observations?file=o.csv", Api.Csv(TestProvince.ObservationsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await office.PutAsync("/api/rulesets/county-2025", Api.Yaml(SampleRulesets.County))).JsonAsync(HttpStatusCode.Created);

        // A worker started a run at 01:00 UTC, said it was at work at 01:30, and died.
        var service = app.Services.GetRequiredService<AssessmentService>();
        var store = app.Services.GetRequiredService<IAssessStore>();
        var start = app.Clock.Now;
        var stranded = (await service.RequestRunAsync(Period.OfQuarter(2025, 3), UnitLevel.County, "county-2025", 1, "office")).Id;
        await store.StartRunAsync(stranded, start);
        await store.RenewRunAsync(stranded, start.AddMinutes(30));

        // 80 minutes after it started, 50 after its heartbeat: a new request leaves it running.
        app.Clock.Now = start.AddMinutes(80);
        var first = await (await office.PostAsync("/api/evaluations", Api.Json(Body))).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("succeeded", (await Api.WaitForRunAsync(office, first.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        Assert.Equal("running", (await (await office.GetAsync($"/api/evaluations/{stranded}")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());

        // 95 minutes after it started, 65 after its heartbeat: the next request fails it with the reason.
        app.Clock.Now = start.AddMinutes(95);
        var second = await (await office.PostAsync("/api/evaluations", Api.Json(Body))).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("succeeded", (await Api.WaitForRunAsync(office, second.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        var failed = await (await office.GetAsync($"/api/evaluations/{stranded}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(start.AddMinutes(30), failed.GetProperty("heartbeatAt").GetDateTimeOffset());
        Assert.Equal("运行中断：2025-10-08 01:30 UTC 最后一次报告进度后超过 60 分钟没有完成（进程可能已退出或消息丢失），已标记为失败，请重新运行",
            failed.GetProperty("reason").GetString());
    }
}
