using System.Globalization;
using System.Text;

namespace BaiQianWan.Assess.Bench;

/// <summary>A large ruleset for timing load and compile: every method, per-class weights and formulas.</summary>
internal static class SyntheticRuleset
{
    public static string Yaml(int indicators)
    {
        var y = new StringBuilder();
        y.AppendLine("id: synthetic-100");
        y.AppendLine("name: 合成规则集（基准测试用）");
        y.AppendLine("level: county");
        y.AppendLine("classes: [创先, 进位, 消薄]");
        y.AppendLine("dimensions:");
        for (var d = 0; d < 10; d++)
        {
            y.AppendLine(CultureInfo.InvariantCulture, $"  - id: dim{d}");
            y.AppendLine(CultureInfo.InvariantCulture, $"    name: 维度{d}");
            y.AppendLine("    indicators:");
            for (var k = d; k < indicators; k += 10)
            {
                y.AppendLine(CultureInfo.InvariantCulture, $"      - id: ind{k:D3}");
                y.AppendLine(CultureInfo.InvariantCulture, $"        name: 指标{k}");
                y.AppendLine(k % 4 == 0 ? "        weight: { 创先: 1.2, 进位: 1, 消薄: 0.8 }" : "        weight: 1");
                y.AppendLine(k % 7 == 0 ? "        better: lower" : "        better: higher");
                y.AppendLine(k % 3 == 0 ? "        core: true" : "        core: false");
                y.AppendLine(Method(k));
            }
        }
        y.AppendLine("adjustments:");
        y.AppendLine("  - { id: bonus1, name: 加分, kind: bonus, per: 0.5, max: 2 }");
        y.AppendLine("  - { id: bonus2, name: 公式加分, kind: bonus, formula: \"MIN(count, 3) * 0.4\" }");
        y.AppendLine("  - { id: pen1, name: 扣分, kind: penalty, per: 0.5 }");
        y.AppendLine("  - { id: veto1, name: 否决, kind: veto, grade: 一般 }");
        y.AppendLine("bonusCap: 3");
        y.AppendLine("grades:");
        y.AppendLine("  by: rankShare");
        y.AppendLine("  levels: [{ name: 好, share: 0.3 }, { name: 较好, share: 0.4 }, { name: 一般 }]");
        y.AppendLine("lists: { red: { top: 3, requireTargetsMet: true }, black: { bottom: 2 } }");
        return y.ToString();
    }

    private static string Method(int k) => (k % 6) switch
    {
        0 => "        method: completion\n        cap: 1.2\n        zeroBelow: 0.6",
        1 => "        method: bands\n        bands: [{ min: 1, score: 1 }, { min: 0.9, score: 0.8 }, { min: 0.8, score: 0.5 }]",
        2 => "        method: rank\n        metric: value\n        step: 0.05\n        floor: 0.4",
        3 => "        method: efficacy\n        metric: value",
        4 => "        method: increment\n        metric: growth\n        per: 0.05",
        _ => $"        method: formula\n        metric: value\n        cap: 1.2\n        formula: \"=IF(target > 0, MIN(actual / target, 1.2) * weight, weight * 0.{k % 9 + 1}) + ROUND(rank / peers, 2) * 0\"",
    };
}
