namespace BaiQianWan.Assess.Workflow.Runs;

/// <summary>A render-queue message that is not a render batch; the invocation fails and the platform retries, then sets it aside (poison queue).</summary>
/// <param name="message">What is wrong with it.</param>
public sealed class RenderBatchException(string message) : Exception(message);
