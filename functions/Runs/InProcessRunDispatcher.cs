using System.Threading.Channels;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>
/// Runs dispatched runs on a background worker in this process, rendering the same batches the queue would
/// carry, one after another. Used when the app runs on its own (no Functions host, no queue). On start it also
/// takes up runs still queued in the store (requested before the process stopped).
/// </summary>
public sealed class InProcessRunDispatcher(RunPipeline pipeline, IServiceProvider services, ILogger<InProcessRunDispatcher> log) : BackgroundService, IRunDispatcher
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
                foreach (var batch in await pipeline.EvaluateAsync(run, stoppingToken))
                    await pipeline.RenderAsync(batch, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The workflow has marked the run failed with the reason; GET /api/evaluations/{id} shows it.
                log.LogError(e, "Run {RunId} failed", run.Id);
            }
        }
    }
}
