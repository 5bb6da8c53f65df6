using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>
/// The month documents from the engine's own month result (monitor.md §3 → §4): a small monitor evaluated by NRules
/// over three months, the figures worked out by hand in the comments.
/// </summary>
public sealed class MonthResultDocumentTests
{
    private const string Monitor = """
        kind: monitor
        id: t-monthly
        name: 测试月度通报
        level: county
        classes: [创先, 进位]
        decimals: 2
        indicators:
          - id: fai
            name: 固定资产投资
            unit: 亿元
          - id: gdp
            name: 地区生产总值增速
            unit: "%"
            metric: growth
        lights:
          - { id: red, name: 红灯, when: "gap <= -10" }
          - { id: yellow, name: 黄灯, when: "gap < 0" }
          - { id: green, name: 绿灯 }
        escalate:
          - { light: yellow, months: 2, to: red }
        """;

    private const string Units = """
        code,name,level,parent,class
        440101,甲县,county,,创先
        440102,乙县,county,,创先
        440201,丙县,county,,进位
        440202,丁县,county,,进位
        """;

    // fai, target 120, pace m/12: 8.33, 16.67, 25.00.
    //   甲 12, 24, 36 → 10, 20, 30: ahead each month, green (3 months).
    //   乙 9, 18, 27 → 7.5, 15, 22.5: behind by 0.83, 1.67, 2.5 → yellow each month, escalated to red in months 2 and 3.
    //   丙 2, 6, 12 → 1.67, 5, 10: behind by 6.66, 11.67, 15 → yellow, red, red.
    //   丁 10, 20, (no March row) → missing in March. Baseline 100: 同比 −64, −73, −88 %.
    // gdp, baseline 100, target 5: 甲 106 (+1, green), 乙 103 (−2, yellow → red from February), 丙 90 (−15, red), 丁 105 (0, green).
    private static readonly string Observations = "unit,indicator,period,actual,target,baseline\n" + string.Join("\n",
        Rows("440101", 12, 24, 36, 106).Concat(Rows("440102", 9, 18, 27, 103)).Concat(Rows("440201", 2, 6, 12, 90)).Concat(Rows("440202", 10, 20, null, 105)));

    private static IEnumerable<string> Rows(string code, decimal jan, decimal feb, decimal? mar, decimal gdp)
    {
        decimal?[] fai = [jan, feb, mar];
        for (var m = 1; m <= 3; m++)
        {
            if (fai[m - 1] is { } a) yield return $"{code},fai,2025-0{m},{a},120,100";
            yield return $"{code},gdp,2025-0{m},{gdp},5,100";
        }
    }

    private static readonly DocumentStamp Stamp = MonthSheets.Stamp;

    internal static MonthResult Evaluate()
    {
        var loaded = MonitorLoader.Load(Monitor);
        Assert.True(loaded.Monitor is not null, string.Join("\n", loaded.Diagnostics.Select(d => d.Format("m.yaml"))));
        var units = DataFiles.ReadUnits(Units, "u.csv");
        var observations = DataFiles.ReadObservations(Observations, "o.csv", units.Rows.Select(u => u.Code).ToHashSet());
        Assert.Empty(observations.Errors);
        return MonitorEvaluator.Evaluate(CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256), new Dataset(units.Rows, observations.Rows),
            Period.OfMonth(2025, 3), 4);
    }

    [Fact]
    public void The_bulletin_of_an_evaluated_month_reads_back_its_title_pace_counts_ranks_and_escalation()
    {
        var doc = MonthDocuments.RenderBulletin(Evaluate(), Stamp);
        Assert.Empty(doc.Missing);
        var flat = Pdf.Flat(Pdf.Text(doc.Pdf, layout: true));
        Assert.Contains("测试月度通报（2025年1–3月）", flat);
        Assert.Contains("时间进度3/12=25.00%。序时进度：固定资产投资25.00%；地区生产总值增速对照全年增速目标。", flat);
        // fai: green, red, red, missing; gdp: green, red (escalated), red, green.
        Assert.Contains("本期4个单位、2项指标共亮灯7个：红灯4个、黄灯0个、绿灯3个；缺数据1项。", flat);
        Assert.Contains("监测方案：t-monthly，第4版", flat);
        // fai by level rank: 甲 30 %, 乙 22.5 %, 丙 10 %, then 丁 (missing, no row).
        Assert.Contains("1甲县440101创先1/23612030.00%25.00%+5.00−64.00%●绿灯3个月", flat);
        Assert.Contains("2乙县440102创先2/22712022.50%25.00%−2.50−73.00%■红灯2个月", flat);
        Assert.Contains("3丙县440201进位1/11212010.00%25.00%−15.00−88.00%■红灯2个月", flat);
        Assert.Contains("—丁县440202进位", flat);
        Assert.Contains("缺数据（未报送）", flat);
        Assert.Contains("■红灯（2个）：乙县、丙县", flat);
        // The red list: 乙县 lit red by the escalation both times, yellow on its own.
        Assert.Contains("乙县440102创先固定资产投资2个月连续2个月黄灯及以上，升为红灯（当月为黄灯）", flat);
        Assert.Contains("乙县440102创先地区生产总值增速2个月连续2个月黄灯及以上，升为红灯（当月为黄灯）", flat);
        Assert.Contains("丙县440201进位固定资产投资2个月当月落后序时15.00个百分点", flat);
        Assert.Contains("丙县440201进位地区生产总值增速3个月当月低于目标15.00个百分点", flat);
        Assert.Contains("运行run-month-0001规则集t-monthlyv4", flat);
    }

    [Fact]
    public void The_unit_chart_reads_the_months_history_from_the_result_itself()
    {
        var sheet = MonthDocuments.Sheet(Evaluate());
        var view = Assess.Scorecards.Views.UnitMonthView.Build(sheet, "440102", [], Stamp);
        Assert.Equal([7.5m, 15m, 22.5m], view.Charts[0].Values.ToArray());
        Assert.Equal([8.33m, 16.67m, 25m], view.Charts[0].Reference.ToArray());
        // Growth: (103 − 100) / 100 = 3 % each month, against the 5 % target.
        Assert.Equal([3m, 3m, 3m], view.Charts[1].Values.ToArray());
        Assert.Equal([5m, 5m, 5m], view.Charts[1].Reference.ToArray());
        // 丁县 has no March row: its March point is a gap.
        var ding = Assess.Scorecards.Views.UnitMonthView.Build(sheet, "440202", [], Stamp);
        Assert.Equal([8.33m, 16.67m, null], ding.Charts[0].Values.ToArray());
    }

    [Fact]
    public void A_months_documents_are_the_levels_bulletin_and_one_page_per_unit_the_same_bytes_whatever_the_parallelism_and_after_json()
    {
        var result = Evaluate();
        var one = MonthDocuments.RenderAll(result, Stamp, 1);
        var two = MonthDocuments.RenderAll(result, Stamp, 2);
        Assert.Equal(["bulletins/county.pdf", "units/440101.pdf", "units/440102.pdf", "units/440201.pdf", "units/440202.pdf"], one.Select(d => d.Path));
        for (var i = 0; i < one.Length; i++) Assert.Equal(one[i].Document.Pdf, two[i].Document.Pdf);
        foreach (var unit in one.Skip(1))
        {
            Assert.Equal(1, unit.Document.PageCount);
            var flat = Pdf.Flat(Pdf.Text(unit.Document.Pdf));
            Assert.Contains(Path.GetFileNameWithoutExtension(unit.Path), flat);
            Assert.Contains("1月2月3月", flat);
        }
        // Through the results JSON (what cli render and the store read): the same documents, byte for byte.
        var read = MonthResultJson.Read(MonthResultJson.Serialize(result));
        Assert.Equal(one[0].Document.Pdf, MonthDocuments.RenderBulletin(read, Stamp).Pdf);
        Assert.Equal(one[2].Document.Pdf, MonthDocuments.RenderUnit(read, "440102", Stamp).Pdf);
    }
}
