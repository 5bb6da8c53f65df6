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
    /// <remarks>
    /// One streaming pass (<see cref="Utf8JsonReader"/>) keeps only what sources read — the top-level <c>period</c>,
    /// <c>run</c>, <c>kind</c>, the level, the lights, and each unit's code, figures and its dimensions' and indicators'
    /// <c>id</c>, <c>score</c> and <c>light</c> — and skips the rest (a month's indicator histories, explanations …)
    /// without building a document; the skipped text is still checked as JSON. What is kept is interpreted after the whole
    /// file has been read, so a file that is not JSON is reported as such before any field is judged; the hash covers the
    /// file's exact bytes (a byte order mark included).
    /// </remarks>
    public static Publication Read(ReadOnlySpan<byte> utf8, string? run = null)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(utf8));
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        Scan scan;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
            scan = Scan.Read(ref reader);
        }
        catch (JsonException e)
        {
            throw new FormatException($"不是 JSON（第 {(e.LineNumber ?? 0) + 1} 行）：{e.Message}", e);
        }
        try
        {
            return Parse(utf8, scan, sha, run);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new FormatException($"结果文件格式不正确：{e.Message}", e);
        }
    }

    private static Publication Parse(ReadOnlySpan<byte> utf8, Scan s, string sha, string? run)
    {
        if (!s.RootIsObject) throw new FormatException("顶层应为对象");
        run ??= s.Run.Type == JsonTokenType.String ? Str(utf8, s.Run) : null;
        var periodText = Text(utf8, true, s.Period, "period");
        if (!Period.TryParse(periodText, out var period)) throw new FormatException($"period '{periodText}' 不是期间");
        var isMonitor = s.Kind.Type == JsonTokenType.String && Str(utf8, s.Kind) == "monitor";
        if (isMonitor)
        {
            if (!period.IsMonth) throw new FormatException($"月度通报的 period 应为 YYYY-MM，这里是 '{periodText}'");
            var monitor = s.Monitor ?? throw new FormatException("缺少字段 monitor");
            var lights = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var u in Items(s.Units, "units"))
            {
                var code = Text(utf8, u.IsObject, u.Code, "code");
                var list = ImmutableArray.CreateBuilder<string>();
                foreach (var i in Items(u.Indicators, "indicators"))
                {
                    if (!i.IsObject) throw new FormatException("indicators 的元素应为对象");
                    if (i.Light.Type == JsonTokenType.String)
                    {
                        // A month repeats a handful of light ids thousands of times: keep one string of each.
                        var light = Str(utf8, i.Light);
                        list.Add(names.TryGetValue(light, out var same) ? same : names[light] = light);
                    }
                }
                if (!lights.TryAdd(code, list.ToImmutable())) throw new FormatException($"单位 {code} 出现两次");
            }
            var level = ParseLevel(Text(utf8, monitor.IsObject, monitor.Level, "level"));
            var ids = ImmutableArray.CreateBuilder<string>();
            var lightNames = ImmutableArray.CreateBuilder<string>();
            foreach (var l in Items(s.Lights, "lights")) ids.Add(Text(utf8, l.IsObject, l.Id, "id"));
            foreach (var l in Items(s.Lights, "lights"))
                lightNames.Add(l.IsObject && l.Name.Type == JsonTokenType.String ? Str(utf8, l.Name) : Text(utf8, l.IsObject, l.Id, "id"));
            return new Publication
            {
                Period = period,
                Level = level,
                Run = run,
                Sha256 = sha,
                Lights = lights.ToImmutable(),
                LightIds = ids.ToImmutable(),
                LightNames = lightNames.ToImmutable(),
            };
        }
        if (!period.IsQuarter) throw new FormatException($"季度考核结果的 period 应为 YYYYQn，这里是 '{periodText}'");
        var ruleset = s.Ruleset ?? throw new FormatException("缺少字段 ruleset");
        var figures = ImmutableDictionary.CreateBuilder<string, QuarterFigures>(StringComparer.Ordinal);
        foreach (var u in Items(s.Units, "units"))
        {
            var code = Text(utf8, u.IsObject, u.Code, "code");
            var f = new QuarterFigures(
                Number(utf8, u.Total, "total"),
                Number(utf8, u.Rank, "rank"),
                Number(utf8, u.LevelRank, "levelRank"),
                Number(utf8, u.Bonus, "bonus"),
                Number(utf8, u.Penalty, "penalty"),
                Scores(utf8, u.Dimensions, "dimensions"),
                Scores(utf8, u.Indicators, "indicators"))
            {
                Peers = Number(utf8, u.Peers, "peers"),
                LevelPeers = Number(utf8, u.LevelPeers, "levelPeers"),
            };
            if (!figures.TryAdd(code, f)) throw new FormatException($"单位 {code} 出现两次");
        }
        return new Publication
        {
            Period = period,
            Level = ParseLevel(Text(utf8, ruleset.IsObject, ruleset.Level, "level")),
            Run = run,
            Sha256 = sha,
            Quarter = figures.ToImmutable(),
        };
    }

    private static ImmutableDictionary<string, decimal> Scores(ReadOnlySpan<byte> utf8, Many<Item>? list, string name)
    {
        var scores = ImmutableDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        if (list is not { Type: JsonTokenType.StartArray }) return scores.ToImmutable();
        foreach (var e in list.Items)
        {
            if (!e.IsObject) throw new FormatException($"{name} 的元素应为对象");
            if (Number(utf8, e.Score, "score") is { } score) scores[Text(utf8, true, e.Id, "id")] = score;
        }
        return scores.ToImmutable();
    }

    /// <summary>The elements of an array field; a missing field or one that is not an array is an error naming it.</summary>
    private static List<T> Items<T>(Many<T>? many, string name) =>
        many is null ? throw new FormatException($"缺少字段 {name}")
        : many.Type == JsonTokenType.StartArray ? many.Items
        : throw new FormatException($"字段 {name} 应为数组");

    private static UnitLevel ParseLevel(string text) =>
        UnitLevels.TryParse(text, out var level) ? level : throw new FormatException($"level '{text}' 不是层级");

    /// <summary>A string field of an object (<paramref name="inObject"/> false: its holder is not an object, so the field is missing).</summary>
    private static string Text(ReadOnlySpan<byte> utf8, bool inObject, Raw value, string name) =>
        !inObject || value.Type == JsonTokenType.None ? throw new FormatException($"缺少字段 {name}")
        : value.Type == JsonTokenType.String ? Str(utf8, value)
        : throw new FormatException($"字段 {name} 应为文字");

    /// <summary>A string token's value, unescaped (the token re-read on its own).</summary>
    private static string Str(ReadOnlySpan<byte> utf8, Raw value)
    {
        var reader = new Utf8JsonReader(utf8.Slice(value.Start, value.Length + 2));
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>A number field as an exact decimal; null when absent or null.</summary>
    private static decimal? Number(ReadOnlySpan<byte> utf8, Raw value, string name)
    {
        if (value.Type is JsonTokenType.None or JsonTokenType.Null) return null;
        if (value.Type != JsonTokenType.Number) throw new FormatException($"字段 {name} 应为数字");
        return decimal.Parse(utf8.Slice(value.Start, value.Length), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A value token kept by its place in the bytes: its type (<see cref="JsonTokenType.None"/> when the field is absent;
    /// <see cref="JsonTokenType.StartObject"/> or <see cref="JsonTokenType.StartArray"/> for a skipped container), where the
    /// token starts and the length of its raw value (a string's without the quotes).
    /// </summary>
    private readonly record struct Raw(JsonTokenType Type, int Start, int Length)
    {
        public static Raw Take(ref Utf8JsonReader r)
        {
            var raw = new Raw(r.TokenType, (int)r.TokenStartIndex, r.TokenType is JsonTokenType.String or JsonTokenType.Number ? r.ValueSpan.Length : 0);
            r.Skip();
            return raw;
        }
    }

    /// <summary>An array field's kept elements; <see cref="Type"/> is the value's token type (an array or not).</summary>
    private sealed class Many<T>(JsonTokenType type)
    {
        public JsonTokenType Type { get; } = type;
        public List<T> Items { get; } = [];
    }

    /// <summary>An element of <c>lights</c>, or of a unit's <c>dimensions</c> or <c>indicators</c>: the fields kept.</summary>
    private readonly record struct Item(bool IsObject, Raw Id, Raw Name, Raw Score, Raw Light);

    /// <summary>An object holding a <c>level</c> (<c>monitor</c>, <c>ruleset</c>).</summary>
    private sealed record Holder(bool IsObject, Raw Level);

    private sealed class UnitRaw
    {
        public bool IsObject;
        public Raw Code, Total, Rank, LevelRank, Bonus, Penalty, Peers, LevelPeers;
        public Many<Item>? Dimensions, Indicators;
    }

    /// <summary>What one streaming pass keeps of a results file (the last of a repeated field, as a document would give).</summary>
    private sealed class Scan
    {
        public bool RootIsObject;
        public Raw Period, Run, Kind;
        public Holder? Monitor, Ruleset;
        public Many<Item>? Lights;
        public Many<UnitRaw>? Units;

        public static Scan Read(ref Utf8JsonReader r)
        {
            var s = new Scan();
            if (!r.Read()) throw new JsonException("文件中没有 JSON 内容");
            if (r.TokenType != JsonTokenType.StartObject)
            {
                r.Skip();
                return s;
            }
            s.RootIsObject = true;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("period"u8)) { r.Read(); s.Period = Raw.Take(ref r); }
                else if (r.ValueTextEquals("run"u8)) { r.Read(); s.Run = Raw.Take(ref r); }
                else if (r.ValueTextEquals("kind"u8)) { r.Read(); s.Kind = Raw.Take(ref r); }
                else if (r.ValueTextEquals("monitor"u8)) { r.Read(); s.Monitor = ReadHolder(ref r); }
                else if (r.ValueTextEquals("ruleset"u8)) { r.Read(); s.Ruleset = ReadHolder(ref r); }
                else if (r.ValueTextEquals("lights"u8)) { r.Read(); s.Lights = ReadItems(ref r); }
                else if (r.ValueTextEquals("units"u8)) { r.Read(); s.Units = ReadUnits(ref r); }
                else { r.Read(); r.Skip(); }
            }
            return s;
        }

        private static Holder ReadHolder(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartObject)
            {
                r.Skip();
                return new Holder(false, default);
            }
            Raw level = default;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var isLevel = r.ValueTextEquals("level"u8);
                r.Read();
                if (isLevel) level = Raw.Take(ref r);
                else r.Skip();
            }
            return new Holder(true, level);
        }

        private static Many<Item> ReadItems(ref Utf8JsonReader r)
        {
            var many = new Many<Item>(r.TokenType);
            if (r.TokenType != JsonTokenType.StartArray)
            {
                r.Skip();
                return many;
            }
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (r.TokenType != JsonTokenType.StartObject)
                {
                    r.Skip();
                    many.Items.Add(default);
                    continue;
                }
                Raw id = default, name = default, score = default, light = default;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("id"u8)) { r.Read(); id = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("name"u8)) { r.Read(); name = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("score"u8)) { r.Read(); score = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("light"u8)) { r.Read(); light = Raw.Take(ref r); }
                    else { r.Read(); r.Skip(); }
                }
                many.Items.Add(new Item(true, id, name, score, light));
            }
            return many;
        }

        private static Many<UnitRaw> ReadUnits(ref Utf8JsonReader r)
        {
            var many = new Many<UnitRaw>(r.TokenType);
            if (r.TokenType != JsonTokenType.StartArray)
            {
                r.Skip();
                return many;
            }
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                var u = new UnitRaw();
                many.Items.Add(u);
                if (r.TokenType != JsonTokenType.StartObject)
                {
                    r.Skip();
                    continue;
                }
                u.IsObject = true;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("code"u8)) { r.Read(); u.Code = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("total"u8)) { r.Read(); u.Total = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("rank"u8)) { r.Read(); u.Rank = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("levelRank"u8)) { r.Read(); u.LevelRank = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("bonus"u8)) { r.Read(); u.Bonus = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("penalty"u8)) { r.Read(); u.Penalty = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("peers"u8)) { r.Read(); u.Peers = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("levelPeers"u8)) { r.Read(); u.LevelPeers = Raw.Take(ref r); }
                    else if (r.ValueTextEquals("dimensions"u8)) { r.Read(); u.Dimensions = ReadItems(ref r); }
                    else if (r.ValueTextEquals("indicators"u8)) { r.Read(); u.Indicators = ReadItems(ref r); }
                    else { r.Read(); r.Skip(); }
                }
            }
            return many;
        }
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
