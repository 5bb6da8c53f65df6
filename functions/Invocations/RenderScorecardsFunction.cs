using BaiQianWan.Assess.Functions.Runs;

namespace BaiQianWan.Assess.Functions.Invocations;

/// <summary>
/// Queue <c>RenderScorecards</c>: renders and stores one batch of a run's scorecards; the batch that completes
/// the set also renders the bulletins and completes the run. A redelivered batch is harmless.
/// </summary>
public sealed class RenderScorecardsFunction(RunPipeline pipeline)
{
    /// <summary>The function's name (its folder and route).</summary>
    public const string Name = "RenderScorecards";

    /// <summary>The queue trigger's binding name, as in function.json.</summary>
    public const string Trigger = "batch";

    /// <summary>Handles one message.</summary>
    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var batch = RenderBatch.Parse(request.QueueMessage(Trigger));
        var dequeueCount = request.Metadata.TryGetValue("DequeueCount", out var d) && d.ValueKind == System.Text.Json.JsonValueKind.Number ? d.GetInt32() : 1;
        var run = await pipeline.RenderAsync(batch, cancellationToken);
        var response = new InvocationResponse();
        response.Logs.Add($"Run {batch.RunId} batch {batch.Batch}/{batch.Batches} ({batch.Units.Count} units, delivery {dequeueCount}): run is {run.Status}");
        response.ReturnValue = new { runId = run.Id, status = run.Status.ToString().ToLowerInvariant() };
        return response;
    }
}
