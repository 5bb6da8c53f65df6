using BaiQianWan.Assess.Functions.Triggers;
using BaiQianWan.Assess.Workflow.Runs;
using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// On its own, the app fires <see cref="MonthlyEvaluation"/> on its schedule with an <see cref="InProcessCarrier"/>, as
/// <see cref="QuarterlySchedule"/> does the quarterly timer: by default <see cref="MonthlyEvaluation.Schedule"/> (UTC, the
/// 10th at 02:00 China time); <c>Timer:MonthlySchedule</c> (six NCRONTAB fields, seconds first, UTC) changes it, and
/// <c>Timer:Enabled=false</c> turns both timers off. A bad schedule stops the start with a message naming the setting.
/// An occurrence missed while the app was stopped is not caught up; the run is idempotent either way.
/// </summary>
public sealed class MonthlySchedule(IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<MonthlySchedule> log) : BackgroundService
{
    /// <summary>The setting that replaces the default schedule.</summary>
    public const string Setting = "Timer:MonthlySchedule";

    /// <summary>The schedule in force: <see cref="Setting"/> when given, else <see cref="MonthlyEvaluation.Schedule"/>.</summary>
    public static CronExpression Expression(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[Setting] is { Length: > 0 } configured ? configured : MonthlyEvaluation.Schedule;
        try
        {
            return CronExpression.Parse(text, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException e)
        {
            throw new ConfigurationException($"{Setting.Replace(":", "__", StringComparison.Ordinal)}: '{text}' 不是六段的 NCRONTAB 表达式（秒 分 时 日 月 周，UTC），如 {MonthlyEvaluation.Schedule}：{e.Message}");
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Timer:Enabled", true))
        {
            log.LogInformation("Timer:Enabled=false: MonthlyEvaluation is not scheduled");
            return;
        }
        var expression = Expression(configuration);
        await Task.Yield();
        var from = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = expression.GetNextOccurrence(from, TimeZoneInfo.Utc);
            if (next is null) return;
            log.LogInformation("MonthlyEvaluation next fires at {Next:O}", next.Value);
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
            var function = ActivatorUtilities.CreateInstance<MonthlyEvaluation>(services);
            await function.FireAsync(timer, new InProcessCarrier(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "MonthlyEvaluation failed");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? (a < TimeSpan.Zero ? TimeSpan.Zero : a) : b;
}
