using System.Text.RegularExpressions;
using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>
/// Issue 22 item 15: the scorecard's 目标值 of a growth indicator is a growth rate, not a figure in the indicator's
/// unit (it printed <c>5</c> under 亿元); and for a method that reads the value itself (bands) the 完成率/增速 column
/// does not repeat the actual value.
/// </summary>
public sealed class TargetColumnTests
{
    // gdp: increment on growth, target 5 (%): actual 110 against baseline 100 → growth 10.00 %;
    //      score = clamp(10 × 0.8 + 1 × (10 − 5), 0, 12) = 12.00.
    // land: bands on the value 37 (≥ 30 → 1.0 × 5 = 5.00).
    private const string Yaml = """
        id: t
        name: 目标列
        level: county
        classes: [创先]
        decimals: 2
        dimensions:
          - id: d
            name: 发展
            indicators:
              - { id: gdp, name: 地区生产总值, unit: 亿元, weight: 10, method: increment, metric: growth, base: 0.8, per: 1, cap: 1.2 }
              - id: land
                name: 盘活土地
                unit: 亩
                weight: 5
                method: bands
                metric: value
                bands:
                  - { min: 30, score: 1 }
                  - { min: 0, score: 0 }
        """;

    [Fact]
    public void A_growth_target_reads_as_a_rate_and_a_banded_value_is_not_repeated_as_its_metric()
    {
        var result = Small.Evaluate(Yaml, [("A", "甲县"), ("B", "乙县")],
            "A,gdp,2025Q3,110,5,100\nA,land,2025Q3,37,,\nB,gdp,2025Q3,100,5,100\nB,land,2025Q3,10,,");
        var layout = Pdf.Flat(Pdf.Text(ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp).Pdf, layout: true));
        Assert.Matches(new Regex(@"地区生产总值亿元1105\.00%（增速）10\.00%12\.00/12"), layout);
        Assert.Matches(new Regex(@"盘活土地亩37——5\.00/5"), layout);
    }
}
