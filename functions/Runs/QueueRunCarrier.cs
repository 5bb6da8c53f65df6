using Azure.Storage.Queues;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>
/// Under the Functions host on Azure storage: evaluates the run during the request (the engine is fast) and
/// sends its render batches to the queue the <c>RenderScorecards</c> function listens on (<see cref="RenderQueue"/>).
/// </summary>
public sealed class QueueRunCarrier(AzureStorageAccount account, ILogger<QueueRunCarrier> log) : IRunCarrier
{
    /// <inheritdoc />
    public async Task<EvaluationRun?> CarryAsync(RunService runs, QueuedRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var batches = await runs.EvaluateAsync(run, cancellationToken);
        if (batches.Count == 0) return null;
        var queue = Queue(account);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var batch in batches)
            await queue.SendMessageAsync(batch.ToJson(), cancellationToken);
        log.LogInformation("Run {RunId}: {Count} render batches queued on {Queue}", run.Run.Id, batches.Count, queue.Name);
        return null;
    }

    /// <summary>The render queue of an account: base64 message text, the encoding the Functions queue trigger expects by default.</summary>
    public static QueueClient Queue(AzureStorageAccount account) => account.Queue(RenderQueue.Name, QueueMessageEncoding.Base64);
}
