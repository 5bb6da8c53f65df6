using System.Text.Json;

namespace BaiQianWan.Assess.Functions.Invocations;

/// <summary>
/// What the Functions host posts to <c>/{FunctionName}</c> for a non-HTTP trigger: the trigger's and input bindings'
/// data by binding name, and the trigger metadata.
/// </summary>
/// <param name="Data">Binding name → value (a queue message arrives as a JSON string holding the message text).</param>
/// <param name="Metadata">Trigger metadata (<c>DequeueCount</c>, <c>Id</c>, <c>sys</c> ...).</param>
public sealed record InvocationRequest(IReadOnlyDictionary<string, JsonElement> Data, IReadOnlyDictionary<string, JsonElement> Metadata)
{
    /// <summary>Reads the payload; a missing <c>Data</c> or <c>Metadata</c> is empty.</summary>
    public static InvocationRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvocationException("调用负载应为 JSON 对象 {\"Data\":{...},\"Metadata\":{...}}");
        return new InvocationRequest(Section(root, "Data"), Section(root, "Metadata"));
    }

    /// <summary>The value of a binding, or an error naming it.</summary>
    public JsonElement Binding(string name) =>
        Data.TryGetValue(name, out var value) ? value : throw new InvocationException($"调用负载缺少绑定 Data.{name}");

    /// <summary>
    /// The JSON a queue binding carries: the host passes the message text as a JSON string, so a JSON message is
    /// encoded twice (<c>"{\"runId\":...}"</c>); an object (a host that already decoded it) is taken as it is.
    /// </summary>
    public JsonElement QueueMessage(string name)
    {
        var value = Binding(name);
        if (value.ValueKind == JsonValueKind.Object) return value.Clone();
        if (value.ValueKind != JsonValueKind.String)
            throw new InvocationException($"Data.{name} 应为队列消息文本（JSON 字符串），这里是 {value.ValueKind}");
        try
        {
            using var inner = JsonDocument.Parse(value.GetString()!);
            return inner.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvocationException($"Data.{name} 的消息不是 JSON：{e.Message}");
        }
    }

    /// <summary>The invocation's own UTC time from <c>Metadata.sys.UtcNow</c>, when the host sent it.</summary>
    public DateTimeOffset? SysUtcNow()
    {
        if (Metadata.TryGetValue("sys", out var sys) && sys.ValueKind == JsonValueKind.Object
            && sys.TryGetProperty("UtcNow", out var now) && now.ValueKind == JsonValueKind.String
            && now.TryGetDateTimeOffset(out var at))
            return at.ToUniversalTime();
        return null;
    }

    private static Dictionary<string, JsonElement> Section(JsonElement root, string name)
    {
        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty(name, out var section) && section.ValueKind == JsonValueKind.Object)
            foreach (var p in section.EnumerateObject())
                map[p.Name] = p.Value.Clone();
        return map;
    }
}
