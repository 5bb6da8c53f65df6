using BaiQianWan.Assess.Workflow.Runs;
using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// On its own (standalone), the app fires a timer function on its schedule (UTC, read with Cronos, six fields, seconds
/// first as NCRONTAB) with an <see cref="InProcessCarrier"/>: each run is carried to its end in this process. Off with
/// <c>Timer:Enabled=false</c>. An occurrence missed while the app was stopped is not caught up (the Functions host does
/// that when hosted); the timers' runs are idempotent either way. A failed firing is logged and the schedule goes on
/// (the run carries its reason). <see cref="QuarterlySchedule"/>, <see cref="MonthlySchedule"/> and <see cref="AnnualSchedule"/> are the three.
/// </summary>
public abstract class TimerSchedule(IConfiguration configuration, TimeProvider clock, ILogger log) : BackgroundService
{
    /// <summary>The app's settings (<c>Timer:Enabled</c>, and a schedule's own setting).</summary>
    protected IConfiguration Configuration { get; } = configuration;

    /// <summary>The timer function's name, as logged.</summary>
    protected abstract string FunctionName { get; }

    /// <summary>The schedule in force.</summary>
    protected abstract CronExpression Schedule { get; }

    /// <summary>Fires the timer function once, its runs handed to <paramref name="carrier"/>.</summary>
    protected abstract Task FireFunctionAsync(TimerInfo timer, IRunCarrier carrier, CancellationToken cancellationToken);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Configuration.GetValue("Timer:Enabled", true))
        {
            log.LogInformation("Timer:Enabled=false: {Function} is not scheduled", FunctionName);
            return;
        }
        var expression = Schedule;
        await Task.Yield();
        var from = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = expression.GetNextOccurrence(from, TimeZoneInfo.Utc);
            if (next is null) return;
            log.LogInformation("{Function} next fires at {Next:O}", FunctionName, next.Value);
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
            await FireFunctionAsync(timer, new InProcessCarrier(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The run carries its reason; the schedule goes on.
            log.LogError(e, "{Function} failed", FunctionName);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? (a < TimeSpan.Zero ? TimeSpan.Zero : a) : b;
}
