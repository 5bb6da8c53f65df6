using System.Collections.Immutable;

namespace BaiQianWan.Assess.Scorecards.Views;

/// <summary>One indicator's line on a unit's month page.</summary>
internal sealed record UnitMonthRow(
    string Name, string Unit, string Actual, string Target, string Figure, string Pace, string Gap, int GapSign,
    string Growth, string Rank, LightCell? Light, string Streak, string? Missing, string Explain);

/// <summary>
/// An indicator's chart: the metric's figure month by month (1 … <see cref="Month"/>) against its reference line (the
/// pace for progress, the annual target for growth and value). A month without a figure is a gap in the line.
/// </summary>
internal sealed record UnitMonthChart(
    string Title, int Month, ImmutableArray<decimal?> Values, ImmutableArray<decimal?> Reference,
    string ValueLegend, string ReferenceLegend, bool Percent, int Decimals)
{
    /// <summary>Progress: the scale reaches 100 % (the year's target) whatever the figures.</summary>
    public bool ToHundred { get; init; }

    /// <summary>The last month's figure as printed beside its point, or null when that month has none.</summary>
    public string? LastLabel => Values.IsEmpty || Values[^1] is not { } v ? null
        : Percent ? Rules.Evaluation.Numbers.Fixed(v, Decimals) + "%" : Formats.Figure(v);
}

/// <summary>Everything a unit's one-page month document prints (monitor.md §4, the unit page).</summary>
internal sealed record UnitMonthView(
    string UnitName, string UnitCode, string Class, string Level, string Period, string Monitor,
    string Counts, ImmutableArray<UnitMonthRow> Rows, ImmutableArray<UnitMonthChart> Charts, FooterView Footer)
{
    /// <summary>
    /// The unit's page for <paramref name="sheet"/>'s month. The chart's earlier points come from the month's own history
    /// (§3 <c>history</c>) where it has them, else from <paramref name="earlier"/>: the same monitor's results of earlier
    /// months of the same year (any order, any subset; others are ignored). A month without the unit, or without the
    /// indicator's figure, is a gap in the chart. For growth and value the reference line is the annual target.
    /// </summary>
    public static UnitMonthView Build(MonthSheet sheet, string unitCode, IEnumerable<MonthSheet> earlier, DocumentStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(stamp);
        var unit = sheet.Units.FirstOrDefault(u => u.Code == unitCode)
                   ?? throw new ArgumentException($"月度结果中没有单位 {unitCode}（{sheet.MonitorId}，{sheet.PeriodLabel}）", nameof(unitCode));
        var d = sheet.Decimals;
        // month → that month's figures of this unit (the latest given wins if a month comes twice: it cannot, from one store)
        var months = new Dictionary<int, MonthUnit>();
        foreach (var e in earlier)
            if (e.Year == sheet.Year && e.Month < sheet.Month && e.MonitorId == sheet.MonitorId && e.Units.FirstOrDefault(u => u.Code == unitCode) is { } u)
                months[e.Month] = u;
        months[sheet.Month] = unit;

        var rows = sheet.Indicators.Select(ind =>
        {
            var f = MonthBulletinView.Figures(unit, ind.Id);
            if (f is null)
                return new UnitMonthRow(ind.Name, ind.Unit, "—", "—", "—", "—", "—", 0, "—", "—", null, "", MonthText.MissingReason("no row"), "");
            return new UnitMonthRow(
                ind.Name, ind.Unit, Formats.Figure(f.Actual), MonthText.Target(ind.Metric, f.Target, d),
                MonthText.Figure(ind.Metric, f, d),
                ind.Metric == "progress" ? MonthText.Percent(f.Pace, d) : "—",
                MonthText.Gap(ind.Metric, f.Gap, d), f.Gap is { } g ? Math.Sign(g) : 0,
                MonthText.SignedPercent(f.Growth, d),
                f.Rank is { } r && f.Peers is { } p ? $"{r}/{p}" : "—",
                LightCell.Of(sheet, f.Light), f.Light is null ? "" : MonthText.Streak(f.Streak),
                f.Light is null ? MonthText.MissingReason(f.Missing) : null, f.Explain);
        }).ToImmutableArray();

        var charts = sheet.Indicators.Select(ind =>
        {
            var values = ImmutableArray.CreateBuilder<decimal?>(sheet.Month);
            var reference = ImmutableArray.CreateBuilder<decimal?>(sheet.Month);
            // The month's own history first (the same evaluation's figures), then earlier months' results.
            var current = MonthBulletinView.Figures(unit, ind.Id);
            var history = current is null ? [] : current.History;
            for (var m = 1; m <= sheet.Month; m++)
            {
                if (m < sheet.Month && history.FirstOrDefault(p => p.Month == m) is { } point)
                {
                    values.Add(point.Figure);
                    reference.Add(point.Figure is null ? null : ind.Metric == "progress" ? point.Pace : current!.Target);
                    continue;
                }
                var f = months.TryGetValue(m, out var u) ? MonthBulletinView.Figures(u, ind.Id) : null;
                values.Add(f is null ? null : MonthText.FigureValue(ind.Metric, f));
                reference.Add(f is null ? null : ind.Metric == "progress" ? f.Pace : f.Target);
            }
            var (valueLegend, referenceLegend) = ind.Metric switch
            {
                "progress" => ("完成进度", ind.PaceKind == "plan" ? "计划进度" : "序时进度"),
                "growth" => ("同比增速", "增速目标"),
                _ => ("数值", "全年目标"),
            };
            var unitText = ind.Unit is { Length: > 0 } x && ind.Metric == "value" ? $"（{x}）" : ind.Metric == "value" ? "" : "（%）";
            return new UnitMonthChart($"{ind.Name}{unitText}", sheet.Month, values.MoveToImmutable(), reference.MoveToImmutable(),
                valueLegend, referenceLegend, ind.Metric != "value", d) { ToHundred = ind.Metric == "progress" };
        }).ToImmutableArray();

        var lit = sheet.Lights.Select(l => (Name: LightCell.Of(sheet, l.Id)!.Glyph + l.Name, Count: unit.Indicators.Count(f => f.Light == l.Id))).ToArray();
        var missing = sheet.Indicators.Length - lit.Sum(x => x.Count);
        var counts = string.Join("　", lit.Select(x => $"{x.Name} {x.Count} 项")) + (missing > 0 ? $"　缺数据 {missing} 项" : "");

        return new UnitMonthView(
            unit.Name, unit.Code, unit.Class, sheet.Level, sheet.PeriodText,
            $"{sheet.MonitorName}（{sheet.MonitorId}，{Formats.Version(sheet.Version)}）",
            counts, rows, charts, MonthText.Footer(sheet, stamp));
    }
}
