using System.Text.Json.Nodes;

namespace BaiQianWan.Assess.Tests.Oracle;

/// <summary>Tiny hand-worked cases that check the oracle itself against the spec.</summary>
public class SpecOracleTests
{
    private const string ObsHeader = "unit,indicator,period,actual,target,baseline\n";

    private static string Units(params string[] codes) =>
        "code,name,level,class\n" + string.Concat(codes.Select(c => $"{c},单位{c},county,创先\n"));

    /// <summary>A one-class ruleset (decimals 2, dimension d1) around the indicators <paramref name="indicators"/> adds
    /// (<see cref="RulesetYaml"/>), then <paramref name="extra"/> blocks, then the grades (好 30% / 一般 unless told).</summary>
    private static string Ruleset(Func<RulesetYaml, RulesetYaml> indicators, string extra = "", string? grades = null)
    {
        var yaml = indicators(RulesetYaml.County().Class("创先").Decimals(2).Dimension("d1", "维度"));
        if (extra.Length > 0) yaml.Then(extra.TrimEnd('\n'));
        return yaml.Grades("grades:\n" + (grades ?? "  by: rankShare\n  levels:\n    - { name: 好, share: 0.3 }\n    - { name: 一般 }")).Build();
    }

    private static JsonObject Run(string yaml, string units, string obs, string period = "2025Q3") =>
        SpecOracle.Evaluate(yaml, units, obs, period);

    private static JsonObject U(JsonObject result, string code) =>
        result["units"]!.AsArray().Select(u => u!.AsObject()).Single(u => (string)u["code"]! == code);

    private static JsonObject Ind(JsonObject unit, string id) =>
        unit["indicators"]!.AsArray().Select(i => i!.AsObject()).Single(i => (string)i["id"]! == id);

    private static decimal Score(JsonObject result, string code, string id = "x") => (decimal)Ind(U(result, code), id)["score"]!;

    private static bool Missing(JsonObject result, string code, string id = "x") => Ind(U(result, code), id)["missing"] is not null;

    private static string[] Strings(JsonNode? arr) => arr!.AsArray().Select(x => (string)x!).ToArray();

    [Fact]
    public void Completion_with_cap_and_zeroBelow()
    {
        var yaml = Ruleset(y => y.Indicator("{ id: x, name: X, weight: 10, method: completion, cap: 1.2, zeroBelow: 0.6 }"));
        var obs = ObsHeader +
                  "A,x,2025Q3,48,50,\n" + // 0.96 -> 10 x 0.96 = 9.6
                  "B,x,2025Q3,70,50,\n" + // 1.4 capped at 1.2 -> 12
                  "C,x,2025Q3,25,50,\n" + // 0.5 < 0.6 -> 0
                  "E,x,2025Q3,30,50,\n" + // 0.6 is not below 0.6 -> 6
                  "D,x,2025Q2,50,50,\n";  // other period: D has no data -> missing
        var r = Run(yaml, Units("A", "B", "C", "D", "E"), obs);
        Assert.Equal(9.6m, Score(r, "A"));
        Assert.Equal(12m, Score(r, "B"));
        Assert.Equal(0m, Score(r, "C"));
        Assert.Equal(6m, Score(r, "E"));
        Assert.Equal(0m, Score(r, "D"));
        Assert.True(Missing(r, "D"));
        Assert.False(Missing(r, "C"));
        Assert.True((bool)U(r, "D")["incomplete"]!);
        Assert.False((bool)U(r, "A")["incomplete"]!);
        Assert.Equal(12m, (decimal)Ind(U(r, "A"), "x")["max"]!); // w x cap
        Assert.Equal(9.6m, (decimal)U(r, "A")["total"]!);
        Assert.Equal(9.6m, (decimal)U(r, "A")["dimensions"]![0]!["score"]!);
        // numbers are written canonically (10 x 0.96 = 9.60 is written 9.6; 12.0 as 12)
        Assert.Equal("9.6", Ind(U(r, "A"), "x")["score"]!.ToJsonString());
        Assert.Equal("12", Ind(U(r, "A"), "x")["max"]!.ToJsonString());
    }

    [Fact]
    public void Completion_lower_is_better()
    {
        var yaml = Ruleset(y => y.Indicator("{ id: x, name: X, weight: 10, better: lower, method: completion }"));
        // A: 2 - 55/50 = 0.9 -> 9; B: 2 - 0 = 2, capped at 1 -> 10; C: 2 - 150/50 = -1 -> max(0, .) = 0
        var obs = ObsHeader + "A,x,2025Q3,55,50,\nB,x,2025Q3,0,50,\nC,x,2025Q3,150,50,\n";
        var r = Run(yaml, Units("A", "B", "C"), obs);
        Assert.Equal(9m, Score(r, "A"));
        Assert.Equal(10m, Score(r, "B"));
        Assert.Equal(0m, Score(r, "C"));
    }

    [Fact]
    public void Rank_with_ties_uses_competition_ranking()
    {
        var yaml = Ruleset(y => y.Indicator("{ id: x, name: X, weight: 10, method: rank }"));
        // values 10, 8, 8, 5 -> ranks 1, 2, 2, 4 -> 10 x (1 - 0.05 x (rank-1)) = 10, 9.5, 9.5, 8.5
        // E has no row: missing, not a peer (else D would still be 4th, but E must not count)
        var obs = ObsHeader + "A,x,2025Q3,10,,\nB,x,2025Q3,8,,\nC,x,2025Q3,8,,\nD,x,2025Q3,5,,\n";
        var r = Run(yaml, Units("A", "B", "C", "D", "E"), obs);
        Assert.Equal(10m, Score(r, "A"));
        Assert.Equal(9.5m, Score(r, "B"));
        Assert.Equal(9.5m, Score(r, "C"));
        Assert.Equal(8.5m, Score(r, "D"));
        Assert.True(Missing(r, "E"));
        // totals rank the same way; E (no data at all) is ranked too, last
        Assert.Equal(new[] { 1, 2, 2, 4, 5 }, new[] { "A", "B", "C", "D", "E" }.Select(c => (int)U(r, c)["rank"]!));
        Assert.Equal(5, (int)U(r, "A")["peers"]!);
        Assert.Equal(new[] { "A", "B", "C", "D", "E" }, r["units"]!.AsArray().Select(u => (string)u!["code"]!));
    }

    [Fact]
    public void Efficacy_interpolates_between_worst_and_best()
    {
        var yaml = Ruleset(y => y
                .Indicator("{ id: x, name: X, weight: 10, method: efficacy }")
                .Indicator("{ id: y, name: Y, weight: 10, better: lower, method: efficacy, floor: 0.5 }"));
        // x: lo 10, hi 30, floor 0.6: A 10 x 0.6 = 6; B 10 x (0.6 + 0.4 x 15/20) = 9; C 10
        // y (lower better): worst 30, best 10, floor 0.5: A 10; B 10 x (0.5 + 0.5 x (25-30)/(10-30)) = 6.25; C 5
        var obs = ObsHeader + "A,x,2025Q3,10,,\nB,x,2025Q3,25,,\nC,x,2025Q3,30,,\n" +
                  "A,y,2025Q3,10,,\nB,y,2025Q3,25,,\nC,y,2025Q3,30,,\n";
        var r = Run(yaml, Units("A", "B", "C"), obs);
        Assert.Equal(6m, Score(r, "A"));
        Assert.Equal(9m, Score(r, "B"));
        Assert.Equal(10m, Score(r, "C"));
        Assert.Equal(10m, Score(r, "A", "y"));
        Assert.Equal(6.25m, Score(r, "B", "y"));
        Assert.Equal(5m, Score(r, "C", "y"));
    }

    [Fact]
    public void Increment_on_growth()
    {
        var yaml = Ruleset(y => y.Indicator("{ id: x, name: X, weight: 10, method: increment, per: 0.5 }"));
        // A: growth (110-100)/100 x 100 = 10, d = 10 - 8 = 2 -> 10 x 0.8 + 0.5 x 2 = 9
        // B: growth 30, d = 22 -> 8 + 11 = 19 -> capped at 10 x 1.2 = 12
        // C: growth -10, d = -18 -> 8 - 9 = -1 -> 0
        // D: no target -> missing; E: baseline 0 -> growth undefined -> missing
        var obs = ObsHeader + "A,x,2025Q3,110,8,100\nB,x,2025Q3,130,8,100\nC,x,2025Q3,90,8,100\n" +
                  "D,x,2025Q3,110,,100\nE,x,2025Q3,110,8,0\n";
        var r = Run(yaml, Units("A", "B", "C", "D", "E"), obs);
        Assert.Equal(9m, Score(r, "A"));
        Assert.Equal(12m, Score(r, "B"));
        Assert.Equal(0m, Score(r, "C"));
        Assert.True(Missing(r, "D"));
        Assert.True(Missing(r, "E"));
        Assert.Equal(12m, (decimal)Ind(U(r, "A"), "x")["max"]!);
    }

    [Fact]
    public void Bands_min_and_max()
    {
        var yaml = Ruleset(y => y
                .Indicator("x", "X", "weight: 10\nmethod: bands\nbands: [{ min: 1, score: 1 }, { min: 0.8, score: 0.6 }, { min: 0.9, score: 0.8 }]")
                .Indicator("y", "Y", "weight: 4\nbetter: lower\nmethod: bands\nmetric: value\nbands: [{ max: 5, score: 0.5 }, { max: 0, score: 1 }]"));
        // x on completion: A 0.95 -> greatest min <= 0.95 is 0.9 -> 8; B 0.7 -> none -> 0; C 1.3 -> 10
        // y on value: A 3 -> smallest max >= 3 is 5 -> 2; B -1 -> max 0 -> 4; C 9 -> none -> 0
        var obs = ObsHeader + "A,x,2025Q3,95,100,\nB,x,2025Q3,70,100,\nC,x,2025Q3,130,100,\n" +
                  "A,y,2025Q3,3,,\nB,y,2025Q3,-1,,\nC,y,2025Q3,9,,\n";
        var r = Run(yaml, Units("A", "B", "C"), obs);
        Assert.Equal(8m, Score(r, "A"));
        Assert.Equal(0m, Score(r, "B"));
        Assert.Equal(10m, Score(r, "C"));
        Assert.Equal(2m, Score(r, "A", "y"));
        Assert.Equal(4m, Score(r, "B", "y"));
        Assert.Equal(0m, Score(r, "C", "y"));
        Assert.Equal(10m, (decimal)Ind(U(r, "A"), "x")["max"]!);
        Assert.Equal(4m, (decimal)Ind(U(r, "A"), "y")["max"]!);
    }

    [Fact]
    public void Formula_with_IF_and_class_variables()
    {
        var yaml = Ruleset(y => y
                .Indicator("""{ id: x, name: X, weight: 10, method: formula, formula: "=IF(actual>=target, weight, weight*actual/target)" }""")
                .Indicator("""{ id: y, name: Y, weight: 10, method: formula, formula: "IF(actual > 1000, growth, 5)" }""")
                .Indicator("""{ id: z, name: Z, weight: 1000, method: formula, formula: "=Rank*100 + PEERS*10 + round(classAvg, 0)" }"""));
        // x: A 60 >= 50 -> 10; B 40/50 -> 8; C no target -> names target -> missing
        // y: A has no baseline and y names growth (untaken branch) -> missing; B baseline 10 -> 5
        // z (metric value, peers A 60, B 40, C 30, classAvg 43.33 -> 43):
        //    A rank 1 -> 100 + 30 + 43 = 173; C rank 3 -> 300 + 30 + 43 = 373
        var obs = ObsHeader + "A,x,2025Q3,60,50,\nB,x,2025Q3,40,50,\nC,x,2025Q3,30,,\n" +
                  "A,y,2025Q3,60,50,\nB,y,2025Q3,40,50,10\n" +
                  "A,z,2025Q3,60,,\nB,z,2025Q3,40,,\nC,z,2025Q3,30,,\n";
        var r = Run(yaml, Units("A", "B", "C"), obs);
        Assert.Equal(10m, Score(r, "A"));
        Assert.Equal(8m, Score(r, "B"));
        Assert.True(Missing(r, "C"));
        Assert.True(Missing(r, "A", "y"));
        Assert.Equal(5m, Score(r, "B", "y"));
        Assert.Equal(173m, Score(r, "A", "z"));
        Assert.Equal(373m, Score(r, "C", "z"));
    }

    [Theory]
    [InlineData("-2^2", "-4")]
    [InlineData("2^-2", "0.25")]
    [InlineData("(-2)^2", "4")]
    [InlineData("ROUND(-2.5, 0)", "-3")]
    [InlineData("ROUND(2.345, 2)", "2.35")]
    [InlineData("ROUND(1250, -2)", "1300")]
    [InlineData("CLAMP(5, 3, 1)", "3")]
    [InlineData("clamp(0.5, 0, 1)", "0.5")]
    [InlineData("IF(0, 1/0, 7)", "7")]
    [InlineData("IF(0, 2)", "0")]
    [InlineData("=if(2 > 1, 2)", "2")]
    [InlineData("AND(1, 0) + OR(0, 3) * 10 + NOT(0) * 100", "110")]
    [InlineData("1 + 2 * 3 >= 7", "1")]
    [InlineData("1 <> 1", "0")]
    [InlineData("MAX(1, 5, 3) - MIN(4) + ABS(-2)", "3")]
    [InlineData("10 / 4 - 2 * 3 ^ 2", "-15.5")]
    public void Formula_interpreter(string text, string expected)
    {
        var v = OracleFormula.Parse(text).TryEval(new Dictionary<string, Func<decimal>>());
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), v);
    }

    [Theory]
    [InlineData("1/0")]
    [InlineData("2^0.5")]
    [InlineData("ROUND(1, 0.5)")]
    [InlineData("AND(0, 1/0)")]
    [InlineData("0^-1")]
    [InlineData("10^40")]
    public void Formula_runtime_failures(string text) =>
        Assert.Null(OracleFormula.Parse(text).TryEval(new Dictionary<string, Func<decimal>>()));

    [Fact]
    public void Bonus_cap_and_penalty()
    {
        var yaml = Ruleset(y => y.Indicator("{ id: x, name: X, weight: 10, method: completion }"), """
            adjustments:
              - { id: b1, name: B1, kind: bonus, per: 2, max: 3 }
              - { id: p, name: P, kind: penalty, per: 0.5 }
              - { id: b2, name: B2, kind: bonus, per: 1 }
              - { id: b3, name: B3, kind: bonus, formula: "count*count", max: 10 }
              - { id: v, name: V, kind: veto }
            bonusCap: 4
            """);
        // b1: 2 x 2 = 4 -> max 3; p: -(0.5 x 3) = -1.5; b2: 2; b3: no row -> 0
        // bonus = min(3 + 2 + 0, 4) = 4; total = 10 + 4 - 1.5 = 12.5
        var obs = ObsHeader + "A,x,2025Q3,50,50,\nA,b1,2025Q3,2,,\nA,p,2025Q3,3,,\nA,b2,2025Q3,2,,\n";
        var a = U(Run(yaml, Units("A"), obs), "A");
        var adj = a["adjustments"]!.AsArray().Select(x => ((string)x!["id"]!, (decimal)x["points"]!)).ToArray();
        Assert.Equal(new[] { ("b1", 3m), ("p", -1.5m), ("b2", 2m), ("b3", 0m) }, adj);
        Assert.Equal(4m, (decimal)a["bonus"]!);
        Assert.Equal(-1.5m, (decimal)a["penalty"]!);
        Assert.Equal(12.5m, (decimal)a["total"]!);
        Assert.Empty(Strings(a["vetoes"]));
    }

    [Fact]
    public void Veto_lowers_the_grade()
    {
        var yaml = Ruleset(y => y.Indicator("{ id: x, name: X, weight: 10, method: completion }"), """
            adjustments:
              - { id: v1, name: V1, kind: veto, grade: 较好 }
              - { id: v2, name: V2, kind: veto, when: "count >= 2" }
            lists:
              red: { top: 3 }
            """, "  by: score\n  levels:\n    - { name: 好, min: 9 }\n    - { name: 较好, min: 5 }\n    - { name: 一般 }");
        // A, B, C total 10 (好), D total 6 (较好)
        // A vetoed by v1 -> at best 较好; B: v2 with count 2 -> default grade = last level 一般;
        // C: count 1 fails `when` -> stays 好; D unaffected. Red top 3: C only (A, B vetoed).
        var obs = ObsHeader + "A,x,2025Q3,50,50,\nB,x,2025Q3,50,50,\nC,x,2025Q3,50,50,\nD,x,2025Q3,30,50,\n" +
                  "A,v1,2025Q3,1,,\nB,v2,2025Q3,2,,\nC,v2,2025Q3,1,,\n";
        var r = Run(yaml, Units("A", "B", "C", "D"), obs);
        Assert.Equal("较好", (string)U(r, "A")["grade"]!);
        Assert.Equal("一般", (string)U(r, "B")["grade"]!);
        Assert.Equal("好", (string)U(r, "C")["grade"]!);
        Assert.Equal("较好", (string)U(r, "D")["grade"]!);
        Assert.Equal(new[] { "v1" }, Strings(U(r, "A")["vetoes"]));
        Assert.Equal(new[] { "v2" }, Strings(U(r, "B")["vetoes"]));
        Assert.Empty(Strings(U(r, "C")["vetoes"]));
        Assert.Empty(Strings(U(r, "A")["lists"]));
        Assert.Equal(new[] { "red" }, Strings(U(r, "C")["lists"]));
        Assert.Empty(U(r, "A")["adjustments"]!.AsArray()); // vetoes are not adjustments
    }

    [Fact]
    public void RankShare_grades_with_ties()
    {
        var yaml = Ruleset(y => y.Indicator("{ id: x, name: X, weight: 100, method: completion }"), "", "  by: rankShare\n  levels:\n    - { name: 好, share: 0.3 }\n    - { name: 较好, share: 0.4 }\n    - { name: 一般 }");
        // n = 10: 好 takes ranks <= round(10 x 0.3) = 3, 较好 ranks <= round(10 x 0.7) = 7, 一般 the rest.
        // totals 100 90 80 80 70 60 50 40 30 20 -> ranks 1 2 3 3 5 6 7 8 9 10
        int[] totals = [100, 90, 80, 80, 70, 60, 50, 40, 30, 20];
        var codes = Enumerable.Range(0, 10).Select(i => "U" + i).ToArray();
        var obs = ObsHeader + string.Concat(codes.Select((c, i) => $"{c},x,2025Q3,{totals[i]},100,\n"));
        var r = Run(yaml, Units(codes), obs);
        Assert.Equal(new[] { 1, 2, 3, 3, 5, 6, 7, 8, 9, 10 }, codes.Select(c => (int)U(r, c)["rank"]!));
        Assert.Equal(new[] { "好", "好", "好", "好", "较好", "较好", "较好", "一般", "一般", "一般" },
            codes.Select(c => (string)U(r, c)["grade"]!));
    }

    [Fact]
    public void Red_list_is_not_refilled()
    {
        var yaml = Ruleset(y => y
                .Indicator("{ id: key, name: K, weight: 1, core: true, method: completion }")
                .Indicator("{ id: vol, name: V, weight: 10, method: completion }"), """
            lists:
              red: { top: 2, requireTargetsMet: true }
              black: { bottom: 1, requireTargetsMissed: true }
            """);
        // A: vol 10 + key 9/10 = 0.9 -> 10.9, rank 1, core target missed -> not red
        // B: 9 + 1 = 10, rank 2, met -> red.  C: 8 + 1 = 9, rank 3 -> not red (place of A stays empty)
        // D: 5 + 1 = 6, rank 4 > 4 - 1 but targets met -> not black
        var obs = ObsHeader +
                  "A,vol,2025Q3,100,100,\nB,vol,2025Q3,90,100,\nC,vol,2025Q3,80,100,\nD,vol,2025Q3,50,100,\n" +
                  "A,key,2025Q3,9,10,\nB,key,2025Q3,10,10,\nC,key,2025Q3,10,10,\nD,key,2025Q3,10,10,\n";
        var r = Run(yaml, Units("A", "B", "C", "D"), obs);
        Assert.Equal(10.9m, (decimal)U(r, "A")["total"]!);
        Assert.Empty(Strings(U(r, "A")["lists"]));
        Assert.Equal(new[] { "red" }, Strings(U(r, "B")["lists"]));
        Assert.Empty(Strings(U(r, "C")["lists"]));
        Assert.Empty(Strings(U(r, "D")["lists"]));
    }

    [Fact]
    public void Skipped_units_unknown_ids_weight_maps_and_class_order()
    {
        var yaml = RulesetYaml.County().Class("创先", "进位").Dimension("d1", "维度")
            .Indicator("{ id: only, name: O, weight: { 创先: 5 }, core: true, method: completion }")
            .Indicator("{ id: all, name: A, weight: 10, method: completion }")
            .Last("lists:\n  black: { bottom: 1, requireTargetsMissed: true }")
            .Build();
        var units = "\uFEFFcode,name,level,class\r\nB,乙,county,进位\r\nA,甲,county,创先\r\nC,丙,county,消薄\r\nX,镇,town,创先\r\n";
        var obs = ObsHeader + "A,only,2025Q3,5,10,\nA,all,2025Q3,10,10,\nB,all,2025Q3,5,10,\n" +
                  "C,zzz,2025Q3,1,,\nX,aaa,2025Q3,1,,\nA,zzz,2025Q3,1,,\nA,yyy,2025Q2,1,,\n";
        var r = Run(yaml, units, obs);
        // class order first: A (创先) then B (进位); C skipped; X (town) ignored
        Assert.Equal(new[] { "A", "B" }, r["units"]!.AsArray().Select(u => (string)u!["code"]!));
        Assert.Equal(new[] { "C" }, r["skipped"]!.AsArray().Select(s => (string)s!["code"]!));
        Assert.Equal(new[] { "aaa", "zzz" }, Strings(r["unknownIndicators"]));
        // B's class is not in the weight map: `only` is left out entirely, and its core check too
        Assert.Equal(new[] { "all" }, U(r, "B")["indicators"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.Equal(5m, (decimal)U(r, "B")["total"]!);
        Assert.Empty(Strings(U(r, "B")["lists"])); // targets met (no applicable core indicator)
        // A: only 5 x 0.5 = 2.5 + all 10 = 12.5; its core target is missed; sole member of its class -> black
        Assert.Equal(12.5m, (decimal)U(r, "A")["total"]!);
        Assert.Equal(new[] { "black" }, Strings(U(r, "A")["lists"]));
        Assert.Equal("2025Q3", (string)r["period"]!);
    }
}
