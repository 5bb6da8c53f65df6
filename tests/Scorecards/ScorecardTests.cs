using System.Text.RegularExpressions;
using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Tests.Scorecards;

public sealed class ScorecardTests
{
    // Three units on six indicators of weight 1 (completion, cap 1: score = min(actual / 100, 1) × 1):
    //   A reports 100 on each → 6.00, plus 2 honours (+2) and 1 issue (−0.5) → 7.50, rank 1
    //   B reports 50, 60, … 100 → 0.5 + 0.6 + 0.7 + 0.8 + 0.9 + 1.0 = 4.50, rank 2
    //   C reports 40 on each → 2.40, rank 3
    private static readonly string Yaml = Small.Ruleset(6);

    private static readonly Rules.Results.EvaluationResult Result = Small.Evaluate(Yaml,
        [("A", "甲县"), ("B", "乙县"), ("C", "丙县")],
        Small.Rows("A", 6, _ => 100) + "\nA,honor,2025Q3,2,,\nA,issue,2025Q3,1,,\n"
        + Small.Rows("B", 6, i => 40 + 10 * i) + "\n" + Small.Rows("C", 6, _ => 40));

    [Fact]
    public void The_text_read_back_names_the_unit_its_total_rank_and_every_indicator_with_its_score()
    {
        var doc = ScorecardRenderer.RenderScorecard(Result, "B", Small.Stamp);
        var text = Pdf.Text(doc.Pdf);
        Assert.Contains("乙县", text);
        Assert.Contains("代码 B", text);
        Assert.Contains("4.50", text);
        Assert.Contains("第2名 / 共3名", text);
        Assert.Contains("2025年第三季度（1—9月累计）", text);
        Assert.Contains("测试考核（small，文件版（未入库））", text);
        // 指标01 … 指标06 score 0.50 … 1.00 out of 1.
        var layout = Pdf.Text(doc.Pdf, layout: true);
        for (var i = 1; i <= 6; i++)
        {
            var score = (0.4m + 0.1m * i).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Matches(new Regex($@"指标0{i}\s.*\s{Regex.Escape(score)} / 1\s"), layout);
        }
        Assert.Empty(doc.Missing);
        Assert.Equal(1, doc.PageCount);
    }

    [Fact]
    public void The_summary_shows_the_class_average_and_the_run_in_the_footer()
    {
        // Class average = (7.50 + 4.50 + 2.40) / 3 = 4.80.
        var text = Pdf.Text(ScorecardRenderer.RenderScorecard(Result, "A", Small.Stamp).Pdf);
        Assert.Contains("同类平均 4.80", text);
        Assert.Contains("运行 run-test-0001", text);
        // 01:30 UTC is 09:30 in Beijing.
        Assert.Contains("2025-10-08 09:30（北京时间）", text);
        Assert.Contains("第1/1页", Pdf.Flat(text));
        Assert.Contains("数据 SHA-256 " + Result.DataSha256[..12], text);
        Assert.DoesNotContain("示例数据", text);
    }

    [Fact]
    public void Adjustments_list_each_bonus_and_penalty_with_points_and_reason()
    {
        var text = Pdf.Flat(Pdf.Text(ScorecardRenderer.RenderScorecard(Result, "A", Small.Stamp).Pdf, layout: true));
        Assert.Contains("7.50", text);
        Assert.Contains("加分国家级荣誉2项+2.00", text);
        Assert.Contains("扣分督查问题未整改1项−0.50", text);
        Assert.Contains("红榜", text);
    }

    [Fact]
    public void Lost_points_are_shown_next_to_the_score_in_red_text()
    {
        // 指标01 of B: 0.50 / 1, so 0.50 short of full marks.
        var text = Pdf.Text(ScorecardRenderer.RenderScorecard(Result, "B", Small.Stamp).Pdf, layout: true);
        Assert.Contains("距满分 0.50", text);
        Assert.Contains("未达标", text);
    }

    [Fact]
    public void A_change_since_the_previous_period_is_shown_with_an_arrow()
    {
        // In 2025Q2 B was first (100s), C second (40s), A third (10s). Now B is second: down one place,
        // total 4.50 − 6.00 = −1.50; A is first: up two places.
        var previous = Small.Evaluate(Yaml, [("A", "甲县"), ("B", "乙县"), ("C", "丙县")],
            Small.Rows("A", 6, _ => 10, "2025Q2") + "\n" + Small.Rows("B", 6, _ => 100, "2025Q2") + "\n" + Small.Rows("C", 6, _ => 40, "2025Q2"), "2025Q2");
        var text = Pdf.Text(ScorecardRenderer.RenderScorecard(Result, "B", Small.Stamp, previous).Pdf);
        Assert.Contains("↓ 下降1位", text);
        Assert.Contains("上期第1名/3，总分 −1.50", text);
        var a = Pdf.Text(ScorecardRenderer.RenderScorecard(Result, "A", Small.Stamp, previous).Pdf);
        Assert.Contains("↑ 上升2位", a);
    }

    [Fact]
    public void A_unit_with_every_indicator_missing_renders_with_each_marked_missing()
    {
        var result = Small.Evaluate(Yaml, [("A", "甲县"), ("Z", "空白县")], Small.Rows("A", 6, _ => 100));
        var doc = ScorecardRenderer.RenderScorecard(result, "Z", Small.Stamp);
        var text = Pdf.Text(doc.Pdf);
        Assert.Contains("空白县", text);
        Assert.Contains("6 项指标缺数据，按 0 分计", text);
        Assert.Equal(6, Regex.Matches(text, "缺数据").Count - 1);
        Assert.Equal(6, Regex.Matches(text, "未报送数据").Count);
        Assert.Contains("第2名 / 共2名", text);
    }

    [Fact]
    public void A_vetoed_unit_carries_the_veto_notice_and_its_capped_grade()
    {
        var result = Small.Evaluate(Yaml, [("A", "甲县"), ("B", "乙县"), ("C", "丙县")],
            Small.Rows("A", 6, _ => 100) + "\nA,accident,2025Q3,1,,\n" + Small.Rows("B", 6, _ => 90) + "\n" + Small.Rows("C", 6, _ => 40));
        Assert.Equal("一般", result.Units.Single(u => u.Code == "A").Grade);
        var text = Pdf.Text(ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp).Pdf, layout: true);
        Assert.Contains("一票否决：较大安全事故，等次最高为“一般”，不得进入红榜", text);
        Assert.Contains("否决较大安全事故否决", Pdf.Flat(text));
        Assert.Contains("第1名 / 共3名", text);
        Assert.DoesNotContain("红榜  ", text.Split("各维度得分")[0]);
    }

    [Fact]
    public void Sixty_indicators_flow_onto_further_pages_with_the_header_row_repeated()
    {
        var yaml = Small.Ruleset(60);
        var result = Small.Evaluate(yaml, [("A", "甲县"), ("B", "乙县")],
            Small.Rows("A", 60, i => 50 + i) + "\n" + Small.Rows("B", 60, _ => 100));
        var doc = ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp);
        var info = Pdf.Info(doc.Pdf);
        Assert.Matches($@"Pages:\s+{doc.PageCount}\n", info);
        Assert.InRange(doc.PageCount, 3, 8);
        var seen = new List<string>();
        for (var page = 1; page <= doc.PageCount; page++)
        {
            var text = Pdf.PageText(doc.Pdf, page);
            Assert.Contains($"第{page}/{doc.PageCount}页", Pdf.Flat(text));
            var names = Regex.Matches(text, @"指标\d\d").Select(m => m.Value).ToList();
            if (names.Count > 0)
            {
                // Every page that carries indicator rows starts them with the header row.
                Assert.Contains("得分说明", text);
                Assert.Contains("得分 / 满分", text);
                if (page > 1) Assert.Contains("甲县（A）考核评价记分卡（续）", text);
            }
            seen.AddRange(names);
        }
        // Each of the 60 indicators appears exactly once, in order: no row is lost or split across pages.
        Assert.Equal(Enumerable.Range(1, 60).Select(i => $"指标{i:D2}"), seen);
        // 指标49: 99 / 100 → 0.99 / 1; 指标60: 110 / 100, capped at 1 → 1.00 / 1.
        var layout = Pdf.Text(doc.Pdf, layout: true);
        Assert.Matches(@"指标49\s.*0\.99 / 1\s", layout);
        Assert.Matches(@"指标60\s.*1\.00 / 1\s", layout);
    }

    [Fact]
    public void A_unit_not_in_the_result_is_an_argument_error_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => ScorecardRenderer.RenderScorecard(Result, "NOPE", Small.Stamp));
        Assert.Contains("NOPE", e.Message);
    }

    [Fact]
    public void Sample_data_carries_a_visible_mark_on_every_page()
    {
        var doc = ScorecardRenderer.RenderScorecard(Result, "A", Small.Stamp with { Sample = true });
        Assert.Contains("示例数据", Pdf.Text(doc.Pdf));
    }

    [Fact]
    public void A_very_long_unit_name_is_printed_whole()
    {
        var name = "某某省某某市某某县某某镇某某街道某某社区某某片区某某组团某某试验区管理委员会";
        var result = Small.Evaluate(Yaml, [("A", name), ("B", "乙县")], Small.Rows("A", 6, _ => 100) + "\n" + Small.Rows("B", 6, _ => 90));
        var text = Pdf.Flat(Pdf.Text(ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp).Pdf));
        Assert.Contains(name + "代码A", text);
    }
}
