using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Annual;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Oracle;
using static BaiQianWan.Assess.Tests.Oracle.SourcesOracle;

namespace BaiQianWan.Assess.Tests.CrossCheck;

/// <summary>
/// Annual contract §2: the engine's sources (<c>SourceData</c> over <c>Publication</c>) and the independent oracle
/// (tests/Oracle/SourcesOracle.cs: its own JSON reading, exact rationals) must agree on every derived row and input, unit by
/// unit, over generated publications: the generated province's 1,607 towns evaluated by the v3 town sample for each quarter
/// (excluded units with null ranks and levelRanks, units left out of Q2 and Q3, a new street with nothing in Q1), its
/// monthly monitor over twelve generated months, and 16 cases of quarters and months missing at random.
/// </summary>
[Trait("Cost", "Slow")]
public class SourcesCrossCheckTests
{
    private static readonly Source[] Sources =
    [
        new("avg", "quarters", "total"), new("rk", "quarters", "rank"), new("lrk", "quarters", "levelRank"),
        new("bon", "quarters", "bonus"), new("pen", "quarters", "penalty"), new("econ", "quarters", "dimension", "economy"),
        new("tax", "quarters", "indicator", "t_tax"), new("reds", "months", Light: "red"), new("yellows", "months", Light: "yellow"),
    ];

    private const string Yaml = """
        id: town-annual
        name: 乡镇年度
        level: town
        cadence: year
        classes: [中心镇, 专业镇, 特色镇, 城区街道, 重点帮扶镇, 巩固提升镇, 普通镇]
        sources:
          - { id: avg, from: quarters, figure: total }
          - { id: rk, from: quarters, figure: rank }
          - { id: lrk, from: quarters, figure: levelRank }
          - { id: bon, from: quarters, figure: bonus }
          - { id: pen, from: quarters, figure: penalty }
          - { id: econ, from: quarters, figure: dimension, dimension: economy }
          - { id: tax, from: quarters, figure: indicator, indicator: t_tax }
          - { id: reds, from: months, light: red }
          - { id: yellows, from: months, light: yellow }
        dimensions:
          - id: d
            name: 年度
            indicators:
              - { id: avg, name: 季度平均, weight: 100, method: formula, formula: "actual", cap: 2 }
              - { id: econ, name: 进步, weight: 10, method: formula, formula: "IF(econ_count >= 2, econ_last - econ_first, 0) + avg_count", cap: 10 }
        adjustments:
          - { id: reds, name: 红灯, kind: penalty, per: 0.1 }
        """;

    private static readonly Lazy<(Dataset Province, byte[][] Quarters, byte[][] Months)> Published = new(Publish);

    private static (Dataset, byte[][], byte[][]) Publish()
    {
        var province = ProvinceGenerator.Generate(new ProvinceOptions());
        var v3 = RulesetLoader.Load(SampleRulesets.TownV3);
        var compiled = CompiledRuleset.Compile(v3.Ruleset!, v3.Sha256);
        var rng = new Random(25);
        var quarters = new byte[4][];
        for (var q = 1; q <= 4; q++)
        {
            // Q2 and Q3 leave out about 3% of the towns (a unit absent from a publication gives nothing for that quarter).
            var units = q is 2 or 3 ? province.Units.Where(u => u.Level != UnitLevel.Town || rng.Next(100) >= 3).ToList() : province.Units.ToList();
            quarters[q - 1] = ResultsJson.Serialize(Evaluator.Evaluate(compiled, province with { Units = units }, Period.OfQuarter(2025, q)));
        }
        var monitorYaml = SampleRulesets.Read("town-monthly.yaml");
        var monitor = MonitorLoader.Load(monitorYaml);
        Assert.True(monitor.IsValid, string.Join("\n", monitor.Diagnostics));
        var compiledMonitor = CompiledMonitor.Compile(monitor.Monitor!, monitor.Sha256);
        var ids = monitor.Monitor!.Indicators.Select(i => i.Id).ToArray();
        var towns = province.Units.Where(u => u.Level == UnitLevel.Town).ToList();
        var rows = new List<Observation>();
        foreach (var t in towns)
            foreach (var id in ids)
            {
                var target = 100 + rng.Next(900);
                var baseline = rng.Next(10) == 0 ? (decimal?)null : 50 + rng.Next(500);
                for (var m = 1; m <= 12; m++)
                {
                    if (rng.Next(40) == 0) continue; // a missing row
                    var pace = target * m / 12m;
                    var actual = Math.Round(pace * (0.7m + rng.Next(60) / 100m), 2);
                    rows.Add(new Observation(t.Code, id, Period.OfMonth(2025, m), actual, target, baseline, Math.Round(pace, 2)));
                }
            }
        var monthData = new Dataset(province.Units, rows);
        var months = Enumerable.Range(1, 12).Select(m => MonthResultJson.Serialize(MonitorEvaluator.Evaluate(compiledMonitor, monthData, Period.OfMonth(2025, m)))).ToArray();
        return (province, quarters, months);
    }

    public static TheoryData<int> Cases() => [.. Enumerable.Range(0, 16)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Engine_and_oracle_agree_on_every_derived_row_and_input(int seed)
    {
        var (province, quarters, months) = Published.Value;
        var rng = new Random(seed);
        // Case 0: everything; 1: nothing; others: each quarter and month kept with probability 1/2.
        var keptQuarters = Enumerable.Range(0, 4).Where(_ => seed == 0 || seed != 1 && rng.Next(2) == 0).ToList();
        var keptMonths = Enumerable.Range(0, 12).Where(_ => seed == 0 || seed != 1 && rng.Next(2) == 0).ToList();
        var files = keptQuarters.Select(q => quarters[q]).Concat(keptMonths.Select(m => months[m])).ToList();
        // Any order of files gives the same rows.
        files = [.. files.OrderBy(_ => rng.Next())];

        var loaded = RulesetLoader.Load(Yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        var (data, problems) = SourceData.Join(loaded.Ruleset!, province, Period.OfYear(2025),
            [.. files.Select((f, i) => ($"f{i}", Publication.Read(f)))]);
        Assert.Empty(problems);
        var engine = data!.Observations.Where(o => o.Period == Period.OfYear(2025)).ToDictionary(o => (o.Unit, o.Indicator), o => o.Actual);

        var towns = province.Units.Where(u => u.Level == UnitLevel.Town).Select(u => u.Code).ToList();
        var oracle = SourcesOracle.Rows(files, 2025, towns, Sources);
        var where = $"seed {seed} (quarters {string.Join(",", keptQuarters.Select(q => q + 1))}; months {string.Join(",", keptMonths.Select(m => m + 1))})";
        Assert.True(oracle.Keys.Order().SequenceEqual(engine.Keys.Order()),
            $"{where}: rows differ: engine only {string.Join(" ", engine.Keys.Except(oracle.Keys).Take(5))}; oracle only {string.Join(" ", oracle.Keys.Except(engine.Keys).Take(5))}");
        foreach (var (key, exact) in oracle)
            Assert.True(Close(engine[key], exact), $"{where}: {key} engine {engine[key]} vs oracle {exact}");

        if (seed == 0)
        {
            // Something of each kind was there to compare: excluded units' null ranks, absences, fractions.
            var rankCounts = towns.Select(u => oracle[(u, "rk_count")].Num).ToList();
            Assert.Contains(rankCounts, c => c < 4);
            Assert.Contains(towns, u => oracle[(u, "avg_count")].Num == 3);
            Assert.Contains(oracle.Values, f => !IsTerminating(f.Den));
            Assert.Contains(towns, u => oracle[(u, "reds")].Num > 0);
            // And the year evaluates over them: the indicator reading the mean shows it, unrounded.
            var result = Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256), data, Period.OfYear(2025));
            Assert.Equal(12 + 4, result.Sources.Length);
            foreach (var u in result.Units)
            {
                var avg = u.Indicators.Single(i => i.Id == "avg");
                if (oracle.TryGetValue((u.Code, "avg"), out var mean)) Assert.True(Close(avg.Actual!.Value, mean), $"{u.Code} avg actual {avg.Actual}");
                else Assert.NotNull(avg.Missing);
                var reds = u.Adjustments.Single(a => a.Id == "reds");
                Assert.Equal(oracle[(u.Code, "reds")].Num, (System.Numerics.BigInteger)reds.Count);
            }
        }
    }

    private static bool IsTerminating(System.Numerics.BigInteger den)
    {
        while (den % 2 == 0) den /= 2;
        while (den % 5 == 0) den /= 5;
        return den.IsOne;
    }

    /// <summary>Equal when the exact value is a short decimal; otherwise within the 28 significant digits a quotient is carried to.</summary>
    private static bool Close(decimal engine, Fraction exact)
    {
        var e = Fraction.From(engine);
        if (IsTerminating(exact.Den) && exact.Den <= System.Numerics.BigInteger.Pow(10, 20)) return e == exact;
        // |e − x| ≤ |x| × 10^−27: compare (e − x) × den × 10^27 against |num|.
        var diff = System.Numerics.BigInteger.Abs(e.Num * exact.Den - exact.Num * e.Den) * System.Numerics.BigInteger.Pow(10, 27);
        return diff <= System.Numerics.BigInteger.Abs(exact.Num) * e.Den;
    }
}
