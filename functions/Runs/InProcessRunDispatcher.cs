using System.Threading.Channels;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>
/// Runs dispatched runs on a background worker in this process with <see cref="RunOrchestrator.CarryAsync"/>: the same
/// steps and batches the queue would carry, one after another. Used when the app runs on its own (no Functions host, no queue). On start it also
/// takes up runs still queued in the store (requested before the process stopped).
/// </summary>
public sealed class InProcessRunDispatcher(RunOrchestrator orchestrator, IServiceProvider services, ILogger<InProcessRunDispatcher> log) : BackgroundService, IRunDispatcher
{
    private readonly Channel<EvaluationRun> _runs = Channel.CreateUnbounded<EvaluationRun>(new UnboundedChannelOptions { SingleReader = true });

    /// <inheritdoc />
    public Task DispatchAsync(EvaluationRun run, CancellationToken cancellationToken) => _runs.Writer.WriteAsync(run, cancellationToken).AsTask();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (ReferenceEquals(services.GetRequiredService<IRunDispatcher>(), this))
        {
            var service = services.GetRequiredService<AssessmentService>();
            // Oldest first, as they were requested.
            foreach (var run in (await service.ListRunsAsync(cancellationToken: stoppingToken)).Where(r => r.Status == RunStatus.Queued).Reverse())
            {
                log.LogInformation("Taking up run {RunId}, queued before the process started", run.Id);
                await DispatchAsync(run, stoppingToken);
            }
        }
        await foreach (var run in _runs.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                // The orchestrator marks a failing run failed with the reason; GET /api/evaluations/{id} shows it.
                var ended = await orchestrator.CarryAsync(run.Id, cancellationToken: stoppingToken);
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
