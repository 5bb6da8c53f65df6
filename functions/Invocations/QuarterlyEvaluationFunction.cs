using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Workflow;

namespace BaiQianWan.Assess.Functions.Invocations;

/// <summary>
/// Timer <c>QuarterlyEvaluation</c> (<c>0 0 2 5 1,4,7,10 *</c>, UTC): evaluates the quarter just ended with every
/// active ruleset (one per level, normally) and returns the render batches as the <c>renderBatches</c> queue
/// output. Idempotent: the run is keyed by period, level, ruleset and version, so a re-fire (past due, host
/// restart) finds the existing run and queues nothing again.
/// </summary>
public sealed class QuarterlyEvaluationFunction(AssessmentService service, RunPipeline pipeline, TimeProvider clock, ILogger<QuarterlyEvaluationFunction> log)
{
    /// <summary>The function's name (its folder and route).</summary>
    public const string Name = "QuarterlyEvaluation";

    /// <summary>The queue output binding's name, as in function.json (case-sensitive).</summary>
    public const string QueueOutput = "renderBatches";

    /// <summary>Handles one firing.</summary>
    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var timer = TimerInfo.Parse(request.Binding("timer"));
        var now = request.SysUtcNow() ?? clock.GetUtcNow();
        var period = QuarterJustEnded(now);
        var response = new InvocationResponse();
        response.Logs.Add($"QuarterlyEvaluation at {now:O} for {period}{(timer.IsPastDue ? " (past due)" : "")}");
        var messages = new List<string>();
        var runs = new List<object>();
        var active = (await service.Store.ListRulesetsAsync(cancellationToken)).Where(r => r.Active).ToList();
        if (active.Count == 0) response.Logs.Add("No active ruleset: nothing to evaluate");
        foreach (var ruleset in active)
        {
            var loaded = RulesetLoader.Load(ruleset.Yaml);
            if (!loaded.IsValid)
            {
                response.Logs.Add($"{ruleset.RulesetId}@{ruleset.Version}: stored text does not load; skipped");
                continue;
            }
            var level = loaded.Ruleset!.Level;
            var key = $"timer:{period}:{level.ToText()}:{ruleset.RulesetId}:{ruleset.Version}";
            EvaluationRun run;
            try
            {
                run = await service.RequestRunAsync(period, level, ruleset.RulesetId, ruleset.Version, RunPipeline.TimerActor, key, cancellationToken: cancellationToken);
            }
            catch (StoreException e) when (e.Error == StoreError.Invalid)
            {
                // No units of this level for the year: nothing to evaluate, not a failure of the timer.
                response.Logs.Add($"{ruleset.RulesetId}@{ruleset.Version}: {e.Message}");
                continue;
            }
            IReadOnlyList<RenderBatch> batches;
            try
            {
                batches = await pipeline.EvaluateAsync(run, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The run is marked failed with the reason; the other levels still run, and their batches must
                // still reach the queue (a failed invocation would drop every output).
                log.LogError(e, "QuarterlyEvaluation: run {RunId} failed", run.Id);
                response.Logs.Add($"{ruleset.RulesetId}@{ruleset.Version} {level.ToText()}: run {run.Id} failed: {e.Message}");
                runs.Add(new { runId = run.Id, period = period.ToString(), level = level.ToText(), ruleset = ruleset.RulesetId, version = ruleset.Version, status = "failed", batches = 0 });
                continue;
            }
            var current = await service.Store.GetRunAsync(run.Id, cancellationToken) ?? run;
            response.Logs.Add(batches.Count > 0 || run.Status == RunStatus.Queued
                ? $"{ruleset.RulesetId}@{ruleset.Version} {level.ToText()}: run {run.Id} evaluated, {batches.Count} render batches"
                : $"{ruleset.RulesetId}@{ruleset.Version} {level.ToText()}: run {run.Id} already exists ({run.Status}); nothing queued");
            messages.AddRange(batches.Select(b => b.ToJson()));
            runs.Add(new { runId = run.Id, period = period.ToString(), level = level.ToText(), ruleset = ruleset.RulesetId, version = ruleset.Version, status = current.Status.ToString().ToLowerInvariant(), batches = batches.Count });
        }
        if (messages.Count > 0) response.Outputs[QueueOutput] = messages;
        response.ReturnValue = runs;
        log.LogInformation("QuarterlyEvaluation {Period}: {Runs} runs, {Batches} batches", period, runs.Count, messages.Count);
        return response;
    }

    /// <summary>The quarter that ended before <paramref name="now"/> (2025-10-05 → 2025Q3; 2026-01-05 → 2025Q4).</summary>
    public static Period QuarterJustEnded(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var current = (utc.Month - 1) / 3 + 1;
        return current == 1 ? Period.OfQuarter(utc.Year - 1, 4) : Period.OfQuarter(utc.Year, current - 1);
    }
}
