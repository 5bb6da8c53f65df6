using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BaiQianWan.Assess.Rules.Annual;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Samples.Generation;

namespace BaiQianWan.Assess.Tests.Annual;

/// <summary>
/// <see cref="Publication.Read"/> streams (one <c>Utf8JsonReader</c> pass skipping what sources do not read). Checked against
/// <see cref="DomReference"/>, the document-based reader it replaced (kept here, in the tests, as the reference): the same
/// publications for real quarter and month results of the generated province and for hand-written files, and the same
/// errors for broken ones — the JSON errors first, whatever the fields.
/// </summary>
public class PublicationStreamTests
{
    private static void Same(byte[] bytes, string? run = null)
    {
        var expected = DomReference.Read(bytes, run);
        var actual = Publication.Read(bytes, run);
        Assert.Equal(expected.Record, actual.Record);
        Assert.Equal(expected.Level, actual.Level);
        Assert.Equal(expected.LightIds.ToArray(), actual.LightIds.ToArray());
        Assert.Equal(expected.LightNames.ToArray(), actual.LightNames.ToArray());
        Assert.Equal(expected.Lights.Count, actual.Lights.Count);
        foreach (var (code, lights) in expected.Lights) Assert.Equal(lights.ToArray(), actual.Lights[code].ToArray());
        Assert.Equal(expected.Quarter.Count, actual.Quarter.Count);
        foreach (var (code, f) in expected.Quarter)
        {
            var g = actual.Quarter[code];
            Assert.Equal((f.Total, f.Rank, f.LevelRank, f.Bonus, f.Penalty, f.Peers, f.LevelPeers), (g.Total, g.Rank, g.LevelRank, g.Bonus, g.Penalty, g.Peers, g.LevelPeers));
            Assert.Equal(f.Dimensions.OrderBy(x => x.Key, StringComparer.Ordinal), g.Dimensions.OrderBy(x => x.Key, StringComparer.Ordinal));
            Assert.Equal(f.Indicators.OrderBy(x => x.Key, StringComparer.Ordinal), g.Indicators.OrderBy(x => x.Key, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Real_quarter_and_month_results_of_the_generated_province_read_as_the_document_reader_reads_them()
    {
        var province = ProvinceGenerator.Generate(new ProvinceOptions());
        var county = Engine.Spec.Compile(SampleRulesets.County);
        var quarter = ResultsJson.Serialize(Evaluator.Evaluate(county, province, Period.OfQuarter(2025, 2)));
        var q = Publication.Read(quarter);
        Assert.NotEmpty(q.Quarter);
        Assert.Contains(q.Quarter.Values, f => f.Total is not null && !f.Dimensions.IsEmpty && !f.Indicators.IsEmpty);
        Same(quarter);
        Same(quarter, "run-9");
        Same([.. new byte[] { 0xEF, 0xBB, 0xBF }, .. quarter]);

        var monitorLoad = MonitorLoader.Load(SampleRulesets.TownMonthly);
        Assert.True(monitorLoad.IsValid, string.Join("\n", monitorLoad.Diagnostics));
        var monitor = CompiledMonitor.Compile(monitorLoad.Monitor!, monitorLoad.Sha256);
        var rng = new Random(7);
        var towns = province.Units.Where(u => u.Level == UnitLevel.Town).Take(300).ToList();
        var rows = new List<Observation>();
        foreach (var u in towns)
            foreach (var i in monitorLoad.Monitor!.Indicators)
                for (var m = 1; m <= 3; m++)
                    rows.Add(new Observation(u.Code, i.Id, Period.OfMonth(2025, m), 10m * m * (0.6m + rng.Next(60) / 100m), 120m, 30m * m, 10m * m));
        var month = MonthResultJson.Serialize(MonitorEvaluator.Evaluate(monitor, new Dataset(province.Units, rows), Period.OfMonth(2025, 3)), "run-3");
        var p = Publication.Read(month);
        Assert.True(p.Lights.Count >= 300, "every town lit is read");
        Assert.True(p.Lights.Values.Sum(l => l.Length) > 0, "some lights lit");
        Assert.Contains("\"history\"", Encoding.UTF8.GetString(month));
        Same(month);
        Same(month, "run-x");
    }

    public static TheoryData<string> Files => new()
    {
        // Well-formed, in odd shapes: fields in any order, repeated (the last counts), escaped, with comments, kind after units.
        """{"units":[{"code":"A","total":80,"rank":null,"dimensions":[{"id":"e","score":1.50}],"indicators":[{"id":"x","score":null},{"id":"y","score":2e1}]}],"ruleset":{"level":"county","x":[1]},"period":"2025Q1"}""",
        """{"period":"2025Q1","run":"r1","run":"r2","ruleset":{"level":"town"},"units":[{"code":"A","total":1},{"code":"B","total":2,"total":3,"peers":7,"levelPeers":9,"levelRank":4,"bonus":0.5,"penalty":-1}]}""",
        """{"per\u0069od":"2025Q3","ruleset":{"level":"county"},"units":[{"code":"\u7532","dimensions":"none","indicators":{}}]} trailing""",
        "// c\n{\"period\":\"2025Q1\", /* c */ \"ruleset\":{\"level\":\"county\"},\"units\":[]}",
        """{"units":[{"code":"A","indicators":[{"light":"red","history":[{"light":"green"}]},{"light":null},{"id":"z"}]}],"lights":[{"id":"red","name":"红灯"},{"id":"green"}],"monitor":{"level":"town"},"period":"2025-03","kind":"monitor"}""",
        """{"kind":"monitor","period":"2025-01","monitor":{"level":"town"},"lights":[],"units":[]}""",
        // Broken: not JSON (wherever), and wrong fields.
        "not json",
        "",
        "[1,2]",
        "\"x\"",
        "{}",
        """{"period":"2025Q1","ruleset":{"level":"county"},"units":[{"code":"A","total":"x"}],"bad":[1,}""",
        """{"period":5,"units":[""",
        """{"period":5}""",
        """{"period":"2025Q9"}""",
        """{"period":"2025","ruleset":{"level":"county"},"units":[]}""",
        """{"kind":"monitor","period":"2025Q1","monitor":{"level":"county"},"units":[]}""",
        """{"period":"2025Q1","units":[]}""",
        """{"period":"2025Q1","ruleset":{"level":"county"}}""",
        """{"period":"2025Q1","ruleset":{"level":"nowhere"},"units":[]}""",
        """{"period":"2025Q1","ruleset":[],"units":[]}""",
        """{"period":"2025Q1","ruleset":{"level":"county"},"units":[{"code":"A","total":"x"}]}""",
        """{"period":"2025Q1","ruleset":{"level":"county"},"units":[{"code":"A"},{"code":"A"}]}""",
        """{"period":"2025Q1","ruleset":{"level":"county"},"units":[{"total":1}]}""",
        """{"period":"2025Q1","ruleset":{"level":"county"},"units":[{"code":7}]}""",
        """{"period":"2025Q1","ruleset":{"level":"county"},"units":[5]}""",
        """{"period":"2025Q1","ruleset":{"level":"county"},"units":[{"code":"A","dimensions":[{"score":1}]}]}""",
        """{"period":"2025Q1","ruleset":{"level":"county"},"units":[{"code":"A","peers":1e40}]}""",
        """{"kind":"monitor","period":"2025-01","units":[]}""",
        """{"kind":"monitor","period":"2025-01","monitor":{"level":"town"},"units":[{"code":"A"}]}""",
        """{"kind":"monitor","period":"2025-01","monitor":{"level":"town"},"units":[{"code":"A","indicators":[]}]}""",
        """{"kind":"monitor","period":"2025-01","monitor":{"level":"town"},"lights":[{"name":"红"}],"units":[]}""",
        """{"kind":"monitor","period":"2025-01","monitor":"town","lights":[],"units":[]}""",
        """{"kind":"monitor","period":"2025-01","monitor":{"level":"town"},"lights":[],"units":[{"code":"A","indicators":[]},{"code":"A","indicators":[]}]}""",
        """{"kind":"monitor","period":"2025-01","monitor":{"level":"town"},"lights":[],"units":[{"code":"A","indicators":[{"light":"red"}]}],"x":{"y":[}}""",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void A_hand_written_file_reads_or_fails_as_the_document_reader(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        FormatException? expected = null;
        try { Same(bytes); return; }
        catch (FormatException e) { expected = e; }
        // The reference failed: so must the stream, with the same message (where the reference's came from .NET's own
        // wording for a value of the wrong kind, the stream names the field instead).
        var reference = Assert.Throws<FormatException>(() => DomReference.Read(bytes));
        var actual = Assert.Throws<FormatException>(() => Publication.Read(bytes));
        if (reference.InnerException is InvalidOperationException) Assert.StartsWith("结果文件格式不正确：", actual.Message);
        else Assert.Equal(reference.Message, actual.Message);
        Assert.NotNull(expected);
    }
}

/// <summary>The document-based reader <see cref="Publication.Read"/> had before it streamed: the reference the stream must equal.</summary>
internal static class DomReference
{
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

    internal static Publication Parse(JsonElement root, string sha, string? run)
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

    internal static ImmutableDictionary<string, decimal> Scores(JsonElement unit, string name)
    {
        var scores = ImmutableDictionary.CreateBuilder<string, decimal>(StringComparer.Ordinal);
        if (!unit.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array) return scores.ToImmutable();
        foreach (var e in list.EnumerateArray())
            if (Number(e, "score") is { } score) scores[Text(e, "id")] = score;
        return scores.ToImmutable();
    }

    internal static UnitLevel ParseLevel(string text) =>
        UnitLevels.TryParse(text, out var level) ? level : throw new FormatException($"level '{text}' 不是层级");

    internal static JsonElement Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw new FormatException($"缺少字段 {name}");

    internal static string Text(JsonElement e, string name) =>
        Prop(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new FormatException($"字段 {name} 应为文字");

    /// <summary>A number field as an exact decimal; null when absent or null.</summary>
    internal static decimal? Number(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number) throw new FormatException($"字段 {name} 应为数字");
        return decimal.Parse(v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
