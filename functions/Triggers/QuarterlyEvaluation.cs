using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Triggers;

/// <summary>
/// Timer <c>QuarterlyEvaluation</c> (<see cref="Schedule"/>, UTC): evaluates the quarter just ended with every active
/// ruleset and returns the render batches, which the Functions host puts on <see cref="RenderQueue"/> (standalone,
/// <c>QuarterlySchedule</c> renders them in-process). Idempotent: each run is keyed by period, level, ruleset and
/// version, so a re-fire (past due, host restart, a second instance) finds the existing run and returns no batches.
/// </summary>
public sealed class QuarterlyEvaluation(AssessmentService service, RunOrchestrator orchestrator, TimeProvider clock, ILogger<QuarterlyEvaluation> log)
{
    /// <summary>The function's name.</summary>
    public const string Name = "QuarterlyEvaluation";

    /// <summary>02:00 UTC on the 5th of January, April, July and October (NCRONTAB, seconds first).</summary>
    public const string Schedule = "0 0 2 5 1,4,7,10 *";

    /// <summary>Handles one firing; returns the render-batch messages for the queue.</summary>
    [Function(Name)]
    [QueueOutput(RenderQueue.Name)]
    public async Task<string[]> Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var period = QuarterJustEnded(now);
        log.LogInformation("QuarterlyEvaluation at {Now:O} for {Period}{PastDue}", now, period, timer.IsPastDue ? " (past due)" : "");
        var messages = new List<string>();
        // A run a crash left queued or running past its lease is failed with the reason first, so the office sees why.
        foreach (var stranded in await service.FailStrandedRunsAsync(AssessmentService.DefaultRunLease, cancellationToken))
            log.LogWarning("Run {RunId} was stranded ({Status} past its lease) and is marked failed", stranded.Id, stranded.Status);
        // One ruleset per level: the store keeps one active a level (a replaced one is deactivated).
        var active = await service.GetActiveRulesetsAsync(cancellationToken);
        if (active.Count == 0) log.LogInformation("No active ruleset: nothing to evaluate");
        foreach (var (level, ruleset) in active)
        {
            var key = $"timer:{period}:{level.ToText()}:{ruleset.RulesetId}:{ruleset.Version}";
            EvaluationRun run;
            try
            {
                run = await service.RequestRunAsync(period, level, ruleset.RulesetId, ruleset.Version, RunOptions.TimerActor, key, cancellationToken: cancellationToken);
            }
            catch (StoreException e) when (e.Error == StoreError.Invalid)
            {
                // No units of this level for the year: nothing to evaluate, not a failure of the timer.
                log.LogWarning("{Ruleset}@{Version}: {Reason}", ruleset.RulesetId, ruleset.Version, e.Message);
                continue;
            }
            try
            {
                var batches = await orchestrator.EvaluateAsync(run.Id, cancellationToken);
                messages.AddRange(batches.Select(b => b.ToJson()));
                log.LogInformation("{Ruleset}@{Version} {Level}: run {RunId}: {Batches} render batches", ruleset.RulesetId, ruleset.Version, level.ToText(), run.Id, batches.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The run is marked failed with its reason; the other levels still run, and their batches must still
                // reach the queue (a failed invocation would drop every output).
                log.LogError(e, "QuarterlyEvaluation: run {RunId} failed", run.Id);
            }
        }
        return [.. messages];
    }

    /// <summary>The quarter that ended before <paramref name="now"/> (2025-10-05 → 2025Q3; 2026-01-05 → 2025Q4).</summary>
    public static Period QuarterJustEnded(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var current = (utc.Month - 1) / 3 + 1;
        return current == 1 ? Period.OfQuarter(utc.Year - 1, 4) : Period.OfQuarter(utc.Year, current - 1);
    }
}
