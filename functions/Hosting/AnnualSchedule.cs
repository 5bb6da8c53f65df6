using BaiQianWan.Assess.Functions.Triggers;
using BaiQianWan.Assess.Workflow.Runs;
using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// On its own, the app fires <see cref="AnnualEvaluation"/> on its schedule with an <see cref="InProcessCarrier"/>, as
/// <see cref="MonthlySchedule"/> does the monthly timer: by default <see cref="AnnualEvaluation.Schedule"/> (UTC, 10 January
/// at 02:00 China time); <c>Timer:AnnualSchedule</c> (six NCRONTAB fields, seconds first, UTC) changes it, and
/// <c>Timer:Enabled=false</c> turns every timer off. A bad schedule stops the start with a message naming the setting.
/// An occurrence missed while the app was stopped is not caught up; the run is idempotent either way.
/// </summary>
public sealed class AnnualSchedule(IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<AnnualSchedule> log)
    : TimerSchedule(configuration, clock, log)
{
    /// <summary>The setting that replaces the default schedule.</summary>
    public const string Setting = "Timer:AnnualSchedule";

    /// <summary>The schedule in force: <see cref="Setting"/> when given, else <see cref="AnnualEvaluation.Schedule"/>.</summary>
    public static CronExpression Expression(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[Setting] is { Length: > 0 } configured ? configured : AnnualEvaluation.Schedule;
        try
        {
            return CronExpression.Parse(text, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException e)
        {
            throw new ConfigurationException($"{Setting.Replace(":", "__", StringComparison.Ordinal)}: '{text}' 不是六段的 NCRONTAB 表达式（秒 分 时 日 月 周，UTC），如 {AnnualEvaluation.Schedule}：{e.Message}");
        }
    }

    /// <inheritdoc />
    protected override string FunctionName => AnnualEvaluation.Name;

    /// <inheritdoc />
    protected override CronExpression Schedule => Expression(Configuration);

    /// <inheritdoc />
    protected override Task FireFunctionAsync(TimerInfo timer, IRunCarrier carrier, CancellationToken cancellationToken) =>
        ActivatorUtilities.CreateInstance<AnnualEvaluation>(services).FireAsync(timer, carrier, cancellationToken);
}
