using Microsoft.Extensions.Options;
using Microsoft.WindowsAzure.Storage;
using Microsoft.WindowsAzure.Storage.Auth;
using Microsoft.WindowsAzure.Storage.Queue;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>
/// Under the Functions host on Azure storage: evaluates the run during the request (the engine is fast) and
/// sends its render batches to the queue the <c>RenderScorecards</c> function listens on. An HTTP function
/// cannot use a queue output binding without losing request proxying, so the handler enqueues itself.
/// </summary>
public sealed class QueueRunDispatcher(RunPipeline pipeline, IOptions<RunSettings> settings, CloudStorageAccount account, ILogger<QueueRunDispatcher> log) : IRunDispatcher
{
    /// <inheritdoc />
    public async Task DispatchAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        var batches = await pipeline.EvaluateAsync(run, cancellationToken);
        if (batches.Count == 0) return;
        var queue = Client(account).GetQueueReference(settings.Value.QueueName);
        await queue.CreateIfNotExistsAsync();
        // Base64 message text, the encoding the Functions queue trigger expects by default.
        queue.EncodeMessage = true;
        foreach (var batch in batches)
            await queue.AddMessageAsync(new CloudQueueMessage(batch.ToJson()));
        log.LogInformation("Run {RunId}: {Count} render batches queued on {Queue}", run.Id, batches.Count, queue.Name);
    }

    /// <summary>
    /// A queue client for an account. WindowsAzure.Storage's shared-key signing creates the en-US culture, which
    /// throws under the project's InvariantGlobalization, so a key is turned into a short-lived account SAS
    /// (queue service only) and requests are signed with that; an account given with a SAS is used as it is.
    /// </summary>
    public static CloudQueueClient Client(CloudStorageAccount account)
    {
        if (!account.Credentials.IsSharedKey) return account.CreateCloudQueueClient();
        var now = DateTimeOffset.UtcNow;
        var sas = account.GetSharedAccessSignature(new SharedAccessAccountPolicy
        {
            Permissions = SharedAccessAccountPermissions.Read | SharedAccessAccountPermissions.Write | SharedAccessAccountPermissions.Add
                | SharedAccessAccountPermissions.Create | SharedAccessAccountPermissions.Update | SharedAccessAccountPermissions.ProcessMessages
                | SharedAccessAccountPermissions.Delete | SharedAccessAccountPermissions.List,
            Services = SharedAccessAccountServices.Queue,
            ResourceTypes = SharedAccessAccountResourceTypes.Service | SharedAccessAccountResourceTypes.Container | SharedAccessAccountResourceTypes.Object,
            SharedAccessStartTime = now.AddMinutes(-15),
            SharedAccessExpiryTime = now.AddHours(1),
            Protocols = SharedAccessProtocol.HttpsOrHttp,
        });
        return new CloudStorageAccount(new StorageCredentials(sas), account.BlobEndpoint, account.QueueEndpoint, account.TableEndpoint, account.FileEndpoint)
            .CreateCloudQueueClient();
    }
}
