using System.Text;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Tests.Engine.V3;

/// <summary>(v3) Dimension <c>cap</c> and <c>factor</c>, <c>totalCap</c> and <c>rawTotal</c> (spec 2.6 and the example unit of §3).</summary>
public class DimensionAndTotalCapTests
{
    // 青山县 of the spec: economy raw 108.00 (37 + 21 + 20 + 30) → min(108, 100) × 0.6 = 60.00; infra raw 24.60 → 20.00;
    // livelihood raw 105.00 × 0.2 = 21.00; bonus 3 → 104.00 → totalCap 100 → total 100.00, rawTotal 104.00.
    private static readonly string Ruleset = RulesetYaml.County().Class("创先").Decimals(2)
        .Dimension("economy", "经济发展", "cap: 100\nfactor: 0.6")
        .Indicator("{ id: gdp, name: 生产总值, weight: 40, method: formula, formula: actual }")
        .Indicator("{ id: invest, name: 投资, weight: 40, method: formula, formula: actual }")
        .Indicator("{ id: firms, name: 企业, weight: 40, method: formula, formula: actual }")
        .Indicator("{ id: revenue, name: 收入, weight: 40, method: formula, formula: actual }")
        .Dimension("infra", "基础设施建设", "cap: 20")
        .Indicator("{ id: roads, name: 道路, weight: 20, method: formula, formula: actual }")
        .Indicator("{ id: water, name: 水利, weight: 20, method: formula, formula: actual }")
        .Dimension("livelihood", "民生", "factor: 0.2")
        .Indicator("{ id: jobs, name: 就业, weight: 60, method: formula, formula: actual }")
        .Indicator("{ id: care, name: 养老, weight: 60, method: formula, formula: actual }")
        .Dimension("plain", "其他")
        .Indicator("{ id: other, name: 其他, weight: 5, method: formula, formula: actual }")
        .Then("adjustments:\n  - { id: honor, name: 荣誉, kind: bonus, per: 1 }")
        .Then("totalCap: 100")
        .Grades("grades:\n  by: rankShare\n  levels:\n    - { name: 优秀, share: 0.5 }\n    - { name: 一般 }")
        .Build();

    private const string Qingshan = """
        A,gdp,2025Q3,37,,
        A,invest,2025Q3,21,,
        A,firms,2025Q3,20,,
        A,revenue,2025Q3,30,,
        A,roads,2025Q3,12.3,,
        A,water,2025Q3,12.3,,
        A,jobs,2025Q3,50,,
        A,care,2025Q3,55,,
        A,other,2025Q3,0,,
        A,honor,2025Q3,3,,
        B,gdp,2025Q3,10,,
        B,roads,2025Q3,5,,
        B,other,2025Q3,1,,
        """;

    [Fact]
    public void The_spec_s_example_unit()
    {
        var result = Spec.Evaluate(Ruleset, "A 创先\nB 创先", Qingshan);
        var a = result.Unit("A");
        Assert.Equal(["economy", "infra", "livelihood", "plain"], a.Dimensions.Select(d => d.Id));
        var economy = a.Dimensions[0];
        Assert.Equal((60m, 108m, 60m), (economy.Score, economy.Raw, economy.Max));
        Assert.Equal("经济发展：小计 108.00，封顶 100，× 60% = 60.00", economy.Explain);
        Assert.Equal((20m, 24.6m, 20m), (a.Dimensions[1].Score, a.Dimensions[1].Raw, a.Dimensions[1].Max));
        Assert.Equal("基础设施建设：小计 24.60，封顶 20 = 20.00", a.Dimensions[1].Explain);
        Assert.Equal((21m, 105m, 24m), (a.Dimensions[2].Score, a.Dimensions[2].Raw, a.Dimensions[2].Max));
        Assert.Equal("民生：小计 105.00，× 20% = 21.00", a.Dimensions[2].Explain);
        Assert.False(a.Dimensions[3].Scaled);
        Assert.Equal(3m, a.Bonus);
        Assert.Equal((100m, 104m), (a.Total, a.RawTotal));
        Assert.Equal(["总分 104.00，超过上限 100，按 100.00 计"], a.Notes.ToArray());

        // B: economy 10 × 0.6 = 6, infra 5 (under its cap), livelihood missing 0, plain 1: 12, under the cap.
        var b = result.Unit("B");
        Assert.Equal((12m, 12m), (b.Total, b.RawTotal));
        Assert.Empty(b.Notes);
        Assert.Equal("基础设施建设：小计 5.00（上限 20）= 5.00", b.Dimensions[1].Explain);
    }

    [Fact]
    public void Results_json_carries_the_v3_fields_in_the_contract_s_places()
    {
        var json = Flat(ResultsJson.Serialize(Spec.Evaluate(Ruleset, "A 创先\nB 创先", Qingshan)));
        Assert.Contains("""{"id": "economy","score": 60,"raw": 108,"max": 60,"explain": "经济发展：小计 108.00，封顶 100，× 60% = 60.00"}""", json);
        Assert.Contains("""
            "lists": [],"rawTotal": 104,"notes": ["总分 104.00，超过上限 100，按 100.00 计"],"vetoes": [],"incomplete"
            """, json);
        // A dimension with neither cap nor factor keeps the v2 shape.
        Assert.Contains("""{"id": "plain","score": 0,"max": 5}""", json);
        Assert.DoesNotContain("\"excluded\"", json);
        Assert.DoesNotContain("\"levelRank\"", json);
        var back = ResultsJson.Read(ResultsJson.Serialize(Spec.Evaluate(Ruleset, "A 创先\nB 创先", Qingshan)));
        Assert.Equal(ResultsJson.Serialize(Spec.Evaluate(Ruleset, "A 创先\nB 创先", Qingshan)), ResultsJson.Serialize(back));
    }

    /// <summary>The JSON on one line: the writer's indentation taken out (strings keep their spaces).</summary>
    internal static string Flat(byte[] json) =>
        System.Text.RegularExpressions.Regex.Replace(Encoding.UTF8.GetString(json).Replace("\r", ""), @"\n\s*", "");

    [Fact]
    public void The_rank_is_by_the_capped_total_and_penalties_count_before_the_cap()
    {
        var yaml = Ruleset.Replace("  - { id: honor, name: 荣誉, kind: bonus, per: 1 }",
            "  - { id: honor, name: 荣誉, kind: bonus, per: 1 }\n  - { id: fine, name: 扣分, kind: penalty, per: 2 }");
        Assert.Contains("id: fine", yaml);
        // A: 101 + 3 − 4 = 100 → not above the cap: no note; C: 101 + 3 = 104 → 100. Both 100, tied at rank 1.
        var data = Qingshan + "\nA,fine,2025Q3,2,,\n" + Qingshan.Replace("A,", "C,").Replace("B,", "D,");
        var result = Spec.Evaluate(yaml, "A 创先\nB 创先\nC 创先\nD 创先", data);
        Assert.Equal((100m, 100m, 1), (result.Unit("A").Total, result.Unit("A").RawTotal!.Value, result.Unit("A").Rank));
        Assert.Empty(result.Unit("A").Notes);
        Assert.Equal((100m, 104m, 1), (result.Unit("C").Total, result.Unit("C").RawTotal!.Value, result.Unit("C").Rank));
    }

    [Fact]
    public void An_unlimited_indicator_leaves_the_dimension_s_max_at_its_cap_or_null()
    {
        var yaml = RulesetYaml.County().Class("创先").NoGrades()
            .Dimension("capped", "封顶", "cap: 20\nfactor: 0.5")
            .Indicator("{ id: a, name: 甲, weight: 10, method: completion, cap: none }")
            .Dimension("open", "不封顶", "factor: 0.5")
            .Indicator("{ id: b, name: 乙, weight: 10, method: completion, cap: none }")
            .Build();
        var result = Spec.Evaluate(yaml, "A 创先", "A,a,2025Q3,300,100,\nA,b,2025Q3,300,100,");
        var a = result.Unit("A");
        Assert.Equal((30m, (decimal?)null), (a.Indicators[0].Score, a.Indicators[0].Limit)); // 10 × 3, 不封顶
        Assert.Equal((10m, 30m, (decimal?)10m), (a.Dimensions[0].Score, a.Dimensions[0].Raw, a.Dimensions[0].Limit)); // min(30, 20) × 0.5
        Assert.Equal((15m, (decimal?)null), (a.Dimensions[1].Score, a.Dimensions[1].Limit));
        Assert.Equal("", a.Grade); // no grades: every grade is null
        Assert.Contains("\"grade\": null", Flat(ResultsJson.Serialize(result)));
    }
}
