using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Functions.Triggers;

/// <summary>
/// The one loop of the three timers (<see cref="QuarterlyEvaluation"/>, <see cref="MonthlyEvaluation"/>,
/// <see cref="AnnualEvaluation"/>): for each level with an active ruleset of the timer's slot, one
/// <see cref="RunService.StartAsync"/> keyed by period, level, ruleset and version (a re-fire finds the existing run); a
/// level refused before a run exists (no units, data that would mislead) is logged and skipped, any other failure of one
/// level is logged and the other levels still run (hosted, their batches must still reach the queue); with no active ruleset
/// of the slot, runs a crash left past their lease are still failed with the reason, so the office sees why.
/// </summary>
internal static class TimerRuns
{
    /// <summary>The idempotency key of a timer's run: <c>timer:2025Q3:county:county-2025:1</c>, <c>timer:2025-06:…</c>, <c>timer:2025:…</c>.</summary>
    public static string Key(Period period, UnitLevel level, string rulesetId, int version) => $"timer:{period}:{level.ToText()}:{rulesetId}:{version}";

    /// <summary>Starts <paramref name="period"/> for every level with an active ruleset of <paramref name="slot"/>; the runs started or found.</summary>
    /// <param name="service">The app's use cases.</param>
    /// <param name="log">The timer's log.</param>
    /// <param name="timer">The timer's name, for the log.</param>
    /// <param name="period">The period the firing evaluates.</param>
    /// <param name="slot">The rulesets' slot the timer runs (quarter, monitor, year).</param>
    /// <param name="carrier">Where the runs' render batches go.</param>
    /// <param name="cancellationToken">Cancels the firing.</param>
    public static async Task<IReadOnlyList<EvaluationRun>> StartEachAsync(AssessmentService service, ILogger log, string timer, Period period,
        RulesetSlot slot, IRunCarrier carrier, CancellationToken cancellationToken)
    {
        // One ruleset per level and slot: the store keeps one active (a replaced one is deactivated).
        var active = (await service.GetActiveRulesetsAsync(cancellationToken)).Where(a => a.Slot == slot).ToList();
        var runs = new List<EvaluationRun>();
        if (active.Count == 0)
        {
            log.LogInformation("{Timer}: no active {Slot} ruleset, nothing to evaluate", timer, slot);
            LogStranded(log, await service.Runs.FailStrandedRunsAsync(RunService.DefaultLease, cancellationToken));
        }
        foreach (var (level, ruleset) in active)
        {
            var before = (carrier as BatchCarrier)?.Batches.Count ?? 0;
            RunStarted started;
            try
            {
                started = await service.Runs.StartAsync(new RunAsk(period, level, ruleset.RulesetId, ruleset.Version, RunOptions.TimerActor,
                    Key(period, level, ruleset.RulesetId, ruleset.Version)), carrier, cancellationToken);
            }
            catch (StoreException e) when (e.Error == StoreError.Invalid)
            {
                // No units of the level, or data refused before a run exists: nothing to evaluate, not a failure of the timer.
                log.LogWarning("{Ruleset}@{Version}: {Reason}", ruleset.RulesetId, ruleset.Version, e.Message);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The other levels still run, and their batches must still reach the queue (a failed invocation would drop every output).
                log.LogError(e, "{Timer}: {Ruleset}@{Version} {Level} failed", timer, ruleset.RulesetId, ruleset.Version, level.ToText());
                continue;
            }
            LogStranded(log, started.Stranded);
            var run = started.Run;
            runs.Add(run);
            if (run.Status == RunStatus.Failed)
                log.LogError("{Timer}: run {RunId} failed: {Reason}", timer, run.Id, run.Reason);
            else
                log.LogInformation("{Ruleset}@{Version} {Level}: run {RunId} is {Status}: {Batches} render batches", ruleset.RulesetId, ruleset.Version,
                    level.ToText(), run.Id, run.Status, ((carrier as BatchCarrier)?.Batches.Count ?? 0) - before);
        }
        return runs;
    }

    private static void LogStranded(ILogger log, IReadOnlyList<EvaluationRun> stranded)
    {
        foreach (var run in stranded)
            log.LogWarning("Run {RunId} was stranded ({Status} past its lease) and is marked failed", run.Id, run.Status);
    }
}
