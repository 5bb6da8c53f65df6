using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Engine;
using BaiQianWan.Assess.Rules.Evaluation;

namespace BaiQianWan.Assess.Tests.Engine;

/// <summary>
/// The engine's stages as named rules (issue 21 item 2): metric → peers (scope class, level, parent) → score →
/// <c>dimension:&lt;id&gt;</c> → <c>total</c> → rank → grade / lists → result, each firing once per class (or once for
/// the level), and the roster as the one place that says which units are ranked.
/// </summary>
public class PipelineStageTests
{
    private static readonly Period P = Period.OfQuarter(2025, 3);

    // economy (cap 100, × 0.6) and people (v2) apply to both classes; infra (cap 20) only to 创先 (roads has no 进位 weight).
    private static readonly string ThreeDimensions = RulesetYaml.County().Class("创先", "进位").Decimals(2)
        .Dimension("economy", "经济发展", "cap: 100\nfactor: 0.6")
        .Indicator("{ id: gdp, name: 生产总值, weight: 80, method: formula, formula: actual }")
        .Indicator("{ id: invest, name: 投资, weight: 80, method: formula, formula: actual }")
        .Dimension("infra", "基础设施", "cap: 20")
        .Indicator("{ id: roads, name: 道路, weight: {创先: 30}, method: formula, formula: actual }")
        .Dimension("people", "民生")
        .Indicator("{ id: jobs, name: 就业, weight: 10, method: formula, formula: actual }")
        .Then("adjustments:\n  - { id: honor, name: 荣誉, kind: bonus, per: 1 }")
        .Grades(Spec.Grades).Build();

    private static Observation O(string unit, string item, decimal actual) => new(unit, item, P, actual, null, null);

    // A: economy 70 + 50 = 120 → min(120, 100) × 0.6 = 60; infra 25 → 20; people 8; honor +2 → 90.
    // B: economy 30 + 20 = 50 × 0.6 = 30; infra 10 (under its cap); people 5 → 45.
    // C (进位): economy 40 + 40 = 80 × 0.6 = 48; no infra; people 10 → 58.
    private static readonly Dataset Three = new(
        [new Unit("A", "甲", UnitLevel.County, null, "创先"), new Unit("B", "乙", UnitLevel.County, null, "创先"),
         new Unit("C", "丙", UnitLevel.County, null, "进位")],
        [O("A", "gdp", 70m), O("A", "invest", 50m), O("A", "roads", 25m), O("A", "jobs", 8m), O("A", "honor", 2m),
         O("B", "gdp", 30m), O("B", "invest", 20m), O("B", "roads", 10m), O("B", "jobs", 5m),
         O("C", "gdp", 40m), O("C", "invest", 40m), O("C", "jobs", 10m)]);

    [Fact]
    public void Each_dimension_is_a_named_rule_after_its_indicators_and_before_the_total()
    {
        Assert.Equal(
            ["indicator:gdp:metric", "indicator:gdp", "indicator:invest:metric", "indicator:invest", "dimension:economy",
             "indicator:roads:metric", "indicator:roads", "dimension:infra",
             "indicator:jobs:metric", "indicator:jobs", "dimension:people",
             "bonus:honor", "total", "rank", "grade:好", "grade:较好", "grade:一般", "result"],
            Spec.Compile(ThreeDimensions).RuleNames);
    }

    [Fact]
    public void A_dimension_fires_once_per_class_it_applies_to_with_its_raw_sum_cap_and_factor()
    {
        var lines = new List<RuleFiring>();
        var result = Evaluator.Evaluate(Spec.Compile(ThreeDimensions), Three, P, null, lines.Add);

        int[] Firings(string rule) => [.. lines.Where(l => l.Rule == rule).Select(l => l.Firing).Distinct()];
        string[] Classes(string rule) => [.. lines.Where(l => l.Rule == rule).Select(l => l.Class).Distinct().Order(StringComparer.Ordinal)];
        // economy and people: one firing for each of the two classes; infra: 创先 only.
        Assert.Equal(2, Firings("dimension:economy").Length);
        Assert.Equal(["创先", "进位"], Classes("dimension:economy"));
        Assert.Equal(2, Firings("dimension:people").Length);
        Assert.Single(Firings("dimension:infra"));
        Assert.Equal(["创先"], Classes("dimension:infra"));
        Assert.Equal(2, Firings("total").Length);

        // The dimension's firing reads the class's scores of its own indicators and produces the class's subtotals.
        var economyA = lines.Single(l => l.Rule == "dimension:economy" && l.Unit == "A");
        Assert.Equal(["scores[创先/gdp]", "scores[创先/invest]", "units[创先]"], economyA.Matched.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("dimension[创先/economy]", economyA.Produced);
        Assert.Equal("60（经济发展：小计 120.00，封顶 100，× 60% = 60.00）", economyA.Figure);
        Assert.Equal("30（经济发展：小计 50.00（上限 100），× 60% = 30.00）", lines.Single(l => l.Rule == "dimension:economy" && l.Unit == "B").Figure);
        Assert.Equal("48（经济发展：小计 80.00（上限 100），× 60% = 48.00）", lines.Single(l => l.Rule == "dimension:economy" && l.Unit == "C").Figure);
        Assert.Equal("20（基础设施：小计 25.00，封顶 20 = 20.00）", lines.Single(l => l.Rule == "dimension:infra" && l.Unit == "A").Figure);
        // A v2 dimension's figure is its plain sum.
        Assert.Equal("8", lines.Single(l => l.Rule == "dimension:people" && l.Unit == "A").Figure);

        // The total reads the dimensions (not the indicator scores) and the adjustments, after every dimension of its class.
        var totalA = lines.Single(l => l.Rule == "total" && l.Unit == "A");
        Assert.Equal(["dimension[创先/economy]", "dimension[创先/infra]", "dimension[创先/people]", "points[创先/honor]", "units[创先]"],
            totalA.Matched.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("90", totalA.Figure);
        Assert.Equal("45", lines.Single(l => l.Rule == "total" && l.Unit == "B").Figure);
        Assert.Equal("58", lines.Single(l => l.Rule == "total" && l.Unit == "C").Figure);
        Assert.True(totalA.Firing > lines.Where(l => l.Rule.StartsWith("dimension:", StringComparison.Ordinal) && l.Class == "创先").Max(l => l.Firing));

        // The results: each unit's dimensions in ruleset order, 进位 without infra; raw, cap and factor in the numbers.
        var a = result.Unit("A");
        Assert.Equal([("economy", 60m, 120m, 60m, true), ("infra", 20m, 25m, 20m, true), ("people", 8m, 0m, 10m, false)],
            a.Dimensions.Select(d => (d.Id, d.Score, d.Scaled ? d.Raw : 0m, d.Max, d.Scaled)));
        Assert.Equal((90m, 2m), (a.Total, a.Bonus));
        Assert.Equal(["gdp", "invest", "roads", "jobs"], a.Indicators.Select(i => i.Id));
        var c = result.Unit("C");
        Assert.Equal([("economy", 48m), ("people", 10m)], c.Dimensions.Select(d => (d.Id, d.Score)));
        Assert.Equal(["gdp", "invest", "jobs"], c.Indicators.Select(i => i.Id));
        Assert.Equal(58m, c.Total);
        // economy's max: min(80 + 80, 100) × 0.6 = 60 for both classes.
        Assert.Equal(60m, c.Dimensions[0].Max);
    }

    private static readonly string Fraud = RulesetYaml.County().Class("创先").Decimals(2)
        .Indicator("{ id: x, name: 排名, weight: 10, method: rank, step: 0.1 }")
        .Then("adjustments:\n  - { id: fraud, name: 统计数据弄虚作假, kind: veto, exclude: true }")
        .Grades(Spec.Grades).Last("lists:\n  red: { top: 1 }").Build();

    [Fact]
    public void An_excluded_unit_stays_an_indicator_peer_and_leaves_the_ranked_roster()
    {
        // A 9, B 8 (excluded), C 7, D 6 on a rank indicator (10 points, −0.1 per place).
        var data = new Dataset(
            [.. new[] { "A", "B", "C", "D" }.Select(c => new Unit(c, "单位" + c, UnitLevel.County, null, "创先"))],
            [O("A", "x", 9m), O("B", "x", 8m), O("C", "x", 7m), O("D", "x", 6m), O("B", "fraud", 1m)]);
        var lines = new List<RuleFiring>();
        var result = Evaluator.Evaluate(Spec.Compile(Fraud), data, P, null, lines.Add);

        // Peers: all four, B among them; C is third of four peers: 10 × (1 − 0.2) = 8, D fourth: 7.
        Assert.Equal("peers 4", lines.Single(l => l.Rule == "indicator:x:peers" && l.Unit is null).Figure);
        Assert.Equal("rank 2", lines.Single(l => l.Rule == "indicator:x:peers" && l.Unit == "B").Figure);
        Assert.Equal([10m, 9m, 8m, 7m], new[] { "A", "B", "C", "D" }.Select(c => result.Unit(c).Indicators[0].Score));
        // The total stage applies the excluding veto to the roster; the ranking reads only the roster.
        Assert.Equal("9, not ranked", lines.Single(l => l.Rule == "total" && l.Unit == "B").Figure);
        Assert.Equal("8", lines.Single(l => l.Rule == "total" && l.Unit == "C").Figure);
        var ranks = lines.Where(l => l.Rule == "rank").ToDictionary(l => l.Unit!, l => l.Figure);
        Assert.Equal(["rank 1", "excluded", "rank 2", "rank 3"], new[] { "A", "B", "C", "D" }.Select(c => ranks[c]));
        // n = 3 for every unit, B included; B has no rank, grade or list.
        Assert.All(result.Units, u => Assert.Equal(3, u.Peers));
        Assert.Equal((0, "", true), (result.Unit("B").Rank, result.Unit("B").Grade, result.Unit("B").Excluded!.Value));
        Assert.Equal([(1, "好"), (2, "较好"), (3, "一般")], new[] { "A", "C", "D" }.Select(c => (result.Unit(c).Rank, result.Unit(c).Grade)));
        Assert.Equal(["A"], result.Units.Where(u => u.Lists.Contains("red")).Select(u => u.Code));
    }

    [Fact]
    public void Grades_and_lists_read_the_ranking_of_their_scope()
    {
        // Level-scope grades, a class-scope red list. 创先: A 90, B 80 (excluded); 进位: C 85, D 70, E 60.
        var yaml = RulesetYaml.County().Class("创先", "进位").Decimals(2)
            .Indicator("{ id: x, name: 指标, weight: 100, method: formula, formula: actual }")
            .Then("adjustments:\n  - { id: fraud, name: 统计数据弄虚作假, kind: veto, exclude: true }")
            .Grades("grades:\n  by: rankShare\n  scope: level\n  levels:\n    - { name: 优秀, share: 0.5 }\n    - { name: 一般 }")
            .Last("lists:\n  red: { top: 1 }").Build();
        var data = new Dataset(
            [new Unit("A", "甲", UnitLevel.County, null, "创先"), new Unit("B", "乙", UnitLevel.County, null, "创先"),
             new Unit("C", "丙", UnitLevel.County, null, "进位"), new Unit("D", "丁", UnitLevel.County, null, "进位"),
             new Unit("E", "戊", UnitLevel.County, null, "进位")],
            [O("A", "x", 90m), O("B", "x", 80m), O("C", "x", 85m), O("D", "x", 70m), O("E", "x", 60m), O("B", "fraud", 1m)]);
        var lines = new List<RuleFiring>();
        var result = Evaluator.Evaluate(Spec.Compile(yaml), data, P, null, lines.Add);

        // rank:level fires once and ranks the four ranked units of both classes together: N = 4, one fact per class.
        var level = lines.Where(l => l.Rule == "rank:level").ToList();
        Assert.Single(level.Select(l => l.Firing).Distinct());
        Assert.Equal(["A levelRank 1 of 4", "B excluded", "C levelRank 2 of 4", "D levelRank 3 of 4", "E levelRank 4 of 4"],
            level.Select(l => l.Unit + " " + l.Figure).Order(StringComparer.Ordinal));
        Assert.Equal(["ranks[level/创先]", "ranks[level/进位]"], level.Select(l => l.Produced).Distinct().Order(StringComparer.Ordinal));
        // The grades read the level's ranking (优秀: levelRank ≤ round(4 × 0.5) = 2), the red list the class's.
        Assert.Equal(["ranks[level/进位]"], lines.First(l => l.Rule == "grade:优秀" && l.Class == "进位").Matched.ToArray());
        Assert.Equal(["ranks[进位]"], lines.First(l => l.Rule == "list:red" && l.Class == "进位").Matched.ToArray());
        Assert.Equal([("A", "优秀", 1, 1), ("C", "优秀", 1, 2), ("D", "一般", 2, 3), ("E", "一般", 3, 4)],
            new[] { "A", "C", "D", "E" }.Select(c => (c, result.Unit(c).Grade, result.Unit(c).Rank, result.Unit(c).LevelRank!.Value)));
        Assert.Equal(["A", "C"], result.Units.Where(u => u.Lists.Contains("red")).Select(u => u.Code));
        Assert.Equal((1, 4), (result.Unit("A").Peers, result.Unit("A").LevelPeers!.Value));
        Assert.Null(result.Unit("B").LevelRank);
    }

    [Fact]
    public void The_roster_ranks_every_member_until_an_exclusion_takes_one_out()
    {
        var members = new[] { "A", "B", "C" }.Select(c => new Unit(c, c, UnitLevel.County, null, "创先")).ToArray();
        var roster = new ClassRoster(0, "创先", members);
        Assert.Equal(3, roster.Ranked);
        Assert.True(roster.IsRanked(1));
        var ranking = roster.Excluding([false, true, false]);
        Assert.Equal(2, ranking.Ranked);
        Assert.Equal([true, false, true], Enumerable.Range(0, 3).Select(ranking.IsRanked));
        Assert.Same(roster.Members, ranking.Members);
        // The input roster is unchanged: the stages before the total still see every unit.
        Assert.Equal(3, roster.Ranked);
    }

    [Fact]
    public void Level_and_parent_figures_are_peer_figures_of_their_own_scope()
    {
        var yaml = RulesetYaml.County().Class("创先", "进位")
            .Indicator("x", "指标", "weight: 25\nmethod: formula\ncap: 2\nformula: \"actual / parentAvg * 10 + levelAvg * 0\"").NoGrades().Build();
        // City C1: A 93 (创先), B 107 (进位) → parentAvg 100; C2: D 50. levelAvg = 250 / 3.
        var data = new Dataset(
            [new Unit("A", "甲", UnitLevel.County, "C1", "创先"), new Unit("B", "乙", UnitLevel.County, "C1", "进位"),
             new Unit("D", "丁", UnitLevel.County, "C2", "创先")],
            [O("A", "x", 93m), O("B", "x", 107m), O("D", "x", 50m)]);
        var lines = new List<RuleFiring>();
        var result = Evaluator.Evaluate(Spec.Compile(yaml), data, P, null, lines.Add);

        // One firing over the level: two facts, the level's and the parent regions'.
        var level = lines.Where(l => l.Rule == "indicator:x:level").ToList();
        Assert.Single(level.Select(l => l.Firing).Distinct());
        Assert.Equal(["metrics[创先/x]", "metrics[进位/x]"], level[0].Matched.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("levelAvg 83.3333", level.Single(l => l.Produced == "peers[level/x]").Figure);
        Assert.Equal(["parentAvg[C1] 100", "parentAvg[C2] 50"], level.Where(l => l.Produced == "peers[parent/x]").Select(l => l.Figure));
        // Each class's score reads both: A 93 / 100 × 10 = 9.3, B 10.7, D alone in C2: 10.
        var scoreA = lines.Single(l => l.Rule == "indicator:x" && l.Unit == "A");
        Assert.Equal(["metrics[创先/x]", "peers[level/x]", "peers[parent/x]"], scoreA.Matched.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal([9.3m, 10.7m, 10m], new[] { "A", "B", "D" }.Select(c => result.Indicator(c).Score));
    }
}
