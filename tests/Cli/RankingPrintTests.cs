using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Tests.Engine;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary>Issue 22 item 2: the demo's ranking printout carries the bulletin's marks, 数据不全 among them.</summary>
public sealed class RankingPrintTests
{
    [Fact]
    public void The_ranking_printout_marks_a_vetoed_unit_and_a_unit_with_missing_data()
    {
        var yaml = Spec.OneIndicator("weight: 10\nmethod: completion", classes: "[创先]", extra: """
            adjustments:
              - { id: v, name: 安全事故, kind: veto }
            """);
        const string units = "A 创先\nB 创先\nC 创先";
        // Q3: A 50/50 → 10; B 45/50 → 9 and vetoed; C reported nothing → 0, data incomplete.
        var latest = Spec.Evaluate(yaml, units, "A,x,2025Q3,50,50,\nB,x,2025Q3,45,50,\nB,v,2025Q3,1,,");
        // Q2: B first, C second, A third.
        var previous = Spec.Evaluate(yaml, units, "A,x,2025Q2,10,50,\nB,x,2025Q2,50,50,\nC,x,2025Q2,40,50,", "2025Q2");
        var output = new StringWriter();

        DemoCommand.PrintRankings(latest, previous, output);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.Equal("【创先】2025年第三季度（1—9月累计） 县级排名（3 个单位）", lines[1]);
        Assert.Equal("   1 单位A            10.00  好   ↑2", lines[3]);
        Assert.Equal("   2 单位B             9.00  一般 ↓1     一票否决", lines[4]);
        Assert.Equal("   3 单位C             0.00  一般 ↓1     数据不全", lines[5]);
    }
}
