using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Triggers;

/// <summary>
/// Timer <c>AnnualEvaluation</c> (<see cref="Schedule"/>, UTC: 10 January at 02:00 China time): evaluates the year before
/// (China date) with the active <c>cadence: year</c> ruleset of each level that has one (年考评, annual contract §1–2: its
/// sources read the year's latest publications), one <see cref="RunService.StartAsync"/> a level, the same use case as every
/// other entry point (so <c>Runs__AutoPublish</c> and <c>Runs__AutoPublishNoticeDays</c> publish it as they do the other
/// timers' runs). Hosted, a <see cref="BatchCarrier"/> keeps the render batches for <see cref="RenderQueue"/>, as the
/// quarterly timer; standalone, <c>AnnualSchedule</c> fires it with an <see cref="InProcessCarrier"/> (its schedule
/// configurable there, <c>Timer:AnnualSchedule</c>). Idempotent: each run is keyed by year, level, ruleset and version, so a
/// re-fire finds the existing run and evaluates nothing again. A level refused before a run exists (no units of the year,
/// data that would mislead, an uploaded row carrying a source's id) is logged and skipped.
/// </summary>
public sealed class AnnualEvaluation(AssessmentService service, TimeProvider clock, ILogger<AnnualEvaluation> log)
{
    /// <summary>The function's name.</summary>
    public const string Name = "AnnualEvaluation";

    /// <summary>18:00 UTC on 9 January (NCRONTAB, seconds first): 02:00 China time (UTC+8) on 10 January.</summary>
    public const string Schedule = "0 0 18 9 1 *";

    /// <summary>China time (UTC+8, no daylight saving): the year evaluated is the one before the firing's China date.</summary>
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>Handles one firing; returns the render-batch messages for the queue.</summary>
    [Function(Name)]
    [QueueOutput(RenderQueue.Name)]
    public async Task<string[]> Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var carrier = new BatchCarrier();
        await FireAsync(timer, carrier, cancellationToken);
        return [.. carrier.Batches.Select(b => b.ToJson())];
    }

    /// <summary>One firing, its runs handed to <paramref name="carrier"/>; returns the runs (one per level with an active year ruleset that ran).</summary>
    public async Task<IReadOnlyList<EvaluationRun>> FireAsync(TimerInfo timer, IRunCarrier carrier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(carrier);
        var now = clock.GetUtcNow();
        var year = YearJustEnded(now);
        log.LogInformation("AnnualEvaluation at {Now:O} for {Period}{PastDue}", now, year, timer.IsPastDue ? " (past due)" : "");
        return await TimerRuns.StartEachAsync(service, log, Name, year, RulesetSlot.Year, carrier, cancellationToken);
    }

    /// <summary>The idempotency key of the timer's run of a year: <c>timer:2025:county:county-annual-2025:1</c>.</summary>
    public static string Key(Period year, UnitLevel level, string rulesetId, int version) => TimerRuns.Key(year, level, rulesetId, version);

    /// <summary>The year before <paramref name="now"/>'s China date (2026-01-09 18:00 UTC = 2026-01-10 02:00 +08:00 → 2025; 2026-01-01 00:30 +08:00 → 2025).</summary>
    public static Period YearJustEnded(DateTimeOffset now) => Period.OfYear(now.ToOffset(China).Year - 1);
}
