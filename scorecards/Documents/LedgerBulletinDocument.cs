using System.Globalization;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;
using PdfSharp.Drawing;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>
/// The ledger's lights (ledger.md §3) as printed: shape, colour and name together (■红灯, ▲黄灯, ●蓝灯), so that a grey
/// printout still reads.
/// </summary>
internal static class LedgerPaint
{
    private static readonly XColor BlueLight = XColor.FromArgb(0xE6, 0xEF, 0xFB);

    public static string Label(TaskLight light) => light switch
    {
        TaskLight.Red => "■红灯",
        TaskLight.Yellow => "▲黄灯",
        TaskLight.Blue => "●蓝灯",
        _ => "—",
    };

    public static XColor Ink(TaskLight light) => light switch
    {
        TaskLight.Red => Theme.Red,
        TaskLight.Yellow => Theme.Amber,
        TaskLight.Blue => Theme.Accent,
        _ => Theme.Muted,
    };

    public static XColor Tint(TaskLight light) => light switch
    {
        TaskLight.Red => Theme.RedLight,
        TaskLight.Yellow => LightPaint.AmberLight,
        TaskLight.Blue => BlueLight,
        _ => Theme.White,
    };

    /// <summary>A light's cell: mark and name in its ink on its tint.</summary>
    public static Cell Cell(TaskLight light) => new(Label(light), Ink(light), Bold: true, Fill: Tint(light));

    /// <summary>A count of tasks under a light: bold in the light's ink when not zero.</summary>
    public static Cell Count(int n, TaskLight light) =>
        n > 0 ? new Cell(N(n), Ink(light), Bold: true, Fill: Tint(light)) : new Cell("0", Theme.Muted);

    /// <summary>The legend: each light's mark and name on its tint, then <paramref name="note"/>; returns the line below.</summary>
    public static double Legend(Canvas c, double y, string note)
    {
        var x = Theme.MarginX;
        x += c.Text("灯号：", Theme.Small, Theme.Muted, x, y);
        foreach (var l in new[] { TaskLight.Red, TaskLight.Yellow, TaskLight.Blue })
        {
            var label = Label(l);
            var w = c.Width(label, Theme.Small) + 6;
            c.Fill(Tint(l), x, y - 1, w, c.LineHeight(Theme.Small) + 1);
            c.Text(label, Theme.Small, Ink(l), x + 3, y, bold: true);
            x += w + 6;
        }
        var lines = c.Wrap(note, Theme.Small, Theme.MarginX + Theme.ContentWidth - x);
        foreach (var line in lines)
        {
            c.Text(line, Theme.Small, Theme.Muted, x, y);
            y += c.LineHeight(Theme.Small);
        }
        return lines.Count == 0 ? y + c.LineHeight(Theme.Small) : y;
    }

    /// <summary>The overdue tasks' table: light, unit, task, leader, deadline, days overdue, state; red first, then by days overdue.</summary>
    public static void OverdueTable(Canvas c, IEnumerable<OverdueTask> overdue, bool withUnit, double size)
    {
        const double light = 42, leader = 52, due = 56, days = 40, state = 40;
        var unit = withUnit ? 100.0 : 0;
        List<Column> columns = [new Column("灯号", light, Align.Center)];
        if (withUnit) columns.Add(new Column("责任单位", unit));
        columns.AddRange([
            new Column("任务", Theme.ContentWidth - light - unit - leader - due - days - state), new Column("责任领导", leader),
            new Column("完成时限", due, Align.Center), new Column("逾期天数", days, Align.Right), new Column("状态", state, Align.Center)]);
        var table = new Table(c, columns, size, Theme.Small);
        table.Draw(overdue.Select(o =>
        {
            List<Cell> cells = [Cell(o.Light)];
            if (withUnit) cells.Add(new Cell($"{o.UnitName} {o.UnitCode}", Theme.Text, Bold: o.Light == TaskLight.Red));
            cells.AddRange([
                new Cell($"{o.Id}　{o.Title}", Theme.Text), o.Leader, o.Due,
                new Cell(N(o.DaysOverdue), Ink(o.Light), Bold: true), new Cell(o.State, Theme.Muted)]);
            return (IReadOnlyList<Cell>)cells;
        }));
    }

    public static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A level's monthly ledger bulletin (ledger.md §5): title and summary, the counts by class, each unit's counts of §4 and
/// lights of §3 on the month's last day, and the overdue tasks (red first, then by days overdue) with unit, leader and
/// days overdue. Every table flows onto further pages with its header repeated.
/// </summary>
internal sealed class LedgerBulletinDocument(LedgerBulletinView view)
{
    private const double Size = Theme.Body - 1.5;

    public void Compose(Canvas canvas)
    {
        canvas.NewPage();
        canvas.OnContinuationPage = RunningHeader;
        Title(canvas);
        Classes(canvas);
        Units(canvas);
        Overdue(canvas);
    }

    private double RunningHeader(Canvas c)
    {
        var y = Theme.MarginTop;
        c.Text($"{view.Title}（续）", Theme.Small, Theme.Muted, Theme.MarginX, y);
        c.TextRight($"截至 {view.End}", Theme.Small, Theme.Muted, Theme.MarginX + Theme.ContentWidth, y);
        y += c.LineHeight(Theme.Small) + 2;
        c.Line(Theme.Rule, 0.5, Theme.MarginX, y, Theme.MarginX + Theme.ContentWidth, y);
        return y + 6;
    }

    private void Title(Canvas c)
    {
        var center = Theme.MarginX + Theme.ContentWidth / 2;
        var y = c.Y + 6;
        foreach (var line in c.Wrap(view.Title, Theme.Title, Theme.ContentWidth))
        {
            c.TextCentered(line, Theme.Title, Theme.Red, center, y, bold: true);
            y += c.LineHeight(Theme.Title);
        }
        y += 2;
        c.TextCentered(view.Subtitle, Theme.Small, Theme.Muted, center, y);
        y += c.LineHeight(Theme.Small) + 4;
        c.Line(Theme.Red, 1.5, Theme.MarginX, y, Theme.MarginX + Theme.ContentWidth, y);
        y += 6;
        y += c.Paragraph(view.Summary, Theme.Body, Theme.Text, Theme.MarginX, y, Theme.ContentWidth);
        y += 4;
        c.Y = LedgerPaint.Legend(c, y, view.LightNote) + Theme.SectionGap;
    }

    private static void Heading(Canvas c, string text, string note)
    {
        c.Ensure(c.LineHeight(Theme.Heading) + 60);
        var w = c.Text(text, Theme.Heading, Theme.Text, Theme.MarginX, c.Y, bold: true);
        c.Text(note, Theme.Small, Theme.Muted, Theme.MarginX + w + 8, c.Y + 2.5);
        c.Y += c.LineHeight(Theme.Heading) + 3;
    }

    private void Classes(Canvas c)
    {
        Heading(c, "一、分类汇总", "各类别单位自身任务的合计（县级单位不含下辖镇的任务）");
        const double n = 40, wide = 50;
        var table = new Table(c, [
            new Column("类别", Theme.ContentWidth - 6 * n - 3 * wide), new Column("单位数", n, Align.Right), new Column("任务", n, Align.Right),
            new Column("到期", n, Align.Right), new Column("按期销号", wide, Align.Right), new Column("按期销号率", wide, Align.Right),
            new Column("已销号", n, Align.Right), new Column("逾期未销号", wide, Align.Right), new Column("重新挂账", n, Align.Right),
            new Column(LedgerPaint.Label(TaskLight.Red), n, Align.Right)], Size, Theme.Small);
        var rows = view.Classes.Select(k => (Name: k.Class, k.Units, k.Counts, Total: false))
            .Append((Name: "合计", Units: view.Units.Length, Counts: view.Total, Total: true));
        table.Draw(rows.Select(r => (IReadOnlyList<Cell>)
        [
            new Cell(r.Name, Theme.Text, Bold: r.Total), new Cell(LedgerPaint.N(r.Units), Theme.Text, Bold: r.Total),
            new Cell(LedgerPaint.N(r.Counts.Tasks), Theme.Text, Bold: r.Total), new Cell(LedgerPaint.N(r.Counts.Due), Theme.Text, Bold: r.Total),
            new Cell(LedgerPaint.N(r.Counts.OnTime), Theme.Text, Bold: r.Total), new Cell(r.Counts.Rate, Theme.Text, Bold: true),
            new Cell(LedgerPaint.N(r.Counts.Closed), Theme.Text, Bold: r.Total),
            new Cell(LedgerPaint.N(r.Counts.Overdue), r.Counts.Overdue > 0 ? Theme.Red : Theme.Muted, Bold: r.Counts.Overdue > 0),
            new Cell(LedgerPaint.N(r.Counts.Reopened), r.Counts.Reopened > 0 ? Theme.Amber : Theme.Muted, Bold: r.Total),
            LedgerPaint.Count(r.Counts.Red, TaskLight.Red),
        ]));
        c.Y += Theme.SectionGap;
    }

    private void Units(Canvas c)
    {
        Heading(c, "二、各单位销号情况", $"截至 {view.End}：到期、按期销号、已销号、逾期未销号和重新挂账的任务数，及当日各督办灯的任务数");
        const double cls = 44, n = 30, wide = 36, rate = 48;
        var table = new Table(c, [
            new Column("单位", Theme.ContentWidth - cls - 6 * n - 3 * wide - rate), new Column("类别", cls, Group: true),
            new Column("任务", n, Align.Right), new Column("到期", n, Align.Right), new Column("按期销号", wide, Align.Right),
            new Column("按期销号率", rate, Align.Right), new Column("已销号", n, Align.Right), new Column("逾期未销号", wide, Align.Right),
            new Column("重新挂账", wide, Align.Right),
            new Column(LedgerPaint.Label(TaskLight.Red), n, Align.Right), new Column(LedgerPaint.Label(TaskLight.Yellow), n, Align.Right),
            new Column(LedgerPaint.Label(TaskLight.Blue), n, Align.Right)], Size, Theme.Small);
        table.Draw(view.Units.Select(r => (IReadOnlyList<Cell>)
        [
            new Cell($"{r.Name} {r.Code}", Theme.Text, Bold: r.Counts.Red > 0),
            new Cell(r.Class, Theme.Muted),
            LedgerPaint.N(r.Counts.Tasks), LedgerPaint.N(r.Counts.Due), LedgerPaint.N(r.Counts.OnTime),
            new Cell(r.Counts.Rate, Theme.Text, Bold: true),
            LedgerPaint.N(r.Counts.Closed),
            new Cell(LedgerPaint.N(r.Counts.Overdue), r.Counts.Overdue > 0 ? Theme.Red : Theme.Muted, Bold: r.Counts.Overdue > 0),
            new Cell(LedgerPaint.N(r.Counts.Reopened), r.Counts.Reopened > 0 ? Theme.Amber : Theme.Muted),
            LedgerPaint.Count(r.Counts.Red, TaskLight.Red), LedgerPaint.Count(r.Counts.Yellow, TaskLight.Yellow), LedgerPaint.Count(r.Counts.Blue, TaskLight.Blue),
        ]));
        c.Y += Theme.SectionGap;
    }

    private void Overdue(Canvas c)
    {
        Heading(c, "三、逾期未销号任务", $"共 {view.Overdue.Length} 项：红灯（挂牌督办）在前，再按逾期天数从多到少");
        if (view.Overdue.IsEmpty)
        {
            c.Text($"截至 {view.End} 没有逾期未销号的任务。", Theme.Body, Theme.Text, Theme.MarginX, c.Y + 2);
            c.Y += c.LineHeight(Theme.Body) + 4;
            return;
        }
        LedgerPaint.OverdueTable(c, view.Overdue, withUnit: true, Size);
    }
}
