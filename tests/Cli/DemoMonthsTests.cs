using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary>The demo's month lines: 2025-09's light counts per class of the sample monitors, in the monitor's class order, then the level.</summary>
public sealed class DemoMonthsTests
{
    private static MonthResult September(string yaml)
    {
        var loaded = MonitorLoader.Load(yaml);
        Assert.NotNull(loaded.Monitor);
        var data = new Dataset(ProvinceGenerator.Generate(new ProvinceOptions()).Units, ProvinceGenerator.GenerateMonths(new ProvinceOptions()));
        return MonitorEvaluator.Evaluate(CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256), data, DemoMonths.Month);
    }

    [Fact]
    public void The_county_lines_count_each_class_s_lights_and_add_up_to_the_level()
    {
        Assert.Equal("2025-09", DemoMonths.Month.ToString());
        Assert.Equal([
            "  创先 30 个单位：红灯 15，黄灯 5，绿灯 160，缺数 0",
            "  进位 59 个单位：红灯 40，黄灯 11，绿灯 303，缺数 0",
            "  消薄 31 个单位：红灯 30，黄灯 5，绿灯 150，缺数 1",
            "  合计 120 个单位：红灯 85，黄灯 21，绿灯 613，缺数 1",
        ], DemoMonths.Counts(September(SampleRulesets.CountyMonthly)));
    }

    [Fact]
    public void The_town_lines_follow_the_monitor_s_seven_classes()
    {
        var lines = DemoMonths.Counts(September(SampleRulesets.TownMonthly)).ToList();
        Assert.Equal(["中心镇", "专业镇", "特色镇", "城区街道", "重点帮扶镇", "巩固提升镇", "普通镇", "合计"], lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
        Assert.Equal("  合计 1607 个单位：红灯 363，黄灯 398，绿灯 8878，缺数 3", lines[^1]);
    }
}
