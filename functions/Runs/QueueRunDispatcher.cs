using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Queue;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;

namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>
/// Under the Functions host on Azure storage: evaluates the run during the request (the engine is fast) and
/// sends its render batches to the queue the <c>RenderScorecards</c> function listens on (<see cref="RenderQueue"/>).
/// </summary>
public sealed class QueueRunDispatcher(RunPipeline pipeline, CloudStorageAccount account, ILogger<QueueRunDispatcher> log) : IRunDispatcher
{
    /// <inheritdoc />
    public async Task DispatchAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        var batches = await pipeline.EvaluateAsync(run, cancellationToken);
        if (batches.Count == 0) return;
        var queue = Client(account).GetQueueReference(RenderQueue.Name);
        await queue.CreateIfNotExistsAsync();
        // Base64 message text, the encoding the Functions queue trigger expects by default.
        queue.EncodeMessage = true;
        foreach (var batch in batches)
            await queue.AddMessageAsync(new CloudQueueMessage(batch.ToJson()));
        log.LogInformation("Run {RunId}: {Count} render batches queued on {Queue}", run.Id, batches.Count, queue.Name);
    }

    /// <summary>A queue client for an account, signing with a short-lived account SAS when the account has a key (<see cref="AccountSas"/>).</summary>
    public static CloudQueueClient Client(CloudStorageAccount account) =>
        AccountSas.Signed(account, SharedAccessAccountServices.Queue, TimeSpan.FromHours(1), DateTimeOffset.UtcNow).Account.CreateCloudQueueClient();
}
