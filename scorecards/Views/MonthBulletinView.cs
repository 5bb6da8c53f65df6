using System.Collections.Immutable;
using System.Globalization;
using BaiQianWan.Assess.Rules.Evaluation;

namespace BaiQianWan.Assess.Scorecards.Views;

/// <summary>
/// A light as printed: its name, and its place in the monitor's list (0 = worst, <see cref="Count"/> − 1 = best), from
/// which a document takes the colour and the shape, so that a grey printout still reads.
/// </summary>
internal sealed record LightCell(string Id, string Name, int Index, int Count)
{
    public bool Worst => Index == 0;

    public bool Best => Index == Count - 1;

    /// <summary>The shape: ■ the worst, ● the best, ▲ ◆ ▼ those between.</summary>
    public string Glyph => Worst ? "■" : Best ? "●" : ((Index - 1) % 3) switch { 0 => "▲", 1 => "◆", _ => "▼" };

    public static LightCell? Of(MonthSheet sheet, string? id)
    {
        if (id is null) return null;
        for (var i = 0; i < sheet.Lights.Length; i++)
            if (sheet.Lights[i].Id == id) return new LightCell(id, sheet.Lights[i].Name, i, sheet.Lights.Length);
        // A light the monitor's list does not have: printed by its id, as the worst (it cannot pass unnoticed).
        return new LightCell(id, id, 0, sheet.Lights.Length);
    }
}

/// <summary>One unit's line in an indicator's ranked table.</summary>
internal sealed record MonthRankRow(
    string Rank, string Name, string Code, string Class, string ClassRank, string Actual, string Target,
    string Figure, string Pace, string Gap, int GapSign, string Growth, LightCell? Light, string Streak, string? Missing);

/// <summary>The units lit by one light (not the best) on an indicator: the laggards, worst light first.</summary>
internal sealed record Laggards(LightCell Light, ImmutableArray<string> Units);

/// <summary>An indicator's table in the bulletin.</summary>
internal sealed record MonthIndicatorTable(
    string Title, string Note, string FigureHeader, string TargetHeader, bool HasPace,
    ImmutableArray<MonthRankRow> Rows, ImmutableArray<Laggards> Laggards);

/// <summary>A row of the light matrix: one unit, one light (or a missing reason) per indicator.</summary>
internal sealed record MatrixRow(string Name, string Code, string Class, ImmutableArray<MatrixCell> Cells);

/// <summary>A cell of the light matrix: the light, or null and why the indicator is missing.</summary>
internal sealed record MatrixCell(LightCell? Light, string? Missing);

/// <summary>A unit lit by the worst light on an indicator: how long, and how it came to be lit.</summary>
internal sealed record RedRow(string Name, string Code, string Class, string Indicator, string Streak, string How);

/// <summary>A class's line of light counts.</summary>
internal sealed record ClassCounts(string Class, int Units, ImmutableArray<int> Lights, int Missing);

/// <summary>Everything a monthly bulletin (月通报) prints, computed before drawing starts (monitor.md §4).</summary>
internal sealed record MonthBulletinView(
    string Title, string Subtitle, string Period, string Summary, ImmutableArray<LightCell> Lights,
    ImmutableArray<ClassCounts> Counts, ImmutableArray<MonthIndicatorTable> Tables,
    ImmutableArray<string> MatrixIndicators, ImmutableArray<MatrixRow> Matrix,
    LightCell? WorstLight, ImmutableArray<RedRow> RedList, FooterView Footer)
{
    public static MonthBulletinView Build(MonthSheet sheet, DocumentStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(stamp);
        var d = sheet.Decimals;
        var lights = sheet.Lights.Select((l, i) => new LightCell(l.Id, l.Name, i, sheet.Lights.Length)).ToImmutableArray();
        var classOrder = ClassOrder(sheet);

        // Light counts: per class, then the whole level.
        var counts = ImmutableArray.CreateBuilder<ClassCounts>();
        foreach (var group in sheet.Units.GroupBy(u => u.Class).OrderBy(g => classOrder(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
            counts.Add(Count(group.Key, [.. group], sheet));
        var total = Count("合计", [.. sheet.Units], sheet);
        counts.Add(total);

        var tables = sheet.Indicators.Select(ind => Table(sheet, ind, classOrder)).ToImmutableArray();

        var matrix = sheet.Units.Select(u => new MatrixRow(u.Name, u.Code, u.Class,
            [.. sheet.Indicators.Select(ind => Figures(u, ind.Id) is { } f
                ? new MatrixCell(LightCell.Of(sheet, f.Light), f.Light is null ? MonthText.MissingReason(f.Missing) : null)
                : new MatrixCell(null, MonthText.MissingReason("no row")))])).ToImmutableArray();

        var worst = lights.IsEmpty ? null : lights[0];
        var red = ImmutableArray.CreateBuilder<RedRow>();
        if (worst is not null)
            foreach (var u in sheet.Units)
            foreach (var ind in sheet.Indicators)
                if (Figures(u, ind.Id) is { } f && f.Light == worst.Id)
                    red.Add(new RedRow(u.Name, u.Code, u.Class, ind.Name, MonthText.Streak(f.Streak), How(sheet, f, ind, worst)));

        var summary = SummaryText(sheet, lights, total);
        return new MonthBulletinView(
            $"{sheet.MonitorName}（{sheet.PeriodText}）",
            $"层级：{sheet.Level}　　监测方案：{sheet.MonitorId}，{Formats.Version(sheet.Version)}　　单位 {sheet.Units.Length} 个　　指标 {sheet.Indicators.Length} 项",
            sheet.PeriodText, summary, lights, counts.ToImmutable(), tables,
            [.. sheet.Indicators.Select(i => i.Name)], matrix, worst, red.ToImmutable(),
            MonthText.Footer(sheet, stamp));
    }

    internal static Func<string, int> ClassOrder(MonthSheet sheet)
    {
        var order = sheet.Classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        return c => order.TryGetValue(c, out var i) ? i : order.Count;
    }

    internal static MonthFigures? Figures(MonthUnit unit, string indicator)
    {
        foreach (var f in unit.Indicators)
            if (f.Id == indicator) return f;
        return null;
    }

    private static ClassCounts Count(string name, MonthUnit[] units, MonthSheet sheet)
    {
        var byLight = new int[sheet.Lights.Length];
        var missing = 0;
        foreach (var u in units)
        foreach (var ind in sheet.Indicators)
        {
            var f = Figures(u, ind.Id);
            var at = -1;
            if (f?.Light is { } id)
                for (var k = 0; k < sheet.Lights.Length && at < 0; k++)
                    if (sheet.Lights[k].Id == id) at = k;
            if (at >= 0) byLight[at]++;
            else missing++;
        }
        return new ClassCounts(name, units.Length, [.. byLight], missing);
    }

    private static string SummaryText(MonthSheet sheet, ImmutableArray<LightCell> lights, ClassCounts total)
    {
        var d = sheet.Decimals;
        var paces = sheet.Indicators.Select(i => i.Metric switch
        {
            "progress" when i.PaceKind == "plan" => $"{i.Name}按各单位计划",
            "progress" when i.Pace is { } p => $"{i.Name} {MonthText.Percent(p, d)}{(i.PaceKind == "curve" ? "（进度曲线）" : "")}",
            "progress" => $"{i.Name} —",
            "growth" => $"{i.Name}对照全年增速目标",
            _ => $"{i.Name}对照全年目标",
        });
        var lit = string.Join("、", lights.Select((l, k) => $"{l.Name} {total.Lights[k]} 个"));
        var linear = sheet.Indicators.Any(i => i.Metric == "progress" && i.PaceKind is null or "linear")
            ? $"时间进度 {sheet.Month}/12 = {MonthText.Percent(Numbers.Round(sheet.Month * 100m / 12m, d), d)}。"
            : "";
        return $"{sheet.PeriodText}，{linear}序时进度：{string.Join("；", paces)}。"
               + $"本期 {total.Units} 个单位、{sheet.Indicators.Length} 项指标共亮灯 {total.Lights.Sum()} 个：{lit}"
               + (total.Missing > 0 ? $"；缺数据 {total.Missing} 项" : "") + "。";
    }

    private static MonthIndicatorTable Table(MonthSheet sheet, MonthIndicator ind, Func<string, int> classOrder)
    {
        var d = sheet.Decimals;
        var entries = sheet.Units.Select(u => (Unit: u, F: Figures(u, ind.Id)))
            .OrderBy(e => e.F?.LevelRank ?? int.MaxValue)
            .ThenBy(e => classOrder(e.Unit.Class))
            .ThenBy(e => e.Unit.Code, StringComparer.Ordinal)
            .ToArray();
        var rows = entries.Select(e =>
        {
            var f = e.F;
            var u = e.Unit;
            if (f is null)
                return new MonthRankRow("—", u.Name, u.Code, u.Class, "", "—", "—", "—", "—", "—", 0, "—", null, "", MonthText.MissingReason("no row"));
            var gap = MonthText.Gap(ind.Metric, f.Gap, d);
            return new MonthRankRow(
                f.LevelRank is { } r ? r.ToString(CultureInfo.InvariantCulture) : "—",
                u.Name, u.Code, u.Class,
                f.Rank is { } cr && f.Peers is { } p ? $"{cr}/{p}" : "",
                Formats.Figure(f.Actual), MonthText.Target(ind.Metric, f.Target, d),
                MonthText.Figure(ind.Metric, f, d),
                ind.Metric == "progress" ? MonthText.Percent(f.Pace, d) : "—",
                gap, f.Gap is { } g ? Math.Sign(g) : 0,
                MonthText.SignedPercent(f.Growth, d),
                LightCell.Of(sheet, f.Light), f.Light is null ? "" : MonthText.Streak(f.Streak),
                f.Light is null ? MonthText.MissingReason(f.Missing) : null);
        }).ToImmutableArray();

        var laggards = ImmutableArray.CreateBuilder<Laggards>();
        for (var i = 0; i < sheet.Lights.Length - 1; i++)
        {
            var light = new LightCell(sheet.Lights[i].Id, sheet.Lights[i].Name, i, sheet.Lights.Length);
            // In the table's order: the furthest behind last, as ranked.
            var names = entries.Where(e => e.F?.Light == light.Id).Select(e => e.Unit.Name).ToImmutableArray();
            laggards.Add(new Laggards(light, names));
        }

        var unit = ind.Unit is { Length: > 0 } x ? $"（{x}）" : "";
        var note = ind.Metric switch
        {
            "progress" when ind.PaceKind == "plan" => "完成全年目标的百分比，对照各单位按月分解的计划进度",
            "progress" when ind.Pace is { } p => $"完成全年目标的百分比，序时进度 {MonthText.Percent(p, d)}{(ind.PaceKind == "curve" ? "（进度曲线）" : "")}",
            "progress" => "完成全年目标的百分比，对照序时进度",
            "growth" => "同比增速，对照全年增速目标",
            _ => "当期数值，对照全年目标",
        };
        if (ind.Better == "lower") note += "；越低越好";
        return new MonthIndicatorTable(
            $"{ind.Name}{unit}", note,
            ind.Metric switch { "progress" => "完成进度", "growth" => "增速", _ => "数值" },
            ind.Metric == "growth" ? "增速目标" : "全年目标",
            ind.Metric == "progress", rows, laggards.ToImmutable());
    }

    private static string How(MonthSheet sheet, MonthFigures f, MonthIndicator ind, LightCell worst)
    {
        if (f.PlainLight is { } plain && plain != f.Light)
        {
            var from = LightCell.Of(sheet, plain)!.Name;
            return f.Escalation is { Length: > 0 } e ? $"{e}（当月为{from}）" : $"由{from}升为{worst.Name}";
        }
        return $"当月{MonthText.GapWords(ind, f.Gap, sheet.Decimals)}";
    }
}

/// <summary>How the month documents write figures (monitor.md §3: percentages with the monitor's decimals).</summary>
internal static class MonthText
{
    public static string Percent(decimal? value, int decimals) => value is { } v ? Numbers.Fixed(v, decimals) + "%" : "—";

    public static string SignedPercent(decimal? value, int decimals) => value is { } v ? Formats.Signed(v, decimals) + "%" : "—";

    /// <summary>The metric's figure: progress and growth in percent, a value as given.</summary>
    public static string Figure(string metric, MonthFigures f, int decimals) => metric switch
    {
        "progress" => Percent(f.Progress, decimals),
        "growth" => SignedPercent(f.Growth, decimals),
        _ => Formats.Figure(f.Value ?? f.Actual),
    };

    public static decimal? FigureValue(string metric, MonthFigures f) => metric switch
    {
        "progress" => f.Progress,
        "growth" => f.Growth,
        _ => f.Value ?? f.Actual,
    };

    public static string Target(string metric, decimal? target, int decimals) =>
        metric == "growth" ? Percent(target, decimals) : Formats.Figure(target);

    /// <summary>A gap: percentage points for progress and growth (signed), the indicator's unit for a value.</summary>
    public static string Gap(string metric, decimal? gap, int decimals) => gap is not { } g ? "—"
        : metric == "value" ? (g > 0 ? "+" : g < 0 ? "−" : "") + Formats.Figure(Math.Abs(g)) : Formats.Signed(g, decimals);

    public static string GapWords(MonthIndicator ind, decimal? gap, int decimals)
    {
        if (gap is not { } g) return "差距未定义";
        var amount = ind.Metric != "value" ? Numbers.Fixed(Math.Abs(g), decimals) + " 个百分点"
            : Formats.Figure(Math.Abs(g)) + (ind.Unit switch { "%" => " 个百分点", { Length: > 0 } u => " " + u, _ => "" });
        var against = ind.Metric == "progress" ? (ind.PaceKind == "plan" ? "计划" : "序时") : "目标";
        var (behind, ahead) = ind.Metric == "progress" ? ("落后", "超") : ("低于", "高于");
        if (ind.Better == "lower" && ind.Metric != "progress") (behind, ahead) = ("高于", "低于");
        return g < 0 ? $"{behind}{against} {amount}" : g > 0 ? $"{ahead}{against} {amount}" : $"与{against}持平";
    }

    public static string Streak(int? streak) => streak is { } s ? $"{s} 个月" : "—";

    /// <summary>A missing reason of §2.1 in words.</summary>
    public static string MissingReason(string? reason) => reason switch
    {
        null => "缺数据",
        "no row" => "缺数据（未报送）",
        "no target" => "缺数据（无全年目标）",
        "target 0" => "缺数据（全年目标不为正）",
        "no plan" => "缺数据（无计划数）",
        "no baseline" => "缺数据（无上年同期数）",
        "baseline 0" => "缺数据（上年同期为 0）",
        _ => $"缺数据（{reason}）",
    };

    public static FooterView Footer(MonthSheet sheet, DocumentStamp stamp) => new(
        stamp.RunId,
        $"{sheet.MonitorId} {(sheet.Version is { } v ? "v" + v.ToString(CultureInfo.InvariantCulture) : "文件")} {Formats.Short(sheet.MonitorSha256)}",
        Formats.Short(sheet.DataSha256),
        Formats.Time(stamp.At),
        stamp.Sample);
}
