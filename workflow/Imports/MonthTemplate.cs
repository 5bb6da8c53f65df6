using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Workflow.Documents;

namespace BaiQianWan.Assess.Workflow.Imports;

/// <summary>
/// The XLSX template an office sends out for a month (月通报): units × the monitor's indicators in the observations
/// columns with <c>plan</c> (one row per unit × indicator), unit, indicator and month filled in, the annual target
/// taken from the latest month of the year that has one, the baseline known for the month or else last year's same
/// months, plus note columns (<c>#…</c>) that import ignores. Filled in and imported back, it is an ordinary month file.
/// </summary>
public static class MonthTemplate
{
    /// <summary>The spec's columns of a month file: the observations columns and <c>plan</c>.</summary>
    public static readonly IReadOnlyList<string> Columns = [.. DataFiles.ObservationColumns, .. DataFiles.ObservationOptionalColumns];

    /// <summary>
    /// Writes the template of <paramref name="month"/>. Units of the monitor's level whose class it lists, by code; per unit the
    /// monitor's indicators in its order. <c>target</c>: the annual target of the latest month of the year up to
    /// <paramref name="month"/> that has one for the unit and indicator (targets are annual and repeated each month);
    /// <c>baseline</c>: the month's own if stored, else last year's actual of the same month; <c>plan</c>: the month's own if
    /// stored (a plan is per month, never carried over); <c>actual</c> is left for the unit to fill in.
    /// </summary>
    /// <param name="monitor">The monitor whose indicators make the rows.</param>
    /// <param name="units">Units (those of the monitor's level are used), any order.</param>
    /// <param name="month">The month to fill in (a <c>YYYY-MM</c> period).</param>
    /// <param name="known">Figures already stored for the months of the year up to <paramref name="month"/> (other rows are ignored).</param>
    /// <param name="lastYear">Figures of the same month a year earlier.</param>
    /// <exception cref="ArgumentException"><paramref name="month"/> is not a month.</exception>
    public static byte[] Write(MonitorDefinition monitor, IEnumerable<Unit> units, Period month, IEnumerable<Observation> known, IEnumerable<Observation> lastYear)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(units);
        if (!month.IsMonth) throw new ArgumentException($"月通报的填报模板按月生成（YYYY-MM），这里是 {month}", nameof(month));
        var ofYear = known.Where(o => o.Period.IsMonth && o.Period.Year == month.Year && o.Period.Month <= month.Month).ToList();
        var ofMonth = ofYear.Where(o => o.Period.Month == month.Month).ToDictionary(o => (o.Unit, o.Indicator));
        // The latest month's target wins: rows in order of month, later ones overwrite.
        var targets = new Dictionary<(string, string), decimal>();
        foreach (var o in ofYear.Where(o => o.Target is not null).OrderBy(o => o.Period.Month))
            targets[(o.Unit, o.Indicator)] = o.Target!.Value;
        var lastBy = lastYear.Where(o => o.Period == month.SameLastYear()).ToDictionary(o => (o.Unit, o.Indicator));
        var classes = monitor.Classes.ToHashSet(StringComparer.Ordinal);
        var header = Columns.Concat(ObservationTemplate.NoteColumns).ToArray();
        var rows = new List<string?[]>();
        foreach (var unit in units.Where(u => u.Level == monitor.Level && classes.Contains(u.Class)).OrderBy(u => u.Code, StringComparer.Ordinal))
        {
            foreach (var indicator in monitor.Indicators)
            {
                var key = (unit.Code, indicator.Id);
                ofMonth.TryGetValue(key, out var own);
                lastBy.TryGetValue(key, out var last);
                decimal? target = targets.TryGetValue(key, out var t) ? t : null;
                rows.Add([unit.Code, indicator.Id, month.ToString(), null, Num(target), Num(own?.Baseline ?? last?.Actual), Num(own?.Plan),
                    unit.Name, unit.Class, indicator.Name, indicator.UnitOfMeasure ?? "", Hint(indicator, month)]);
            }
        }
        string[] lines =
        [
            $"{monitor.Name}（{monitor.Id}）{month.ToChinese()} 数据填报表",
            $"在 observations 表中填写 1–{month.Month}月的累计数 actual（必填，数值，小数点用 .，不要千分位和单位）；target 是全年目标，已按最近一个月的填好；baseline 是上年同期累计数；已知的已填好，可修改。",
            "按计划进度考核的指标还须填写 plan：按月分解的 1 月至本月计划累计数；不填则该指标本月缺数，不亮灯。",
            "不要改动 unit、indicator、period 三列；以 # 开头的列只是说明，导入时忽略。",
            "导入时整表校验：任何一行有错都不会写入，并列出每个错误的行、列和原因。",
        ];
        return PackageBytes.Deterministic(ObservationTemplate.Build(header, rows, lines, numbers: 4));
    }

    /// <summary>What to fill in for an indicator, by its metric and pace.</summary>
    public static string Hint(MonitorIndicator indicator, Period month)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        var span = month.Month == 1 ? "1月" : $"1–{month.Month}月";
        var lower = indicator.Better == Better.Lower ? "（越低越好）" : "";
        return indicator.Metric switch
        {
            MonitorMetric.Growth => $"actual 填{span}累计数，baseline 填上年{span}累计数，target 填全年目标增速（%）{lower}",
            MonitorMetric.Value => $"actual 填{span}的值，target 填全年目标值{lower}",
            _ when indicator.Pace == PaceKind.Plan => $"actual 填{span}累计数，target 填全年目标，plan 填{span}计划累计数（必填）{lower}",
            _ => $"actual 填{span}累计数，target 填全年目标{lower}",
        };
    }

    private static string? Num(decimal? value) => value is { } v ? Numbers.Plain(v) : null;
}
