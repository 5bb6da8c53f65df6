using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>(v3) Scorecards and bulletins show what v3 adds: caps and factors, rawTotal, 不封顶, excluded units, no grades.</summary>
public class V3DocumentTests
{
    // Six completion indicators of weight 1; d0 (x01, x02) capped at 1.5 and × 0.5; x06 has no cap (不封顶); totalCap 5.5;
    // a veto excludes (取消参评资格); no grades.
    private static string Ruleset() => Small.Ruleset(6)
        .Replace("    name: 维度甲\n", "    name: 维度甲\n    cap: 1.5\n    factor: 0.5\n")
        .Replace("{ id: x06, name: 指标06, unit: 亿元, weight: 1, method: completion }", "{ id: x06, name: 指标06, unit: 亿元, weight: 1, method: completion, cap: none }")
        .Replace("  - { id: accident, name: 较大安全事故, kind: veto, grade: 一般 }", "  - { id: fraud, name: 统计数据弄虚作假, kind: veto, exclude: true }")
        .Replace("grades:\n  by: rankShare\n  levels:\n    - { name: 好, share: 0.4 }\n    - { name: 较好, share: 0.4 }\n    - { name: 一般 }\n", "")
        + "\ntotalCap: 5.5\n";

    // A: every indicator at 100%, x06 at 300% → d0 min(2, 1.5) × 0.5 = 0.75, d1 2, d2 1 + 3 = 4 → 6.75 → capped 5.5.
    // B: 50% everywhere → d0 0.5, d1 1, d2 1 → 2.5. C: excluded, 90% → d0 0.75 (1.8 → 1.5 × 0.5), d1 1.8, d2 1.8 → 4.35.
    private static readonly Rules.Results.EvaluationResult Result = Small.Evaluate(Ruleset(),
        [("A", "甲县"), ("B", "乙县"), ("C", "丙县")],
        Small.Rows("A", 5, _ => 100) + "\nA,x06,2025Q3,300,100,\n" + Small.Rows("B", 6, _ => 50) + "\n" + Small.Rows("C", 6, _ => 90)
        + "\nC,fraud,2025Q3,1,,");

    [Fact]
    public void The_numbers_behind_the_documents()
    {
        Assert.Equal((5.5m, 6.75m), (Result.Units.Single(u => u.Code == "A").Total, Result.Units.Single(u => u.Code == "A").RawTotal!.Value));
        Assert.Equal((4.35m, true), (Result.Units.Single(u => u.Code == "C").Total, Result.Units.Single(u => u.Code == "C").Excluded!.Value));
    }

    [Fact]
    public void A_scorecard_shows_the_dimension_cap_and_factor_the_total_s_cap_and_an_unlimited_max()
    {
        var flat = Pdf.Flat(Pdf.Text(ScorecardRenderer.RenderScorecard(Result, "A", Small.Stamp).Pdf));
        Assert.Contains("维度甲：小计2.00，封顶1.5，×50%=0.75", flat);
        Assert.Contains("总分6.75，超过上限5.5，按5.50计", flat);
        Assert.Contains("不封顶", flat);
        Assert.Contains("第1名/共2名", flat);
    }

    [Fact]
    public void An_excluded_unit_s_scorecard_says_it_is_not_ranked_and_why()
    {
        var flat = Pdf.Flat(Pdf.Text(ScorecardRenderer.RenderScorecard(Result, "C", Small.Stamp).Pdf));
        Assert.Contains("不参加排名", flat);
        Assert.Contains("统计数据弄虚作假（取消参评资格）：不参加排名、等次评定和红黑榜", flat);
    }

    [Fact]
    public void A_bulletin_lists_excluded_units_in_their_own_section_and_has_no_grade_column_without_grades()
    {
        var flat = Pdf.Flat(Pdf.Text(ScorecardRenderer.RenderBulletin(Result, "创先", Small.Stamp).Pdf, layout: true));
        Assert.Contains("名次单位代码总分较上期红黑榜", flat); // no 等次 column
        Assert.Contains("1甲县A5.50—红榜2乙县B2.50—黑榜", flat);
        Assert.Contains("取消参评资格的单位代码总分丙县", flat);
        Assert.DoesNotContain("等次分布", flat);
        Assert.Contains("参评单位2个", flat);
    }
}
