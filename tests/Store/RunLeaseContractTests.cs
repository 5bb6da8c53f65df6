using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Issue 13 item 5 (a run's expected documents stored once) and issue 14 item 8 (a lease counted from the run's last
/// heartbeat) on every store implementation: the store contract, then the workflow and its orchestrator on top of it.
/// </summary>
public abstract class RunLeaseContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 8, 1, 0, 0, TimeSpan.Zero);

    protected IAssessStore Store { get; private set; } = null!;

    /// <summary>A new empty store, initialized.</summary>
    protected abstract Task<IAssessStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await CleanupAsync();
    }

    /// <summary>Removes what <see cref="CreateStoreAsync"/> made (files, containers).</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    private static IReadOnlyList<Unit> MiniUnits => DataFiles.ReadUnits(Mini.UnitsCsv, "units.csv").Rows;

    private async Task SeedAsync()
    {
        await Store.ImportUnitsAsync(2025, MiniUnits, new ImportSource("units.csv", Mini.Bytes(Mini.UnitsCsv), "office", T0));
        await Store.ImportObservationsAsync(DataFiles.ReadObservations(Mini.ObservationsCsv, "observations.csv", MiniUnits.Select(u => u.Code).ToHashSet()).Rows,
            new ImportSource("observations.csv", Mini.Bytes(Mini.ObservationsCsv), "office", T0));
        await Store.AddRulesetVersionAsync("mini", Mini.RulesetYaml, Mini.Outline(Mini.RulesetYaml), "author", T0);
    }

    private async Task<EvaluationResult> EvaluateAsync()
    {
        var loaded = RulesetLoader.Load(Mini.RulesetYaml);
        return Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256),
            new Dataset(await Store.GetUnitsAsync(2025), await Store.GetObservationsAsync(Mini.Q2)), Mini.Q2, 1);
    }

    /// <summary>A seeded store with a run started at T0 + 1 h.</summary>
    private async Task<EvaluationRun> RunningAsync()
    {
        await SeedAsync();
        var run = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0));
        return await Store.StartRunAsync(run.Id, T0.AddHours(1));
    }

    private static async Task<StoreError> RefusedAsync(Func<Task> call) => (await Assert.ThrowsAsync<StoreException>(call)).Error;

    // ---- the store contract ----

    [Fact]
    public async Task Saving_results_records_the_documents_they_call_for_with_the_run()
    {
        var run = await RunningAsync();
        Assert.Equal((null, null), (run.ScorecardsExpected, run.BulletinsExpected));
        var result = await EvaluateAsync();

        await Store.SaveResultsAsync(run.Id, result, null);

        // Four county units in two classes: four scorecards and two bulletins, read back without the results.
        Assert.Equal((4, 2), EvaluationRun.ExpectedDocuments(result));
        var saved = (await Store.GetRunAsync(run.Id))!;
        Assert.Equal((4, 2, result.DataSha256), (saved.ScorecardsExpected, saved.BulletinsExpected, saved.DataSha256));
        Assert.Equal(saved, Assert.Single(await Store.ListRunsAsync(Mini.Q2, UnitLevel.County)));
        var done = await Store.CompleteRunAsync(run.Id, RunOutcome.Success, T0.AddHours(2));
        Assert.Equal((4, 2), (done.ScorecardsExpected, done.BulletinsExpected));
        Assert.Equal(done, await Store.GetRunAsync(run.Id));
    }

    [Fact]
    public async Task A_running_run_renews_its_heartbeat_which_never_moves_back_and_writes_no_audit_entry()
    {
        var run = await RunningAsync();
        Assert.Null(run.HeartbeatAt);
        Assert.Equal(T0.AddHours(1), run.LastSeenAt);
        var audit = (await Store.GetAuditLogAsync()).Count;

        var renewed = await Store.RenewRunAsync(run.Id, T0.AddHours(2));
        var late = await Store.RenewRunAsync(run.Id, T0.AddMinutes(90));

        Assert.Equal((RunStatus.Running, T0.AddHours(2), T0.AddHours(2)), (renewed.Status, renewed.HeartbeatAt, renewed.LastSeenAt));
        Assert.Equal(T0.AddHours(2), late.HeartbeatAt);
        var stored = (await Store.GetRunAsync(run.Id))!;
        Assert.Equal(run with { HeartbeatAt = T0.AddHours(2) }, stored);
        Assert.Equal(audit, (await Store.GetAuditLogAsync()).Count);

        // Saving results keeps the heartbeat; the heartbeat keeps the results.
        await Store.SaveResultsAsync(run.Id, await EvaluateAsync(), null);
        await Store.RenewRunAsync(run.Id, T0.AddHours(3));
        var both = (await Store.GetRunAsync(run.Id))!;
        Assert.Equal((T0.AddHours(3), 4, 2), (both.HeartbeatAt, both.ScorecardsExpected, both.BulletinsExpected));
        Assert.NotNull(both.DataSha256);
    }

    [Fact]
    public async Task Only_a_running_run_renews_its_heartbeat()
    {
        await SeedAsync();
        var queued = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0));
        var failed = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0));
        await Store.StartRunAsync(failed.Id, T0);
        await Store.RenewRunAsync(failed.Id, T0.AddMinutes(5));
        await Store.CompleteRunAsync(failed.Id, RunOutcome.Failure("磁盘已满"), T0.AddMinutes(10));
        var succeeded = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0));
        await Store.StartRunAsync(succeeded.Id, T0);
        await Store.SaveResultsAsync(succeeded.Id, await EvaluateAsync(), null);
        await Store.CompleteRunAsync(succeeded.Id, RunOutcome.Success, T0.AddMinutes(10));

        Assert.Equal(StoreError.Conflict, await RefusedAsync(() => Store.RenewRunAsync(queued.Id, T0.AddHours(1))));
        Assert.Equal(StoreError.Conflict, await RefusedAsync(() => Store.RenewRunAsync(failed.Id, T0.AddHours(1))));
        Assert.Equal(StoreError.Conflict, await RefusedAsync(() => Store.RenewRunAsync(succeeded.Id, T0.AddHours(1))));
        Assert.Equal(StoreError.NotFound, await RefusedAsync(() => Store.RenewRunAsync("run-999999", T0.AddHours(1))));

        Assert.Null((await Store.GetRunAsync(queued.Id))!.HeartbeatAt);
        Assert.Equal((RunStatus.Failed, T0.AddMinutes(5)), ((await Store.GetRunAsync(failed.Id))!.Status, (await Store.GetRunAsync(failed.Id))!.HeartbeatAt));
        Assert.Null((await Store.GetRunAsync(succeeded.Id))!.HeartbeatAt);
    }

    [Fact]
    public async Task A_stranded_failure_is_refused_when_the_run_was_seen_since_and_taken_otherwise()
    {
        var run = await RunningAsync();
        await Store.RenewRunAsync(run.Id, T0.AddHours(2));

        // Seen at 03:00 (the heartbeat), after the 02:00 (its start) the sweeper saw.
        Assert.Equal(StoreError.Conflict, await RefusedAsync(() => Store.CompleteRunAsync(run.Id, RunOutcome.Stranded("中断", T0.AddHours(1)), T0.AddHours(4))));
        Assert.Equal(RunStatus.Running, (await Store.GetRunAsync(run.Id))!.Status);

        var failed = await Store.CompleteRunAsync(run.Id, RunOutcome.Stranded("中断", T0.AddHours(2)), T0.AddHours(4));

        Assert.Equal((RunStatus.Failed, "中断", T0.AddHours(4), T0.AddHours(2)), (failed.Status, failed.Reason, failed.CompletedAt, failed.HeartbeatAt));
        Assert.Equal(failed, await Store.GetRunAsync(run.Id));
        Assert.Contains(await Store.GetAuditLogAsync(), a => a.Action == "run.failed" && a.Target == run.Id && a.Detail == "中断");
    }

    [Fact]
    public async Task Heartbeats_racing_the_completion_are_never_lost_nor_written_over_an_ended_run()
    {
        var run = await RunningAsync();
        await Store.SaveResultsAsync(run.Id, await EvaluateAsync(), null);

        var renewals = Enumerable.Range(1, 6).Select(async minute =>
        {
            try
            {
                return (await Store.RenewRunAsync(run.Id, T0.AddHours(1).AddMinutes(minute))).HeartbeatAt;
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict)
            {
                return null; // the run had succeeded already
            }
        }).ToList();
        var completion = Store.CompleteRunAsync(run.Id, RunOutcome.Success, T0.AddHours(2));
        var beats = await Task.WhenAll(renewals);
        await completion;

        // Whatever the order: the run succeeded, and it carries the latest heartbeat any renewal was told it stored.
        var ended = (await Store.GetRunAsync(run.Id))!;
        Assert.Equal(RunStatus.Succeeded, ended.Status);
        Assert.Equal(beats.Where(b => b is not null).DefaultIfEmpty().Max(), ended.HeartbeatAt);
    }

    // ---- the workflow and its orchestrator ----

    private async Task<(AssessmentService Service, TestClock Clock)> SeededServiceAsync()
    {
        var clock = new TestClock();
        var service = new AssessmentService(Store, clock, new TestRenderer());
        await service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        var v = await service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await service.ActivateRulesetAsync("mini", v.Version, "chief");
        return (service, clock);
    }

    [Fact]
    public async Task A_long_run_with_a_recent_heartbeat_is_not_failed_and_one_silent_past_its_lease_is()
    {
        var (service, clock) = await SeededServiceAsync();
        var runs = service.Runs.With(new RunOptions { BatchSize = 1 });
        var (run, batches) = await runs.QueueAsync(Mini.Q2, UnitLevel.County, "office");
        var evaluated = (await Store.GetRunAsync(run.Id))!;
        Assert.Equal((4, RunStatus.Running, 4, 2), (batches.Count, evaluated.Status, evaluated.ScorecardsExpected, evaluated.BulletinsExpected));
        Assert.True(evaluated.HeartbeatAt > evaluated.StartedAt, "the run service renews the heartbeat after evaluating");

        // A slow queue: each batch arrives 50 minutes after the one before, and the timer sweeps between them.
        var after = evaluated;
        foreach (var batch in batches.Take(3))
        {
            clock.Advance(TimeSpan.FromMinutes(50));
            after = await runs.RenderAsync(batch);
            Assert.Empty(await service.Runs.FailStrandedRunsAsync(RunService.DefaultLease));
        }
        Assert.Equal(RunStatus.Running, after.Status);
        Assert.Equal(after.HeartbeatAt, (await Store.GetRunAsync(run.Id))!.HeartbeatAt);

        // 200 minutes after it started, 50 after its last heartbeat: within its lease.
        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Empty(await service.Runs.FailStrandedRunsAsync(RunService.DefaultLease));
        Assert.True(clock.GetUtcNow() - evaluated.StartedAt!.Value > TimeSpan.FromHours(3));
        Assert.Equal(RunStatus.Running, (await Store.GetRunAsync(run.Id))!.Status);

        // The worker died: 61 minutes more without a heartbeat and the next sweep fails it, naming when it was last seen.
        clock.Advance(TimeSpan.FromMinutes(61));
        var failed = Assert.Single(await service.Runs.FailStrandedRunsAsync(RunService.DefaultLease));

        Assert.Equal((run.Id, RunStatus.Failed), (failed.Id, failed.Status));
        // Started 01:00 UTC; three batches 50 minutes apart: the last heartbeat at 03:30 UTC (and a few clock reads).
        Assert.Equal("运行中断：2025-10-08 03:30 UTC 最后一次报告进度后超过 60 分钟没有完成（进程可能已退出或消息丢失），已标记为失败，请重新运行", failed.Reason);
        Assert.Equal("2025-10-08 03:30", after.HeartbeatAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(failed, await Store.GetRunAsync(run.Id));

        // The last batch, delivered late, is acknowledged without work; nothing of the run can be published.
        var late = await runs.RenderAsync(batches[3]);
        Assert.Equal(RunStatus.Failed, late.Status);
        Assert.Equal(3, (await Store.ListDocumentsAsync(run.Id)).Count);
        Assert.Equal(StoreError.Conflict, await RefusedAsync(() => service.PublishAsync(run.Id, "chief")));
    }

    [Fact]
    public async Task The_run_service_carries_a_run_through_its_steps_and_progress_counts_from_the_run()
    {
        var (service, _) = await SeededServiceAsync();
        var runs = service.Runs.With(new RunOptions { BatchSize = 3 });
        var (run, batches) = await runs.QueueAsync(Mini.Q2, UnitLevel.County, "office");

        Assert.Equal([["A2", "A1", "B2"], ["B1"]], batches.Select(b => b.Units.ToArray()));
        Assert.Equal([(1, 2), (2, 2)], batches.Select(b => (b.Batch, b.Batches)));
        // Redelivered: already past evaluation, no batches again.
        Assert.Empty(await runs.EvaluateAsync(new QueuedRun(run)));

        var first = await runs.RenderAsync(batches[0]);
        Assert.Equal(RunStatus.Running, first.Status);
        Assert.Equal(new RenderProgress(4, 3, 2, 0), await service.GetRenderProgressAsync(first));

        var last = await runs.RenderAsync(batches[1]);
        Assert.Equal(RunStatus.Succeeded, last.Status);
        Assert.Equal(new RenderProgress(4, 4, 2, 2), await service.GetRenderProgressAsync(last));
        // Redelivered after the end: acknowledged without work.
        Assert.Equal(last, await runs.RenderAsync(batches[0]));
        Assert.Equal(last, await runs.CarryAsync(new QueuedRun(run)));
        Assert.Null(await Store.GetPublicationAsync(Mini.Q2, UnitLevel.County));
    }

    [Fact]
    public async Task The_last_two_batches_finishing_together_complete_and_publish_the_run_once()
    {
        var (service, _) = await SeededServiceAsync();
        var runs = service.Runs.With(new RunOptions { BatchSize = 2, AutoPublish = true });
        var (run, batches) = await runs.QueueAsync(Mini.Q3, UnitLevel.County, RunOptions.TimerActor);
        Assert.Equal(2, batches.Count);

        // Two instances take the two batches at once; then both messages are delivered again.
        var ended = await Task.WhenAll(batches.Select(b => Task.Run(() => runs.RenderAsync(b))));
        var again = await Task.WhenAll(batches.Select(b => runs.RenderAsync(b)));

        Assert.Contains(ended, r => r.Status == RunStatus.Succeeded);
        Assert.All(again, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.Equal(new RenderProgress(4, 4, 2, 2), await service.GetRenderProgressAsync((await Store.GetRunAsync(run.Id))!));
        var audit = (await Store.GetAuditLogAsync()).Where(a => a.Target == run.Id).Select(a => a.Action).ToList();
        Assert.Equal(["run.create", "run.start", "run.succeeded", "publish"], audit);
        var publication = (await Store.GetPublicationAsync(Mini.Q3, UnitLevel.County))!;
        Assert.Equal((run.Id, 1), (publication.RunId, publication.Revision));
    }

    [Fact]
    public async Task A_timer_run_is_published_when_it_succeeds_if_auto_publish_is_on()
    {
        var (service, _) = await SeededServiceAsync();
        var runs = service.Runs.With(new RunOptions { BatchSize = 2, AutoPublish = true });

        var office = await runs.StartAsync(new RunAsk(Mini.Q2, UnitLevel.County, "mini", null, "office"), new InProcessCarrier());
        Assert.Equal(RunStatus.Succeeded, office.Run.Status);
        Assert.Null(await Store.GetPublicationAsync(Mini.Q2, UnitLevel.County));
        var (timer, batches) = await runs.QueueAsync(Mini.Q3, UnitLevel.County, RunOptions.TimerActor);
        foreach (var batch in batches) await runs.RenderAsync(batch);

        Assert.Equal(RunStatus.Succeeded, (await Store.GetRunAsync(timer.Id))!.Status);
        Assert.Equal((timer.Id, RunOptions.TimerActor, 1), ((await Store.GetPublicationAsync(Mini.Q3, UnitLevel.County))!.RunId,
            (await Store.GetPublicationAsync(Mini.Q3, UnitLevel.County))!.Actor, (await Store.GetPublicationAsync(Mini.Q3, UnitLevel.County))!.Revision));
    }
}
