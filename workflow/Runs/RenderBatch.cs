using System.Text.Json;
using System.Text.Json.Serialization;

namespace BaiQianWan.Assess.Workflow.Runs;

/// <summary>A queue message: render these units' scorecards of a run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Batch">Batch number, from 1.</param>
/// <param name="Batches">Number of batches of the run.</param>
/// <param name="Units">Unit codes to render.</param>
public sealed record RenderBatch(
    [property: JsonPropertyName("runId")] string RunId,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("batches")] int Batches,
    [property: JsonPropertyName("units")] IReadOnlyList<string> Units)
{
    /// <summary>The message text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Reads a message, naming what is missing.</summary>
    public static RenderBatch Parse(JsonElement message)
    {
        RenderBatch? batch;
        try
        {
            batch = message.Deserialize<RenderBatch>();
        }
        catch (JsonException e)
        {
            throw new RenderBatchException($"渲染批次消息格式不对：{e.Message}");
        }
        if (batch is null || string.IsNullOrEmpty(batch.RunId) || batch.Units is null || batch.Units.Count == 0 || batch.Units.Any(string.IsNullOrEmpty))
            throw new RenderBatchException("渲染批次消息应为 {\"runId\":\"...\",\"batch\":1,\"batches\":n,\"units\":[\"...\"]}");
        return batch;
    }
}
