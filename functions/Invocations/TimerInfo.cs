using System.Text.Json;

namespace BaiQianWan.Assess.Functions.Invocations;

/// <summary>The timer binding's value: whether this firing is late (missed while the host was down) and the schedule status.</summary>
/// <param name="IsPastDue">True when the host fires a missed or restarted occurrence.</param>
/// <param name="Last">Previous occurrence, if the host knows it.</param>
/// <param name="Next">Next occurrence, if the host knows it.</param>
public sealed record TimerInfo(bool IsPastDue, DateTimeOffset? Last, DateTimeOffset? Next)
{
    /// <summary>Reads <c>{"Schedule":{...},"ScheduleStatus":{"Last","Next","LastUpdated"},"IsPastDue":bool}</c>.</summary>
    public static TimerInfo Parse(JsonElement timer)
    {
        if (timer.ValueKind == JsonValueKind.String)
        {
            // Some hosts pass binding data as JSON text.
            using var doc = JsonDocument.Parse(timer.GetString()!);
            return Parse(doc.RootElement.Clone());
        }
        if (timer.ValueKind != JsonValueKind.Object) throw new InvocationException("计时器绑定应为 JSON 对象");
        var pastDue = timer.TryGetProperty("IsPastDue", out var p) && p.ValueKind == JsonValueKind.True;
        DateTimeOffset? last = null, next = null;
        if (timer.TryGetProperty("ScheduleStatus", out var status) && status.ValueKind == JsonValueKind.Object)
        {
            last = Time(status, "Last");
            next = Time(status, "Next");
        }
        return new TimerInfo(pastDue, last, next);
    }

    private static DateTimeOffset? Time(JsonElement status, string name) =>
        status.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var t) ? t : null;
}
