using System.Text.RegularExpressions;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>The monthly bulletin (月通报) and the unit's month page (monitor.md §4), read back with poppler.</summary>
public sealed class MonthDocumentTests
{
    private static readonly MonthSheet June = MonthSheets.Small();

    private static string Section(string flat, string from, string to)
    {
        var start = flat.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no “{from}” in the text");
        var end = flat.IndexOf(to, start + from.Length, StringComparison.Ordinal);
        Assert.True(end > start, $"no “{to}” after “{from}”");
        return flat[start..end];
    }

    [Fact]
    public void The_bulletin_reads_back_its_title_pace_light_counts_ranked_tables_laggards_matrix_and_red_list()
    {
        var doc = MonthRenderer.RenderBulletin(June, MonthSheets.Stamp);
        Assert.Empty(doc.Missing);
        var flat = Pdf.Flat(Pdf.Text(doc.Pdf, layout: true));
        Assert.Contains("县（市、区）主要指标月度通报（2025年1–6月）", flat);
        // 6 / 12 = 50 %; the plan indicator is paced per unit.
        Assert.Contains("时间进度6/12=50.00%。序时进度：固定资产投资50.00%；重点项目完成投资按各单位计划；地区生产总值增速对照全年增速目标。", flat);
        // fai: green, red, red, green; kp: green, red, green, missing; gdp: yellow, green, yellow, red.
        Assert.Contains("本期4个单位、3项指标共亮灯11个：红灯4个、黄灯2个、绿灯5个；缺数据1项。", flat);
        // Counts per class: 创先 red 2 (乙 fai, kp), yellow 1 (甲 gdp), green 3; 进位 red 2, yellow 1, green 2, missing 1.
        Assert.Contains("创先22130进位22121合计44251", flat);

        // fai ranked by the level rank: 甲 60 %, 丁 50 %, 乙 45 %, 丙 30 %; each with its code, class and class rank.
        var fai = Section(flat, "二、固定资产投资（亿元）", "三、");
        Assert.Contains("1甲县440101创先1/2488060.00%50.00%+10.00+6.67%●绿灯6个月", fai);
        Assert.Contains("2丁县440202进位1/1408050.00%50.00%0.00−11.11%●绿灯1个月", fai);
        Assert.Contains("3乙县440102创先2/2368045.00%50.00%−5.00−20.00%■红灯2个月", fai);
        Assert.Contains("4丙县440201进位1/1248030.00%50.00%−20.00−46.67%■红灯3个月", fai);
        Assert.Matches("甲县.*丁县.*乙县.*丙县", fai);
        // The laggards, the worst light first, in the table's order.
        Assert.Contains("■红灯（2个）：乙县、丙县▲黄灯（0个）：无", fai);

        // A missing indicator: listed last, no rank, no light, with its reason.
        var kp = Section(flat, "三、重点项目完成投资（亿元）", "四、");
        Assert.Matches("3乙县.*—丁县440202进位205040.00%———缺数据缺数据（无计划数）", kp);
        // Growth: the target is a growth rate; the gap in points.
        var gdp = Section(flat, "四、地区生产总值增速（%）", "五、");
        Assert.Contains("1甲县440101创先1/2105.25.50%+5.20%—−0.30+5.20%▲黄灯1个月", gdp);
        Assert.Contains("■红灯（1个）：丁县▲黄灯（2个）：甲县、丙县", gdp);

        // Matrix: units × indicators, a missing indicator as —.
        var matrix = Section(flat, "五、亮灯矩阵", "六、");
        Assert.Contains("甲县440101创先●绿灯●绿灯▲黄灯", matrix);
        Assert.Contains("乙县440102创先■红灯■红灯●绿灯", matrix);
        Assert.Contains("丁县440202进位●绿灯—■红灯", matrix);

        // The red list: streaks, and the escalation that lit 乙县's fai (yellow that month).
        var red = flat[flat.IndexOf("六、红灯名单", StringComparison.Ordinal)..];
        Assert.Contains("乙县440102创先固定资产投资2个月连续2个月黄灯及以上，升为红灯（当月为黄灯）", red);
        Assert.Contains("乙县440102创先重点项目完成投资1个月当月落后计划10.00个百分点", red);
        Assert.Contains("丙县440201进位固定资产投资3个月当月落后序时20.00个百分点", red);
        Assert.Contains("丁县440202进位地区生产总值增速1个月当月低于目标10.50个百分点", red);
        Assert.Equal(4, Regex.Matches(red, "个月当月|升为红灯（").Count);
    }

    [Fact]
    public void January_reads_1月_not_a_range()
    {
        var flat = Pdf.Flat(Pdf.Text(MonthRenderer.RenderBulletin(MonthSheets.Small(1), MonthSheets.Stamp).Pdf));
        Assert.Contains("县（市、区）主要指标月度通报（2025年1月）", flat);
        Assert.DoesNotContain("1–1月", flat);
        // 1 / 12 = 8.333… → 8.33
        Assert.Contains("时间进度1/12=8.33%", flat);
    }

    [Fact]
    public void Lights_carry_a_shape_and_their_name_so_a_grey_printout_still_reads()
    {
        var view = MonthBulletinView.Build(June, MonthSheets.Stamp);
        Assert.Equal(["■红灯", "▲黄灯", "●绿灯"], view.Lights.Select(l => l.Glyph + l.Name));
        // A fourth light between gets a shape of its own.
        Assert.Equal(["■", "▲", "◆", "●"], Enumerable.Range(0, 4).Select(i => new LightCell("x", "x", i, 4).Glyph));
        var doc = MonthRenderer.RenderBulletin(June, MonthSheets.Stamp);
        Assert.Empty(doc.Missing);
        var text = Pdf.Text(doc.Pdf);
        foreach (var mark in new[] { "■红灯", "▲黄灯", "●绿灯" }) Assert.Contains(mark, text);
        Assert.Contains("yes", Pdf.Fonts(doc.Pdf));
    }

    [Fact]
    public void The_same_input_gives_the_same_bytes_and_another_run_other_bytes()
    {
        var a = MonthRenderer.RenderBulletin(MonthSheets.Small(), MonthSheets.Stamp).Pdf;
        var b = MonthRenderer.RenderBulletin(MonthSheets.Small(), MonthSheets.Stamp).Pdf;
        Assert.Equal(a, b);
        var other = MonthRenderer.RenderBulletin(MonthSheets.Small(), MonthSheets.Stamp with { RunId = "run-month-0002" }).Pdf;
        Assert.NotEqual(a, other);

        MonthSheet[] earlier = [MonthSheets.Small(4), MonthSheets.Small(5)];
        var u1 = MonthRenderer.RenderUnit(MonthSheets.Small(), "440102", earlier, MonthSheets.Stamp).Pdf;
        var u2 = MonthRenderer.RenderUnit(MonthSheets.Small(), "440102", earlier.Reverse(), MonthSheets.Stamp).Pdf;
        Assert.Equal(u1, u2);
        Assert.NotEqual(u1, MonthRenderer.RenderUnit(MonthSheets.Small(), "440101", earlier, MonthSheets.Stamp).Pdf);
    }

    [Fact]
    public void A_large_bulletin_paginates_with_every_unit_in_every_table_the_matrix_and_the_red_list_and_headers_repeated()
    {
        var county = MonthSheets.Generated(122, 6);
        var towns = MonthSheets.Generated(1607, 6);
        var small = MonthRenderer.RenderBulletin(county, MonthSheets.Stamp);
        var large = MonthRenderer.RenderBulletin(towns, MonthSheets.Stamp);
        Assert.True(large.PageCount > 5 * small.PageCount, $"{small.PageCount} pages for 122 units, {large.PageCount} for 1,607");
        Assert.Empty(large.Missing);
        var text = Pdf.Text(large.Pdf);
        var pages = text.Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0).ToArray();
        Assert.Equal(large.PageCount, pages.Length);
        // Each code: once in each of the 6 tables, once in the matrix, once per red light in the red list.
        var counts = Regex.Matches(text, @"T\d{5}").GroupBy(m => m.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1607, counts.Count);
        foreach (var u in towns.Units)
        {
            var reds = u.Indicators.Count(f => f.Light == "red");
            Assert.True(counts[u.Code] == 7 + reds, $"{u.Code}: {counts[u.Code]} times, expected {7 + reds}");
        }
        // Every continuation page has the running header and a table's header row.
        for (var p = 1; p < pages.Length; p++)
        {
            Assert.Contains("（续）", pages[p]);
            // a table's header row, or the list of a light's laggards running on
            Assert.True(pages[p].Contains("类别", StringComparison.Ordinal) || pages[p].Contains("、单位", StringComparison.Ordinal), $"page {p + 1}: {pages[p][..Math.Min(200, pages[p].Length)]}");
            Assert.Contains($"第 {p + 1} / {large.PageCount} 页", pages[p]);
        }
    }

    [Fact]
    public void The_unit_chart_takes_earlier_months_from_earlier_results_with_gaps_where_a_month_is_absent()
    {
        var view = UnitMonthView.Build(MonthSheets.Small(), "440102", [MonthSheets.Small(4), MonthSheets.Small(5), MonthSheets.Small(7)], MonthSheets.Stamp);
        var fai = view.Charts[0];
        Assert.Equal(6, fai.Month);
        // 36 / 80 = 45 % each month; pace 4/12 = 33.33, 5/12 = 41.67, 6/12 = 50; months 1–3 absent, July ignored.
        Assert.Equal([null, null, null, 45m, 45m, 45m], fai.Values.ToArray());
        Assert.Equal([null, null, null, 33.33m, 41.67m, 50m], fai.Reference.ToArray());
        Assert.Equal("45.00%", fai.LastLabel);
        Assert.True(fai.ToHundred);
        // Plan: the unit's own pace; growth against the target.
        Assert.Equal([null, null, null, 50m, 50m, 50m], view.Charts[1].Reference.ToArray());
        Assert.Equal(("同比增速", "增速目标"), (view.Charts[2].ValueLegend, view.Charts[2].ReferenceLegend));
        Assert.Equal([null, null, null, 6m, 6m, 6m], view.Charts[2].Values.ToArray());
        Assert.Equal([null, null, null, 5.5m, 5.5m, 5.5m], view.Charts[2].Reference.ToArray());
    }

    [Fact]
    public void The_unit_page_is_one_page_with_figures_lights_explanations_and_labelled_charts()
    {
        var doc = MonthRenderer.RenderUnit(June, "440102", [MonthSheets.Small(4), MonthSheets.Small(5)], MonthSheets.Stamp);
        Assert.Equal(1, doc.PageCount);
        Assert.Empty(doc.Missing);
        var flat = Pdf.Flat(Pdf.Text(doc.Pdf, layout: true));
        Assert.Contains("乙县代码440102", flat);
        Assert.Contains("2025年1–6月", flat);
        Assert.Contains("本月亮灯：■红灯2项▲黄灯0项●绿灯1项", flat);
        Assert.Contains("固定资产投资（亿元）368045.00%50.00%−5.00−20.00%2/2■红灯2个月", flat);
        Assert.Contains("地区生产总值增速（%）1065.50%+6.00%—+0.50+6.00%2/2●绿灯6个月", flat);
        Assert.Contains("（连续2个月黄灯及以上，升为红灯）", flat);
        foreach (var legend in new[] { "完成进度", "序时进度", "计划进度", "同比增速", "增速目标" }) Assert.Contains(legend, flat);

        // Three charts, each with the labels 1月 … 6月 in order on one line, the last clear of the plot's right end.
        var words = Pdf.Words(doc.Pdf);
        var months = words.Where(w => Regex.IsMatch(w.Word, @"^\d+月$")).ToArray();
        Assert.Equal(18, months.Length);
        foreach (var row in months.GroupBy(w => (Math.Round(w.YMin), w.XMin < 300)))
        {
            var labels = row.OrderBy(w => w.XMin).ToArray();
            Assert.Equal(["1月", "2月", "3月", "4月", "5月", "6月"], labels.Select(w => w.Word));
            for (var i = 1; i < labels.Length; i++) Assert.True(labels[i - 1].XMax < labels[i].XMin, $"{labels[i - 1].Word} overlaps {labels[i].Word}");
            // The chart's box ends at 292.64 (left column) or 559.28 (right); the plot 8 points before it.
            var boxRight = labels[0].XMin < 300 ? 36 + (523.28 - 10) / 2 : 559.28;
            Assert.True(labels[^1].XMax <= boxRight - 8, $"the last label ends at {labels[^1].XMax}, the box at {boxRight}");
        }
        // The last month's figures beside their points: 45.00 % and 40.00 % (also in the table), and +6.00 % → 6.00%.
        Assert.Equal(2, words.Count(w => w.Word == "45.00%"));
        Assert.Contains(words, w => w.Word == "6.00%");
    }

    [Fact]
    public void A_unit_page_of_twelve_indicators_over_twelve_months_stays_one_page_with_each_charts_last_month()
    {
        var earlier = Enumerable.Range(1, 11).Select(m => MonthSheets.Generated(40, 12, m)).ToArray();
        var sheet = MonthSheets.Generated(40, 12, 12);
        foreach (var code in new[] { "T00001", "T00002" })
        {
            var doc = MonthRenderer.RenderUnit(sheet, code, earlier, MonthSheets.Stamp);
            Assert.Equal(1, doc.PageCount);
            var words = Pdf.Words(doc.Pdf);
            Assert.Equal(12, words.Count(w => w.Word == "12月"));
            Assert.Contains(code, Pdf.Text(doc.Pdf));
        }
    }

    [Fact]
    public void A_unit_not_in_the_month_is_an_argument_error_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => MonthRenderer.RenderUnit(June, "449999", [], MonthSheets.Stamp));
        Assert.Contains("449999", e.Message);
        Assert.Contains("2025-06", e.Message);
    }

    [Fact]
    public void A_month_without_units_and_a_monitor_of_two_lights_still_give_a_bulletin_that_says_so()
    {
        var sheet = MonthSheets.Small() with { Units = [], Lights = [new("bad", "落后"), new("ok", "正常")] };
        var doc = MonthRenderer.RenderBulletin(sheet, MonthSheets.Stamp);
        Assert.Equal(1, doc.PageCount);
        var flat = Pdf.Flat(Pdf.Text(doc.Pdf));
        Assert.Contains("本期0个单位、3项指标共亮灯0个：落后0个、正常0个。", flat);
        Assert.Contains("■落后", flat);
        Assert.Contains("●正常", flat);
        Assert.Contains("本层级本月没有单位。", flat);
        Assert.Contains("本月没有单位亮落后。", flat);
    }
}
