using System.Threading.Channels;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>
/// Runs dispatched runs on a background worker in this process, rendering the same batches the queue would
/// carry, one after another. Used when the app runs on its own (no Functions host, no queue).
/// </summary>
public sealed class InProcessRunDispatcher(RunPipeline pipeline, ILogger<InProcessRunDispatcher> log) : BackgroundService, IRunDispatcher
{
    private readonly Channel<EvaluationRun> _runs = Channel.CreateUnbounded<EvaluationRun>(new UnboundedChannelOptions { SingleReader = true });

    /// <inheritdoc />
    public Task DispatchAsync(EvaluationRun run, CancellationToken cancellationToken) => _runs.Writer.WriteAsync(run, cancellationToken).AsTask();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
