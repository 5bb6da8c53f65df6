using System.Text.RegularExpressions;
using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Tests.Scorecards;

public sealed class BulletinTests(ProvinceResults province) : IClassFixture<ProvinceResults>
{
    // Totals (six indicators of weight 1, cap 1): A 6 × 1 = 6.00, B 0.5 + … + 1.0 = 4.50, C 6 × 0.4 = 2.40; D vetoed at 6 × 0.9 = 5.40.
    private static readonly Rules.Results.EvaluationResult Result = Small.Evaluate(Small.Ruleset(6),
        [("A", "甲县"), ("B", "乙县"), ("C", "丙县"), ("D", "丁县")],
        Small.Rows("A", 6, _ => 100) + "\n" + Small.Rows("B", 6, i => 40 + 10 * i) + "\n" + Small.Rows("C", 6, _ => 40)
        + "\n" + Small.Rows("D", 6, _ => 90) + "\nD,accident,2025Q3,1,,");

    [Fact]
    public void Lists_each_unit_by_rank_with_total_grade_and_list_mark_then_the_lists_and_the_class_average()
    {
        var doc = ScorecardRenderer.RenderBulletin(Result, "创先", Small.Stamp);
        var flat = Pdf.Flat(Pdf.Text(doc.Pdf, layout: true));
        Assert.Contains("“创先”类县（市、区）排名通报", flat);
        Assert.Contains("2025年第三季度（1—9月累计）", flat);
        // Rank, name, code, total, grade, change (none without a previous result), list; the vetoed unit is flagged.
        Assert.Contains("1甲县A6.00好—红榜2丁县D5.40一般—一票否决3乙县B4.50较好—4丙县C2.40一般—黑榜", flat);
        Assert.Contains("红榜（1个）：甲县", flat);
        Assert.Contains("黑榜（1个）：丙县", flat);
        // (6.00 + 5.40 + 4.50 + 2.40) / 4 = 4.575 → 4.58.
        Assert.Contains("同类平均分4.58分", flat);
        Assert.Equal(1, doc.PageCount);
    }

    [Fact]
    public void Shows_each_units_change_in_rank_when_a_previous_result_is_given()
    {
        var previous = Small.Evaluate(Small.Ruleset(6), [("A", "甲县"), ("B", "乙县"), ("C", "丙县")],
            Small.Rows("A", 6, _ => 10, "2025Q2") + "\n" + Small.Rows("B", 6, _ => 100, "2025Q2") + "\n" + Small.Rows("C", 6, _ => 40, "2025Q2"), "2025Q2");
        // Before: B 1, C 2, A 3. Now: A 1 (↑2), D 2 (new), B 3 (↓2), C 4 (↓2).
        var flat = Pdf.Flat(Pdf.Text(ScorecardRenderer.RenderBulletin(Result, "创先", Small.Stamp, previous).Pdf, layout: true));
        Assert.Matches("甲县A6.00好↑2红榜.*丁县.*一般新参评.*乙县B4.50较好↓2.*丙县C2.40一般↓2黑榜", flat);
    }

    [Fact]
    public void A_class_the_ruleset_does_not_have_is_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => ScorecardRenderer.RenderBulletin(Result, "消薄", Small.Stamp));
        Assert.Contains("消薄", e.Message);
    }

    [Fact]
    public void A_large_class_flows_onto_further_pages_with_every_unit_once()
    {
        var cls = province.Town.Units.GroupBy(u => u.Class).OrderByDescending(g => g.Count()).First();
        var doc = ScorecardRenderer.RenderBulletin(province.Town, cls.Key, Small.Stamp);
        Assert.True(doc.PageCount > 1, $"{cls.Count()} units on {doc.PageCount} page(s)");
        var text = Pdf.Text(doc.Pdf);
        foreach (var u in cls) Assert.Single(Regex.Matches(text, Regex.Escape(u.Code) + @"\b"));
        for (var page = 2; page <= doc.PageCount; page++)
            Assert.Contains("名次", Pdf.PageText(doc.Pdf, page));
    }
}
