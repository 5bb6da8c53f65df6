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
public sealed class MonthlySchedule(IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<MonthlySchedule> log)
    : TimerSchedule(configuration, clock, log)
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
    protected override string FunctionName => MonthlyEvaluation.Name;

    /// <inheritdoc />
    protected override CronExpression Schedule => Expression(Configuration);

    /// <inheritdoc />
    protected override Task FireFunctionAsync(TimerInfo timer, IRunCarrier carrier, CancellationToken cancellationToken) =>
        ActivatorUtilities.CreateInstance<MonthlyEvaluation>(services).FireAsync(timer, carrier, cancellationToken);
}
