using System.Threading.Channels;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>
/// Carries runs on a background worker in this process with <see cref="RunService.CarryAsync"/> (the same steps and
/// batches the queue would carry, one after another), after the request that started them is answered. Used when the
/// app runs on its own (no Functions host, no queue). On start it also takes up runs still queued in the store
/// (requested before the process stopped).
/// </summary>
public sealed class BackgroundRunCarrier(IServiceProvider services, ILogger<BackgroundRunCarrier> log) : BackgroundService, IRunCarrier
{
    private readonly Channel<QueuedRun> _runs = Channel.CreateUnbounded<QueuedRun>(new UnboundedChannelOptions { SingleReader = true });

    /// <inheritdoc />
    public async Task<EvaluationRun?> CarryAsync(RunService runs, QueuedRun run, CancellationToken cancellationToken)
    {
        await _runs.Writer.WriteAsync(run, cancellationToken);
        return null;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var service = services.GetRequiredService<AssessmentService>();
        if (ReferenceEquals(services.GetRequiredService<IRunCarrier>(), this))
        {
            // Oldest first, as they were requested.
            foreach (var run in (await service.ListUnfinishedRunsAsync(stoppingToken)).Where(r => r.Status == RunStatus.Queued).Reverse())
            {
                log.LogInformation("Taking up run {RunId}, queued before the process started", run.Id);
                await _runs.Writer.WriteAsync(new QueuedRun(run), stoppingToken);
            }
        }
        await foreach (var queued in _runs.Reader.ReadAllAsync(stoppingToken))
        {
            var run = queued.Run;
            try
            {
                // A failing run is marked failed with the reason; GET /api/evaluations/{id} shows it.
                var ended = await service.Runs.CarryAsync(queued, cancellationToken: stoppingToken);
                if (run.Status == RunStatus.Queued && ended.Status == RunStatus.Failed)
                    log.LogError("Run {RunId} failed: {Reason}", run.Id, ended.Reason);
                else
                    log.LogInformation("Run {RunId} is {Status}", run.Id, ended.Status);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Run {RunId} failed", run.Id);
            }
        }
    }
}
