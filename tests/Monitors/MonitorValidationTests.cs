using BaiQianWan.Assess.Rules.Monitors;

namespace BaiQianWan.Assess.Tests.Monitors;

/// <summary>Every validation error of monitor.md §2.5, at the line of its node, with its stable code.</summary>
public class MonitorValidationTests
{
    private static readonly string[] Base =
    [
        "kind: monitor",                                        // 1
        "id: m1",                                               // 2
        "name: 测试通报",                                        // 3
        "level: county",                                        // 4
        "classes: [创先, 进位]",                                 // 5
        "decimals: 2",                                          // 6
        "indicators:",                                          // 7
        "  - id: fai",                                          // 8
        "    name: 固定资产投资",                                 // 9
        "    unit: 亿元",                                        // 10
        "    pace: linear",                                     // 11
        "  - id: gdp",                                          // 12
        "    name: 增速",                                        // 13
        "    metric: growth",                                   // 14
        "    when: { red: \"gap <= -2\" }",                     // 15
        "lights:",                                              // 16
        "  - { id: red, name: 红灯, when: \"gap <= -10\" }",    // 17
        "  - { id: yellow, name: 黄灯, when: \"gap < 0\" }",    // 18
        "  - { id: green, name: 绿灯 }",                         // 19
        "escalate:",                                            // 20
        "  - { light: yellow, months: 2, to: red }",            // 21
    ];

    private static string Yaml(params (int Line, string Text)[] changes)
    {
        var lines = Base.ToList();
        foreach (var (line, text) in changes.OrderByDescending(c => c.Line)) lines[line - 1] = text;
        return string.Join("\n", lines) + "\n";
    }

    private static string[] Errors(string yaml) =>
        [.. MonitorLoader.Load(yaml).Diagnostics.Select(d => $"{d.Position.Line}:{d.Code}")];

    [Fact]
    public void The_base_monitor_is_valid_with_its_model()
    {
        var loaded = MonitorLoader.Load(Yaml());
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        var m = loaded.Monitor!;
        Assert.Equal(["fai", "gdp"], m.Indicators.Select(i => i.Id));
        Assert.Equal(MonitorMetric.Growth, m.Indicators[1].Metric);
        Assert.Equal("gap <= -2", m.Indicators[1].FormulaFor(m.Lights[0]));
        Assert.Equal("gap <= -10", m.Indicators[0].FormulaFor(m.Lights[0]));
        Assert.Equal(new Escalation("yellow", 2, "red", m.Escalations[0].Position), m.Escalations[0]);
        Assert.Equal(21, m.Escalations[0].Position.Line);
    }

    public static TheoryData<string, string[]> Cases() => new()
    {
        // kind other than monitor (absent: a scoring ruleset, not this loader's business)
        { Yaml((1, "kind: scoring")), ["1:RS4001"] },
        // unknown keys, at every level
        { Yaml((6, "colour: red")), ["6:RS1010"] },
        { Yaml((10, "    weight: 10")), ["10:RS1010"] },
        { Yaml((19, "  - { id: green, name: 绿灯, colour: 1 }")), ["19:RS1010"] },
        { Yaml((21, "  - { light: yellow, months: 2, to: red, for: 1 }")), ["21:RS1010"] },
        // fewer than two lights
        { Yaml((17, "  - { id: green, name: 绿灯 }"), (18, "# none"), (19, "# none"), (20, "# none"), (21, "# none")), ["15:RS4010", "16:RS4002"] },
        // a light other than the last without when; the last with when
        { Yaml((18, "  - { id: yellow, name: 黄灯 }")), ["18:RS4003"] },
        { Yaml((19, "  - { id: green, name: 绿灯, when: \"gap >= 0\" }")), ["19:RS4004"] },
        // duplicate light ids
        { Yaml((18, "  - { id: red, name: 黄灯, when: \"gap < 0\" }")), ["18:RS4005", "21:RS4011"] },
        // pace on a metric other than progress
        { Yaml((15, "    pace: linear")), ["15:RS4006"] },
        // curve without pace: curve; pace: curve without a curve
        { Yaml((11, "    curve: [5, 12, 20, 28, 36, 46, 54, 62, 71, 80, 90, 100]")), ["11:RS4007"] },
        { Yaml((11, "    pace: curve")), ["11:RS4007"] },
        // a curve that is not 12 numbers in 0…100, never decreasing
        { Yaml((11, "    pace: curve\n    curve: [5, 12, 20, 28, 36, 46, 54, 62, 71, 80, 90]")), ["12:RS4008"] },
        { Yaml((11, "    pace: curve\n    curve: [5, 12, 20, 28, 36, 46, 54, 62, 71, 80, 90, 120]")), ["12:RS4008"] },
        { Yaml((11, "    pace: curve\n    curve: [5, 12, 20, 28, 36, 46, 54, 62, 71, 80, 79, 100]")), ["12:RS4008"] },
        { Yaml((11, "    pace: curve\n    curve:\n      - 5\n      - 12\n      - 20\n      - 28\n      - 36\n      - 46\n      - 54\n      - 62\n      - 71\n      - 80\n      - x\n      - 100")), ["23:RS4008"] },
        // decimals not a whole number in 0…6
        { Yaml((6, "decimals: 7")), ["6:RS4009"] },
        { Yaml((6, "decimals: 1.5")), ["6:RS4009"] },
        { Yaml((6, "decimals: -1")), ["6:RS4009"] },
        // an indicator when naming an unknown light, or the last one
        { Yaml((15, "    when: { blue: \"gap <= -2\" }")), ["15:RS4010"] },
        { Yaml((15, "    when: { green: \"gap <= -2\" }")), ["15:RS4010"] },
        // an escalation naming an unknown light, months not a whole number ≥ 2, to not worse than light
        { Yaml((21, "  - { light: amber, months: 2, to: red }")), ["21:RS4011"] },
        { Yaml((21, "  - { light: yellow, months: 2, to: black }")), ["21:RS4011"] },
        { Yaml((21, "  - { light: yellow, months: 1, to: red }")), ["21:RS4012"] },
        { Yaml((21, "  - { light: yellow, months: 2.5, to: red }")), ["21:RS4012"] },
        { Yaml((21, "  - { light: red, months: 2, to: yellow }")), ["21:RS4013"] },
        { Yaml((21, "  - { light: red, months: 2, to: red }")), ["21:RS4013"] },
        // an invalid formula or an unknown variable (weight, count are scoring names)
        { Yaml((18, "  - { id: yellow, name: 黄灯, when: \"gap <\" }")), ["18:RS2017"] },
        { Yaml((18, "  - { id: yellow, name: 黄灯, when: \"weight < 0\" }")), ["18:RS2020"] },
        { Yaml((15, "    when: { red: \"count > 1\" }")), ["15:RS2020"] },
        { Yaml((18, "  - { id: yellow, name: 黄灯, when: \"completion < 1\" }")), ["18:RS2020"] },
        // a class listed twice
        { Yaml((5, "classes: [创先, 进位, 创先]")), ["5:RS1032"] },
        // unknown metric or pace
        { Yaml((14, "    metric: completion")), ["14:RS4014"] },
        { Yaml((11, "    pace: quarterly")), ["11:RS4014"] },
        // two errors at once: both reported
        { Yaml((6, "decimals: 9"), (18, "  - { id: yellow, name: 黄灯 }")), ["6:RS4009", "18:RS4003"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_error_is_at_its_line_with_its_code(string yaml, string[] expected)
    {
        Assert.Equal(expected, Errors(yaml));
        Assert.False(MonitorLoader.Load(yaml).IsValid);
    }

    [Fact]
    public void A_formula_error_points_at_the_character_in_the_yaml()
    {
        var d = Assert.Single(MonitorLoader.Load(Yaml((18, "  - { id: yellow, name: 黄灯, when: \"gap < weight\" }"))).Diagnostics);
        Assert.Equal((18, 42), (d.Position.Line, d.Position.Column));
        Assert.Contains("weight", d.Message);
    }

    [Fact]
    public void Every_monitor_variable_is_known_in_a_light_formula()
    {
        var all = "actual + target + baseline + plan + progress + pace + gap + growth + value + month + rank + peers + levelRank + levelPeers + classAvg + levelAvg > 0";
        Assert.True(MonitorLoader.Load(Yaml((18, $"  - {{ id: yellow, name: 黄灯, when: \"{all}\" }}"))).IsValid);
    }

    [Fact]
    public void A_text_with_kind_is_a_monitor_and_one_without_is_a_ruleset()
    {
        Assert.True(MonitorLoader.IsMonitorText(Yaml()));
        Assert.True(MonitorLoader.IsMonitorText(Yaml((1, "kind: scoring"))));
        Assert.False(MonitorLoader.IsMonitorText(Yaml((1, "# no kind"))));
        Assert.False(MonitorLoader.IsMonitorText("a: [unclosed"));
    }

    [Fact]
    public void The_sample_monitors_are_valid()
    {
        foreach (var file in new[] { "county-monthly.yaml", "town-monthly.yaml" })
        {
            var loaded = MonitorLoader.Load(File.ReadAllText(Functions.Repository.Path("samples", "rulesets", file)));
            Assert.True(loaded.IsValid, file + ": " + string.Join("\n", loaded.Diagnostics));
            Assert.NotEmpty(CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256).RuleNames);
        }
    }
}
