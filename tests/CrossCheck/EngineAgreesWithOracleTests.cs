using System.Text.Json.Nodes;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Tests.Engine;
using BaiQianWan.Assess.Tests.Oracle;

namespace BaiQianWan.Assess.Tests.CrossCheck;

/// <summary>
/// The engine and an independent implementation of the spec (tests/Oracle, written from the spec alone)
/// must agree unit by unit and field by field on the generated province.
/// </summary>
[Trait("Cost", "Slow")]
public class EngineAgreesWithOracleTests
{
    private static readonly Lazy<(string Units, string Observations, Dataset Data)> Province = new(() =>
    {
        var data = ProvinceGenerator.Generate(new ProvinceOptions());
        var units = new StringWriter();
        ProvinceFiles.WriteUnits(units, data.Units);
        var observations = new StringWriter();
        ProvinceFiles.WriteObservations(observations, data.Observations);
        return (units.ToString(), observations.ToString(), data);
    });

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var ruleset in new[] { SampleRulesets.CountyFileName, SampleRulesets.TownFileName })
            foreach (var period in new[] { "2025Q1", "2025Q2", "2025Q3", "2025Q4" })
                cases.Add(ruleset, period);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_rulesets_on_the_generated_province(string rulesetFile, string period)
    {
        var yaml = SampleRulesets.Read(rulesetFile);
        var (unitsCsv, observationsCsv, data) = Province.Value;
        var engine = Rules.Evaluation.Evaluator.Evaluate(Spec.Compile(yaml), data, Period.Parse(period));
        var oracle = SpecOracle.Evaluate(yaml, unitsCsv, observationsCsv, period);
        AssertAgree(engine, oracle);
    }

    internal static void AssertAgree(EvaluationResult engine, JsonObject oracle)
    {
        Assert.Equal(Strings(oracle["unknownIndicators"]), engine.UnknownIndicators.ToArray());
        Assert.Equal(oracle["skipped"]!.AsArray().Select(s => (string)s!["code"]!), engine.Skipped.Select(s => s.Code));
        var units = oracle["units"]!.AsArray();
        Assert.Equal(units.Select(u => (string)u!["code"]!), engine.Units.Select(u => u.Code));
        for (var k = 0; k < units.Count; k++)
        {
            var o = units[k]!;
            var e = engine.Units[k];
            var where = $"unit {e.Code}";
            Assert.True((decimal)o["total"]! == e.Total, $"{where} total {o["total"]} vs {e.Total}");
            Assert.True(((int?)o["rank"] ?? 0) == e.Rank, $"{where} rank");
            Assert.True((int)o["peers"]! == e.Peers, $"{where} peers");
            Assert.True(((string?)o["grade"] ?? "") == e.Grade, $"{where} grade {o["grade"]} vs {e.Grade}");
            Assert.True((string)o["class"]! == e.Class, $"{where} class");
            Assert.True((bool)o["incomplete"]! == e.Incomplete, $"{where} incomplete");
            Assert.True(Strings(o["lists"]).SequenceEqual(e.Lists), $"{where} lists");
            Assert.True(Strings(o["vetoes"]).SequenceEqual(e.Vetoes), $"{where} vetoes");
            Assert.True((decimal)o["bonus"]! == e.Bonus, $"{where} bonus");
            // (v3) fields present only with their feature: the same presence and values on both sides
            Assert.True((o["levelPeers"] is null ? null : (int?)o["levelPeers"]) == e.LevelPeers, $"{where} levelPeers");
            Assert.True((o["levelRank"] is null ? null : (int?)o["levelRank"]) == e.LevelRank, $"{where} levelRank {o["levelRank"]} vs {e.LevelRank}");
            Assert.True((o["rawTotal"] is null ? null : (decimal?)o["rawTotal"]) == e.RawTotal, $"{where} rawTotal");
            Assert.True((o["excluded"] is null ? null : (bool?)o["excluded"]) == e.Excluded, $"{where} excluded");
            Assert.True((decimal)o["penalty"]! == e.Penalty, $"{where} penalty");
            var indicators = o["indicators"]!.AsArray();
            Assert.True(indicators.Select(i => (string)i!["id"]!).SequenceEqual(e.Indicators.Select(i => i.Id)), $"{where} indicator ids");
            for (var i = 0; i < indicators.Count; i++)
            {
                var oi = indicators[i]!;
                var ei = e.Indicators[i];
                Assert.True((decimal)oi["score"]! == ei.Score, $"{where} {ei.Id} score {oi["score"]} vs {ei.Score}");
                Assert.True((decimal?)oi["max"] == ei.Limit, $"{where} {ei.Id} max {oi["max"]} vs {ei.Limit}");
                Assert.True(oi["missing"] is null == ei.Missing is null, $"{where} {ei.Id} missing {oi["missing"]} vs {ei.Missing}");
            }
            var adjustments = o["adjustments"]!.AsArray();
            Assert.True(adjustments.Select(a => ((string)a!["id"]!, (decimal)a["points"]!))
                .SequenceEqual(e.Adjustments.Select(a => (a.Id, a.Points))), $"{where} adjustments");
            // The engine leaves out dimensions with no indicator for the class; the oracle lists them at 0.
            var dimensions = o["dimensions"]!.AsArray().Select(d => ((string)d!["id"]!, (decimal)d["score"]!))
                .Where(d => e.Dimensions.Any(x => x.Id == d.Item1) || d.Item2 != 0);
            Assert.True(dimensions.SequenceEqual(e.Dimensions.Select(d => (d.Id, d.Score))), $"{where} dimensions");
        }
    }

    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(x => (string)x!).ToArray();
}
