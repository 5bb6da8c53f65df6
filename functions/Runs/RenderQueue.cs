namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>
/// The queue render batches travel on (in the storage account of <c>AzureWebJobsStorage</c>). Messages that fail
/// <c>maxDequeueCount</c> times (host.json) move to <c>render-batches-poison</c>, as the platform does for every queue trigger.
/// </summary>
public static class RenderQueue
{
    /// <summary>The queue's name (a constant: trigger and output attributes name it).</summary>
    public const string Name = "render-batches";
}
