using System.Globalization;
using System.Text;
using System.Text.Json;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;

namespace BaiQianWan.Assess.Tests.Monitors;

/// <summary>The examples of monitor.md: figures (§2.1), ranks (§2.2), lights (§2.3), escalation and streaks (§2.4), results and explanations (§3).</summary>
public class MonitorSpecTests
{
    private const string Lights = """
        lights:
          - { id: red, name: 红灯, when: "gap <= -10" }
          - { id: yellow, name: 黄灯, when: "gap < 0" }
          - { id: green, name: 绿灯 }
        escalate:
          - { light: yellow, months: 2, to: red }
        """;

    private static string Monitor(string indicators, string? lights = null) =>
        "kind: monitor\nid: county-monthly\nname: 县（市、区）月度通报\nlevel: county\nclasses: [创先, 进位, 消薄]\ndecimals: 2\nindicators:\n"
        + indicators + "\n" + (lights ?? Lights) + "\n";

    private const string Fai = "  - { id: fai, name: 固定资产投资, unit: 亿元, metric: progress, pace: linear }";

    internal static MonthResult Run(string monitorYaml, string units, string observations, string month)
    {
        var loaded = MonitorLoader.Load(monitorYaml);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        var u = DataFiles.ReadUnits(units, "u.csv");
        Assert.True(u.IsValid, string.Join("\n", u.Errors));
        var o = DataFiles.ReadObservations(observations, "o.csv", u.Rows.Select(x => x.Code).ToHashSet());
        Assert.True(o.IsValid, string.Join("\n", o.Errors));
        return MonitorEvaluator.Evaluate(CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256), new Dataset(u.Rows, o.Rows), Period.Parse(month));
    }

    private static string Units(params (string Code, string Class)[] units) =>
        "code,name,level,parent,class\n" + string.Concat(units.Select(u => $"{u.Code},{u.Code}县,county,4408,{u.Class}\n"));

    private static string Rows(params string[] rows) => "unit,indicator,period,actual,target,baseline,plan\n" + string.Concat(rows.Select(r => r + "\n"));

    private static string F(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    /// <summary>The §3 example: 24 counties, 8 per class; 440825 is second in 创先 and fifth in the level.</summary>
    private static (string Units, string Rows) Province24()
    {
        var units = new List<(string, string)>();
        var rows = new List<string>();
        string[] classes = ["创先", "进位", "消薄"];
        for (var c = 0; c < 3; c++)
            for (var j = 0; j < 8; j++)
            {
                var code = (440901 + c * 10 + j).ToString(CultureInfo.InvariantCulture);
                // per month: 创先's first unit 10/月, 440825-to-be second (8/月); one unit of each other class 9/月 … 8.5/月; the rest 5/月
                var perMonth = (c, j) switch
                {
                    (0, 0) => 10m,
                    (1, 0) or (2, 0) or (2, 1) => 9m,
                    _ => 5m,
                };
                units.Add((code, classes[c]));
                for (var m = 1; m <= 6; m++) rows.Add($"{code},fai,2025-{m:00},{F(perMonth * m)},80,,");
            }
        units.Add(("440825", "创先"));
        units.RemoveAt(7); // 440908: 创先 keeps 8 units with 440825
        rows.RemoveAll(r => r.StartsWith("440908,", StringComparison.Ordinal));
        for (var m = 1; m <= 6; m++) rows.Add($"440825,fai,2025-{m:00},{F(8m * m)},80,{F(7.5m * m)},");
        return (Units([.. units]), Rows([.. rows]));
    }

    [Fact]
    public void The_example_unit_of_section_3_reads_as_the_contract_writes_it()
    {
        var (units, rows) = Province24();
        var result = Run(Monitor(Fai), units, rows, "2025-06");
        var unit = Assert.Single(result.Units, u => u.Code == "440825");
        var fai = Assert.Single(unit.Indicators);
        Assert.Equal((48m, 80m, 45m, (decimal?)null), (fai.Actual, fai.Target, fai.Baseline, fai.Plan));
        Assert.Equal((60m, 50m, 10m, 6.67m, 48m), (fai.Progress!.Value, fai.Pace!.Value, fai.Gap!.Value, fai.Growth!.Value, fai.Value!.Value));
        Assert.Equal((2, 8, 5, 24), (fai.Rank!.Value, fai.Peers, fai.LevelRank!.Value, fai.LevelPeers));
        Assert.Equal(("green", "green", 6, (string?)null), (fai.Light, fai.PlainLight, fai.Streak!.Value, fai.Missing));
        Assert.Equal("1–6月累计 48 亿元，完成全年目标 80 亿元的 60.00%，序时进度 50.00%，超序时 10.00 个百分点；同比增长 6.67%；绿灯（连续 6 个月）", fai.Explain);
        Assert.Equal([("red", 0), ("yellow", 0), ("green", 1), ("missing", 0)], unit.Counts.Select(c => (c.Light, c.Count)));
        Assert.Equal(50m, Assert.Single(result.Indicators).Pace);

        // the JSON: the contract's fields in its order, numbers in shortest form, nulls written
        using var doc = JsonDocument.Parse(MonthResultJson.Serialize(result));
        var root = doc.RootElement;
        Assert.Equal(["kind", "period", "month", "monitor", "data", "lights", "indicators", "units", "skipped", "unknownIndicators"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("monitor", "2025-06", 6), (root.GetProperty("kind").GetString(), root.GetProperty("period").GetString(), root.GetProperty("month").GetInt32()));
        Assert.Equal(["id", "version", "sha256"], root.GetProperty("monitor").EnumerateObject().Select(p => p.Name).Take(3));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("monitor").GetProperty("version").ValueKind);
        var json = root.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("code").GetString() == "440825");
        Assert.Equal(["code", "name", "class", "parent", "indicators", "counts"], json.EnumerateObject().Select(p => p.Name));
        var ji = json.GetProperty("indicators")[0];
        Assert.Equal(["id", "actual", "target", "baseline", "plan", "progress", "pace", "gap", "growth", "value", "rank", "peers", "levelRank",
            "levelPeers", "light", "plainLight", "streak", "missing", "explain"], ji.EnumerateObject().Select(p => p.Name).Take(19));
        Assert.Equal("60", ji.GetProperty("progress").GetRawText());
        Assert.Equal("6.67", ji.GetProperty("growth").GetRawText());
        Assert.Equal("null", ji.GetProperty("plan").GetRawText());
        Assert.Equal(["red", "yellow", "green", "missing"], json.GetProperty("counts").EnumerateObject().Select(p => p.Name));
        // units by class (the monitor's order), then code
        Assert.Equal(result.Units.OrderBy(u => Array.IndexOf(new[] { "创先", "进位", "消薄" }, u.Class)).ThenBy(u => u.Code, StringComparer.Ordinal).Select(u => u.Code),
            result.Units.Select(u => u.Code));
    }

    [Fact]
    public void The_same_inputs_give_byte_identical_json_whatever_the_row_order_and_the_reader_reads_it_back()
    {
        var (units, rows) = Province24();
        var shuffled = "unit,indicator,period,actual,target,baseline,plan\n" + string.Concat(rows.Split('\n').Skip(1).Where(l => l.Length > 0).Reverse().Select(l => l + "\n"));
        var a = MonthResultJson.Serialize(Run(Monitor(Fai), units, rows, "2025-06"));
        var b = MonthResultJson.Serialize(Run(Monitor(Fai), units, shuffled, "2025-06"));
        Assert.Equal(a, b);
        var read = MonthResultJson.Read(a);
        Assert.Equal(a, MonthResultJson.Serialize(read));
        Assert.Equal(24, read.Units.Length);
        Assert.Equal(6, read.Units[0].Indicators[0].History.Length);
        Assert.Throws<FormatException>(() => MonthResultJson.Read("{\"kind\":\"scoring\"}"u8));
        Assert.Throws<FormatException>(() => MonthResultJson.Read("not json"u8));
    }

    [Fact]
    public void Plan_growth_and_value_templates_and_january()
    {
        var monitor = Monitor("""
              - { id: key, name: 重点项目, unit: 亿元, pace: plan }
              - { id: gdp, name: 地区生产总值增速, unit: "%", metric: growth, when: { red: "gap <= -2", yellow: "gap < 0" } }
              - { id: energy, name: 能耗下降率, unit: "%", metric: value }
              - { id: firms, name: 新增企业, unit: 家, metric: value, better: lower }
            """);
        var units = Units(("A", "创先"));
        var june = Run(monitor, units, Rows("A,key,2025-06,48,80,,40", "A,gdp,2025-06,104.8,5.5,100,", "A,energy,2025-06,3.2,3.5,,",
            "A,firms,2025-06,12,10,,"), "2025-06").Units[0].Indicators;
        Assert.Equal("1–6月累计 48 亿元，完成全年目标 80 亿元的 60.00%，按计划 1–6月应完成 40 亿元（50.00%），超计划 10.00 个百分点；绿灯（连续 1 个月）", june[0].Explain);
        Assert.Equal((50m, 10m), (june[0].Pace!.Value, june[0].Gap!.Value));
        Assert.Equal("1–6月同比增长 4.80%，全年目标 5.50%，低于目标 0.70 个百分点；黄灯（连续 1 个月）", june[1].Explain);
        Assert.Equal((4.8m, -0.7m, (decimal?)null, (decimal?)null), (june[1].Growth!.Value, june[1].Gap!.Value, june[1].Progress, june[1].Pace));
        Assert.Equal("1–6月 3.2%，全年目标 3.5%，低于目标 0.3 个百分点；黄灯（连续 1 个月）", june[2].Explain);
        Assert.Equal(-0.3m, june[2].Gap);
        // lower is better: 12 firms against a ceiling of 10 is 2 behind
        Assert.Equal((-2m, "yellow"), (june[3].Gap!.Value, june[3].Light));
        Assert.Equal("1–6月 12 家，全年目标 10 家，低于目标 2 家；黄灯（连续 1 个月）", june[3].Explain);

        var january = Run(Monitor(Fai), units, Rows("A,fai,2025-01,5,80,10,"), "2025-01");
        var fai = january.Units[0].Indicators[0];
        Assert.Equal((6.25m, 8.33m, -2.08m, -50m), (fai.Progress!.Value, fai.Pace!.Value, fai.Gap!.Value, fai.Growth!.Value));
        Assert.Equal("1月累计 5 亿元，完成全年目标 80 亿元的 6.25%，序时进度 8.33%，落后序时 2.08 个百分点；同比下降 50.00%；黄灯（连续 1 个月）", fai.Explain);
        Assert.Equal(8.33m, january.Indicators[0].Pace);
    }

    [Fact]
    public void A_curve_is_read_as_written_and_level_with_the_pace_reads_level()
    {
        var monitor = Monitor("  - { id: ind, name: 工业投资, unit: 亿元, pace: curve, curve: [5, 12, 20, 28, 36, 46, 54, 62, 71, 80, 90, 100] }");
        var r = Run(monitor, Units(("A", "创先")), Rows("A,ind,2025-06,46,100,,"), "2025-06");
        Assert.Equal(46m, r.Indicators[0].Pace);
        Assert.Equal("1–6月累计 46 亿元，完成全年目标 100 亿元的 46.00%，序时进度 46.00%，与序时持平；绿灯（连续 1 个月）", r.Units[0].Indicators[0].Explain);
    }

    [Fact]
    public void Percentages_are_rounded_once_and_lights_read_the_rounded_figures()
    {
        // 1/3 of the target after 4 months: progress r(33.333…) = 33.33, pace r(33.333…) = 33.33: gap 0, not behind
        var r = Run(Monitor(Fai), Units(("A", "创先")), Rows("A,fai,2025-04,1,3,,"), "2025-04");
        var fai = r.Units[0].Indicators[0];
        Assert.Equal((33.33m, 33.33m, 0m, "green"), (fai.Progress!.Value, fai.Pace!.Value, fai.Gap!.Value, fai.Light));
        // half away from zero: 2/3 → 66.67 with 2 places, 66.7 with 1
        var one = Run(Monitor(Fai).Replace("decimals: 2", "decimals: 1"), Units(("A", "创先")), Rows("A,fai,2025-08,2,3,,"), "2025-08");
        Assert.Equal((66.7m, 66.7m), (one.Units[0].Indicators[0].Progress!.Value, one.Units[0].Indicators[0].Pace!.Value));
    }

    [Fact]
    public void Missing_reasons_are_the_first_that_applies_and_defined_figures_are_still_reported()
    {
        var monitor = Monitor("""
              - { id: p, name: 进度, unit: 亿元 }
              - { id: k, name: 计划, unit: 亿元, pace: plan }
              - { id: g, name: 增速, unit: "%", metric: growth }
            """);
        var units = Units(("A", "创先"), ("B", "创先"), ("C", "创先"), ("D", "创先"), ("E", "创先"));
        var rows = Rows(
            "A,p,2025-03,10,,5,", "B,p,2025-03,10,0,5,", "C,p,2025-03,10,-4,,", "D,p,2025-03,10,40,,",
            "A,k,2025-03,10,40,,", "B,k,2025-03,10,,,1", "C,k,2025-03,10,0,,1", "D,k,2025-03,10,40,,12",
            "A,g,2025-03,10,5,,", "B,g,2025-03,10,5,0,", "C,g,2025-03,10,,0,", "D,g,2025-03,10,5,8,");
        var r = Run(monitor, units, rows, "2025-03").Units;
        List<string?> Missing(int k) => [.. r.Select(u => u.Indicators[k].Missing)];
        Assert.Equal(new List<string?> { "no target", "target 0", "target 0", null, "no row" }, Missing(0));
        Assert.Equal(new List<string?> { "no plan", "no target", "target 0", null, "no row" }, Missing(1));
        Assert.Equal(new List<string?> { "no baseline", "baseline 0", "no target", null, "no row" }, Missing(2));
        // progress without a plan is still reported; the rest is null; no light, no rank, but peers are counted
        var noPlan = r[0].Indicators[1];
        Assert.Equal((25m, (decimal?)null, (decimal?)null, (int?)null, (string?)null, (int?)null, 1), (noPlan.Progress!.Value, noPlan.Pace, noPlan.Gap, noPlan.Rank, noPlan.Light, noPlan.Streak, noPlan.Peers));
        Assert.Equal("1–3月累计 10 亿元，完成全年目标 40 亿元的 25.00%；未填报计划数，不排名、不亮灯", noPlan.Explain);
        // growth is computed whatever the metric when b ≠ 0; a linear pace is reported without a target
        Assert.Equal((100m, 25m), (r[0].Indicators[0].Growth!.Value, r[0].Indicators[0].Pace!.Value));
        Assert.Equal("1–3月未报送数据，不排名、不亮灯", r[4].Indicators[0].Explain);
        // D: p level with the pace (green), k 5 behind its plan (yellow), g ahead (green); E: nothing reported
        Assert.Equal([("red", 0), ("yellow", 1), ("green", 2), ("missing", 0)], r[3].Counts.Select(c => (c.Light, c.Count)));
        Assert.Equal([("red", 0), ("yellow", 0), ("green", 0), ("missing", 3)], r[4].Counts.Select(c => (c.Light, c.Count)));
    }

    [Fact]
    public void Ranks_are_competition_ranks_in_the_class_and_the_level()
    {
        var units = Units(("A", "创先"), ("B", "创先"), ("C", "创先"), ("D", "创先"), ("E", "进位"), ("F", "进位"));
        var rows = Rows("A,fai,2025-06,60,100,,", "B,fai,2025-06,50,100,,", "C,fai,2025-06,50,100,,", "D,fai,2025-06,40,100,,",
            "E,fai,2025-06,50,100,,", "F,fai,2025-06,70,100,,");
        var r = Run(Monitor(Fai), units, rows, "2025-06").Units;
        Assert.Equal([1, 2, 2, 4, 2, 1], r.Select(u => u.Indicators[0].Rank!.Value));
        Assert.Equal([2, 3, 3, 6, 3, 1], r.Select(u => u.Indicators[0].LevelRank!.Value));
        Assert.Equal([4, 4, 4, 4, 2, 2], r.Select(u => u.Indicators[0].Peers));
        Assert.All(r, u => Assert.Equal(6, u.Indicators[0].LevelPeers));
        // better: lower ranks the smallest first
        var lower = Run(Monitor(Fai.Replace("pace: linear", "pace: linear, better: lower")), units, rows, "2025-06").Units;
        Assert.Equal([4, 2, 2, 1, 1, 2], lower.Select(u => u.Indicators[0].Rank!.Value));
    }

    [Fact]
    public void Class_and_level_averages_rank_and_peers_feed_the_lights()
    {
        var lights = """
            lights:
              - { id: red, name: 红灯, when: "AND(rank = peers, progress < classAvg)" }
              - { id: yellow, name: 黄灯, when: "AND(levelRank > levelPeers / 2, progress < levelAvg)" }
              - { id: green, name: 绿灯 }
            """;
        var units = Units(("A", "创先"), ("B", "创先"), ("C", "进位"), ("D", "进位"));
        var rows = Rows("A,fai,2025-06,90,100,,", "B,fai,2025-06,10,100,,", "C,fai,2025-06,40,100,,", "D,fai,2025-06,30,100,,");
        var r = Run(Monitor(Fai, lights), units, rows, "2025-06").Units;
        // classAvg 50 / 35; levelAvg r(42.5); B last in 创先 below 50: red; D last in 进位 below 35: red; C rank 2 of 4 in the level: green
        Assert.Equal(["green", "red", "green", "red"], r.Select(u => u.Indicators[0].Light));
    }

    [Fact]
    public void A_formula_naming_an_undefined_variable_or_failing_is_false_and_the_next_light_is_tried()
    {
        var lights = """
            lights:
              - { id: red, name: 红灯, when: "plan >= 0" }
              - { id: orange, name: 橙灯, when: "actual / (rank - 1) >= 0" }
              - { id: yellow, name: 黄灯, when: "2 ^ (gap / 4) > 0" }
              - { id: green, name: 绿灯 }
            """;
        var units = Units(("A", "创先"), ("B", "创先"), ("C", "创先"));
        // A: plan given: red. B: rank 1 (division by zero), gap 4 (whole exponent): yellow. C: rank 2, no plan: orange.
        var rows = Rows("A,fai,2025-06,10,100,,5", "B,fai,2025-06,54,100,,", "C,fai,2025-06,30,100,,");
        var r = Run(Monitor(Fai, lights), units, rows, "2025-06").Units;
        Assert.Equal(["red", "yellow", "orange"], r.Select(u => u.Indicators[0].Light));
        // gap 1: a non-whole exponent fails: green
        var whole = Run(Monitor(Fai, lights), Units(("B", "创先")), Rows("B,fai,2025-06,51,100,,"), "2025-06").Units;
        Assert.Equal("green", whole[0].Indicators[0].Light);
    }

    [Fact]
    public void Two_yellow_months_in_a_row_turn_red_and_the_streak_counts_the_final_lights()
    {
        // gap per month: Jan −1 (yellow), Feb −1 (yellow → red), Mar −1 (yellow → red), Apr +1 (green)
        var rows = Rows("A,fai,2025-01,7.33,100,,", "A,fai,2025-02,15.67,100,,", "A,fai,2025-03,24,100,,", "A,fai,2025-04,34.33,100,,");
        var units = Units(("A", "创先"));
        var jan = Run(Monitor(Fai), units, rows, "2025-01").Units[0].Indicators[0];
        Assert.Equal(("yellow", "yellow", 1, (EscalationInfo?)null), (jan.Light, jan.PlainLight, jan.Streak!.Value, jan.Escalation));
        var feb = Run(Monitor(Fai), units, rows, "2025-02").Units[0].Indicators[0];
        Assert.Equal(("red", "yellow", 1), (feb.Light, feb.PlainLight, feb.Streak!.Value));
        Assert.Equal(new EscalationInfo("yellow", 2, "red"), feb.Escalation);
        Assert.EndsWith("；红灯（连续 1 个月）（连续 2 个月黄灯及以上，升为红灯）", feb.Explain);
        var mar = Run(Monitor(Fai), units, rows, "2025-03").Units[0].Indicators[0];
        Assert.Equal(("red", "yellow", 2), (mar.Light, mar.PlainLight, mar.Streak!.Value));
        Assert.Equal(["yellow", "red", "red"], mar.History.Select(p => p.Light));
        Assert.Equal(["yellow", "yellow", "yellow"], mar.History.Select(p => p.PlainLight));
        var apr = Run(Monitor(Fai), units, rows, "2025-04").Units[0].Indicators[0];
        Assert.Equal(("green", 1), (apr.Light, apr.Streak!.Value));
    }

    [Fact]
    public void A_red_month_counts_as_yellow_or_worse_for_the_escalation()
    {
        // Jan red (gap −10.33), Feb yellow: yellow or worse two months in a row → red
        var rows = Rows("A,fai,2025-01,-2,100,,", "A,fai,2025-02,15.67,100,,");
        var feb = Run(Monitor(Fai), Units(("A", "创先")), rows, "2025-02").Units[0].Indicators[0];
        Assert.Equal(("red", "yellow", 2), (feb.Light, feb.PlainLight, feb.Streak!.Value));
    }

    [Fact]
    public void January_starts_over_and_the_previous_december_does_not_count()
    {
        var rows = Rows("A,fai,2024-11,80,100,,", "A,fai,2024-12,95,100,,", "A,fai,2025-01,7.33,100,,");
        var jan = Run(Monitor(Fai), Units(("A", "创先")), rows, "2025-01").Units[0].Indicators[0];
        // December 2024 was behind (yellow) too, but a year starts over: January is plain yellow, streak 1
        Assert.Equal(("yellow", "yellow", 1), (jan.Light, jan.PlainLight, jan.Streak!.Value));
        // in 2024 itself, November (red) and December (yellow) are two months of yellow or worse: December is red, two months running
        var dec = Run(Monitor(Fai), Units(("A", "创先")), rows, "2024-12").Units[0].Indicators[0];
        Assert.Equal(("red", "yellow", 2), (dec.Light, dec.PlainLight, dec.Streak!.Value));
    }

    [Fact]
    public void A_missing_month_ends_a_streak_and_an_escalation_window()
    {
        // Jan yellow, Feb no row, Mar yellow, Apr yellow: Mar stays yellow (window Feb–Mar has a missing month), Apr red
        var rows = Rows("A,fai,2025-01,7.33,100,,", "A,fai,2025-03,24,100,,", "A,fai,2025-04,32.33,100,,");
        var units = Units(("A", "创先"));
        var mar = Run(Monitor(Fai), units, rows, "2025-03").Units[0].Indicators[0];
        Assert.Equal(("yellow", 1), (mar.Light, mar.Streak!.Value));
        Assert.Equal(["yellow", null, "yellow"], mar.History.Select(p => p.Light));
        var apr = Run(Monitor(Fai), units, rows, "2025-04").Units[0].Indicators[0];
        Assert.Equal(("red", 1), (apr.Light, apr.Streak!.Value));
        // a month without a target is missing too: it ends the green streak
        var green = Rows("A,fai,2025-01,10,100,,", "A,fai,2025-02,20,,,", "A,fai,2025-03,30,100,,");
        var g = Run(Monitor(Fai), units, green, "2025-03").Units[0].Indicators[0];
        Assert.Equal(("green", 1), (g.Light, g.Streak!.Value));
        // the month itself missing: no light, no streak
        var gone = Run(Monitor(Fai), units, Rows("A,fai,2025-01,10,100,,"), "2025-02").Units[0].Indicators[0];
        Assert.Equal(((string?)null, (int?)null, "no row"), (gone.Light, gone.Streak, gone.Missing));
    }

    [Fact]
    public void Escalations_apply_in_list_order_and_only_make_a_light_worse()
    {
        var lights = """
            lights:
              - { id: red, name: 红灯, when: "gap <= -10" }
              - { id: yellow, name: 黄灯, when: "gap < 0" }
              - { id: green, name: 绿灯 }
            escalate:
              - { light: green, months: 3, to: yellow }
              - { light: yellow, months: 2, to: red }
            """;
        // three months green or worse: Mar becomes yellow; Mar's plain light is green, so the second does not apply
        var rows = Rows("A,fai,2025-01,10,100,,", "A,fai,2025-02,20,100,,", "A,fai,2025-03,30,100,,");
        var mar = Run(Monitor(Fai, lights), Units(("A", "创先")), rows, "2025-03").Units[0].Indicators[0];
        Assert.Equal(("yellow", "green", 1), (mar.Light, mar.PlainLight, mar.Streak!.Value));
        Assert.Equal(new EscalationInfo("green", 3, "yellow"), mar.Escalation);
        Assert.EndsWith("；黄灯（连续 1 个月）（连续 3 个月绿灯及以上，升为黄灯）", mar.Explain);
    }

    [Fact]
    public void Skipped_units_unknown_indicators_and_the_data_hash()
    {
        var units = Units(("A", "创先"), ("Z", "特别合作区"));
        var rows = Rows("A,fai,2025-06,48,80,,", "A,zz,2025-06,1,,,", "A,yy,2025-05,1,,,", "Z,fai,2025-06,1,2,,");
        var r = Run(Monitor(Fai), units, rows, "2025-06");
        Assert.Equal(["Z"], r.Skipped.Select(s => s.Code));
        Assert.Equal(["zz"], r.UnknownIndicators.ToArray());
        Assert.Equal(64, r.DataSha256.Length);
        // a plan changes the data read, so the hash; rows of later months and other years do not
        var withPlan = Run(Monitor(Fai), units, rows.Replace("A,fai,2025-06,48,80,,", "A,fai,2025-06,48,80,,40"), "2025-06");
        Assert.NotEqual(r.DataSha256, withPlan.DataSha256);
        var later = Run(Monitor(Fai), units, rows + "A,fai,2025-07,50,80,,\nA,fai,2024-06,1,2,,\n", "2025-06");
        Assert.Equal(r.DataSha256, later.DataSha256);
    }

    [Fact]
    public void An_escalation_longer_than_the_months_so_far_never_applies()
    {
        var lights = Lights.Replace("months: 2", "months: 13");
        var rows = Rows("A,fai,2025-01,7.33,100,,", "A,fai,2025-02,15.67,100,,");
        var feb = Run(Monitor(Fai, lights), Units(("A", "创先")), rows, "2025-02").Units[0].Indicators[0];
        Assert.Equal(("yellow", 2, (EscalationInfo?)null), (feb.Light, feb.Streak!.Value, feb.Escalation));
    }

    [Fact]
    public void The_rules_are_named_by_element_in_order()
    {
        var loaded = MonitorLoader.Load(Monitor(Fai));
        Assert.Equal(["figures:fai", "rank:fai", "rank:fai:level", "light:red", "light:yellow", "light:green", "lights:plain",
            "escalate:yellow:2:red", "streak", "result"], CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256).RuleNames);
    }
}
