using System.Text;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// A province small enough to check by hand: four counties in two classes, one ruleset with two completion
/// indicators (weights 60 and 40, investment capped at 120%) and a bonus item.
/// </summary>
internal static class Mini
{
    public const string RulesetYaml = """
        id: mini
        name: 迷你考核
        level: county
        classes: [甲, 乙]
        decimals: 2
        dimensions:
          - id: economy
            name: 经济
            indicators:
              - id: fai
                name: 固定资产投资
                unit: 亿元
                weight: 60
                core: true
                method: completion
                cap: 1.2
              - id: rev
                name: 财政收入
                unit: 亿元
                weight: 40
                method: completion
        adjustments:
          - id: honor
            name: 国家级荣誉
            kind: bonus
            per: 0.5
            max: 2
        grades:
          by: rankShare
          levels:
            - { name: 好, share: 0.5 }
            - { name: 一般 }
        """;

    /// <summary>The same ruleset with investment weighted 50 and revenue 50 (a second version).</summary>
    public static string RulesetV2 => RulesetYaml.Replace("weight: 60", "weight: 50").Replace("weight: 40", "weight: 50");

    public const string UnitsCsv = """
        code,name,level,parent,class
        A1,甲一县,county,,甲
        A2,甲二县,county,,甲
        B1,乙一县,county,,乙
        B2,乙二县,county,,乙
        T1,某镇,town,A1,中心镇

        """;

    // 2025Q2: A1 fai 50/50 → 60, rev 30/40 → 30, honor 1 → 0.5: total 90.5.
    //         A2 fai 60/50 → 1.2 × 60 = 72, rev 40/40 → 40: total 112.
    //         B1 fai 25/50 → 30, rev 40/40 → 40: total 70.   B2 fai 50/50 → 60, rev 20/40 → 20: total 80.
    // 2025Q3: A1 and A2 swap: A1 fai 60/50 → 72, rev 40/40 → 40: 112; A2 fai 50/50 → 60, rev 30/40 → 30: 90.
    public const string ObservationsCsv = """
        unit,indicator,period,actual,target,baseline
        A1,fai,2025Q2,50,50,
        A1,rev,2025Q2,30,40,
        A1,honor,2025Q2,1,,
        A2,fai,2025Q2,60,50,
        A2,rev,2025Q2,40,40,
        B1,fai,2025Q2,25,50,
        B1,rev,2025Q2,40,40,
        B2,fai,2025Q2,50,50,
        B2,rev,2025Q2,20,40,
        A1,fai,2025Q3,60,50,
        A1,rev,2025Q3,40,40,
        A2,fai,2025Q3,50,50,
        A2,rev,2025Q3,30,40,
        B1,fai,2025Q3,25,50,
        B1,rev,2025Q3,40,40,
        B2,fai,2025Q3,50,50,
        B2,rev,2025Q3,20,40,

        """;

    /// <summary>The level and classes of a valid ruleset text, as the workflow hands them to the store.</summary>
    public static BaiQianWan.Assess.Rules.Loading.RulesetOutline Outline(string yaml) =>
        BaiQianWan.Assess.Rules.Loading.RulesetOutline.Of(BaiQianWan.Assess.Rules.Loading.RulesetLoader.Load(yaml).Ruleset!);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n"));

    public static readonly Period Q2 = Period.OfQuarter(2025, 2);

    public static readonly Period Q3 = Period.OfQuarter(2025, 3);
}
