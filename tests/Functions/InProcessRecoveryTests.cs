using System.Net;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>Standalone, a run requested but not yet worked on when the process stopped is taken up at the next start.</summary>
public sealed class InProcessRecoveryTests
{
    [Fact]
    public async Task A_run_left_queued_is_evaluated_and_rendered_when_the_app_starts_again()
    {
        var directory = Directory.CreateTempSubdirectory("bqw-recovery-").FullName;
        var db = Path.Combine(directory, "a.db");
        string runId;
        await using (var first = new AssessAppFactory("sqlite", db))
        {
            using var office = first.Client(first.Token("office"));
            await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
            await (await office.PutAsync("/api/periods/2025Q3/observations?file=o.csv", Api.Csv(TestProvince.ObservationsCsv()))).JsonAsync(HttpStatusCode.OK);
            await (await office.PutAsync("/api/rulesets/county-2025", Api.Yaml(SampleRulesets.County))).JsonAsync(HttpStatusCode.Created);
            // Requested straight on the workflow, as if the process had stopped before dispatching it.
            var service = first.Services.GetRequiredService<AssessmentService>();
            runId = (await service.RequestRunAsync(Period.OfQuarter(2025, 3), UnitLevel.County, "county-2025", 1, "office")).Id;
            Assert.Equal(RunStatus.Queued, (await service.GetRunAsync(runId))!.Status);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var second = new AssessAppFactory("sqlite", db);
        using var again = second.Client(second.Token("office"));
        var run = await Api.WaitForRunAsync(again, runId);
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(TestProvince.Counties.Count(c => c.Class is "创先" or "进位" or "消薄"), run.GetProperty("documents").GetProperty("scorecardsStored").GetInt32());
    }
}
