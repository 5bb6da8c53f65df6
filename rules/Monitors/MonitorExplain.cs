using BaiQianWan.Assess.Rules.Evaluation;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>The explanation templates of §3: percentages with the monitor's places, amounts as in the JSON.</summary>
internal static class MonitorExplain
{
    /// <summary><c>1月</c> for January, <c>1–m月</c> otherwise.</summary>
    public static string Months(int month) => month == 1 ? "1月" : $"1–{month}月";

    public static string Explain(MonitorIndicator indicator, in Figures f, int month, int decimals,
        MonitorLight? light, int streak, Escalation? escalation, MonitorDefinition monitor)
    {
        var months = Months(month);
        string Pct(decimal x) => Numbers.Fixed(x, decimals) + "%";
        string Points(decimal x) => Numbers.Fixed(Math.Abs(x), decimals) + " 个百分点";
        string Amount(decimal x) => indicator.UnitOfMeasure switch
        {
            null => Numbers.Plain(x),
            "%" => Numbers.Plain(x) + "%",
            var u => Numbers.Plain(x) + " " + u,
        };
        string Growth(decimal g) => g < 0 ? $"同比下降 {Pct(-g)}" : $"同比增长 {Pct(g)}";

        if (f.Missing == Figures.NoRow) return $"{months}未报送数据，不排名、不亮灯";
        var a = f.Actual!.Value;
        string text;
        switch (indicator.Metric)
        {
            case MonitorMetric.Progress:
                text = $"{months}累计 {Amount(a)}";
                if (f.Progress is { } progress) text += $"，完成全年目标 {Amount(f.Target!.Value)}的 {Pct(progress)}";
                if (f.Missing is null)
                {
                    var word = indicator.Pace == PaceKind.Plan ? "计划" : "序时";
                    text += indicator.Pace == PaceKind.Plan
                        ? $"，按计划 {months}应完成 {Amount(f.Plan!.Value)}（{Pct(f.Pace!.Value)}）"
                        : $"，序时进度 {Pct(f.Pace!.Value)}";
                    var gap = f.Gap!.Value;
                    text += gap > 0 ? $"，超{word} {Points(gap)}" : gap < 0 ? $"，落后{word} {Points(gap)}" : $"，与{word}持平";
                }
                break;
            case MonitorMetric.Growth:
                if (f.Missing is null)
                {
                    var gap = f.Gap!.Value;
                    text = $"{months}{Growth(f.Growth!.Value)}，全年目标 {Pct(f.Target!.Value)}，"
                           + (gap > 0 ? $"高于目标 {Points(gap)}" : gap < 0 ? $"低于目标 {Points(gap)}" : "与目标持平");
                }
                else
                {
                    text = $"{months}累计 {Amount(a)}" + (f.Growth is { } g ? $"，{Growth(g)}" : "");
                }
                break;
            default:
                text = $"{months} {Amount(a)}";
                if (f.Missing is null)
                {
                    var gap = f.Gap!.Value;
                    var by = indicator.UnitOfMeasure switch
                    {
                        "%" => Numbers.Plain(Math.Abs(gap)) + " 个百分点",
                        null => Numbers.Plain(Math.Abs(gap)),
                        var u => Numbers.Plain(Math.Abs(gap)) + " " + u,
                    };
                    text += $"，全年目标 {Amount(f.Target!.Value)}，" + (gap > 0 ? $"高于目标 {by}" : gap < 0 ? $"低于目标 {by}" : "与目标持平");
                }
                break;
        }
        if (f.Missing is { } reason) return text + "；" + Reason(reason) + "，不排名、不亮灯";
        if (indicator.Metric != MonitorMetric.Growth && f.Growth is { } growth) text += "；" + Growth(growth);
        if (light is not null)
        {
            text += $"；{light.Name}（连续 {streak} 个月）";
            if (escalation is not null)
            {
                var from = monitor.Lights[monitor.LightIndex(escalation.Light)].Name;
                var to = monitor.Lights[monitor.LightIndex(escalation.To)].Name;
                text += $"（连续 {escalation.Months} 个月{from}及以上，升为{to}）";
            }
        }
        return text;
    }

    private static string Reason(string missing) => missing switch
    {
        Figures.NoTarget => "未填报全年目标",
        Figures.TargetZero => "全年目标为 0 或负数，无法计算完成进度",
        Figures.NoPlan => "未填报计划数",
        Figures.NoBaseline => "无上年同期数",
        Figures.BaselineZero => "上年同期数为 0，无法计算增速",
        _ => missing,
    };
}
