using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Tests.Oracle;

namespace BaiQianWan.Assess.Tests.CrossCheck;

/// <summary>
/// The monitor engine (NRules) and the independent monitor oracle (tests/Oracle/MonitorOracle.cs) must agree, unit by
/// unit and field by field, on generated monitors (every metric, pace, direction, curve, indicator <c>when</c>, 2–4
/// lights, formulas that name undefined variables or fail, 0–2 escalations) over generated months of data (missing
/// rows and months, no or zero or negative targets, no or zero baselines, plans or none, ties), 240 cases a run.
/// </summary>
[Trait("Cost", "Slow")]
public class MonitorCrossCheckTests
{
    private static readonly string[] Formulas =
    [
        "gap <= -10", "gap < 0", "gap < -2.5", "progress < pace", "rank = peers", "AND(rank > 1, gap < 0)", "growth < 0",
        "baseline > actual", "plan > actual", "levelRank > levelPeers / 2", "value < classAvg", "value < levelAvg",
        "progress < classAvg - 5", "actual / (rank - 1) < 10", "month > 3", "2 ^ (gap / 3) < 1", "gap / (peers - 1) < -1",
        "IF(month = 1, gap < -5, gap < 0)", "target > 0", "progress < 50", "ROUND(gap, 0) < -1", "levelAvg > classAvg",
    ];

    private static readonly string[] LightIds = ["red", "orange", "yellow", "green"];

    public static TheoryData<int> Batches() => [.. Enumerable.Range(0, 8)];

    [Theory]
    [MemberData(nameof(Batches))]
    public void Engine_and_oracle_agree_on_generated_monitors_and_months(int batch)
    {
        for (var seed = batch * 30; seed < batch * 30 + 30; seed++) Case(seed);
    }

    private static void Case(int seed)
    {
        var rng = new Random(seed);
        var (yaml, indicatorIds) = GenerateMonitor(rng, seed);
        var month = rng.Next(1, 13);
        var (unitsCsv, observationsCsv) = GenerateData(rng, indicatorIds, month);

        var loaded = MonitorLoader.Load(yaml);
        Assert.True(loaded.IsValid, $"seed {seed}: {string.Join("; ", loaded.Diagnostics)}\n{yaml}");
        var units = DataFiles.ReadUnits(unitsCsv, "u.csv");
        var observations = DataFiles.ReadObservations(observationsCsv, "o.csv", units.Rows.Select(u => u.Code).ToHashSet());
        Assert.True(observations.IsValid, $"seed {seed}: {string.Join("; ", observations.Errors)}");
        var engine = MonitorEvaluator.Evaluate(CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256), new Dataset(units.Rows, observations.Rows),
            Period.OfMonth(2025, month));
        var oracle = MonitorOracle.Evaluate(yaml, unitsCsv, observationsCsv, 2025, month);

        var where = $"seed {seed}, month {month}";
        Assert.True(oracle.Select(u => u.Code).SequenceEqual(engine.Units.Select(u => u.Code)), $"{where}: unit order");
        for (var j = 0; j < oracle.Count; j++)
        {
            var e = engine.Units[j];
            Assert.True(oracle[j].Class == e.Class, $"{where}: {e.Code} class");
            for (var k = 0; k < indicatorIds.Count; k++)
            {
                var o = oracle[j].Cells[k];
                var ei = e.Indicators[k];
                var at = $"{where}: {e.Code}/{ei.Id}";
                Assert.True(o.Missing == ei.Missing, $"{at} missing {o.Missing} vs {ei.Missing}\n{yaml}");
                Assert.True(o.Progress == ei.Progress, $"{at} progress {o.Progress} vs {ei.Progress}");
                Assert.True(o.Pace == ei.Pace, $"{at} pace {o.Pace} vs {ei.Pace}");
                Assert.True(o.Gap == ei.Gap, $"{at} gap {o.Gap} vs {ei.Gap}");
                Assert.True(o.Growth == ei.Growth, $"{at} growth {o.Growth} vs {ei.Growth}");
                Assert.True(o.Rank == ei.Rank && o.Peers == ei.Peers, $"{at} rank {o.Rank}/{o.Peers} vs {ei.Rank}/{ei.Peers}");
                Assert.True(o.LevelRank == ei.LevelRank && o.LevelPeers == ei.LevelPeers, $"{at} levelRank {o.LevelRank}/{o.LevelPeers} vs {ei.LevelRank}/{ei.LevelPeers}");
                Assert.True(o.PlainLight == ei.PlainLight, $"{at} plainLight {o.PlainLight} vs {ei.PlainLight}\n{yaml}");
                Assert.True(o.Light == ei.Light, $"{at} light {o.Light} vs {ei.Light}\n{yaml}");
                Assert.True(o.Streak == ei.Streak, $"{at} streak {o.Streak} vs {ei.Streak}");
            }
        }
    }

    private static (string Yaml, List<string> Ids) GenerateMonitor(Random rng, int seed)
    {
        var y = new StringBuilder();
        y.Append("kind: monitor\nid: gen-").Append(seed).Append("\nname: 生成的通报 ").Append(seed).Append('\n');
        y.Append("level: county\nclasses: [甲, 乙, 丙]\n");
        y.Append("decimals: ").Append(rng.Next(0, 4)).Append('\n');
        var lightCount = rng.Next(2, 5);
        var lights = LightIds.Take(lightCount - 1).Append("green").ToList();
        var ids = new List<string>();
        y.Append("indicators:\n");
        var indicators = rng.Next(1, 4);
        for (var k = 0; k < indicators; k++)
        {
            var id = "i" + k;
            ids.Add(id);
            y.Append("  - id: ").Append(id).Append('\n');
            y.Append("    name: 指标").Append(k).Append('\n');
            y.Append("    unit: ").Append(rng.Next(3) switch { 0 => "亿元", 1 => "\"%\"", _ => "家" }).Append('\n');
            var metric = rng.Next(3) switch { 0 => "progress", 1 => "growth", _ => "value" };
            y.Append("    metric: ").Append(metric).Append('\n');
            y.Append("    better: ").Append(rng.Next(4) == 0 ? "lower" : "higher").Append('\n');
            if (metric == "progress")
            {
                var pace = rng.Next(3) switch { 0 => "linear", 1 => "curve", _ => "plan" };
                y.Append("    pace: ").Append(pace).Append('\n');
                if (pace == "curve")
                {
                    var v = 0m;
                    var curve = new List<string>();
                    for (var m = 0; m < 12; m++)
                    {
                        v = Math.Min(100m, v + rng.Next(0, 150) / 10m);
                        curve.Add(v.ToString(CultureInfo.InvariantCulture));
                    }
                    y.Append("    curve: [").Append(string.Join(", ", curve)).Append("]\n");
                }
            }
            if (rng.Next(3) == 0)
            {
                y.Append("    when:\n");
                y.Append("      ").Append(lights[rng.Next(lights.Count - 1)]).Append(": \"").Append(Formulas[rng.Next(Formulas.Length)]).Append("\"\n");
            }
        }
        y.Append("lights:\n");
        for (var i = 0; i < lights.Count; i++)
        {
            y.Append("  - id: ").Append(lights[i]).Append('\n');
            y.Append("    name: ").Append(lights[i]).Append("灯\n");
            if (i < lights.Count - 1) y.Append("    when: \"").Append(Formulas[rng.Next(Formulas.Length)]).Append("\"\n");
        }
        var escalations = rng.Next(0, 3);
        if (escalations > 0) y.Append("escalate:\n");
        for (var e = 0; e < escalations; e++)
        {
            var watched = rng.Next(1, lights.Count);
            y.Append("  - light: ").Append(lights[watched]).Append('\n');
            y.Append("    months: ").Append(rng.Next(2, 5)).Append('\n');
            y.Append("    to: ").Append(lights[rng.Next(0, watched)]).Append('\n');
        }
        return (y.ToString(), ids);
    }

    private static (string Units, string Observations) GenerateData(Random rng, List<string> ids, int month)
    {
        var classes = new[] { "甲", "乙", "丙" };
        var units = new StringBuilder("code,name,level,parent,class\n");
        var codes = new List<string>();
        var count = rng.Next(3, 15);
        for (var j = 0; j < count; j++)
        {
            var code = "U" + rng.Next(100, 999).ToString(CultureInfo.InvariantCulture) + j.ToString(CultureInfo.InvariantCulture);
            codes.Add(code);
            units.Append(code).Append(",单位").Append(j).Append(",county,44,").Append(classes[rng.Next(rng.Next(1, 4))]).Append('\n');
        }
        units.Append("X1,其他县,county,44,其他\nT1,某镇,town,").Append(codes[0]).Append(",甲\n");
        string Pick(params string[] options) => options[rng.Next(options.Length)];
        var o = new StringBuilder("unit,indicator,period,actual,target,baseline,plan\n");
        foreach (var code in codes.Append("X1"))
            foreach (var id in ids.Append("zz"))
                for (var m = 1; m <= Math.Min(12, month + 1); m++)
                {
                    if (rng.Next(100) < 12) continue;
                    var actual = (rng.Next(0, 200) / 2m * m / 6m).ToString("0.##", CultureInfo.InvariantCulture);
                    if (rng.Next(4) == 0) actual = Pick("10", "20", "30");
                    var target = rng.Next(100) < 88 ? Pick("0", "-5", "50", "80", "100", "120.5", "3", "6.5", "-1") : "";
                    var baseline = rng.Next(100) < 75 ? Pick("0", "8", "40", "60.5", "90", "-4", "7") : "";
                    var plan = rng.Next(100) < 65 ? Pick("5", "12.5", "40", "66.6", "0") : "";
                    o.Append(code).Append(',').Append(id).Append(",2025-").Append(m.ToString("00", CultureInfo.InvariantCulture)).Append(',')
                        .Append(actual).Append(',').Append(target).Append(',').Append(baseline).Append(',').Append(plan).Append('\n');
                }
        o.Append(codes[0]).Append(',').Append(ids[0]).Append(",2025Q1,1,2,,\n");
        o.Append("T1,").Append(ids[0]).Append(",2025-01,1,2,,\n");
        return (units.ToString(), o.ToString());
    }
}
