using System.Text.Json;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Monitors;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary><c>cli monitor</c> and <c>cli validate</c> on monitors (in process).</summary>
public sealed class MonitorCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-monitor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private const string Monitor = """
        kind: monitor
        id: m
        name: 测试月通报
        level: county
        classes: [创先]
        indicators:
          - { id: fai, name: 固定资产投资, unit: 亿元 }
        lights:
          - { id: red, name: 红灯, when: "gap <= -10" }
          - { id: yellow, name: 黄灯, when: "gap < 0" }
          - { id: green, name: 绿灯 }
        escalate:
          - { light: yellow, months: 2, to: red }
        """;

    private const string Units = "code,name,level,parent,class\nA,甲县,county,,创先\nB,乙县,county,,创先\n";

    private const string Observations = "unit,indicator,period,actual,target,baseline,plan\n" +
                                        "A,fai,2025-05,40,80,,\nA,fai,2025-06,48,80,45,\nB,fai,2025-05,30,80,,\nB,fai,2025-06,36,80,,\n";

    [Fact]
    public void Monitor_writes_the_month_results_and_the_trace_and_exits_zero()
    {
        var output = Path.Combine(_dir, "month.json");
        var trace = Path.Combine(_dir, "t.jsonl");
        var (code, stdout, err) = Run("monitor", "--units", Write("U.csv", Units), "--observations", Write("O.csv", Observations),
            "--monitor", Write("M.yaml", Monitor), "--month", "2025-06", "--out", output, "--trace", trace);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("已评价 2 个单位（2025年1–6月，通报规则 m）", stdout);
        Assert.Contains("红灯 1，黄灯 0，绿灯 1，缺数 0", stdout);
        var result = MonthResultJson.Read(File.ReadAllBytes(output));
        Assert.Equal(["A", "B"], result.Units.Select(u => u.Code));
        Assert.Equal("1–6月累计 48 亿元，完成全年目标 80 亿元的 60.00%，序时进度 50.00%，超序时 10.00 个百分点；同比增长 6.67%；绿灯（连续 2 个月）",
            result.Units[0].Indicators[0].Explain);
        // B: May 37.5 vs 41.67 (yellow), June 45 vs 50 (yellow → red after two months)
        Assert.Equal(("red", "yellow"), (result.Units[1].Indicators[0].Light, result.Units[1].Indicators[0].PlainLight));
        var lines = File.ReadAllLines(trace).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var lit = lines.First(l => l.GetProperty("rule").GetString() == "escalate:yellow:2:red" && l.GetProperty("unit").GetString() == "B");
        Assert.Equal("- - - - 1 0", lit.GetProperty("figure").GetString()); // months 1–6: none in Jan–Apr, yellow (1) in May, red (0) in June
        Assert.Contains(lines, l => l.GetProperty("rule").GetString() == "light:yellow" && l.GetProperty("matched")[0].GetString() == "light:red[创先/fai/6]");
        // same inputs, same bytes
        var again = Path.Combine(_dir, "again.json");
        Run("monitor", "--units", Path.Combine(_dir, "U.csv"), "--observations", Path.Combine(_dir, "O.csv"), "--monitor", Path.Combine(_dir, "M.yaml"),
            "--month", "2025-06", "--out", again);
        Assert.Equal(File.ReadAllBytes(output), File.ReadAllBytes(again));
    }

    [Fact]
    public void Monitor_reports_every_input_error_with_its_place_exits_two_and_writes_nothing()
    {
        var output = Path.Combine(_dir, "month.json");
        var badMonitor = Monitor.Replace("when: \"gap < 0\"", "when: \"weight < 0\"").Replace("classes: [创先]", "classes: [创先, 创先]");
        var badRows = "unit,indicator,period,actual,target,baseline,plan\nA,fai,2025-13,1,2,,\nA,fai,2025-6,1,2,,\nA,fai,2025-06,1,2,,x\n";
        var (code, _, err) = Run("monitor", "--units", Write("U.csv", Units), "--observations", Write("O.csv", badRows),
            "--monitor", Write("M.yaml", badMonitor), "--month", "2025-6", "--out", output);
        Assert.Equal(2, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Replace(_dir + Path.DirectorySeparatorChar, "")).ToList();
        Assert.Contains("--month: '2025-6' 不是月份（应为 YYYY-MM，如 2025-06）", lines);
        Assert.Contains(lines, l => l.StartsWith("M.yaml:5:", StringComparison.Ordinal) && l.Contains("RS1032"));
        Assert.Contains(lines, l => l.StartsWith("M.yaml:10:", StringComparison.Ordinal) && l.Contains("RS2020") && l.Contains("weight"));
        Assert.Contains("O.csv:2:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025-13'", lines);
        Assert.Contains("O.csv:3:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025-6'", lines);
        Assert.Contains("O.csv:4:plan: 'x' 不是数值（小数点用 .，不要千分位和单位）", lines);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Validate_knows_both_kinds_in_text_and_json()
    {
        Assert.Equal((0, "OK\n"), Norm(Run("validate", Write("M.yaml", Monitor))));
        var bad = Write("bad.yaml", Monitor.Replace("kind: monitor", "kind: scorecard").Replace("months: 2", "months: 1"));
        var (code, stdout, _) = Run("validate", bad);
        Assert.Equal(1, code);
        Assert.Equal([$"{bad}:1:7: RS4001: kind 只能是 monitor（月通报规则）；考核规则集不写 kind，这里是 'scorecard'",
            $"{bad}:13:30: RS4012: 升级规则的 months 应为不小于 2 的整数（连续几个月），这里是 '1'"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var (jsonCode, json, _) = Run("validate", bad, "--format", "json");
        Assert.Equal(1, jsonCode);
        var diagnostics = JsonDocument.Parse(json).RootElement.GetProperty("diagnostics").EnumerateArray()
            .Select(d => (d.GetProperty("code").GetString(), d.GetProperty("line").GetInt32())).ToList();
        Assert.Equal([("RS4001", 1), ("RS4012", 13)], diagnostics);
        // a file without kind is still a scoring ruleset
        var ruleset = Write("R.yaml", "id: c\nname: 测试\nlevel: county\nclasses: [创先]\ndimensions:\n  - id: d\n    name: 维度\n    indicators:\n      - { id: x, name: 指标, weight: 100, method: completion }\n");
        Assert.Equal((0, "OK\n"), Norm(Run("validate", ruleset)));
    }

    private static (int, string) Norm((int Code, string Out, string Err) r) => (r.Code, r.Out.Replace("\r\n", "\n"));
}
