using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Tests.Engine.V3;

/// <summary>(v3) <c>exclude: true</c> vetoes, <c>scope: level</c> with levelRank, list percentages, optional grades (spec 2.2, 2.4, 2.5).</summary>
public class ScopeAndExclusionTests
{
    private static string Ruleset(string grades, string lists = "", string adjustments = "", string classes = "[创先, 进位, 消薄]") =>
        RulesetYaml.County().Class(classes.Trim('[', ']').Split(", ")).Indicator("{ id: x, name: 指标, weight: 100, method: formula, formula: actual }")
            .Then(adjustments).Grades(grades).Last(lists).Build();

    private const string LevelGrades = """
        grades:
          by: rankShare
          scope: level
          levels:
            - { name: 优秀, share: 0.2 }
            - { name: 良好, share: 0.4 }
            - { name: 一般 }
        """;

    private static readonly string[] Classes = ["创先", "进位", "消薄"];

    /// <summary>24 units U01…U24 over three classes; U(k) scores 100 − k, except U11 ties U10 at 90.</summary>
    private static EvaluationResult TwentyFour(string yaml)
    {
        var units = string.Join("\n", Enumerable.Range(1, 24).Select(k => $"U{k:00} {Classes[k % 3]}"));
        var data = string.Join("\n", Enumerable.Range(1, 24).Select(k => $"U{k:00},x,2025Q3,{(k == 11 ? 90 : 100 - k)},,"));
        return Spec.Evaluate(yaml, units, data);
    }

    [Fact]
    public void Level_scope_grades_take_shares_of_every_class_together()
    {
        // N = 24: 优秀 takes levelRank ≤ round(4.8) = 5, 良好 levelRank ≤ round(14.4) = 14; U10 and U11 tie at 10, both 良好.
        var result = TwentyFour(Ruleset(LevelGrades));
        Assert.All(result.Units, u => Assert.Equal(24, u.LevelPeers));
        Assert.Equal((10, 10), (result.Unit("U10").LevelRank!.Value, result.Unit("U11").LevelRank!.Value));
        Assert.Equal(12, result.Unit("U12").LevelRank);
        for (var k = 1; k <= 24; k++)
        {
            var expected = k <= 5 ? "优秀" : k <= 14 ? "良好" : "一般";
            Assert.Equal(expected, result.Unit($"U{k:00}").Grade);
        }
        // The class rank is unchanged: U03, U06, U09 … are 消薄 (k % 3 = 0): U03 is first of its class.
        Assert.Equal((1, 8), (result.Unit("U03").Rank, result.Unit("U03").Peers));
        var json = DimensionAndTotalCapTests.Flat(ResultsJson.Serialize(result));
        Assert.Contains("\"peers\": 8,\"levelRank\": 1,\"levelPeers\": 24,\"grade\": \"优秀\"", json);
    }

    [Fact]
    public void Ten_strongest_counties_on_a_level_list_take_ties_past_ten()
    {
        var result = TwentyFour(Ruleset(Spec.Grades, "lists:\n  red: { top: 10, scope: level }\n  black: { bottom: '12.5%', scope: level }"));
        var red = result.Units.Where(u => u.Lists.Contains("red")).Select(u => u.Code).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, 11).Select(k => $"U{k:00}"), red); // U10 and U11 tied at 10
        // 12.5% of 24 = 3: levelRank > 21.
        var black = result.Units.Where(u => u.Lists.Contains("black")).Select(u => u.Code).Order().ToArray();
        Assert.Equal(["U22", "U23", "U24"], black);
    }

    [Theory]
    [InlineData(10, new[] { "U09", "U10" })] // round(1.5) = 2: ranks > 8
    [InlineData(8, new[] { "U08" })]         // round(1.2) = 1
    [InlineData(6, new[] { "U06" })]         // round(0.9) = 1
    public void A_list_percentage_rounds_half_away_from_zero(int n, string[] expected)
    {
        var units = string.Join("\n", Enumerable.Range(1, n).Select(k => $"U{k:00} 创先"));
        var data = string.Join("\n", Enumerable.Range(1, n).Select(k => $"U{k:00},x,2025Q3,{100 - k},,"));
        var result = Spec.Evaluate(Ruleset(Spec.Grades, "lists:\n  black: { bottom: 15% }", classes: "[创先]"), units, data);
        Assert.Equal(expected, result.Units.Where(u => u.Lists.Contains("black")).Select(u => u.Code).Order());
    }

    private const string Fraud = """
        adjustments:
          - { id: fraud, name: 统计数据弄虚作假, kind: veto, exclude: true }
        """;

    [Fact]
    public void An_excluded_unit_is_scored_but_not_ranked_graded_or_listed()
    {
        var yaml = Ruleset(Spec.Grades, "lists:\n  red: { top: 1 }\n  black: { bottom: 1 }", Fraud, "[创先]");
        // A 90, B 80 (excluded), C 70, D 60: n = 3 among A, C, D.
        var result = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先\nD 创先",
            "A,x,2025Q3,90,,\nB,x,2025Q3,80,,\nC,x,2025Q3,70,,\nD,x,2025Q3,60,,\nB,fraud,2025Q3,1,,");
        Assert.Equal(["A", "C", "D", "B"], result.Units.Select(u => u.Code)); // excluded after the ranked, by code
        var b = result.Unit("B");
        Assert.Equal((80m, 0, 3, "", true), (b.Total, b.Rank, b.Peers, b.Grade, b.Excluded!.Value));
        Assert.Empty(b.Lists);
        Assert.Equal(["统计数据弄虚作假（取消参评资格）：不参加排名、等次评定和红黑榜"], b.Notes.ToArray());
        Assert.Equal(["fraud"], b.Vetoes.ToArray());
        // n = 3: 好 round(0.9) = 1, 较好 round(2.1) = 2.
        Assert.Equal([(1, "好", 3), (2, "较好", 3), (3, "一般", 3)],
            new[] { "A", "C", "D" }.Select(c => (result.Unit(c).Rank, result.Unit(c).Grade, result.Unit(c).Peers)));
        Assert.Equal(["red"], result.Unit("A").Lists.ToArray());
        Assert.Equal(["black"], result.Unit("D").Lists.ToArray());
        Assert.All(new[] { "A", "C", "D" }, c => Assert.False(result.Unit(c).Excluded));
        Assert.All(new[] { "A", "C", "D" }, c => Assert.Empty(result.Unit(c).Notes));
        var json = DimensionAndTotalCapTests.Flat(ResultsJson.Serialize(result));
        Assert.Contains("\"total\": 80,\"rank\": null,\"peers\": 3,\"grade\": null,\"lists\": [],\"notes\": [\"统计数据弄虚作假（取消参评资格）：不参加排名、等次评定和红黑榜\"],\"vetoes\": [\"fraud\"],\"excluded\": true,", json);
        Assert.Contains("\"vetoes\": [],\"excluded\": false,", json);
    }

    [Fact]
    public void An_exclusion_never_changes_another_unit_s_indicator_scores()
    {
        // The indicator ranks its class peers: the excluded unit stays a peer of it.
        var yaml = RulesetYaml.County().Class("创先").Indicator("{ id: x, name: 指标, weight: 10, method: rank, step: 0.1 }")
            .Then(Fraud).Grades(Spec.Grades).Build();
        const string data = "A,x,2025Q3,9,,\nB,x,2025Q3,8,,\nC,x,2025Q3,7,,";
        var with = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先", data + "\nB,fraud,2025Q3,1,,");
        var without = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先", data);
        Assert.Equal(without.Unit("C").Indicators[0].Score, with.Unit("C").Indicators[0].Score);
        Assert.Equal(8m, with.Unit("C").Total); // third of three peers: 10 × (1 − 0.2)
        Assert.Equal(2, with.Unit("C").Rank);   // second of the two ranked
    }

    [Fact]
    public void An_excluded_unit_leaves_the_level_ranking()
    {
        var yaml = Ruleset(LevelGrades, "", Fraud);
        var units = string.Join("\n", Enumerable.Range(1, 24).Select(k => $"U{k:00} {Classes[k % 3]}"));
        var data = string.Join("\n", Enumerable.Range(1, 24).Select(k => $"U{k:00},x,2025Q3,{100 - k},,")) + "\nU01,fraud,2025Q3,1,,";
        var result = Spec.Evaluate(yaml, units, data);
        Assert.Null(result.Unit("U01").LevelRank);
        Assert.Equal(23, result.Unit("U02").LevelPeers);
        Assert.Equal(1, result.Unit("U02").LevelRank);
        // N = 23: 优秀 ≤ round(4.6) = 5 → U02…U06.
        Assert.Equal("优秀", result.Unit("U06").Grade);
        Assert.Equal("良好", result.Unit("U07").Grade);
    }
}
