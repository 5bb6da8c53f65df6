using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// A month small enough to light by hand, over <see cref="Mini"/>'s counties (甲: A1, A2; 乙: B1, B2): one monitor with one
/// progress indicator (linear pace, two decimals), three lights and one escalation, and May and June of 2025.
/// </summary>
/// <remarks>
/// Worked by hand (the oracle of the month tests; no engine code): target 100 for everyone, so progress = actual.
/// Pace: May r(5/12 × 100) = 41.67, June 50.00. Lights: red gap ≤ −10, yellow gap &lt; 0, else green; 2 yellow months → red.
/// <list type="table">
/// <item>A1: May 45 → gap 3.33 green; June 60 → gap 10 green; streak 2.</item>
/// <item>A2: May 40 → gap −1.67 yellow; June 45 → gap −5 yellow, yellow both months → escalated red; streak 1.</item>
/// <item>B1: May 30 → gap −11.67 red; June 35 → gap −15 red; streak 2.</item>
/// <item>B2: May 42 → gap 0.33 green; June 50 → gap 0 green (not &lt; 0); streak 2.</item>
/// </list>
/// June: red 2 (A2 escalated, B1), yellow 0, green 2. Class ranks in June: 甲 A1 1, A2 2; 乙 B2 1, B1 2; level ranks A1 1, B2 2,
/// A2 3, B1 4. July has no row: a month with no data.
/// </remarks>
internal static class MiniMonth
{
    public const string MonitorYaml = """
        kind: monitor
        id: mini-monthly
        name: 迷你月度通报
        level: county
        classes: [甲, 乙]
        decimals: 2
        indicators:
          - { id: fai, name: 固定资产投资, unit: 亿元 }
        lights:
          - { id: red, name: 红灯, when: "gap <= -10" }
          - { id: yellow, name: 黄灯, when: "gap < 0" }
          - { id: green, name: 绿灯 }
        escalate:
          - { light: yellow, months: 2, to: red }
        """;

    /// <summary>A second version of the monitor: red from gap ≤ −4, so A2 is red in June without escalating and nothing else changes.</summary>
    public static string MonitorV2 => MonitorYaml.Replace("gap <= -10", "gap <= -4");

    public const string ObservationsCsv = """
        unit,indicator,period,actual,target,baseline
        A1,fai,2025-05,45,100,
        A2,fai,2025-05,40,100,
        B1,fai,2025-05,30,100,
        B2,fai,2025-05,42,100,
        A1,fai,2025-06,60,100,
        A2,fai,2025-06,45,100,
        B1,fai,2025-06,35,100,
        B2,fai,2025-06,50,100,

        """;

    public static readonly Period June = Period.OfMonth(2025, 6);

    public static readonly Period July = Period.OfMonth(2025, 7);

    /// <summary>The outline the workflow stores a monitor text with.</summary>
    public static BaiQianWan.Assess.Rules.Loading.RulesetOutline Outline(string yaml) =>
        BaiQianWan.Assess.Rules.Loading.RulesetOutline.Of(BaiQianWan.Assess.Rules.Monitors.MonitorLoader.Load(yaml).Monitor!);
}
