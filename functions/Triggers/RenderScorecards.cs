using System.Text.Json;
using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Workflow.Runs;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Triggers;

/// <summary>
/// Queue <c>RenderScorecards</c> on <see cref="RenderQueue"/>: renders and stores one batch of a run's scorecards; the
/// batch that completes the set also renders the bulletins and completes the run. A redelivered batch is harmless. A
/// message that fails (not a batch, a renderer error) fails the invocation: the platform retries it and, after
/// host.json's <c>maxDequeueCount</c>, moves it to the poison queue.
/// </summary>
public sealed class RenderScorecards(RunService runs, ILogger<RenderScorecards> log)
{
    /// <summary>The function's name.</summary>
    public const string Name = "RenderScorecards";

    /// <summary>Handles one message (its text: the batch JSON).</summary>
    [Function(Name)]
    public async Task Run([QueueTrigger(RenderQueue.Name)] string message, FunctionContext context)
    {
        RenderBatch batch;
        try
        {
            using var json = JsonDocument.Parse(message);
            batch = RenderBatch.Parse(json.RootElement);
        }
        catch (JsonException e)
        {
            throw new RenderBatchException($"渲染批次消息不是 JSON：{e.Message}");
        }
        var delivery = context.BindingContext.BindingData.TryGetValue("DequeueCount", out var count) && count is not null
            && long.TryParse(count.ToString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;
        var run = await runs.RenderAsync(batch, context.CancellationToken);
        log.LogInformation("Run {RunId} batch {Batch}/{Batches} ({Units} units, delivery {Delivery}): run is {Status}",
            batch.RunId, batch.Batch, batch.Batches, batch.Units.Count, delivery, run.Status);
    }
}
