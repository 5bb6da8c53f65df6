using System.Text;
using System.Text.Json;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Scorecards;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>
/// A city-level ruleset (<c>level: city</c>, 地级市) through the whole product (issue 21 item 4): samples/rulesets/city-v3.yaml
/// over its own data (samples/rulesets/city-v3/: four cities and two counties whose parent is a city) evaluated and
/// rendered by the command line, read back from the PDFs, and run, published and exported through the store.
/// Every expected figure is worked out by hand below, sharing nothing with the engine.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class CityRulesetTests : IDisposable
{
    // Hand-computed, 2025Q4 (see samples/rulesets/city-v3/observations.csv):
    // c_gdp (formula, weight 40): growth 10, 4, 7, 3 → levelAvg over the four cities = 24 / 4 = 6;
    //   40 × clamp(1 + (g − 6) × 0.1, 0.6, 1.2): 9801 1.4 → 1.2 → 48.00; 9802 0.8 → 32.00; 9803 1.1 → 44.00; 9804 0.7 → 28.00.
    // c_invest (steps, weight 30, target 100, up 1 per 10% max 3, down 2 per 10%, zero below 50%):
    //   9801 125 → 2 whole steps up → 32.00; 9802 100 → 30.00; 9803 85 → 1 whole step down → 28.00; 9804 45 < 50% → 0.00.
    // c_towns (completion, weight 30, cap 1): 9801 95% → 28.50; 9802 → 30.00; 9803 80% → 24.00; 9804 90% → 27.00.
    // Raw totals: 9801 108.50 → capped at 100.00 (totalCap); 9802 92.00; 9803 96.00; 9804 55.00.
    // Class ranks: 珠三角 9801 1st, 9802 2nd; 粤东西北 9803 1st, 9804 2nd. Level ranks (N = 4): 9801, 9803, 9802, 9804.
    // Grades (scope level): 优秀 levelRank ≤ round(4 × 0.25) = 1; 良好 ≤ round(4 × 0.75) = 3; 一般 the rest.
    private static readonly (string Code, string Name, string Class, decimal Gdp, decimal Invest, decimal Towns, decimal Raw, decimal Total,
        int Rank, int LevelRank, string Grade)[] Expected =
    [
        ("9801", "甲市", "珠三角", 48m, 32m, 28.5m, 108.5m, 100m, 1, 1, "优秀"),
        ("9802", "乙市", "珠三角", 32m, 30m, 30m, 92m, 92m, 2, 3, "良好"),
        ("9803", "丙市", "粤东西北", 44m, 28m, 24m, 96m, 96m, 1, 2, "良好"),
        ("9804", "丁市", "粤东西北", 28m, 0m, 27m, 55m, 55m, 2, 4, "一般"),
    ];

    private static readonly string Samples = Path.Combine(Root(), "samples", "rulesets");
    private static readonly string UnitsCsv = Path.Combine(Samples, "city-v3", "units.csv");
    private static readonly string ObservationsCsv = Path.Combine(Samples, "city-v3", "observations.csv");
    private static readonly string RulesetYaml = Path.Combine(Samples, SampleRulesets.CityV3FileName);

    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-city-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BaiQianWan.Assess.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("BaiQianWan.Assess.sln not found above " + AppContext.BaseDirectory);
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string F(decimal d) => d.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_embedded_sample_is_the_file_in_samples() =>
        Assert.Equal(File.ReadAllText(RulesetYaml, Encoding.UTF8), SampleRulesets.CityV3);

    [Fact]
    public void The_engine_and_the_independent_oracle_agree_on_the_city_sample_and_with_the_hand_computed_totals()
    {
        string units = File.ReadAllText(UnitsCsv), observations = File.ReadAllText(ObservationsCsv);
        var read = Rules.Data.DataFiles.ReadUnits(units, "units.csv");
        var obs = Rules.Data.DataFiles.ReadObservations(observations, "observations.csv", read.Rows.Select(u => u.Code).ToHashSet());
        Assert.True(read.IsValid && obs.IsValid);
        var engine = Rules.Evaluation.Evaluator.Evaluate(Engine.Spec.Compile(SampleRulesets.CityV3), new Rules.Data.Dataset(read.Rows, obs.Rows),
            Rules.Data.Period.Parse("2025Q4"));
        var oracle = Oracle.SpecOracle.Evaluate(SampleRulesets.CityV3, units, observations, "2025Q4");
        CrossCheck.EngineAgreesWithOracleTests.AssertAgree(engine, oracle);
        Assert.Equal(Expected.Select(e => (e.Code, e.Total)).OrderBy(x => x.Code, StringComparer.Ordinal),
            oracle["units"]!.AsArray().Select(u => ((string)u!["code"]!, (decimal)u["total"]!)).OrderBy(x => x.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public void Evaluate_and_render_score_the_cities_and_title_the_bulletins_for_地级市()
    {
        var results = Path.Combine(_dir, "results.json");
        var evaluate = Cli("evaluate", "--units", UnitsCsv, "--observations", ObservationsCsv, "--ruleset", RulesetYaml, "--period", "2025Q4", "--out", results);
        Assert.True(evaluate.Code == 0, evaluate.Err);
        // The two counties of the units file are of another level: not evaluated, not skipped.
        Assert.Contains("已评价 4 个单位（2025Q4，规则集 city-v3-2025），跳过 0 个，数据不全 0 个", evaluate.Out);

        using (var json = JsonDocument.Parse(File.ReadAllBytes(results)))
        {
            var units = json.RootElement.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("code").GetString()!);
            Assert.Equal(Expected.Select(e => e.Code).Order(StringComparer.Ordinal), units.Keys.Order(StringComparer.Ordinal));
            foreach (var e in Expected)
            {
                var u = units[e.Code];
                var scores = u.GetProperty("indicators").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("score").GetDecimal());
                Assert.Equal((e.Gdp, e.Invest, e.Towns), (scores["c_gdp"], scores["c_invest"], scores["c_towns"]));
                Assert.Equal((e.Raw, e.Total, e.Rank, e.LevelRank, 4, e.Grade),
                    (u.GetProperty("rawTotal").GetDecimal(), u.GetProperty("total").GetDecimal(), u.GetProperty("rank").GetInt32(),
                     u.GetProperty("levelRank").GetInt32(), u.GetProperty("levelPeers").GetInt32(), u.GetProperty("grade").GetString()));
            }
        }

        var docs = Path.Combine(_dir, "docs");
        var render = Cli("render", "--results", results, "--out", docs, "--at", "2026-01-10T09:00:00+08:00");
        Assert.True(render.Code == 0, render.Err);
        Assert.Contains("已生成 4 份记分卡、2 份排名通报（2025Q4，规则集 city-v3-2025）", render.Out);

        foreach (var cls in new[] { "珠三角", "粤东西北" })
        {
            var flat = Pdf.Flat(Pdf.Text(File.ReadAllBytes(Path.Combine(docs, "bulletins", cls + ".pdf")), layout: true));
            Assert.Contains($"“{cls}”类地级市排名通报", flat);
            Assert.DoesNotContain("县", flat);
            var members = Expected.Where(e => e.Class == cls).OrderBy(e => e.Rank).ToList();
            Assert.Contains($"参评单位{members.Count}个", flat);
            // One row per city in rank order: rank, name, code, total, grade.
            var rows = members.Select(m => flat.IndexOf($"{m.Rank}{m.Name}{m.Code}{F(m.Total)}{m.Grade}", StringComparison.Ordinal)).ToList();
            Assert.All(rows, r => Assert.True(r >= 0, flat));
            Assert.Equal(rows.Order(), rows);
            Assert.Contains($"同类平均{F(members.Average(m => m.Total))}分", flat);
        }

        foreach (var e in Expected)
        {
            var flat = Pdf.Flat(Pdf.Text(File.ReadAllBytes(Path.Combine(docs, "scorecards", e.Code + ".pdf")), layout: true));
            Assert.Contains($"{e.Name}代码{e.Code}", flat);
            Assert.Contains($"类别：{e.Class}层级：地级市", flat);
            Assert.Contains($"{F(e.Total)}/111", flat);
            Assert.Contains($"第{e.Rank}名/共2名", flat);
            Assert.Contains($"{F(e.Gdp)}/48", flat);
            Assert.Contains($"{F(e.Invest)}/33", flat);
            Assert.Contains($"{F(e.Towns)}/30", flat);
            Assert.Contains($"全省排名第{e.LevelRank}名/共4名", flat);
            Assert.Contains(e.Grade, flat);
            Assert.Contains("全省平均6.00%", Pdf.Flat(Pdf.Text(File.ReadAllBytes(Path.Combine(docs, "scorecards", e.Code + ".pdf")))));
            Assert.DoesNotContain("县", flat);
            if (e.Raw != e.Total) Assert.Contains($"总分{F(e.Raw)}，超过上限100，按{F(e.Total)}计", flat);
        }
    }

    [Fact]
    public void A_store_run_of_the_city_level_is_rendered_published_and_exported()
    {
        var db = Path.Combine(_dir, "office.db");
        (int Code, string Out, string Err) Store(params string[] args) => Cli([.. args, "--store", db]);
        Assert.Equal(0, Store("init").Code);
        Assert.Equal(0, Store("import", "units", UnitsCsv, "--year", "2025").Code);
        Assert.Equal(0, Store("import", "observations", ObservationsCsv).Code);
        Assert.Equal(0, Store("ruleset", "add", RulesetYaml).Code);
        Assert.Equal(0, Store("ruleset", "activate", "city-v3-2025", "1").Code);
        // The ruleset takes the city level's quarterly slot.
        var list = Store("ruleset", "list");
        Assert.Contains("city-v3-2025\t第 1 版\t启用\t地级市\t", list.Out);

        var wrong = Store("run", "--period", "2025Q4", "--level", "province");
        Assert.Equal((CliApp.InvalidInput, true), (wrong.Code, wrong.Err.Contains("--level: 应为 city、county、town 或 village，这里是 'province'", StringComparison.Ordinal)));

        // No --ruleset: the city level's active quarterly ruleset.
        var run = Store("run", "--period", "2025Q4", "--level", "city");
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("运行 run-000001 已成功：2025Q4 city，规则集 city-v3-2025 第 1 版，评价 4 个单位，记分卡 4 份，通报 2 份", run.Out);
        Assert.Equal(0, Store("publish", "run-000001").Code);

        var export = Path.Combine(_dir, "export");
        var exported = Store("export", "--period", "2025Q4", "--out", export);
        Assert.True(exported.Code == 0, exported.Err);
        Assert.Equal(new[] { "珠三角.pdf", "粤东西北.pdf" },
            Directory.GetFiles(Path.Combine(export, "city", "bulletins")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(Expected.Select(e => e.Code + ".pdf").ToArray(),
            Directory.GetFiles(Path.Combine(export, "city", "scorecards")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
        var bulletin = Pdf.Flat(Pdf.Text(File.ReadAllBytes(Path.Combine(export, "city", "bulletins", "粤东西北.pdf")), layout: true));
        Assert.Contains("“粤东西北”类地级市排名通报", bulletin);
        Assert.Contains("run-000001", bulletin);
        foreach (var e in Expected)
        {
            var card = Pdf.Flat(Pdf.Text(File.ReadAllBytes(Path.Combine(export, "city", "scorecards", e.Code + ".pdf")), layout: true));
            Assert.Contains($"层级：地级市", card);
            Assert.Contains($"{F(e.Total)}/111", card);
            Assert.Contains($"全省排名第{e.LevelRank}名/共4名", card);
        }
    }
}
