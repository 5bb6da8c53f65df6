using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Runs;

/// <summary>
/// The one run orchestrator, used by every host (the CLI's <c>run</c>, the app's in-process dispatcher, the render-queue
/// function and the quarterly timer). A run has three steps: <see cref="EvaluateAsync"/> (start, evaluate, save the results
/// and the documents they call for, plan render batches), <see cref="RenderAsync"/> (one batch of scorecards; the batch
/// that completes the set finishes the run) and <see cref="FinishAsync"/> (bulletins, completion, auto-publish of timer
/// runs when configured). The queue carries the batches between instances; <see cref="CarryAsync"/> runs the same steps
/// in this process, reading the results once for all batches.
/// </summary>
/// <remarks>
/// Each step is safe to repeat: a redelivered message, a second timer firing or two batches finishing together find the
/// run past that step and leave it as it is. A step that fails marks the run failed with the reason (the workflow's
/// guard) and rethrows. The run's heartbeat (<see cref="IAssessStore.RenewRunAsync"/>) is renewed after evaluating and
/// after each batch, so <see cref="AssessmentService.FailStrandedRunsAsync"/> counts a long run's lease from its last
/// progress, not from its start. Progress and completion compare the documents stored with the counts the run recorded
/// when its results were saved: a batch reads the results once (to render) and nothing else heavy.
/// </remarks>
public sealed class RunOrchestrator
{
    private readonly AssessmentService _service;

    /// <summary>Creates the orchestrator.</summary>
    /// <param name="service">The workflow (its store and renderer are the run's).</param>
    /// <param name="options">Batch size and auto-publish (defaults when null).</param>
    public RunOrchestrator(AssessmentService service, RunOptions? options = null)
    {
        _service = service ?? throw new ArgumentNullException(nameof(service));
        Options = options ?? new RunOptions();
    }

    /// <summary>The options in force.</summary>
    public RunOptions Options { get; }

    /// <summary>
    /// Step 1: starts a queued run, evaluates it and saves its results, renews its heartbeat and cuts its units into
    /// render batches. A run already past this step (redelivery, concurrent firing) yields no batches. A run with nothing
    /// to render (no renderer, no units) is finished here. Throws when the evaluation fails (the run is then marked failed).
    /// </summary>
    public async Task<IReadOnlyList<RenderBatch>> EvaluateAsync(string runId, CancellationToken cancellationToken = default)
    {
        var run = await _service.RequireRunAsync(runId, cancellationToken);
        if (run.Status != RunStatus.Queued) return [];
        if (await EvaluateStepAsync(runId, cancellationToken) is not { } step || step.Run.Status != RunStatus.Running) return [];
        var (evaluated, result) = step;
        var batches = _service.RendersDocuments ? Plan(evaluated, result) : [];
        if (batches.Count == 0) await FinishStepAsync(evaluated, null, null, cancellationToken);
        return batches;
    }

    /// <summary>
    /// Step 2: renders and stores one batch of scorecards, renews the heartbeat and finishes the run when this batch
    /// completed the set. A batch of a run that is not running (ended, or redelivered late) is acknowledged without
    /// work. Returns the run as it stands afterwards; throws when rendering fails (the run is then marked failed).
    /// </summary>
    public async Task<EvaluationRun> RenderAsync(RenderBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var run = await _service.RequireRunAsync(batch.RunId, cancellationToken);
        if (run.Status != RunStatus.Running) return run;
        var context = await _service.LoadRenderContextAsync(run, cancellationToken);
        return await RenderStepAsync(context, batch.Units, null, cancellationToken);
    }

    /// <summary>
    /// Step 3: renders the bulletins if they are missing, completes the run once every document is stored, and publishes
    /// a timer run when <see cref="RunOptions.AutoPublish"/> is on. A run that is not running is returned as it is; a run
    /// another worker completed meanwhile too.
    /// </summary>
    public async Task<EvaluationRun> FinishAsync(string runId, CancellationToken cancellationToken = default)
    {
        var run = await _service.RequireRunAsync(runId, cancellationToken);
        return run.Status == RunStatus.Running ? await FinishStepAsync(run, null, null, cancellationToken) : run;
    }

    /// <summary>
    /// The three steps of a queued run in this process, one batch after another, the results read once: evaluate, every
    /// scorecard batch, bulletins, completion. Returns the run as it ended: succeeded, or failed with the reason (it does
    /// not throw for a failed run); a run that is not queued is returned as it is.
    /// </summary>
    public async Task<EvaluationRun> CarryAsync(string runId, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var run = await _service.RequireRunAsync(runId, cancellationToken);
        if (run.Status != RunStatus.Queued) return run;
        try
        {
            progress?.Report(new RunProgress("evaluate", 0, 1));
            if (await EvaluateStepAsync(runId, cancellationToken) is not { } step)
                return await _service.RequireRunAsync(runId, cancellationToken);
            var (evaluated, result) = step;
            progress?.Report(new RunProgress("evaluate", 1, 1));
            if (evaluated.Status != RunStatus.Running) return evaluated;
            var batches = _service.RendersDocuments ? Plan(evaluated, result) : [];
            if (batches.Count == 0) return await FinishStepAsync(evaluated, null, progress, cancellationToken);
            var context = await _service.RenderContextAsync(evaluated, result, cancellationToken);
            progress?.Report(new RunProgress("scorecards", 0, evaluated.ScorecardsExpected ?? result.Units.Length));
            run = evaluated;
            foreach (var batch in batches)
            {
                run = await RenderStepAsync(context, batch.Units, progress, cancellationToken);
                if (run.Status != RunStatus.Running) return run;
            }
            // Every batch is stored, yet the run is still running: finishing says what is missing (and fails it).
            return await FinishStepAsync(run, context, progress, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return await _service.EndFailedAsync(runId, e, cancellationToken);
        }
    }

    /// <summary>
    /// Requests a run of a ruleset version (null = the active one) and carries it in this process
    /// (<see cref="CarryAsync"/>): what the CLI's <c>run</c> does. Returns the run as it ended: succeeded, or failed with
    /// the reason. Refusals before a run exists (no units, nothing to evaluate) throw.
    /// </summary>
    public async Task<EvaluationRun> RunAsync(Period period, UnitLevel level, string rulesetId, int? version, string actor,
        string? idempotencyKey = null, bool sample = false, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var run = await _service.RequestRunAsync(period, level, rulesetId, version, actor, idempotencyKey, sample, cancellationToken);
        return run.IsOver ? run : await CarryAsync(run.Id, progress, cancellationToken);
    }

    /// <summary>Evaluates (starting a queued run) and renews the heartbeat; null when another worker started the run first.</summary>
    private async Task<(EvaluationRun Run, EvaluationResult Result)?> EvaluateStepAsync(string runId, CancellationToken cancellationToken)
    {
        (EvaluationRun Run, EvaluationResult Result) evaluated;
        try
        {
            evaluated = await _service.EvaluateCoreAsync(runId, cancellationToken);
        }
        catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Concurrency)
        {
            // Another worker may have started it between our read and our start: it carries the run on.
            if (await _service.GetRunAsync(runId, cancellationToken) is not { Status: RunStatus.Running }) throw;
            return null;
        }
        return (await HeartbeatAsync(evaluated.Run, cancellationToken), evaluated.Result);
    }

    private async Task<EvaluationRun> RenderStepAsync(AssessmentService.RenderContext context, IReadOnlyList<string> units,
        IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        await _service.RenderScorecardsGuardedAsync(context, units, cancellationToken);
        var run = await HeartbeatAsync(context.Run, cancellationToken);
        if (run.Status != RunStatus.Running) return run;
        var done = await _service.ProgressAsync(run, context.Result, cancellationToken);
        progress?.Report(new RunProgress("scorecards", done.ScorecardsStored, done.ScorecardsExpected));
        if (done.ScorecardsStored < done.ScorecardsExpected) return run;
        return await FinishStepAsync(run, context, progress, cancellationToken);
    }

    private async Task<EvaluationRun> FinishStepAsync(EvaluationRun run, AssessmentService.RenderContext? context,
        IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            if (_service.RendersDocuments)
            {
                var done = await _service.ProgressAsync(run, context?.Result, cancellationToken);
                progress?.Report(new RunProgress("bulletins", done.BulletinsStored, done.BulletinsExpected));
                if (done.BulletinsStored < done.BulletinsExpected)
                {
                    context ??= await _service.LoadRenderContextAsync(run, cancellationToken);
                    await _service.RenderBulletinsGuardedAsync(context, cancellationToken);
                }
                progress?.Report(new RunProgress("bulletins", done.BulletinsExpected, done.BulletinsExpected));
            }
            run = await _service.CompleteRunAsync(run.Id, cancellationToken);
        }
        catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Concurrency)
        {
            // The last two batches finished together and the other one completed the run (and published it).
            var current = await _service.RequireRunAsync(run.Id, cancellationToken);
            if (current.Status != RunStatus.Succeeded) throw;
            return current;
        }
        if (run.Actor == RunOptions.TimerActor && Options.AutoPublish)
            await _service.PublishAsync(run.Id, RunOptions.TimerActor, cancellationToken);
        return run;
    }

    /// <summary>Renews the run's heartbeat; a run that ended meanwhile (or a store too busy to renew) is read as it is.</summary>
    private async Task<EvaluationRun> HeartbeatAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        try
        {
            return await _service.RenewRunAsync(run.Id, cancellationToken);
        }
        catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Concurrency)
        {
            return await _service.RequireRunAsync(run.Id, cancellationToken);
        }
    }

    private List<RenderBatch> Plan(EvaluationRun run, EvaluationResult result)
    {
        var chunks = result.Units.Select(u => u.Code).Chunk(Math.Max(1, Options.BatchSize)).ToList();
        return [.. chunks.Select((units, i) => new RenderBatch(run.Id, i + 1, chunks.Count, units))];
    }
}
