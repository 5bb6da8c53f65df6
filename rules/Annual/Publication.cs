using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Annual;

/// <summary>
/// (Annual contract §2) A publication read as a source of a <c>cadence: year</c> evaluation: a quarter's scoring results
/// JSON or a month's monitor results JSON, reduced to the figures sources read. <see cref="Record"/> is what the run
/// records of it (period, run id, SHA-256 of its bytes).
/// </summary>
public sealed record Publication
{
    /// <summary>The period published: a quarter <c>YYYYQn</c>, or a month <c>YYYY-MM</c> for a monitor.</summary>
    public required Period Period { get; init; }

    /// <summary>True for a month's monitor results (<c>"kind": "monitor"</c>).</summary>
    public bool IsMonth => Period.IsMonth;

    /// <summary>The level of the evaluation or monitor published.</summary>
    public required UnitLevel Level { get; init; }

    /// <summary>The run id, or null when the results carry none (a file evaluated with no store).</summary>
    public string? Run { get; init; }

    /// <summary>Lower-case hex SHA-256 of the results JSON bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>For a quarter: each unit's figures by code.</summary>
    public ImmutableDictionary<string, QuarterFigures> Quarter { get; init; } = ImmutableDictionary<string, QuarterFigures>.Empty;

    /// <summary>For a month: each unit's final lights (one per indicator that has one) by code.</summary>
    public ImmutableDictionary<string, ImmutableArray<string>> Lights { get; init; } = ImmutableDictionary<string, ImmutableArray<string>>.Empty;

    /// <summary>For a month: the monitor's light ids, worst first.</summary>
    public ImmutableArray<string> LightIds { get; init; } = [];

    /// <summary>For a month: the lights' names (红灯, 黄灯 …) in the order of <see cref="LightIds"/>; the id where the file names none.</summary>
    public ImmutableArray<string> LightNames { get; init; } = [];

    /// <summary>What the run records of this publication.</summary>
    public SourceRecord Record => new(Period, Run, Sha256);

    /// <summary>
    /// Reads a results JSON file's bytes: a monitor's month when its <c>kind</c> is <c>monitor</c>, else a scoring result
    /// whose <c>period</c> must be a quarter. Throws <see cref="FormatException"/> with a Chinese message naming the field.
    /// </summary>
    public static Publication Read(ReadOnlySpan<byte> utf8, string? run = null)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(utf8));
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new FormatException($"不是 JSON（第 {(e.LineNumber ?? 0) + 1} 行）：{e.Message}", e);
        }
        using (doc)
        {
            try
            {
                return Parse(doc.RootElement, sha, run);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
            {
                throw new FormatException($"结果文件格式不正确：{e.Message}", e);
            }
        }
    }

    private static Publication Parse(JsonElement root, string sha, string? run)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("顶层应为对象");
        run ??= root.TryGetProperty("run", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var periodText = Text(root, "period");
        if (!Period.TryParse(periodText, out var period)) throw new FormatException($"period '{periodText}' 不是期间");
        var isMonitor = root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "monitor";
        if (isMonitor)
        {
            if (!period.IsMonth) throw new FormatException($"月度通报的 period 应为 YYYY-MM，这里是 '{periodText}'");
            var monitor = Prop(root, "monitor");
            var lights = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
            foreach (var u in Prop(root, "units").EnumerateArray())
            {
                var code = Text(u, "code");
                var list = ImmutableArray.CreateBuilder<string>();
                foreach (var i in Prop(u, "indicators").EnumerateArray())
                    if (i.TryGetProperty("light", out var l) && l.ValueKind == JsonValueKind.String) list.Add(l.GetString()!);
                if (!lights.TryAdd(code, list.ToImmutable())) throw new FormatException($"单位 {code} 出现两次");
            }
            return new Publication
            {
                Period = period,
                Level = ParseLevel(Text(monitor, "level")),
                Run = run,
                Sha256 = sha,
                Lights = lights.ToImmutable(),
                LightIds = [.. Prop(root, "lights").EnumerateArray().Select(l => Text(l, "id"))],
                LightNames = [.. Prop(root, "lights").EnumerateArray().Select(l =>
                    l.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : Text(l, "id"))],
            };
        }
        if (!period.IsQuarter) throw new FormatException($"季度考核结果的 period 应为 YYYYQn，这里是 '{periodText}'");
        var ruleset = Prop(root, "ruleset");
        var figures = ImmutableDictionary.CreateBuilder<string, QuarterFigures>(StringComparer.Ordinal);
        foreach (var u in Prop(root, "units").EnumerateArray())
        {
            var code = Text(u, "code");
            var f = new QuarterFigures(
                Number(u, "total"),
                Number(u, "rank"),
                Number(u, "levelRank"),
                Number(u, "bonus"),
                Number(u, "penalty"),
                Scores(u, "dimensions"),
                Scores(u, "indicators"))
            {
                Peers = Number(u, "peers"),
                LevelPeers = Number(u, "levelPeers"),
            };
            if (!figures.TryAdd(code, f)) throw new FormatException($"单位 {code} 出现两次");
        }
        return new Publication
        {
            Period = period,
            Level = ParseLevel(Text(ruleset, "level")),
            Run = run,
            Sha256 = sha,
            Quarter = figures.ToImmutable(),
        };
    }

    private static ImmutableDictionary<string, decimal> Scores(JsonElement unit, string name)
    {
        var scores = ImmutableDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        if (!unit.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array) return scores.ToImmutable();
        foreach (var e in list.EnumerateArray())
            if (Number(e, "score") is { } score) scores[Text(e, "id")] = score;
        return scores.ToImmutable();
    }

    private static UnitLevel ParseLevel(string text) =>
        UnitLevels.TryParse(text, out var level) ? level : throw new FormatException($"level '{text}' 不是层级");

    private static JsonElement Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw new FormatException($"缺少字段 {name}");

    private static string Text(JsonElement e, string name) =>
        Prop(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new FormatException($"字段 {name} 应为文字");

    /// <summary>A number field as an exact decimal; null when absent or null.</summary>
    private static decimal? Number(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number) throw new FormatException($"字段 {name} 应为数字");
        return decimal.Parse(v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}

/// <summary>One unit's figures in a quarter's published results; a null is no figure (e.g. an excluded unit's rank).</summary>
public sealed record QuarterFigures(
    decimal? Total,
    decimal? Rank,
    decimal? LevelRank,
    decimal? Bonus,
    decimal? Penalty,
    ImmutableDictionary<string, decimal> Dimensions,
    ImmutableDictionary<string, decimal> Indicators)
{
    /// <summary>The class's ranked units (<c>peers</c>), or null when the results give none.</summary>
    public decimal? Peers { get; init; }

    /// <summary>The level's ranked units (<c>levelPeers</c>), or null when the results give none (no level scope).</summary>
    public decimal? LevelPeers { get; init; }
}

/// <summary>A publication an annual run read (annual contract §2): its period, run id (null from a file without one) and content hash.</summary>
public sealed record SourceRecord(Period Period, string? Run, string Sha256);
