using BaiQianWan.Assess.Functions.Triggers;
using BaiQianWan.Assess.Workflow.Runs;
using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// On its own, the app fires <see cref="QuarterlyEvaluation"/> on its schedule (<see cref="QuarterlyEvaluation.Schedule"/>,
/// UTC, read with Cronos) with an <see cref="InProcessCarrier"/>: each run is carried to its end in this process. Off with
/// <c>Timer:Enabled=false</c>. An occurrence missed while the app was stopped is not caught up (the Functions host does
/// that when hosted); the run is idempotent either way.
/// </summary>
public sealed class QuarterlySchedule(IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<QuarterlySchedule> log) : BackgroundService
{
    /// <summary>The schedule as Cronos reads it (six fields, seconds first, as NCRONTAB).</summary>
    public static CronExpression Expression { get; } = CronExpression.Parse(QuarterlyEvaluation.Schedule, CronFormat.IncludeSeconds);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Timer:Enabled", true))
        {
            log.LogInformation("Timer:Enabled=false: QuarterlyEvaluation is not scheduled");
            return;
        }
        await Task.Yield();
        var from = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = Expression.GetNextOccurrence(from, TimeZoneInfo.Utc);
            if (next is null) return;
            log.LogInformation("QuarterlyEvaluation next fires at {Next:O}", next.Value);
            // Waits in steps of at most a day (timers take no longer), re-reading the clock each time.
            while (clock.GetUtcNow() < next.Value)
                await Task.Delay(Min(next.Value - clock.GetUtcNow(), TimeSpan.FromDays(1)), clock, stoppingToken);
            await FireAsync(new TimerInfo { IsPastDue = clock.GetUtcNow() - next.Value > TimeSpan.FromMinutes(1) }, stoppingToken);
            from = next.Value;
        }
    }

    /// <summary>One firing: the timer function, its runs carried here.</summary>
    public async Task FireAsync(TimerInfo timer, CancellationToken cancellationToken)
    {
        try
        {
            var function = ActivatorUtilities.CreateInstance<QuarterlyEvaluation>(services);
            await function.FireAsync(timer, new InProcessCarrier(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The run carries its reason; the schedule goes on.
            log.LogError(e, "QuarterlyEvaluation failed");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? (a < TimeSpan.Zero ? TimeSpan.Zero : a) : b;
}
