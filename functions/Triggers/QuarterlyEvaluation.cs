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
/// ruleset, one <see cref="RunService.StartAsync"/> a level. Hosted, a <see cref="BatchCarrier"/> keeps the render batches,
/// which the Functions host puts on <see cref="RenderQueue"/>; standalone, <c>QuarterlySchedule</c> fires it with an
/// <see cref="InProcessCarrier"/>. Idempotent: each run is keyed by period, level, ruleset and version, so a re-fire
/// (past due, host restart, a second instance) finds the existing run and carries nothing again.
/// </summary>
public sealed class QuarterlyEvaluation(AssessmentService service, TimeProvider clock, ILogger<QuarterlyEvaluation> log)
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
        var carrier = new BatchCarrier();
        await FireAsync(timer, carrier, cancellationToken);
        return [.. carrier.Batches.Select(b => b.ToJson())];
    }

    /// <summary>One firing, its runs handed to <paramref name="carrier"/>.</summary>
    public async Task FireAsync(TimerInfo timer, IRunCarrier carrier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(carrier);
        var now = clock.GetUtcNow();
        var period = QuarterJustEnded(now);
        log.LogInformation("QuarterlyEvaluation at {Now:O} for {Period}{PastDue}", now, period, timer.IsPastDue ? " (past due)" : "");
        await TimerRuns.StartEachAsync(service, log, Name, period, RulesetSlot.Quarter, carrier, cancellationToken);
    }

    /// <summary>The quarter that ended before <paramref name="now"/> (2025-10-05 → 2025Q3; 2026-01-05 → 2025Q4).</summary>
    public static Period QuarterJustEnded(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var current = (utc.Month - 1) / 3 + 1;
        return current == 1 ? Period.OfQuarter(utc.Year - 1, 4) : Period.OfQuarter(utc.Year, current - 1);
    }
}
