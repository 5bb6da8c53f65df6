using System.Globalization;
using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>
/// A level's monthly bulletin (月通报, monitor.md §4): title and the month's pace and light counts, one ranked table
/// per indicator with its laggards, the light matrix (units × indicators), and the units lit by the worst light with
/// their streaks and how they came to be lit. Every table flows onto further pages with its header repeated.
/// </summary>
internal sealed class MonthBulletinDocument(MonthBulletinView view)
{
    private const double Size = Theme.Body - 1.5;

    public void Compose(Canvas canvas)
    {
        canvas.NewPage();
        canvas.OnContinuationPage = RunningHeader;
        Title(canvas);
        Counts(canvas);
        foreach (var table in view.Tables) Indicator(canvas, table);
        Matrix(canvas);
        RedList(canvas);
    }

    private double RunningHeader(Canvas c)
    {
        var y = Theme.MarginTop;
        c.Text(Fit(c, $"{view.Title}（续）", Theme.Small, Theme.ContentWidth - 90), Theme.Small, Theme.Muted, Theme.MarginX, y);
        c.TextRight(view.Period, Theme.Small, Theme.Muted, Theme.MarginX + Theme.ContentWidth, y);
        y += c.LineHeight(Theme.Small) + 2;
        c.Line(Theme.Rule, 0.5, Theme.MarginX, y, Theme.MarginX + Theme.ContentWidth, y);
        return y + 6;
    }

    /// <summary>A running header's text, cut with … when the title is too long for one line.</summary>
    private static string Fit(Canvas c, string text, double size, double width)
    {
        if (c.Width(text, size) <= width) return text;
        var runes = text.EnumerateRunes().ToList();
        while (runes.Count > 1 && c.Width(string.Concat(runes) + "…", size) > width) runes.RemoveAt(runes.Count - 1);
        return string.Concat(runes) + "…";
    }

    private void Title(Canvas c)
    {
        var center = Theme.MarginX + Theme.ContentWidth / 2;
        var y = c.Y + 6;
        // A long title wraps, centred line by line, rather than run past the margins.
        foreach (var line in c.Wrap(view.Title, Theme.Title, Theme.ContentWidth))
        {
            c.TextCentered(line, Theme.Title, Theme.Red, center, y, bold: true);
            y += c.LineHeight(Theme.Title);
        }
        y += 2;
        foreach (var line in c.Wrap(view.Subtitle, Theme.Small, Theme.ContentWidth))
        {
            c.TextCentered(line, Theme.Small, Theme.Muted, center, y);
            y += c.LineHeight(Theme.Small);
        }
        y += 4;
        c.Line(Theme.Red, 1.5, Theme.MarginX, y, Theme.MarginX + Theme.ContentWidth, y);
        y += 6;
        y += c.Paragraph(view.Summary, Theme.Body, Theme.Text, Theme.MarginX, y, Theme.ContentWidth);
        y += 4;
        // The legend: each light's mark, colour and name.
        var x = Theme.MarginX;
        x += c.Text("灯号：", Theme.Small, Theme.Muted, x, y);
        foreach (var l in view.Lights)
        {
            var label = LightPaint.Label(l);
            var w = c.Width(label, Theme.Small) + 6;
            c.Fill(LightPaint.Tint(l), x, y - 1, w, c.LineHeight(Theme.Small) + 1);
            c.Text(label, Theme.Small, LightPaint.Ink(l), x + 3, y, bold: true);
            x += w + 6;
        }
        c.Text("（红、黄灯单位在各表中以底色标出，并在表后列出）", Theme.Small, Theme.Muted, x, y);
        c.Y = y + c.LineHeight(Theme.Small) + Theme.SectionGap;
    }

    private void Heading(Canvas c, string text, string? note = null)
    {
        c.Ensure(c.LineHeight(Theme.Heading) + 60);
        var w = c.Text(text, Theme.Heading, Theme.Text, Theme.MarginX, c.Y, bold: true);
        if (note is not null)
            c.Text(Fit(c, note, Theme.Small, Theme.ContentWidth - w - 10), Theme.Small, Theme.Muted, Theme.MarginX + w + 8, c.Y + 2.5);
        c.Y += c.LineHeight(Theme.Heading) + 3;
    }

    private void Counts(Canvas c)
    {
        Heading(c, "一、亮灯情况", "各类别单位各项指标的亮灯个数");
        var lightWidth = Math.Min(70, (Theme.ContentWidth - 120 - 60 - 60) / Math.Max(1, view.Lights.Length));
        List<Column> columns = [new Column("类别", 120), new Column("单位数", 60, Align.Right)];
        columns.AddRange(view.Lights.Select(l => new Column(LightPaint.Label(l), lightWidth, Align.Right)));
        columns.Add(new Column("缺数据", 60, Align.Right));
        var rest = Theme.ContentWidth - columns.Sum(x => x.Width);
        columns[0] = columns[0] with { Width = 120 + rest };
        var table = new Table(c, columns, Size, Theme.Small);
        table.Draw(view.Counts.Select(k =>
        {
            var total = k.Class == "合计";
            List<Cell> cells = [new Cell(k.Class, Theme.Text, Bold: total), new Cell(N(k.Units), Theme.Text, Bold: total)];
            cells.AddRange(k.Lights.Select((n, i) => new Cell(N(n), n > 0 ? LightPaint.Ink(view.Lights[i]) : Theme.Muted, Bold: total || n > 0 && !view.Lights[i].Best)));
            cells.Add(new Cell(N(k.Missing), k.Missing > 0 ? Theme.Amber : Theme.Muted, Bold: total));
            return (IReadOnlyList<Cell>)cells;
        }));
        c.Y += Theme.SectionGap;
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static readonly string[] Numerals = ["二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"];

    private int _section;

    private string Next() => (_section < Numerals.Length ? Numerals[_section++] : (++_section + 1).ToString(CultureInfo.InvariantCulture)) + "、";

    private void Indicator(Canvas c, MonthIndicatorTable t)
    {
        Heading(c, Next() + t.Title, t.Note);
        const double rank = 26, cls = 46, actual = 50, target = 50, figure = 46, pace = 42, gap = 42, growth = 42, light = 42, streak = 32;
        var name = Theme.ContentWidth - rank - cls - actual - target - figure - pace - gap - growth - light - streak;
        Column[] columns =
        [
            new("名次", rank, Align.Center), new("单位", name), new("类别/类内名次", cls),
            new("实际", actual, Align.Right), new(t.TargetHeader, target, Align.Right), new(t.FigureHeader, figure, Align.Right),
            new("序时进度", pace, Align.Right), new("差距", gap, Align.Right), new("同比", growth, Align.Right),
            new("灯号", light, Align.Center), new("持续", streak, Align.Center),
        ];
        var table = new Table(c, columns, Size, Theme.Small);
        table.Draw(t.Rows.Select(r => (IReadOnlyList<Cell>)
        [
            new Cell(r.Rank, Theme.Text, Bold: true),
            new Cell($"{r.Name} {r.Code}", Theme.Text, Bold: r.Light is { Best: false }, Note: r.Missing, NoteColor: Theme.Amber),
            r.ClassRank.Length > 0 ? $"{r.Class} {r.ClassRank}" : r.Class,
            r.Actual, r.Target,
            new Cell(r.Figure, Theme.Text, Bold: true),
            new Cell(t.HasPace ? r.Pace : "—", Theme.Muted),
            new Cell(r.Gap, r.GapSign < 0 ? Theme.Red : r.GapSign > 0 ? Theme.Green : Theme.Text),
            r.Growth,
            LightPaint.Cell(r.Light),
            new Cell(r.Streak, Theme.Muted),
        ]));
        if (t.Rows.IsEmpty) Line(c, "本层级本月没有单位。", Theme.Muted);
        c.Y += 4;
        foreach (var l in t.Laggards)
            ListLines(c, $"{LightPaint.Label(l.Light)}（{l.Units.Length} 个）：{(l.Units.IsEmpty ? "无" : string.Join("、", l.Units))}", LightPaint.Ink(l.Light));
        c.Y += Theme.SectionGap;
    }

    private void Matrix(Canvas c)
    {
        Heading(c, Next() + "亮灯矩阵", "各单位各项指标本月的灯号（" + string.Join("，", view.Lights.Select(LightPaint.Label)) + "）");
        const double name = 108, cls = 44;
        var n = Math.Max(1, view.MatrixIndicators.Length);
        var each = (Theme.ContentWidth - name - cls) / n;
        var withName = view.Lights.All(l => c.Width(LightPaint.Label(l), Size) <= each - 6);
        List<Column> columns = [new Column("单位", name), new Column("类别", cls)];
        columns.AddRange(view.MatrixIndicators.Select(i => new Column(i, each, Align.Center)));
        var table = new Table(c, columns, Size, Theme.Small);
        table.Draw(view.Matrix.Select(r =>
        {
            List<Cell> cells = [$"{r.Name} {r.Code}", r.Class];
            cells.AddRange(r.Cells.Select(x => x.Light is null ? new Cell("—", Theme.Muted) : LightPaint.Cell(x.Light, withName)));
            return (IReadOnlyList<Cell>)cells;
        }));
        Line(c, "“—”：该项指标本月缺数据，不亮灯、不排名。", Theme.Muted);
        c.Y += Theme.SectionGap;
    }

    private void RedList(Canvas c)
    {
        var worst = view.WorstLight;
        if (worst is null) return;
        Heading(c, Next() + $"{worst.Name}名单", $"本月亮{worst.Name}的单位和指标，连续月数，以及亮灯缘由");
        if (view.RedList.IsEmpty)
        {
            Line(c, $"本月没有单位亮{worst.Name}。", Theme.Text);
            return;
        }
        const double name = 108, cls = 44, indicator = 96, streak = 50;
        var table = new Table(c, [
            new Column("单位", name), new Column("类别", cls), new Column("指标", indicator),
            new Column("持续", streak, Align.Center), new Column("亮灯缘由", Theme.ContentWidth - name - cls - indicator - streak)], Size, Theme.Small);
        table.Draw(view.RedList.Select(r => (IReadOnlyList<Cell>)
        [
            new Cell($"{r.Name} {r.Code}", Theme.Text, Bold: true),
            r.Class, r.Indicator,
            new Cell(r.Streak, Theme.Red, Bold: true, Fill: LightPaint.Tint(worst)),
            r.How,
        ]));
        c.Y += 4;
    }

    private static void Line(Canvas c, string text, PdfSharp.Drawing.XColor color)
    {
        c.Ensure(c.LineHeight(Theme.Small) + 4);
        c.Text(text, Theme.Small, color, Theme.MarginX, c.Y + 2);
        c.Y += c.LineHeight(Theme.Small) + 4;
    }

    /// <summary>A list paragraph with a bar in the light's colour, line by line so that a long list flows onto further pages.</summary>
    private static void ListLines(Canvas c, string text, PdfSharp.Drawing.XColor color)
    {
        var lh = c.LineHeight(Theme.Body - 0.5);
        foreach (var line in c.Wrap(text, Theme.Body - 0.5, Theme.ContentWidth - 8))
        {
            c.Ensure(lh);
            c.Fill(color, Theme.MarginX, c.Y, 3, lh);
            c.Text(line, Theme.Body - 0.5, Theme.Text, Theme.MarginX + 8, c.Y);
            c.Y += lh;
        }
        c.Y += 3;
    }
}
