using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using Microsoft.Extensions.Options;

namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>
/// The steps of a run shared by every trigger: evaluate and plan render batches; render one batch; finish
/// (bulletins, completion, optional auto-publish) once every batch is stored. Each step is safe to repeat,
/// because queue messages and timer firings can be delivered more than once.
/// </summary>
public sealed class RunPipeline(AssessmentService service, IOptions<RunSettings> settings, ILogger<RunPipeline> log)
{
    /// <summary>Actor recorded for timer-started runs.</summary>
    public const string TimerActor = "timer";

    /// <summary>
    /// Evaluates a queued run and cuts its units into batches. A run already past this step (redelivery,
    /// concurrent firing) yields no batches. Throws when the evaluation fails (the run is then marked failed).
    /// </summary>
    public async Task<IReadOnlyList<RenderBatch>> EvaluateAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        // Read it again: the caller's copy may be stale (a redelivered message, a repeated request).
        run = await service.GetRunAsync(run.Id, cancellationToken) ?? run;
        if (run.Status != RunStatus.Queued)
        {
            log.LogInformation("Run {RunId} is {Status}: not evaluated again", run.Id, run.Status);
            return [];
        }
        try
        {
            await service.EvaluateRunAsync(run.Id, cancellationToken);
        }
        catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Concurrency)
        {
            // Another worker may have started it between our read and our start.
            if (await service.GetRunAsync(run.Id, cancellationToken) is not { Status: RunStatus.Running }) throw;
            log.LogInformation("Run {RunId} was started by another worker", run.Id);
            return [];
        }
        if (!service.RendersDocuments)
        {
            await FinishAsync(run.Id, cancellationToken);
            return [];
        }
        var plan = await service.PlanRenderBatchesAsync(run.Id, Math.Max(1, settings.Value.BatchSize), cancellationToken);
        if (plan.Count == 0)
        {
            await FinishAsync(run.Id, cancellationToken);
            return [];
        }
        return [.. plan.Select((units, i) => new RenderBatch(run.Id, i + 1, plan.Count, units))];
    }

    /// <summary>
    /// Renders one batch and finishes the run when it was the last one stored. A batch of a run that already
    /// ended is acknowledged without work. Returns the run as it stands afterwards.
    /// </summary>
    public async Task<EvaluationRun> RenderAsync(RenderBatch batch, CancellationToken cancellationToken)
    {
        // One read of the run and its results serves the rendering and the count of what is stored.
        var (run, progress) = await service.RenderScorecardBatchAsync(batch.RunId, batch.Units, cancellationToken);
        if (progress is null)
        {
            log.LogInformation("Run {RunId} is {Status}: batch {Batch}/{Batches} skipped", run.Id, run.Status, batch.Batch, batch.Batches);
            return run;
        }
        if (progress.ScorecardsStored < progress.ScorecardsExpected) return run;
        return await FinishAsync(batch.RunId, cancellationToken);
    }

    /// <summary>Renders the bulletins (once every scorecard is stored), completes the run and auto-publishes a timer run when configured.</summary>
    public async Task<EvaluationRun> FinishAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await service.GetRunAsync(runId, cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");
        if (run.Status == RunStatus.Running)
        {
            try
            {
                if (service.RendersDocuments)
                {
                    var progress = await service.GetRenderProgressAsync(runId, cancellationToken);
                    if (progress.BulletinsStored < progress.BulletinsExpected) await service.RenderBulletinsAsync(runId, cancellationToken);
                }
                run = await service.CompleteRunAsync(runId, cancellationToken);
            }
            catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Concurrency)
            {
                // The last two batches finished together and the other one completed the run.
                run = await service.GetRunAsync(runId, cancellationToken) ?? run;
                if (run.Status != RunStatus.Succeeded) throw;
                return run;
            }
            log.LogInformation("Run {RunId} succeeded", runId);
            if (run.Actor == TimerActor && settings.Value.AutoPublish)
            {
                var publication = await service.PublishAsync(runId, TimerActor, cancellationToken);
                log.LogInformation("Run {RunId} published automatically as revision {Revision}", runId, publication.Revision);
            }
        }
        return run;
    }
}
