using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Tests.Oracle;
using FsCheck;
using FsCheck.Fluent;

namespace BaiQianWan.Assess.Tests.CrossCheck;

/// <summary>
/// FsCheck-generated rulesets (every method and metric, weight maps that leave classes out, formulas, bonuses,
/// penalties and vetoes with and without formulas, both grade bases, lists) over generated classes of units with
/// gaps in their data: the engine (NRules) must agree with the independent spec oracle on every unit, and a
/// generated ruleset that validates must compile into NRules rules.
/// </summary>
[Trait("Cost", "Slow")]
public class GeneratedRulesetTests
{
    private static readonly Config Settings = Config.QuickThrowOnFailure.WithMaxTest(200);

    [Fact]
    public void Engine_agrees_with_the_oracle_on_generated_rulesets_and_data() =>
        Check.One(Settings, Prop.ForAll(Arb.From(CaseGen), Agrees));

    internal sealed record Case(string Yaml, string Units, string Observations)
    {
        public override string ToString() => $"{Yaml}\n--- units\n{Units}\n--- observations\n{Observations}";
    }

    private static bool Agrees(Case c)
    {
        var loaded = RulesetLoader.Load(c.Yaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics) + "\n" + c.Yaml);
        var units = DataFiles.ReadUnits(c.Units, "u.csv");
        Assert.True(units.IsValid, string.Join("\n", units.Errors));
        var observations = DataFiles.ReadObservations(c.Observations, "o.csv", units.Rows.Select(u => u.Code).ToHashSet());
        Assert.True(observations.IsValid, string.Join("\n", observations.Errors));
        EvaluationResult engine = Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256),
            new Dataset(units.Rows, observations.Rows), Period.Parse("2025Q3"));
        var oracle = SpecOracle.Evaluate(c.Yaml, c.Units, c.Observations, "2025Q3");
        EngineAgreesWithOracleTests.AssertAgree(engine, oracle);
        return true;
    }

    private static readonly string[] AllClasses = ["创先", "进位", "消薄"];

    private static string N(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private static readonly Gen<string> MetricGen = Gen.Elements("completion", "value", "growth", "change");

    private static readonly string[] Formulas =
    [
        "actual / target * weight",
        "IF(rank <= 2, weight, weight * 0.5)",
        "weight * completion",
        "MIN(weight, classAvg / actual * weight)",
        "weight - peers + rank",
        "ROUND(actual / baseline, 2) * weight",
        "=CLAMP(growth / 10, 0, 1) * weight",
        "IF(AND(actual > 50, NOT(target = 0)), weight, 0)",
        "MAX(0, weight * (1 - (rank - 1) / peers))",
        "ABS(actual - target) ^ 2 / 100",
        // (v3)
        "=weight + 1.5*FLOOR((actual/parentAvg - 1)*10)",
        "weight * MIN(2, actual / levelAvg)",
        "CEILING(actual / 50, 0.5) + TRUNC(change, 1)",
        "weight * actual / (pop * 10)",
    ];

    private static Gen<string> MethodGen(string better) =>
        Gen.OneOf(
            from cap in Gen.Elements(1m, 1.2m)
            from zero in Gen.Elements(0m, 0.6m)
            select $"method: completion\ncap: {N(cap)}\nzeroBelow: {N(zero)}",
            from metric in MetricGen
            from n in Gen.Choose(1, 3)
            select Bands(metric, better == "lower" && metric != "completion", n),
            from metric in MetricGen
            from step in Gen.Elements(0.05m, 0.1m, 0.3m)
            from floor in Gen.Elements(0m, 0.3m)
            select $"method: rank\nmetric: {metric}\nstep: {N(step)}\nfloor: {N(floor)}",
            from metric in MetricGen
            from floor in Gen.Elements(0.6m, 0m)
            select $"method: efficacy\nmetric: {metric}\nfloor: {N(floor)}",
            from metric in Gen.Elements("growth", "value")
            from per in Gen.Elements(0m, 0.5m, 1m)
            select $"method: increment\nmetric: {metric}\nbase: 0.8\nper: {N(per)}\ncap: 1.2",
            from formula in Gen.Elements(Formulas)
            from cap in Gen.Elements(1m, 1.5m)
            select $"method: formula\nformula: \"{formula}\"\ncap: {N(cap)}",
            // (v3) completion without a cap, and steps in every shape the spec allows
            Gen.Constant("method: completion\ncap: none"),
            from metric in Gen.Elements("completion", "value", "growth", "change")
            from up in Gen.Elements("", "up: { every: 0.1, points: 1, max: 3 }", "up: { every: 5, points: 0.5 }")
            from down in Gen.Elements("", "down: { every: 0.1, points: 1 }", "down: { every: 3, points: 2, max: 4 }")
            from baseAndFrom in Gen.Elements("", "base: 0.5", "from: 0\nbase: 0", "from: 80")
            from threshold in Gen.Elements(false, true)
            let sides = up.Length + down.Length == 0 ? "up: { every: 0.2, points: 1 }" : string.Join("\n", new[] { up, down }.Where(x => x.Length > 0))
            let higher = metric == "completion" || better != "lower"
            let zero = !threshold ? "" : metric == "completion" ? "\nzeroBelow: 0.5" : higher ? "\nzeroBelow: 10" : "\nzeroAbove: 150"
            select $"method: steps\nmetric: {metric}\n{sides}" + (baseAndFrom.Length > 0 ? "\n" + baseAndFrom : "") + zero);

    private static string Bands(string metric, bool useMax, int n)
    {
        // Bounds in the metric's terms: ratios for completion, percents for growth, figures for values.
        decimal[] bounds = metric switch
        {
            "completion" => [1m, 0.8m, 0.6m],
            "growth" => [10m, 5m, 0m],
            _ => [120m, 80m, 40m],
        };
        decimal[] scores = [1m, 0.7m, 0.4m];
        var lines = Enumerable.Range(0, n).Select(i => useMax
            ? $"  - {{max: {N(bounds[2 - i])}, score: {N(scores[i])}}}"
            : $"  - {{min: {N(bounds[i])}, score: {N(scores[i])}}}");
        return $"method: bands\nmetric: {metric}\nbands:\n{string.Join("\n", lines)}";
    }

    private static Gen<string> WeightGen(string[] classes) =>
        Gen.OneOf(
            Gen.Choose(1, 40).Select(w => N(w / 2m)),
            from ws in Gen.ArrayOf(Gen.Choose(0, 20), classes.Length)
            let listed = classes.Where((_, i) => ws[i] > 0).Select((c, i) => (c, w: ws[Array.IndexOf(classes, c)])).ToArray()
            select listed.Length == 0 ? "5" : "{" + string.Join(", ", listed.Select(x => $"{x.c}: {x.w}")) + "}");

    private static Gen<string> IndicatorGen(string id, string[] classes, bool uniform = false) =>
        from weight in uniform ? Gen.Choose(1, 40).Select(w => N(w / 2m)) : WeightGen(classes)
        from better in Gen.Elements("higher", "lower")
        from core in Gen.Elements(false, true)
        from unit in Gen.Elements("", "亿元", "%")
        from method in better == "lower" ? MethodGen("lower") : MethodGen("higher")
        select $"- id: {id}\n  name: 指标{id}\n" + (unit.Length > 0 ? $"  unit: \"{unit}\"\n" : "") +
               $"  weight: {weight}\n  better: {better}\n  core: {(core ? "true" : "false")}\n" +
               string.Join("\n", method.Split('\n').Select(l => "  " + l));

    private static readonly Gen<string> AdjustmentGen = Gen.Elements(
        "kind: bonus\n  per: 0.5\n  max: 2",
        "kind: bonus\n  formula: \"MIN(count, 3) * 0.75\"",
        "kind: penalty\n  per: 1",
        "kind: penalty\n  formula: \"IF(count > 1, 2 / (count - 2), 0)\"\n  max: 3",
        "kind: veto",
        "kind: veto\n  when: \"count >= 2\"\n  grade: 较好",
        "kind: veto\n  exclude: true");

    internal static readonly Gen<Case> CaseGen =
        from classCount in Gen.Choose(1, 3)
        let classes = AllClasses.Take(classCount).ToArray()
        from decimals in Gen.Choose(0, 3)
        from indicatorCount in Gen.Choose(1, 5)
        // The first indicator weighs the same in every class, so every class has an indicator (else invalid).
        from first in IndicatorGen("@ID", classes, uniform: true)
        from others in Gen.ArrayOf(IndicatorGen("@ID", classes), indicatorCount - 1)
        let indicators = others.Prepend(first).Select((t, i) => t.Replace("@ID", "x" + (i + 1))).ToArray()
        from split in Gen.Choose(0, indicatorCount - 1)
        from adjustmentCount in Gen.Choose(0, 3)
        from adjustments in Gen.ArrayOf(AdjustmentGen, adjustmentCount)
        from bonusCap in Gen.Elements("", "bonusCap: 1", "totalCap: 25", "bonusCap: 1\ntotalCap: 12.5")
        from byScore in Gen.Elements(false, true)
        from grades in Gen.Elements("class", "class", "level", "none")
        from red in Gen.Elements("", "  red: { top: 2, requireTargetsMet: true }", "  red: { top: 1, requireTargetsMet: false }",
            "  red: { top: 30%, scope: level }", "  red: { top: '12.5%' }")
        from black in Gen.Elements("", "  black: { bottom: 1, requireTargetsMissed: true }", "  black: { bottom: 2, requireTargetsMissed: false }",
            "  black: { bottom: 15%, scope: level }", "  black: { bottom: 2, scope: level }")
        from scaling in Gen.Elements("", "    cap: 10\n", "    factor: 0.6\n", "    cap: 8\n    factor: 0.5\n")
        from unitCount in Gen.Choose(0, 12)
        from unitClasses in Gen.ArrayOf(Gen.Choose(0, classCount), unitCount)
        from cells in Gen.ArrayOf(CellGen, unitCount * (indicatorCount + adjustmentCount))
        from parents in Gen.ArrayOf(Gen.Elements("", "C1", "C2"), unitCount)
        from population in Gen.ArrayOf(Gen.Frequency((1, Gen.Constant(0)), (5, Gen.Choose(1, 90))), unitCount)
        select Build(classes, decimals, indicators, split, adjustments, bonusCap, byScore, red, black, unitClasses, cells,
            grades, scaling, parents, population);

    /// <summary>One unit's row for one item: present or not, actual, target (maybe 0) and baseline (maybe 0).</summary>
    private static readonly Gen<(bool Present, int Actual, int? Target, int? Baseline)> CellGen =
        from present in Gen.Frequency((1, Gen.Constant(false)), (5, Gen.Constant(true)))
        from actual in Gen.Choose(0, 2000)
        from target in Gen.Frequency((1, Gen.Constant<int?>(null)), (1, Gen.Constant<int?>(0)), (6, Gen.Choose(1, 1500).Select(t => (int?)t)))
        from baseline in Gen.Frequency((1, Gen.Constant<int?>(null)), (1, Gen.Constant<int?>(0)), (6, Gen.Choose(1, 1500).Select(t => (int?)t)))
        select (present, actual, target, baseline);

    /// <summary>
    /// A class no indicator applies to is a validation error (issue 14): when the weight maps leave a class out of
    /// every indicator, the first indicator's map takes it in with weight 1, so every generated ruleset is valid.
    /// </summary>
    private static string[] CoverEveryClass(string[] classes, string[] indicators)
    {
        static string? Map(string indicator) =>
            indicator.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("weight: {", StringComparison.Ordinal));
        if (indicators.Any(i => Map(i) is null)) return indicators; // a plain weight applies to every class
        var uncovered = classes.Where(c => !indicators.Any(i => Map(i)!.Contains(c + ":", StringComparison.Ordinal))).ToArray();
        if (uncovered.Length == 0) return indicators;
        var first = Map(indicators[0])!;
        var widened = first[..^1] + string.Concat(uncovered.Select(c => $", {c}: 1")) + "}";
        return [indicators[0].Replace(first, widened), .. indicators[1..]];
    }

    private static Case Build(string[] classes, int decimals, string[] indicators, int split, string[] adjustments, string bonusCap,
        bool byScore, string red, string black, int[] unitClasses, (bool Present, int Actual, int? Target, int? Baseline)[] cells,
        string grades, string scaling, string[] parents, int[] population)
    {
        indicators = CoverEveryClass(classes, indicators);
        // (v3) a veto grade needs grades; without grades the generated veto keeps no grade
        if (grades == "none") adjustments = [.. adjustments.Select(a => a.Replace("\n  grade: 较好", ""))];
        var yaml = new StringBuilder();
        yaml.Append($"id: gen\nname: 生成\nlevel: county\nclasses: [{string.Join(", ", classes)}]\ndecimals: {decimals}\ndimensions:\n");
        void Dimension(string id, IEnumerable<string> items)
        {
            var list = items.ToArray();
            if (list.Length == 0) return;
            yaml.Append($"  - id: {id}\n    name: 维度{id}\n");
            if (id == "d1") yaml.Append(scaling); // (v3) cap / factor on the first dimension
            yaml.Append("    indicators:\n");
            foreach (var i in list) yaml.Append(string.Join("\n", i.Split('\n').Select(l => "      " + l))).Append('\n');
        }
        Dimension("d1", indicators.Take(split + 1));
        Dimension("d2", indicators.Skip(split + 1));
        if (adjustments.Length > 0)
        {
            yaml.Append("adjustments:\n");
            for (var a = 0; a < adjustments.Length; a++) yaml.Append($"  - id: a{a + 1}\n    name: 调整{a + 1}\n    {adjustments[a].Replace("\n", "\n  ")}\n");
        }
        if (bonusCap.Length > 0) yaml.Append(bonusCap).Append('\n');
        yaml.Append("inputs:\n  - { id: pop, name: 户籍人口, unit: 万人 }\n");
        if (grades != "none") yaml.Append(byScore
            ? "grades:\n  by: score\n  levels:\n    - { name: 好, min: 20 }\n    - { name: 较好, min: 8 }\n    - { name: 一般 }\n"
            : "grades:\n  by: rankShare\n" + (grades == "level" ? "  scope: level\n" : "") +
              "  levels:\n    - { name: 好, share: 0.3 }\n    - { name: 较好, share: 0.4 }\n    - { name: 一般 }\n");
        if (red.Length + black.Length > 0)
        {
            yaml.Append("lists:\n");
            if (red.Length > 0) yaml.Append(red).Append('\n');
            if (black.Length > 0) yaml.Append(black).Append('\n');
        }

        var units = new StringBuilder("code,name,level,parent,class\n");
        var observations = new StringBuilder("unit,indicator,period,actual,target,baseline\n");
        var items = Enumerable.Range(1, indicators.Length).Select(i => "x" + i).Concat(Enumerable.Range(1, adjustments.Length).Select(a => "a" + a)).ToArray();
        for (var u = 0; u < unitClasses.Length; u++)
        {
            var code = $"U{u:D2}";
            // Class index = the class count stands for a class the ruleset does not list: the unit is skipped.
            var cls = unitClasses[u] < classes.Length ? classes[unitClasses[u]] : "其他";
            units.Append($"{code},单位{u},county,{parents[u]},{cls}\n");
            if (population[u] > 0) observations.Append($"{code},pop,2025Q3,{population[u]},,\n");
            for (var i = 0; i < items.Length; i++)
            {
                var cell = cells[u * items.Length + i];
                if (!cell.Present) continue;
                var adjustment = items[i].StartsWith('a');
                var actual = adjustment ? N(cell.Actual % 4) : N(cell.Actual / 10m);
                var target = adjustment || cell.Target is null ? "" : N(cell.Target.Value / 10m);
                var baseline = adjustment || cell.Baseline is null ? "" : N(cell.Baseline.Value / 10m);
                observations.Append($"{code},{items[i]},2025Q3,{actual},{target},{baseline}\n");
            }
        }
        if (unitClasses.Length > 0) observations.Append("U00,unknown_id,2025Q3,1,,\n");
        return new Case(yaml.ToString(), units.ToString(), observations.ToString());
    }
}
