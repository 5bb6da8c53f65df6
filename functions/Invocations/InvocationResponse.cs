using System.Text.Json.Serialization;

namespace BaiQianWan.Assess.Functions.Invocations;

/// <summary>
/// The handler's reply to the host: output binding values by (case-sensitive) binding name, log lines the host
/// writes to its own log, and the function's return value. A non-2xx status fails the invocation.
/// </summary>
public sealed class InvocationResponse
{
    /// <summary>Output binding name → value (a queue output takes a string or an array of strings).</summary>
    [JsonPropertyName("Outputs")]
    public Dictionary<string, object?> Outputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Lines for the host's log.</summary>
    [JsonPropertyName("Logs")]
    public List<string> Logs { get; } = [];

    /// <summary>The function's return value.</summary>
    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; set; }
}
