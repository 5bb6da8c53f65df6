using System.Text.Json;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Annual;

/// <summary>
/// samples/rulesets/county-annual.yaml (平时考核 30% from the quarters' totals, 年终考核 70% from the fourth quarter, red lights
/// and overdue tasks as deductions, a level-scope grade quota) evaluated by the CLI on the generated province's files: the
/// four quarters evaluated by county.yaml, twelve months of the county monitor over generated month figures. Every unit's
/// numbers are worked from the publications' JSON, read here on its own.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class CountyAnnualSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-county-annual-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static decimal R(decimal x) => Math.Round(x, 2, MidpointRounding.AwayFromZero);

    [Fact]
    public void The_sample_annual_ruleset_evaluates_2025_from_the_quarters_and_months()
    {
        var province = ProvinceGenerator.Generate(new ProvinceOptions());
        var units = Path.Combine(_dir, "units.csv");
        var observations = Path.Combine(_dir, "observations.csv");
        using (var w = new StreamWriter(units)) ProvinceFiles.WriteUnits(w, province.Units);
        using (var w = new StreamWriter(observations)) ProvinceFiles.WriteObservations(w, province.Observations);
        var county = Functions.Repository.Path("samples", "rulesets", "county.yaml");
        var sources = new List<string>();
        for (var q = 1; q <= 4; q++)
        {
            var file = Path.Combine(_dir, $"Q{q}.json");
            var run = Run("evaluate", "--units", units, "--observations", observations, "--ruleset", county, "--period", $"2025Q{q}", "--out", file);
            Assert.True(run.Code == 0, run.Err);
            sources.Add(file);
        }
        var monitor = MonitorLoader.Load(File.ReadAllText(Functions.Repository.Path("samples", "rulesets", "county-monthly.yaml")));
        Assert.True(monitor.IsValid);
        var compiled = CompiledMonitor.Compile(monitor.Monitor!, monitor.Sha256);
        var rng = new Random(7);
        var rows = new List<Observation>();
        foreach (var u in province.Units.Where(u => u.Level == UnitLevel.County))
            foreach (var i in monitor.Monitor!.Indicators)
            {
                var target = 100 + rng.Next(900);
                for (var m = 1; m <= 12; m++)
                {
                    var pace = target * m / 12m;
                    rows.Add(new Observation(u.Code, i.Id, Period.OfMonth(2025, m), R(pace * (0.75m + rng.Next(50) / 100m)), target, 40 + rng.Next(400), R(pace)));
                }
            }
        for (var m = 1; m <= 12; m++)
        {
            var file = Path.Combine(_dir, $"M{m:D2}.json");
            File.WriteAllBytes(file, MonthResultJson.Serialize(MonitorEvaluator.Evaluate(compiled, new Dataset(province.Units, rows), Period.OfMonth(2025, m))));
            sources.Add(file);
        }

        var output = Path.Combine(_dir, "year.json");
        var annual = Functions.Repository.Path("samples", "rulesets", "county-annual.yaml");
        var (code, stdout, stderr) = Run(["evaluate", "--units", units, "--observations", observations, "--ruleset", annual, "--period", "2025", "--out", output, "--sources", .. sources]);
        Assert.True(code == 0, stderr);
        Assert.Contains("读取公布结果 16 期", stdout);

        // The publications, read here: each unit's quarter totals and its red lights over the months.
        var totals = new Dictionary<string, decimal?[]>();
        for (var q = 1; q <= 4; q++)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(sources[q - 1]));
            foreach (var u in doc.RootElement.GetProperty("units").EnumerateArray())
            {
                var code_ = u.GetProperty("code").GetString()!;
                if (!totals.TryGetValue(code_, out var t)) totals[code_] = t = new decimal?[4];
                t[q - 1] = u.GetProperty("total").GetDecimal();
            }
        }
        var reds = new Dictionary<string, int>();
        foreach (var file in sources.Skip(4))
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var u in doc.RootElement.GetProperty("units").EnumerateArray())
                reds[u.GetProperty("code").GetString()!] = reds.GetValueOrDefault(u.GetProperty("code").GetString()!) +
                    u.GetProperty("indicators").EnumerateArray().Count(i => i.GetProperty("light").ValueKind == JsonValueKind.String && i.GetProperty("light").GetString() == "red");
        }
        Assert.Contains(reds.Values, n => n > 0);

        using var year = JsonDocument.Parse(File.ReadAllBytes(output));
        var root = year.RootElement;
        Assert.Equal(16, root.GetProperty("sources").GetArrayLength());
        var ranked = root.GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(totals.Count, ranked.Count);
        foreach (var u in ranked)
        {
            var c = u.GetProperty("code").GetString()!;
            var t = totals[c].Where(x => x is not null).Select(x => x!.Value).ToList();
            var mean = t.Sum() / t.Count;
            var routine = R(Math.Clamp(mean * 0.3m, 0, 30));
            var final = totals[c][3] is { } q4 ? R(Math.Clamp(q4 * 0.7m, 0, 70)) : 0m;
            var penalty = -R(Math.Min(0.2m * reds.GetValueOrDefault(c), 3));
            var indicators = u.GetProperty("indicators");
            Assert.Equal(routine, indicators[0].GetProperty("score").GetDecimal());
            Assert.Equal(mean, indicators[0].GetProperty("actual").GetDecimal());
            Assert.Equal(final, indicators[1].GetProperty("score").GetDecimal());
            Assert.Equal(penalty, u.GetProperty("penalty").GetDecimal());
            Assert.Equal(R(routine + final + penalty), u.GetProperty("total").GetDecimal());
            Assert.Equal(0m, u.GetProperty("adjustments")[1].GetProperty("count").GetDecimal());
        }
        // The level-scope quota: 优秀 is levelRank ≤ round(120 × 0.2) = 24, 良好 ≤ round(120 × 0.7) = 84.
        Assert.All(ranked, u => Assert.Equal(120, u.GetProperty("levelPeers").GetInt32()));
        Assert.All(ranked, u =>
        {
            var levelRank = u.GetProperty("levelRank").GetInt32();
            Assert.Equal(levelRank <= 24 ? "优秀" : levelRank <= 84 ? "良好" : "一般", u.GetProperty("grade").GetString());
        });
        Assert.InRange(ranked.Count(u => u.GetProperty("grade").GetString() == "优秀"), 24, 26);
        Assert.Equal(120, ranked.Count);
    }
}
