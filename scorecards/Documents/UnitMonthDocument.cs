using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;
using PdfSharp.Drawing;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>
/// A unit's month page (monitor.md §4), always one page: header, this month's figures and lights per indicator, the
/// explanations, and per indicator a chart of its figure month by month against the pace (or target) line. The charts
/// take the room left, in a grid of as many columns as they need to stay readable; the explanations give way first.
/// </summary>
internal sealed class UnitMonthDocument(UnitMonthView view)
{
    private const double Size = Theme.Body - 1.5;
    private const double MinChartHeight = 96;
    private const double MaxChartHeight = 190;

    public void Compose(Canvas canvas)
    {
        canvas.NewPage();
        Header(canvas);
        Figures(canvas);
        var charts = ChartsHeight(canvas, out var columns, out var chartHeight);
        var explanations = ExplanationLines(canvas);
        var explanationsHeight = explanations.Count * canvas.LineHeight(Theme.Small) + (explanations.Count > 0 ? 6 : 0);
        // The explanations print when the charts keep their minimum height beside them.
        var room = Theme.ContentBottom - canvas.Y;
        if (explanationsHeight + charts <= room || explanations.Count == 0)
            Explanations(canvas, explanations);
        Charts(canvas, columns);
    }

    private void Header(Canvas c)
    {
        var x = Theme.MarginX;
        var right = x + Theme.ContentWidth;
        var y = c.Y;
        c.Text("百千万工程主要指标月度监测", Theme.Body, Theme.Accent, x, y, bold: true);
        c.TextRight(view.Period, Theme.Body, Theme.Text, right, y, bold: true);
        y += c.LineHeight(Theme.Body) + 2;
        y = UnitTitle.Draw(c, view.UnitName, view.UnitCode, x, y);
        foreach (var line in c.Wrap($"类别：{view.Class}　　层级：{view.Level}　　监测方案：{view.Monitor}", Theme.Small, Theme.ContentWidth))
        {
            c.Text(line, Theme.Small, Theme.Muted, x, y);
            y += c.LineHeight(Theme.Small);
        }
        c.Text($"本月亮灯：{view.Counts}", Theme.Body, Theme.Text, x, y + 2, bold: true);
        y += c.LineHeight(Theme.Body) + 5;
        c.Line(Theme.Accent, 1.2, x, y, right, y);
        c.Y = y + 8;
    }

    private void Figures(Canvas c)
    {
        c.Text("本月各项指标", Theme.Heading, Theme.Text, Theme.MarginX, c.Y, bold: true);
        c.Y += c.LineHeight(Theme.Heading) + 3;
        const double actual = 50, target = 50, figure = 46, pace = 44, gap = 42, growth = 42, rank = 36, light = 42, streak = 32;
        var name = Theme.ContentWidth - actual - target - figure - pace - gap - growth - rank - light - streak;
        var table = new Table(c, [
            new Column("指标", name), new Column("实际", actual, Align.Right), new Column("全年目标", target, Align.Right),
            new Column("完成进度/增速", figure, Align.Right), new Column("序时进度", pace, Align.Right), new Column("差距", gap, Align.Right),
            new Column("同比", growth, Align.Right), new Column("类内排名", rank, Align.Center), new Column("灯号", light, Align.Center),
            new Column("持续", streak, Align.Center)], Size, Theme.Small);
        table.Draw(view.Rows.Select(r => (IReadOnlyList<Cell>)
        [
            new Cell(r.Unit.Length > 0 ? $"{r.Name}（{r.Unit}）" : r.Name, Theme.Text, Bold: true, Note: r.Missing, NoteColor: Theme.Amber),
            r.Actual, r.Target,
            new Cell(r.Figure, Theme.Text, Bold: true),
            new Cell(r.Pace, Theme.Muted),
            new Cell(r.Gap, r.GapSign < 0 ? Theme.Red : r.GapSign > 0 ? Theme.Green : Theme.Text),
            r.Growth, r.Rank,
            LightPaint.Cell(r.Light),
            new Cell(r.Streak, Theme.Muted),
        ]));
        c.Y += 8;
    }

    private List<(string Text, bool First)> ExplanationLines(Canvas c)
    {
        var lines = new List<(string, bool)>();
        foreach (var r in view.Rows)
        {
            if (r.Explain.Length == 0) continue;
            var first = true;
            foreach (var line in c.Wrap($"{r.Name}：{r.Explain}", Theme.Small, Theme.ContentWidth - 8))
            {
                lines.Add((line, first));
                first = false;
            }
        }
        return lines;
    }

    private static void Explanations(Canvas c, List<(string Text, bool First)> lines)
    {
        var lh = c.LineHeight(Theme.Small);
        foreach (var (text, first) in lines)
        {
            if (first) c.Fill(Theme.Accent, Theme.MarginX, c.Y + 2, 2, lh - 4);
            c.Text(text, Theme.Small, Theme.Text, Theme.MarginX + 8, c.Y);
            c.Y += lh;
        }
        c.Y += 6;
    }

    /// <summary>The height the chart grid needs at its smallest, and its columns: 2 up to 6 indicators, then more so that the rows fit.</summary>
    private double ChartsHeight(Canvas c, out int columns, out double height)
    {
        var n = view.Charts.Length;
        var heading = c.LineHeight(Theme.Heading) + 3;
        columns = n <= 1 ? 1 : n <= 6 ? 2 : 3;
        const int most = 4;
        var room = Theme.ContentBottom - c.Y - heading;
        while (true)
        {
            var rows = (n + columns - 1) / columns;
            height = rows == 0 ? 0 : Math.Min(MaxChartHeight, room / rows - 8);
            if (height >= MinChartHeight || columns >= most) break;
            columns++;
        }
        var r2 = (n + columns - 1) / columns;
        return heading + r2 * (MinChartHeight + 8);
    }

    private void Charts(Canvas c, int columns)
    {
        var n = view.Charts.Length;
        if (n == 0) return;
        var heading = c.LineHeight(Theme.Heading) + 3;
        c.Text("逐月进度", Theme.Heading, Theme.Text, Theme.MarginX, c.Y, bold: true);
        c.Text("实线：本单位各月的完成进度（增速、数值）；虚线：同月的序时进度（计划进度、全年目标）", Theme.Small, Theme.Muted, Theme.MarginX + 58, c.Y + 2.5);
        c.Y += heading;
        var rows = (n + columns - 1) / columns;
        const double gapX = 10, gapY = 8;
        var width = (Theme.ContentWidth - gapX * (columns - 1)) / columns;
        var height = Math.Max(40, Math.Min(MaxChartHeight, (Theme.ContentBottom - c.Y) / rows - gapY));
        for (var i = 0; i < n; i++)
        {
            var x = Theme.MarginX + i % columns * (width + gapX);
            var y = c.Y + i / columns * (height + gapY);
            Chart.Draw(c, view.Charts[i], x, y, width, height);
        }
        c.Y += rows * (height + gapY);
    }
}

/// <summary>A line chart of one indicator, month by month, drawn with PDFsharp's own primitives.</summary>
internal static class Chart
{
    private const double Label = 6;

    public static void Draw(Canvas c, UnitMonthChart chart, double x, double y, double w, double h)
    {
        var g = c.G;
        c.Box(Theme.Rule, 0.5, x, y, w, h);
        var lh = c.LineHeight(Theme.Small);
        c.Text(chart.Title, Theme.Small, Theme.Text, x + 5, y + 3, bold: true);
        // Legend: on the title's line when it fits, else below it; a chart too narrow for it relies on the section's note.
        var legendWidth = 15 + c.Width(chart.ValueLegend, Label) + 10 + 17 + c.Width(chart.ReferenceLegend, Label);
        var titleRight = x + 5 + c.Width(chart.Title, Theme.Small) + 8;
        var legendTop = y + 3 + lh;
        if (titleRight + legendWidth <= x + w - 5) legendTop = y + 4;
        if (legendWidth <= w - 10)
        {
            var lx = x + w - 5 - legendWidth;
            var my = legendTop + c.LineHeight(Label) / 2;
            g.DrawLine(new XPen(Theme.Accent, 1.4), lx, my, lx + 12, my);
            g.DrawEllipse(c.Brush(Theme.Accent), lx + 6 - 1.8, my - 1.8, 3.6, 3.6);
            lx += 15 + c.Text(chart.ValueLegend, Label, Theme.Muted, lx + 15, legendTop) + 10;
            g.DrawLine(Dashed(), lx, my, lx + 14, my);
            c.Text(chart.ReferenceLegend, Label, Theme.Muted, lx + 17, legendTop);
        }
        var ly = legendTop;

        // The plot: room on the left for the scale, below for the months.
        var plotTop = Math.Max(ly, y + 3 + lh) + c.LineHeight(Label) + 6;
        var plotBottom = y + h - c.LineHeight(Label) - 6;
        var (lo, hi, step) = Scale(chart);
        var scaleWidth = 0.0;
        for (var v = lo; v <= hi; v += step) scaleWidth = Math.Max(scaleWidth, c.Width(Tick(v, step, chart), Label));
        var left = x + 6 + scaleWidth + 4;
        var right = x + w - 8;
        if (plotBottom - plotTop < 10) plotBottom = plotTop + 10;
        double Y(decimal v) => plotBottom - (double)((v - lo) / (hi - lo)) * (plotBottom - plotTop);

        for (var v = lo; v <= hi; v += step)
        {
            var ty = Y(v);
            c.Line(v == 0 && lo < 0 ? Theme.Muted : Theme.Rule, v == 0 && lo < 0 ? 0.6 : 0.3, left, ty, right, ty);
            c.TextRight(Tick(v, step, chart), Label, Theme.Muted, left - 3, ty - c.LineHeight(Label) / 2);
        }
        c.Line(Theme.Muted, 0.7, left, plotTop, left, plotBottom);
        c.Line(Theme.Muted, 0.7, left, plotBottom, right, plotBottom);

        // Each month at the centre of its band, so that the first and the last labels stay clear of the axes' ends.
        var m = chart.Month;
        var band = (right - left) / m;
        double X(int month) => left + (month - 0.5) * band;
        // Every k-th month's label when the bands are too narrow for all of them, always the last month's (counting back from it).
        var widest = c.Width($"{m}月", Label) + 2;
        var every = 1;
        while (every < m && band * every < widest) every++;
        for (var i = 1; i <= m; i++)
        {
            c.Line(Theme.Muted, 0.5, X(i), plotBottom, X(i), plotBottom + 2);
            if ((m - i) % every == 0) c.TextCentered($"{i}月", Label, Theme.Muted, X(i), plotBottom + 3);
        }

        Series(g, chart.Reference, X, Y, Dashed(), null, band);
        Series(g, chart.Values, X, Y, new XPen(Theme.Accent, 1.4), c.Brush(Theme.Accent), band);

        // The last month's figure beside its point, kept inside the plot and off the axes.
        if (chart.LastLabel is { } last && chart.Values[^1] is { } lastValue)
        {
            var lw = c.Width(last, Label);
            var px = X(m);
            var lx2 = Math.Clamp(px - lw / 2, left + 3, right - lw - 1);
            var py = Y(lastValue);
            var above = py - c.LineHeight(Label) - 3;
            var ty = above >= plotTop - 2 ? above : py + 4;
            c.Fill(Theme.White, lx2 - 1, ty, lw + 2, c.LineHeight(Label));
            c.Text(last, Label, Theme.Accent, lx2, ty, bold: true);
        }
    }

    private static XPen Dashed() => new(Theme.Red, 1.1) { DashStyle = XDashStyle.Dash };

    /// <summary>A line through consecutive months with a figure (a missing month breaks it); a lone point gets a mark.</summary>
    private static void Series(XGraphics g, IReadOnlyList<decimal?> values, Func<int, double> x, Func<decimal, double> y, XPen pen, XBrush? points, double band)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } v) continue;
            var px = x(i + 1);
            var py = y(v);
            if (i + 1 < values.Count && values[i + 1] is { } next)
                g.DrawLine(pen, px, py, x(i + 2), y(next));
            var alone = (i == 0 || values[i - 1] is null) && (i + 1 >= values.Count || values[i + 1] is null);
            if (points is not null) g.DrawEllipse(points, px - 2, py - 2, 4, 4);
            else if (alone) g.DrawLine(pen, px - band / 3, py, px + band / 3, py);
        }
    }

    /// <summary>The scale: from 0 (or below, for a negative figure) to the largest figure (progress: at least 100 %), in 2 to 5 round steps.</summary>
    private static (decimal Lo, decimal Hi, decimal Step) Scale(UnitMonthChart chart)
    {
        var all = chart.Values.Concat(chart.Reference).Where(v => v is not null).Select(v => v!.Value).ToArray();
        var lo = Math.Min(0m, all.Length == 0 ? 0m : all.Min());
        var hi = Math.Max(chart.ToHundred ? 100m : 0m, all.Length == 0 ? 0m : all.Max());
        if (hi <= lo) hi = lo + 1;
        var raw = (hi - lo) / 5m;
        var magnitude = 1m;
        while (magnitude * 10 <= raw) magnitude *= 10;
        while (magnitude > raw && magnitude > 0.0001m) magnitude /= 10;
        var step = magnitude;
        foreach (var f in new[] { 1m, 2m, 2.5m, 5m, 10m })
            if (magnitude * f >= raw) { step = magnitude * f; break; }
        lo = Math.Floor(lo / step) * step;
        hi = Math.Ceiling(hi / step) * step;
        return (lo, hi, step);
    }

    private static string Tick(decimal v, decimal step, UnitMonthChart chart)
    {
        var places = Math.Max(0, (int)Rules.Evaluation.Numbers.Normalize(step).Scale);
        var text = Rules.Evaluation.Numbers.Fixed(v, places).Replace("-", "−", StringComparison.Ordinal);
        return chart.Percent ? text + "%" : text;
    }
}
