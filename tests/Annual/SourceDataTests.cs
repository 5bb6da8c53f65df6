using System.Text;
using BaiQianWan.Assess.Rules.Annual;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;
using static BaiQianWan.Assess.Tests.Annual.AnnualData;

namespace BaiQianWan.Assess.Tests.Annual;

/// <summary>
/// Annual contract §2 through the engine: hand-written publications (three quarters, one missing; an excluded unit with a
/// null rank; a unit absent from a quarter; two months) become the derived rows and inputs, a rule reading
/// <c>_first</c>/<c>_last</c>/<c>_count</c> works with fewer quarters, the mean is not rounded, the publications are in the
/// results and the data hash. Every number is worked by hand in the comments.
/// </summary>
public class SourceDataTests
{
    internal const string Yaml = """
        id: y
        name: 年度
        level: county
        cadence: year
        classes: [创先]
        decimals: 2
        sources:
          - { id: avg, from: quarters, figure: total }
          - { id: rk, from: quarters, figure: rank }
          - { id: trend, from: quarters, figure: total }
          - { id: econ, from: quarters, figure: dimension, dimension: economy }
          - { id: red, from: months, light: red }
        dimensions:
          - id: d
            name: 维度
            indicators:
              - { id: avg, name: 季度平均, weight: 100, method: formula, formula: "actual", cap: 2 }
              - { id: trend, name: 进步, weight: 10, method: formula, formula: "IF(trend_count >= 2, trend_last - trend_first, 0)", cap: 1 }
        adjustments:
          - { id: red, name: 红灯, kind: penalty, per: 0.5 }
        """;

    private static readonly Unit[] Units =
    [
        new("A", "甲县", UnitLevel.County, null, "创先"), new("B", "乙县", UnitLevel.County, null, "创先"),
        new("C", "丙县", UnitLevel.County, null, "创先"), new("D", "丁县", UnitLevel.County, null, "创先"),
        new("T", "某镇", UnitLevel.Town, "A", "中心镇"),
    ];

    // Q1: A 80 (rank 2), B 90 (1), C 70 (3). Q2: A 85 (1), B 88 excluded (rank null), C absent. Q3 not published.
    // Q4: A 81.5, B 91, C 60. D is in no quarter.
    internal static readonly byte[] Q1 = Quarter("2025Q1", new Q("A", 80, 2, Dimensions: [("economy", 40)]), new Q("B", 90, 1), new Q("C", 70, 3));
    internal static readonly byte[] Q2 = Quarter("2025Q2", new Q("A", 85, 1, Dimensions: [("economy", 42.5m)]), new Q("B", 88, null));
    internal static readonly byte[] Q4 = Quarter("2025Q4", new Q("A", 81.5m, 2), new Q("B", 91, 1), new Q("C", 60, 3));
    // Months: January A red ×2 and green, B yellow; February A red, C red. Two months read.
    internal static readonly byte[] M01 = Month("2025-01", ("A", ["red", "red", "green"]), ("B", ["yellow", null, "green"]));
    internal static readonly byte[] M02 = Month("2025-02", ("A", ["red", "green", "green"]), ("C", ["red", "yellow", "green"]));

    private static Ruleset Ruleset(string yaml = Yaml)
    {
        var loaded = RulesetLoader.Load(yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        return loaded.Ruleset!;
    }

    private static (string, Publication)[] All(params byte[][] files) => [.. files.Select((f, i) => ($"f{i}.json", Publication.Read(f)))];

    private static Dataset Join(params byte[][] files)
    {
        var (data, problems) = SourceData.Join(Ruleset(), new Dataset(Units, []), Period.OfYear(2025), All(files));
        Assert.Empty(problems);
        return data!;
    }

    private static decimal? Row(Dataset data, string unit, string id) =>
        data.Observations.SingleOrDefault(o => o.Unit == unit && o.Indicator == id && o.Period == Period.OfYear(2025))?.Actual;

    [Fact]
    public void Quarters_give_the_unrounded_mean_and_the_inputs_of_the_quarters_that_exist()
    {
        var data = Join(Q1, Q2, Q4, M01, M02);
        // A: (80 + 85 + 81.5) / 3 = 246.5 / 3 = 82.1666…, carried, not rounded.
        Assert.Equal(246.5m / 3m, Row(data, "A", "avg"));
        Assert.Matches("^82\\.16{24,}7$", Row(data, "A", "avg")!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([80m, 85m, null, 81.5m, 80m, 81.5m, 3m], new[] { "_q1", "_q2", "_q3", "_q4", "_first", "_last", "_count" }.Select(s => Row(data, "A", "avg" + s)));
        // B: totals 90, 88, 91 → 269 / 3; ranks 1, null (excluded in Q2: no figure), 1 → mean 1 of 2.
        Assert.Equal(269m / 3m, Row(data, "B", "avg"));
        Assert.Equal([1m, 1m, null, null, 1m, 1m, 2m], new[] { "", "_q1", "_q2", "_q3", "_first", "_last", "_count" }.Select(s => Row(data, "B", "rk" + s)));
        // C: absent from Q2 → 70 and 60 → 65; first 70, last 60, count 2.
        Assert.Equal([65m, 70m, null, null, 60m, 70m, 60m, 2m], new[] { "", "_q1", "_q2", "_q3", "_q4", "_first", "_last", "_count" }.Select(s => Row(data, "C", "avg" + s)));
        // D: in no quarter → no row, no _first/_last, but _count 0 (always defined).
        Assert.Equal([null, null, null, null, 0m], new[] { "", "_q1", "_first", "_last", "_count" }.Select(s => Row(data, "D", "avg" + s)));
        // A dimension's score: only A has economy (40, 42.5) → 41.25; B has none → no row, count 0.
        Assert.Equal([41.25m, 2m], new[] { "", "_count" }.Select(s => Row(data, "A", "econ" + s)));
        Assert.Equal([null, 0m], new[] { "", "_count" }.Select(s => Row(data, "B", "econ" + s)));
        // Towns are not the ruleset's level: nothing for T.
        Assert.DoesNotContain(data.Observations, o => o.Unit == "T");
    }

    [Fact]
    public void Months_count_the_units_lights_over_the_months_read()
    {
        var data = Join(Q1, M01, M02);
        // A: 2 + 1 = 3 reds; B 0 (a yellow); C 1; D in neither month: 0. Every unit: red_months = 2.
        Assert.Equal([3m, 0m, 1m, 0m], new[] { "A", "B", "C", "D" }.Select(u => Row(data, u, "red")));
        Assert.All(new[] { "A", "B", "C", "D" }, u => Assert.Equal(2m, Row(data, u, "red_months")));
        // No month published: no red row, red_months 0.
        var none = Join(Q1);
        Assert.Equal([null, 0m], new[] { "red", "red_months" }.Select(s => Row(none, "A", s)));
    }

    [Fact]
    public void The_year_evaluates_with_the_derived_rows_and_a_rule_reading_first_last_and_count()
    {
        var ruleset = Ruleset();
        var data = Join(Q1, Q2, Q4, M01, M02);
        var result = Evaluator.Evaluate(CompiledRuleset.Compile(ruleset, RulesetLoader.Sha256Hex(Yaml)), data, Period.OfYear(2025));
        var by = result.Units.ToDictionary(u => u.Code);
        // avg: round(82.1666…, 2) = 82.17; trend: 81.5 − 80 = 1.5; red: 3 × 0.5 = −1.5 → 82.17.
        Assert.Equal((82.17m, 1.5m, -1.5m, 82.17m), (by["A"].Indicators[0].Score, by["A"].Indicators[1].Score, by["A"].Penalty, by["A"].Total));
        // B: round(89.666…, 2) = 89.67; trend 91 − 90 = 1 → 90.67.
        Assert.Equal((89.67m, 1m, 0m, 90.67m), (by["B"].Indicators[0].Score, by["B"].Indicators[1].Score, by["B"].Penalty, by["B"].Total));
        // C: 65; trend 60 − 70 = −10, clamped at 0; one red −0.5 → 64.5.
        Assert.Equal((65m, 0m, -0.5m, 64.5m), (by["C"].Indicators[0].Score, by["C"].Indicators[1].Score, by["C"].Penalty, by["C"].Total));
        // D: no quarter: both indicators missing (trend's formula names trend_last, undefined, whichever branch) → 0.
        Assert.NotNull(by["D"].Indicators[0].Missing);
        Assert.NotNull(by["D"].Indicators[1].Missing);
        Assert.Equal(0m, by["D"].Total);
        Assert.Equal(["B", "A", "C", "D"], result.Units.Select(u => u.Code));
        // The mean is the indicator's actual, unrounded; no derived id is unknown.
        Assert.Equal(246.5m / 3m, by["A"].Indicators[0].Actual);
        Assert.Empty(result.UnknownIndicators);
        Assert.Equal(["2025-01", "2025-02", "2025Q1", "2025Q2", "2025Q4"], result.Sources.Select(s => s.Period.ToString()));
        Assert.All(result.Sources, s => Assert.Null(s.Run));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Q2)), result.Sources[3].Sha256);
    }

    [Fact]
    public void Results_json_lists_the_sources_and_the_data_hash_includes_them()
    {
        var compiled = CompiledRuleset.Compile(Ruleset(), RulesetLoader.Sha256Hex(Yaml));
        var first = Evaluator.Evaluate(compiled, Join(Q1, Q2, Q4), Period.OfYear(2025));
        var json = Encoding.UTF8.GetString(ResultsJson.Serialize(first));
        var sha1 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Q1));
        Assert.Contains($"\"sources\": [\n    {{\n      \"period\": \"2025Q1\",\n      \"run\": null,\n      \"sha256\": \"{sha1}\"\n    }},", json.Replace("\r\n", "\n"));
        Assert.True(json.IndexOf("\"sources\"", StringComparison.Ordinal) < json.IndexOf("\"units\"", StringComparison.Ordinal));
        Assert.Equal(first.Sources.AsEnumerable(), ResultsJson.Read(ResultsJson.Serialize(first)).Sources.AsEnumerable());
        // The same figures in other bytes (a trailing space): same scores, another sha256, another data hash.
        var q1b = Q1.Concat(" "u8.ToArray()).ToArray();
        var second = Evaluator.Evaluate(compiled, Join(q1b, Q2, Q4), Period.OfYear(2025));
        Assert.Equal(first.Units.Select(u => u.Total), second.Units.Select(u => u.Total));
        Assert.NotEqual(first.DataSha256, second.DataSha256);
        // Same bytes again: byte-identical results.
        Assert.Equal(ResultsJson.Serialize(first), ResultsJson.Serialize(Evaluator.Evaluate(compiled, Join(Q1, Q2, Q4), Period.OfYear(2025))));
        // A run id carried by a stored result is recorded.
        var withRun = Publication.Read(Q1, "run-7");
        Assert.Equal(new SourceRecord(Period.OfQuarter(2025, 1), "run-7", sha1), withRun.Record);
    }

    [Fact]
    public void A_year_ruleset_without_publications_has_an_empty_sources_list_and_a_quarter_ruleset_none()
    {
        var compiled = CompiledRuleset.Compile(Ruleset(), RulesetLoader.Sha256Hex(Yaml));
        var (data, _) = SourceData.Join(Ruleset(), new Dataset(Units, [new Observation("A", "other", Period.OfYear(2025), 1, null, null)]), Period.OfYear(2025), []);
        var json = Encoding.UTF8.GetString(ResultsJson.Serialize(Evaluator.Evaluate(compiled, data!, Period.OfYear(2025))));
        Assert.Contains("\"sources\": []", json);
        var quarterYaml = "id: q\nname: 季\nlevel: county\nclasses: [创先]\ndimensions:\n  - id: d\n    name: 维\n    indicators:\n      - { id: x, name: 指标, weight: 10, method: completion }\n";
        var quarter = Evaluator.Evaluate(Engine.Spec.Compile(quarterYaml),
            new Dataset(Units, [new Observation("A", "x", Period.OfQuarter(2025, 4), 5, 10, null)]), Period.OfQuarter(2025, 4));
        Assert.True(quarter.Sources.IsDefault);
        Assert.DoesNotContain("sources", Encoding.UTF8.GetString(ResultsJson.Serialize(quarter)));
    }

    [Fact]
    public void Another_year_another_level_two_files_for_one_period_or_an_unknown_light_are_refused()
    {
        var ruleset = Ruleset();
        var (data, problems) = SourceData.Join(ruleset, new Dataset(Units, []), Period.OfYear(2025), All(
            Q1,
            Quarter("2024Q4", new Q("A", 1, 1)),
            Quarter("2025Q2", "town", new Q("T", 1, 1)),
            Quarter("2025Q1", new Q("A", 2, 1)),
            Month("2025-03", "town", ("T", ["red"])),
            Month("2024-12", ("A", ["red"]))));
        Assert.Null(data);
        Assert.Equal(5, problems.Count);
        Assert.Contains("f1.json", problems[0]);
        Assert.Contains("2024Q4", problems[0]);
        Assert.Contains("town", problems[1]);
        Assert.Contains("f0.json", problems[2]);
        Assert.StartsWith("f3.json", problems[2]);
        Assert.StartsWith("f4.json", problems[3]);
        Assert.StartsWith("f5.json", problems[4]);
        Assert.Contains("2024-12", problems[4]);
        Assert.Contains("2024-12", Assert.Single(SourceData.Join(ruleset, new Dataset(Units, []), Period.OfYear(2025), All(Month("2024-12", ("A", ["red"])))).Problems));

        var noRed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(M01).Replace("\"id\": \"red\", \"name\": \"红灯\"", "\"id\": \"crimson\", \"name\": \"红灯\""));
        var light = Assert.Single(SourceData.Join(ruleset, new Dataset(Units, []), Period.OfYear(2025), All(noRed)).Problems);
        Assert.Contains("'red'", light);
    }

    [Fact]
    public void Uploaded_rows_carrying_a_derived_id_for_the_year_are_refused()
    {
        var uploaded = new Dataset(Units,
        [
            new Observation("A", "avg", Period.OfYear(2025), 90, null, null),
            new Observation("B", "red_months", Period.OfYear(2025), 3, null, null),
            new Observation("A", "avg", Period.OfQuarter(2025, 4), 90, null, null), // another period: not derived
        ]);
        var (data, problems) = SourceData.Join(Ruleset(), uploaded, Period.OfYear(2025), All(Q1));
        Assert.Null(data);
        Assert.Equal(2, problems.Count);
        Assert.Contains("'avg'", problems[0]);
        Assert.Contains("'red_months'", problems[1]);
    }

    [Fact]
    public void A_ruleset_evaluates_only_periods_of_its_cadence()
    {
        var year = CompiledRuleset.Compile(Ruleset(), RulesetLoader.Sha256Hex(Yaml));
        var e = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(year, Join(Q1), Period.OfQuarter(2025, 4)));
        Assert.Contains("cadence: year", e.Message);
        Assert.Contains("2025Q4", e.Message);
        var quarterYaml = "id: q\nname: 季\nlevel: county\nclasses: [创先]\ndimensions:\n  - id: d\n    name: 维\n    indicators:\n      - { id: x, name: 指标, weight: 10, method: completion }\n";
        var quarter = Engine.Spec.Compile(quarterYaml);
        e = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(quarter, new Dataset(Units, []), Period.OfYear(2025)));
        Assert.Contains("cadence: quarter", e.Message);
        Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(quarter, new Dataset(Units, []), Period.OfMonth(2025, 3)));
        Assert.Null(Cadences.Problem(quarter.Ruleset, Period.OfQuarter(2025, 1)));
        Assert.Null(Cadences.Problem(year.Ruleset, Period.OfYear(2025)));
    }

    [Fact]
    public void A_file_that_is_not_results_json_is_a_format_error_naming_the_field()
    {
        Assert.Contains("JSON", Assert.Throws<FormatException>(() => Publication.Read("not json"u8)).Message);
        Assert.Contains("period", Assert.Throws<FormatException>(() => Publication.Read("{}"u8)).Message);
        Assert.Contains("YYYYQn", Assert.Throws<FormatException>(() => Publication.Read("""{"period":"2025","ruleset":{"level":"county"},"units":[]}"""u8)).Message);
        Assert.Contains("YYYY-MM", Assert.Throws<FormatException>(() => Publication.Read("""{"kind":"monitor","period":"2025Q1","monitor":{"level":"county"},"units":[]}"""u8)).Message);
        Assert.Contains("total", Assert.Throws<FormatException>(() => Publication.Read("""{"period":"2025Q1","ruleset":{"level":"county"},"units":[{"code":"A","total":"x"}]}"""u8)).Message);
        Assert.Contains("A", Assert.Throws<FormatException>(() => Publication.Read("""{"period":"2025Q1","ruleset":{"level":"county"},"units":[{"code":"A"},{"code":"A"}]}"""u8)).Message);
        // A byte order mark is allowed (the hash is of the bytes as given).
        var bom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Q1).ToArray();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bom)), Publication.Read(bom).Sha256);
    }

    [Fact]
    public void The_worked_example_in_the_docs_is_the_one_evaluated_here()
    {
        var docs = File.ReadAllText(Functions.Repository.Path("docs", "rules.md")).Replace("\r\n", "\n");
        Assert.Contains("```yaml\n" + Yaml.Replace("\r\n", "\n") + "\n```", docs);
        // The figures the docs state are the ones asserted above.
        var at = docs.IndexOf("### Worked example (the test `tests/Annual/SourceDataTests.cs`", StringComparison.Ordinal);
        Assert.True(at > 0);
        var example = docs[at..docs.IndexOf("## Errors and their codes", at, StringComparison.Ordinal)];
        foreach (var figure in new[] { "| A | 246.5 / 3 = 82.1666… | 80, 81.5, 3 | 1.666…, 3 | 3 | **82.17** | 1.5 | −1.5 | **82.17** |",
                     "| B | 269 / 3 = 89.666… | 90, 91, 3 | 1, 2 (Q2 null) | 0 | **89.67** | 1 | 0 | **90.67** |",
                     "| C | 130 / 2 = 65 | 70, 60, 2 | 3, 2 | 1 | **65** | 0 (−10, clamped) | −0.5 | **64.5** |",
                     "\"actual\": 82.16666666666666666666666667", "`econ` is 41.25", "`red_months` is 2", "B, A, C, D",
                     "2025-01, 2025-02, 2025Q1,\n2025Q2, 2025Q4" })
            Assert.Contains(figure, example);
        var data = Join(Q1, Q2, Q4, M01, M02);
        Assert.Equal(5m / 3m, Row(data, "A", "rk"));
        Assert.Equal([1m, 2m, 3m, 2m], new[] { ("B", "rk"), ("B", "rk_count"), ("C", "rk"), ("C", "rk_count") }.Select(k => Row(data, k.Item1, k.Item2)));
    }
}
