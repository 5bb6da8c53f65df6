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
        return await TimerRuns.StartEachAsync(service, log, Name, month, RulesetSlot.Monitor, carrier, cancellationToken);
    }

    /// <summary>The idempotency key of the timer's run of a month: <c>timer:2025-06:county:county-monthly:2</c>.</summary>
    public static string Key(Period month, UnitLevel level, string monitorId, int version) => TimerRuns.Key(month, level, monitorId, version);

    /// <summary>The month before <paramref name="now"/>'s China date (2025-07-10 02:00 +08:00 → 2025-06; 2026-01-10 → 2025-12).</summary>
    public static Period MonthJustEnded(DateTimeOffset now)
    {
        var china = now.ToOffset(China);
        return china.Month == 1 ? Period.OfMonth(china.Year - 1, 12) : Period.OfMonth(china.Year, china.Month - 1);
    }
}
