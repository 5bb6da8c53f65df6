using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Triggers;

/// <summary>
/// Timer <c>MonthlyEvaluation</c> (<see cref="Schedule"/>, UTC: the 10th at 02:00 China time): evaluates the month before
/// (China time) with the active monitor of each level that has one (monthly bulletins, 月通报), one
/// <see cref="RunService.StartAsync"/> a level. A month's documents are drawn when its run finishes, so it has no render
/// batches and the function has no queue output; standalone, <c>MonthlySchedule</c> fires it with an
/// <see cref="InProcessCarrier"/> (its schedule configurable there). Idempotent: each run is keyed by month, level, monitor
/// and version, so a re-fire finds the existing run and evaluates nothing again. A level whose month has no data is logged
/// and skipped (a month with no data is refused, not lit), and the next firing tries again only for the next month.
/// </summary>
public sealed class MonthlyEvaluation(AssessmentService service, TimeProvider clock, ILogger<MonthlyEvaluation> log)
{
    /// <summary>The function's name.</summary>
    public const string Name = "MonthlyEvaluation";

    /// <summary>18:00 UTC on the 9th of each month (NCRONTAB, seconds first): 02:00 China time (UTC+8) on the 10th.</summary>
    public const string Schedule = "0 0 18 9 * *";

    /// <summary>China time (UTC+8, no daylight saving): the month evaluated is the one before the firing's China date.</summary>
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>Handles one firing.</summary>
    [Function(Name)]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        FireAsync(timer, new InProcessCarrier(), cancellationToken);

    /// <summary>One firing, its runs handed to <paramref name="carrier"/>; returns the runs (one per level with an active monitor that ran).</summary>
    public async Task<IReadOnlyList<EvaluationRun>> FireAsync(TimerInfo timer, IRunCarrier carrier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(carrier);
        var now = clock.GetUtcNow();
        var month = MonthJustEnded(now);
        log.LogInformation("MonthlyEvaluation at {Now:O} for {Period}{PastDue}", now, month, timer.IsPastDue ? " (past due)" : "");
        var monitors = (await service.GetActiveRulesetsAsync(cancellationToken)).Where(a => a.Slot == RulesetSlot.Monitor).ToList();
        var runs = new List<EvaluationRun>();
        if (monitors.Count == 0)
        {
            log.LogInformation("No active monitor: nothing to evaluate");
            LogStranded(await service.Runs.FailStrandedRunsAsync(RunService.DefaultLease, cancellationToken));
        }
        foreach (var (level, monitor) in monitors)
        {
            var key = Key(month, level, monitor.RulesetId, monitor.Version);
            RunStarted started;
            try
            {
                started = await service.Runs.StartAsync(new RunAsk(month, level, monitor.RulesetId, monitor.Version, RunOptions.TimerActor, key),
                    carrier, cancellationToken);
            }
            catch (StoreException e) when (e.Error == StoreError.Invalid)
            {
                // No units of the level, or a month with no data: nothing to light, not a failure of the timer.
                log.LogWarning("{Monitor}@{Version}: {Reason}", monitor.RulesetId, monitor.Version, e.Message);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The other levels still run.
                log.LogError(e, "MonthlyEvaluation: {Monitor}@{Version} {Level} failed", monitor.RulesetId, monitor.Version, level.ToText());
                continue;
            }
            LogStranded(started.Stranded);
            var run = started.Run;
            runs.Add(run);
            if (run.Status == RunStatus.Failed)
                log.LogError("MonthlyEvaluation: run {RunId} failed: {Reason}", run.Id, run.Reason);
            else
                log.LogInformation("{Monitor}@{Version} {Level}: run {RunId} is {Status}", monitor.RulesetId, monitor.Version, level.ToText(), run.Id, run.Status);
        }
        return runs;
    }

    /// <summary>The idempotency key of the timer's run of a month: <c>timer:2025-06:county:county-monthly:2</c>.</summary>
    public static string Key(Period month, UnitLevel level, string monitorId, int version) => $"timer:{month}:{level.ToText()}:{monitorId}:{version}";

    private void LogStranded(IReadOnlyList<EvaluationRun> stranded)
    {
        foreach (var run in stranded)
            log.LogWarning("Run {RunId} was stranded ({Status} past its lease) and is marked failed", run.Id, run.Status);
    }

    /// <summary>The month before <paramref name="now"/>'s China date (2025-07-10 02:00 +08:00 → 2025-06; 2026-01-10 → 2025-12).</summary>
    public static Period MonthJustEnded(DateTimeOffset now)
    {
        var china = now.ToOffset(China);
        return china.Month == 1 ? Period.OfMonth(china.Year - 1, 12) : Period.OfMonth(china.Year, china.Month - 1);
    }
}
