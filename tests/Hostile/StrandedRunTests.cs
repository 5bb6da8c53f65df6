using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Hostile;

/// <summary>Issue 14 item 8 (the part the store contract allows): a run a killed process left running is found and failed with its reason.</summary>
public sealed class StrandedRunTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private readonly TestClock _clock = new(new DateTimeOffset(2025, 10, 8, 9, 0, 0, TimeSpan.Zero));
    private IAssessStore _store = null!;
    private AssessmentService _service = null!;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, _clock, null);
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await _service.ActivateRulesetAsync("mini", 1, "chief");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    [Fact]
    public async Task A_run_left_running_past_its_lease_is_marked_failed_with_the_reason_and_a_fresh_one_is_not()
    {
        // A process started run A at 09:00 and died; run B was queued at 09:30 and is still within its lease at 10:15.
        var stranded = await _service.RequestRunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        await _store.StartRunAsync(stranded.Id, _clock.Now);
        _clock.Now = _clock.Now.AddMinutes(30);
        var fresh = await _service.RequestRunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        _clock.Now = _clock.Now.AddMinutes(45);

        var failed = await _service.Runs.FailStrandedRunsAsync(BaiQianWan.Assess.Workflow.Runs.RunService.DefaultLease);

        var run = Assert.Single(failed);
        Assert.Equal(stranded.Id, run.Id);
        Assert.Equal(RunStatus.Failed, (await _store.GetRunAsync(stranded.Id))!.Status);
        Assert.Equal("运行中断：2025-10-08 09:00 UTC 开始运行后超过 60 分钟没有完成（进程可能已退出或消息丢失），已标记为失败，请重新运行",
            (await _store.GetRunAsync(stranded.Id))!.Reason);
        Assert.Equal(RunStatus.Queued, (await _store.GetRunAsync(fresh.Id))!.Status);

        // A second sweep finds nothing more; the failed run can never be published.
        Assert.Empty(await _service.Runs.FailStrandedRunsAsync(BaiQianWan.Assess.Workflow.Runs.RunService.DefaultLease));
        await Assert.ThrowsAsync<StoreException>(() => _service.PublishAsync(stranded.Id, "office"));
    }
}
