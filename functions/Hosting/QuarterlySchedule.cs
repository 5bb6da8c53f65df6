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
public sealed class QuarterlySchedule(IServiceProvider services, IConfiguration configuration, TimeProvider clock, ILogger<QuarterlySchedule> log)
    : TimerSchedule(configuration, clock, log)
{
    /// <summary>The schedule as Cronos reads it (six fields, seconds first, as NCRONTAB).</summary>
    public static CronExpression Expression { get; } = CronExpression.Parse(QuarterlyEvaluation.Schedule, CronFormat.IncludeSeconds);

    /// <inheritdoc />
    protected override string FunctionName => QuarterlyEvaluation.Name;

    /// <inheritdoc />
    protected override CronExpression Schedule => Expression;

    /// <inheritdoc />
    protected override Task FireFunctionAsync(TimerInfo timer, IRunCarrier carrier, CancellationToken cancellationToken) =>
        ActivatorUtilities.CreateInstance<QuarterlyEvaluation>(services).FireAsync(timer, carrier, cancellationToken);
}
