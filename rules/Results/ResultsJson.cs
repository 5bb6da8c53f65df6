using System.Buffers;
using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;

namespace BaiQianWan.Assess.Rules.Results;

/// <summary>
/// Results JSON (spec §3): written field by field in a fixed order so the same result always gives the same
/// bytes; numbers without trailing zeros; Chinese unescaped. Also read back, for rendering and the store.
/// </summary>
public static class ResultsJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The result as UTF-8 JSON bytes.</summary>
    public static byte[] Serialize(EvaluationResult result) => Serialize(result, run: null);

    /// <summary>
    /// The result as UTF-8 JSON bytes, with a top-level <c>"run"</c> (after <c>period</c>) when <paramref name="run"/> is
    /// given: a stored run's results as written out (annual §2: a source file's run id). Without it the bytes are exactly
    /// those of <see cref="Serialize(EvaluationResult)"/>.
    /// </summary>
    public static byte[] Serialize(EvaluationResult result, string? run)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) Write(w, result, run);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the result as JSON to a stream.</summary>
    public static void Write(Stream stream, EvaluationResult result)
    {
        using var w = new Utf8JsonWriter(stream, WriterOptions);
        Write(w, result);
    }

    private static void Write(Utf8JsonWriter w, EvaluationResult r, string? run = null)
    {
        w.WriteStartObject();
        w.WriteString("period", r.Period.ToString());
        if (run is not null) w.WriteString("run", run);
        WriteRuleset(w, r.Ruleset);
        w.WriteStartObject("data");
        w.WriteString("sha256", r.DataSha256);
        w.WriteEndObject();
        if (!r.Sources.IsDefault)
        {
            // (annual §2) the publications read: present exactly when the ruleset has sources.
            w.WriteStartArray("sources");
            foreach (var s in r.Sources)
            {
                w.WriteStartObject();
                w.WriteString("period", s.Period.ToString());
                if (s.Run is null) w.WriteNull("run");
                else w.WriteString("run", s.Run);
                w.WriteString("sha256", s.Sha256);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
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
        WriteStrings(w, "unknownIndicators", r.UnknownIndicators);
        w.WriteEndObject();
    }

    private static void WriteRuleset(Utf8JsonWriter w, RulesetInfo r)
    {
        w.WriteStartObject("ruleset");
        w.WriteString("id", r.Id);
        if (r.Version is { } v) w.WriteNumber("version", v);
        else w.WriteNull("version");
        w.WriteString("sha256", r.Sha256);
        w.WriteString("name", r.Name);
        w.WriteString("level", r.Level.ToText());
        w.WriteNumber("decimals", r.Decimals);
        WriteStrings(w, "classes", r.Classes);
        WriteStrings(w, "grades", r.Grades);
        w.WriteStartArray("dimensions");
        foreach (var d in r.Dimensions)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteString("name", d.Name);
            w.WriteStartArray("indicators");
            foreach (var i in d.Indicators)
            {
                w.WriteStartObject();
                w.WriteString("id", i.Id);
                w.WriteString("name", i.Name);
                if (i.Unit is null) w.WriteNull("unit");
                else w.WriteString("unit", i.Unit);
                w.WriteString("method", i.Method);
                w.WriteString("metric", i.Metric);
                w.WriteString("better", i.Better);
                w.WriteBoolean("core", i.Core);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("adjustments");
        foreach (var a in r.Adjustments)
        {
            w.WriteStartObject();
            w.WriteString("id", a.Id);
            w.WriteString("name", a.Name);
            w.WriteString("kind", a.Kind);
            if (a.Grade is not null) w.WriteString("grade", a.Grade);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteUnit(Utf8JsonWriter w, UnitResult u)
    {
        w.WriteStartObject();
        w.WriteString("code", u.Code);
        w.WriteString("name", u.Name);
        w.WriteString("class", u.Class);
        Number(w, "total", u.Total);
        if (u.Ranked) w.WriteNumber("rank", u.Rank);
        else w.WriteNull("rank");
        w.WriteNumber("peers", u.Peers);
        if (u.LevelPeers is { } levelPeers)
        {
            if (u.LevelRank is { } levelRank) w.WriteNumber("levelRank", levelRank);
            else w.WriteNull("levelRank");
            w.WriteNumber("levelPeers", levelPeers);
        }
        if (u.Graded) w.WriteString("grade", u.Grade);
        else w.WriteNull("grade");
        WriteStrings(w, "lists", u.Lists);
        if (u.RawTotal is { } rawTotal) Number(w, "rawTotal", rawTotal);
        if (!u.Notes.IsDefault) WriteStrings(w, "notes", u.Notes);
        WriteStrings(w, "vetoes", u.Vetoes);
        if (u.Excluded is { } excluded) w.WriteBoolean("excluded", excluded);
        w.WriteBoolean("incomplete", u.Incomplete);
        w.WriteBoolean("targetsMet", u.TargetsMet);
        if (u.Parent is null) w.WriteNull("parent");
        else w.WriteString("parent", u.Parent);
        w.WriteStartArray("dimensions");
        foreach (var d in u.Dimensions)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            Number(w, "score", d.Score);
            if (d.Scaled)
            {
                Number(w, "raw", d.Raw);
                Number(w, "max", d.Limit);
                w.WriteString("explain", d.Explain);
            }
            else Number(w, "max", d.Limit);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("indicators");
        foreach (var i in u.Indicators)
        {
            w.WriteStartObject();
            w.WriteString("id", i.Id);
            Number(w, "score", i.Score);
            Number(w, "max", i.Limit);
            if (i.Missing is null) w.WriteNull("missing");
            else w.WriteString("missing", i.Missing);
            w.WriteString("explain", i.Explain);
            Number(w, "actual", i.Actual);
            Number(w, "target", i.Target);
            Number(w, "baseline", i.Baseline);
            Number(w, "metric", i.MetricValue);
            w.WriteBoolean("targetMet", i.TargetMet);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("adjustments");
        foreach (var a in u.Adjustments)
        {
            w.WriteStartObject();
            w.WriteString("id", a.Id);
            Number(w, "points", a.Points);
            Number(w, "count", a.Count);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Number(w, "bonus", u.Bonus);
        Number(w, "penalty", u.Penalty);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, decimal value) => w.WriteNumber(name, Numbers.Normalize(value));

    private static void Number(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } v) Number(w, name, v);
        else w.WriteNull(name);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>Reads results JSON written by <see cref="Serialize(EvaluationResult, string?)"/>. Throws <see cref="FormatException"/> naming the field on bad input.</summary>
    public static EvaluationResult Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        using var doc = JsonDocument.ParseValue(ref reader);
        try
        {
            return ReadResult(doc.RootElement);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"结果文件格式不正确：{e.Message}", e);
        }
    }

    private static EvaluationResult ReadResult(JsonElement root)
    {
        var rs = root.GetProperty("ruleset");
        if (!UnitLevels.TryParse(rs.GetProperty("level").GetString(), out var level)) throw new FormatException("ruleset.level");
        var info = new RulesetInfo(
            Str(rs, "id"),
            rs.GetProperty("version").ValueKind == JsonValueKind.Null ? null : rs.GetProperty("version").GetInt32(),
            Str(rs, "sha256"),
            Str(rs, "name"),
            level,
            rs.GetProperty("decimals").GetInt32(),
            Strings(rs, "classes"),
            Strings(rs, "grades"),
            [.. rs.GetProperty("dimensions").EnumerateArray().Select(d => new DimensionInfo(
                Str(d, "id"), Str(d, "name"),
                [.. d.GetProperty("indicators").EnumerateArray().Select(i => new IndicatorInfo(
                    Str(i, "id"), Str(i, "name"), OptStr(i, "unit"), Str(i, "method"), Str(i, "metric"), Str(i, "better"),
                    i.GetProperty("core").GetBoolean()))]))],
            [.. rs.GetProperty("adjustments").EnumerateArray().Select(a => new AdjustmentInfo(
                Str(a, "id"), Str(a, "name"), Str(a, "kind"), OptStr(a, "grade")))]);
        return new EvaluationResult(
            Period.Parse(Str(root, "period")),
            info,
            Str(root.GetProperty("data"), "sha256"),
            [.. root.GetProperty("units").EnumerateArray().Select(ReadUnit)],
            [.. root.GetProperty("skipped").EnumerateArray().Select(s => new SkippedUnit(Str(s, "code"), Str(s, "reason")))],
            Strings(root, "unknownIndicators"))
        {
            Sources = root.TryGetProperty("sources", out var sources)
                ? [.. sources.EnumerateArray().Select(s => new Annual.SourceRecord(Period.Parse(Str(s, "period")), OptStr(s, "run"), Str(s, "sha256")))]
                : default,
        };
    }

    private static UnitResult ReadUnit(JsonElement u) => new UnitResult(
        Str(u, "code"),
        Str(u, "name"),
        Str(u, "class"),
        OptStr(u, "parent"),
        u.GetProperty("total").GetDecimal(),
        u.GetProperty("rank").ValueKind == JsonValueKind.Null ? 0 : u.GetProperty("rank").GetInt32(),
        u.GetProperty("peers").GetInt32(),
        OptStr(u, "grade") ?? "",
        Strings(u, "lists"),
        Strings(u, "vetoes"),
        u.GetProperty("incomplete").GetBoolean(),
        u.TryGetProperty("targetsMet", out var tm) && tm.GetBoolean(),
        [.. u.GetProperty("dimensions").EnumerateArray().Select(d => new DimensionScore(
            Str(d, "id"), d.GetProperty("score").GetDecimal(), OptDec(d, "max") ?? 0m)
        {
            Scaled = d.TryGetProperty("raw", out _),
            Raw = OptDec(d, "raw") ?? 0m,
            Unlimited = d.TryGetProperty("max", out var max) && max.ValueKind == JsonValueKind.Null,
            Explain = OptStr(d, "explain"),
        })],
        [.. u.GetProperty("indicators").EnumerateArray().Select(i => new IndicatorResult(
            Str(i, "id"), i.GetProperty("score").GetDecimal(), OptDec(i, "max") ?? 0m, OptStr(i, "missing"),
            Explanation.FromText(Str(i, "explain")), OptDec(i, "actual"), OptDec(i, "target"), OptDec(i, "baseline"),
            OptDec(i, "metric"), i.TryGetProperty("targetMet", out var met) && met.GetBoolean())
        {
            Unlimited = i.GetProperty("max").ValueKind == JsonValueKind.Null,
        })],
        [.. u.GetProperty("adjustments").EnumerateArray().Select(a => new AdjustmentResult(
            Str(a, "id"), OptDec(a, "count") ?? 0m, a.GetProperty("points").GetDecimal()))],
        u.GetProperty("bonus").GetDecimal(),
        u.GetProperty("penalty").GetDecimal())
    {
        Excluded = u.TryGetProperty("excluded", out var excluded) ? excluded.GetBoolean() : null,
        LevelRank = u.TryGetProperty("levelRank", out var levelRank) && levelRank.ValueKind == JsonValueKind.Number ? levelRank.GetInt32() : null,
        LevelPeers = u.TryGetProperty("levelPeers", out var levelPeers) ? levelPeers.GetInt32() : null,
        RawTotal = OptDec(u, "rawTotal"),
        Notes = u.TryGetProperty("notes", out _) ? Strings(u, "notes") : default,
    };

    private static string Str(JsonElement e, string name) =>
        e.GetProperty(name).GetString() ?? throw new FormatException($"字段 {name} 不能为空");

    private static string? OptStr(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal? OptDec(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;

    private static ImmutableArray<string> Strings(JsonElement e, string name) =>
        [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetString() ?? "")];
}
