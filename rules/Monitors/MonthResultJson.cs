using System.Buffers;
using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// A month's results JSON (monitor contract §3): written field by field in the contract's order, so the same result
/// always gives the same bytes; numbers in their shortest exact form; nulls written; Chinese unescaped. Fields beyond
/// the contract come after its own in each object (<c>monitor.name</c>, <c>level</c>, <c>decimals</c>, <c>classes</c>,
/// <c>escalate</c>; an indicator's <c>better</c> and <c>paceBy</c>; a unit indicator's <c>escalation</c> and
/// <c>history</c>). Read back for rendering and the store.
/// </summary>
public static class MonthResultJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The result as UTF-8 JSON bytes.</summary>
    public static byte[] Serialize(MonthResult result) => Serialize(result, run: null);

    /// <summary>
    /// The result as UTF-8 JSON bytes, with a top-level <c>"run"</c> (after <c>period</c>) when <paramref name="run"/> is
    /// given (a stored run's month as written out); without it exactly the bytes of <see cref="Serialize(MonthResult)"/>.
    /// </summary>
    public static byte[] Serialize(MonthResult result, string? run)
    {
        ArgumentNullException.ThrowIfNull(result);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) Write(w, result, run);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter w, MonthResult r, string? run)
    {
        w.WriteStartObject();
        w.WriteString("kind", "monitor");
        w.WriteString("period", r.Period.ToString());
        if (run is not null) w.WriteString("run", run);
        w.WriteNumber("month", r.Month);
        w.WriteStartObject("monitor");
        w.WriteString("id", r.Monitor.Id);
        if (r.Monitor.Version is { } v) w.WriteNumber("version", v);
        else w.WriteNull("version");
        w.WriteString("sha256", r.Monitor.Sha256);
        w.WriteString("name", r.Monitor.Name);
        w.WriteString("level", r.Monitor.Level.ToText());
        w.WriteNumber("decimals", r.Monitor.Decimals);
        w.WriteStartArray("classes");
        foreach (var c in r.Monitor.Classes) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteStartArray("escalate");
        foreach (var e in r.Monitor.Escalate) WriteEscalation(w, e);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("data");
        w.WriteString("sha256", r.DataSha256);
        w.WriteEndObject();
        w.WriteStartArray("lights");
        foreach (var l in r.Lights)
        {
            w.WriteStartObject();
            w.WriteString("id", l.Id);
            w.WriteString("name", l.Name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("indicators");
        foreach (var i in r.Indicators)
        {
            w.WriteStartObject();
            w.WriteString("id", i.Id);
            w.WriteString("name", i.Name);
            OptString(w, "unit", i.Unit);
            w.WriteString("metric", i.Metric);
            OptNumber(w, "pace", i.Pace);
            w.WriteString("better", i.Better);
            OptString(w, "paceBy", i.PaceBy);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("units");
        foreach (var u in r.Units) WriteUnit(w, u);
        w.WriteEndArray();
        w.WriteStartArray("skipped");
        foreach (var s in r.Skipped)
        {
            w.WriteStartObject();
            w.WriteString("code", s.Code);
            w.WriteString("reason", s.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("unknownIndicators");
        foreach (var id in r.UnknownIndicators) w.WriteStringValue(id);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteUnit(Utf8JsonWriter w, MonthUnitResult u)
    {
        w.WriteStartObject();
        w.WriteString("code", u.Code);
        w.WriteString("name", u.Name);
        w.WriteString("class", u.Class);
        OptString(w, "parent", u.Parent);
        w.WriteStartArray("indicators");
        foreach (var i in u.Indicators)
        {
            w.WriteStartObject();
            w.WriteString("id", i.Id);
            OptNumber(w, "actual", i.Actual);
            OptNumber(w, "target", i.Target);
            OptNumber(w, "baseline", i.Baseline);
            OptNumber(w, "plan", i.Plan);
            OptNumber(w, "progress", i.Progress);
            OptNumber(w, "pace", i.Pace);
            OptNumber(w, "gap", i.Gap);
            OptNumber(w, "growth", i.Growth);
            OptNumber(w, "value", i.Value);
            OptInt(w, "rank", i.Rank);
            w.WriteNumber("peers", i.Peers);
            OptInt(w, "levelRank", i.LevelRank);
            w.WriteNumber("levelPeers", i.LevelPeers);
            OptString(w, "light", i.Light);
            OptString(w, "plainLight", i.PlainLight);
            OptInt(w, "streak", i.Streak);
            OptString(w, "missing", i.Missing);
            w.WriteString("explain", i.Explain);
            if (i.Escalation is { } e)
            {
                w.WritePropertyName("escalation");
                WriteEscalation(w, e);
            }
            else w.WriteNull("escalation");
            w.WriteStartArray("history");
            foreach (var p in i.History)
            {
                w.WriteStartObject();
                w.WriteNumber("month", p.Month);
                OptNumber(w, "figure", p.Figure);
                OptNumber(w, "pace", p.Pace);
                OptNumber(w, "gap", p.Gap);
                OptString(w, "plainLight", p.PlainLight);
                OptString(w, "light", p.Light);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("counts");
        foreach (var c in u.Counts) w.WriteNumber(c.Light, c.Count);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteEscalation(Utf8JsonWriter w, EscalationInfo e)
    {
        w.WriteStartObject();
        w.WriteString("light", e.Light);
        w.WriteNumber("months", e.Months);
        w.WriteString("to", e.To);
        w.WriteEndObject();
    }

    private static void OptString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static void OptNumber(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } d) w.WriteNumber(name, Numbers.Normalize(d));
        else w.WriteNull(name);
    }

    private static void OptInt(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } i) w.WriteNumber(name, i);
        else w.WriteNull(name);
    }

    /// <summary>Reads results JSON written by <see cref="Serialize(MonthResult, string?)"/> (for rendering and the store).</summary>
    /// <exception cref="FormatException">The JSON is not a month's results (the message says what is wrong).</exception>
    public static MonthResult Read(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 16 });
            using var doc = JsonDocument.ParseValue(ref reader);
            return ReadResult(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException or OverflowException)
        {
            throw new FormatException($"不是月通报结果 JSON：{e.Message}", e);
        }
    }

    private static MonthResult ReadResult(JsonElement root)
    {
        if (Str(root, "kind") != "monitor") throw new FormatException("不是月通报结果 JSON：kind 应为 monitor");
        if (!Period.TryParse(Str(root, "period"), out var period) || !period.IsMonth)
            throw new FormatException($"不是月通报结果 JSON：period '{Str(root, "period")}' 不是月份（YYYY-MM）");
        var m = root.GetProperty("monitor");
        if (!UnitLevels.TryParse(Str(m, "level"), out var level)) throw new FormatException("不是月通报结果 JSON：monitor.level 不是层级");
        var monitor = new MonitorInfo(Str(m, "id"), OptInt(m, "version"), Str(m, "sha256"), Str(m, "name"), level,
            m.GetProperty("decimals").GetInt32(),
            [.. m.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!)],
            [.. m.GetProperty("escalate").EnumerateArray().Select(ReadEscalation)]);
        return new MonthResult(
            period,
            monitor,
            Str(root.GetProperty("data"), "sha256"),
            [.. root.GetProperty("lights").EnumerateArray().Select(l => new LightInfo(Str(l, "id"), Str(l, "name")))],
            [.. root.GetProperty("indicators").EnumerateArray().Select(i => new MonthIndicatorInfo(
                Str(i, "id"), Str(i, "name"), OptStr(i, "unit"), Str(i, "metric"), OptDec(i, "pace"), Str(i, "better"), OptStr(i, "paceBy")))],
            [.. root.GetProperty("units").EnumerateArray().Select(ReadUnit)],
            [.. root.GetProperty("skipped").EnumerateArray().Select(s => new SkippedUnit(Str(s, "code"), Str(s, "reason")))],
            [.. root.GetProperty("unknownIndicators").EnumerateArray().Select(s => s.GetString()!)]);
    }

    private static MonthUnitResult ReadUnit(JsonElement u) => new(
        Str(u, "code"), Str(u, "name"), Str(u, "class"), OptStr(u, "parent"),
        [.. u.GetProperty("indicators").EnumerateArray().Select(i => new MonthIndicatorResult(
            Str(i, "id"), OptDec(i, "actual"), OptDec(i, "target"), OptDec(i, "baseline"), OptDec(i, "plan"),
            OptDec(i, "progress"), OptDec(i, "pace"), OptDec(i, "gap"), OptDec(i, "growth"), OptDec(i, "value"),
            OptInt(i, "rank"), i.GetProperty("peers").GetInt32(), OptInt(i, "levelRank"), i.GetProperty("levelPeers").GetInt32(),
            OptStr(i, "light"), OptStr(i, "plainLight"), OptInt(i, "streak"), OptStr(i, "missing"), Str(i, "explain"),
            i.TryGetProperty("escalation", out var e) && e.ValueKind == JsonValueKind.Object ? ReadEscalation(e) : null,
            i.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Array
                ? [.. h.EnumerateArray().Select(p => new MonthPoint(p.GetProperty("month").GetInt32(), OptDec(p, "figure"), OptDec(p, "pace"),
                    OptDec(p, "gap"), OptStr(p, "plainLight"), OptStr(p, "light")))]
                : []))],
        [.. u.GetProperty("counts").EnumerateObject().Select(c => new LightCount(c.Name, c.Value.GetInt32()))]);

    private static EscalationInfo ReadEscalation(JsonElement e) => new(Str(e, "light"), e.GetProperty("months").GetInt32(), Str(e, "to"));

    private static string Str(JsonElement e, string name) =>
        e.GetProperty(name).GetString() ?? throw new FormatException($"不是月通报结果 JSON：{name} 不能为 null");

    private static string? OptStr(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal? OptDec(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;

    private static int? OptInt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
