using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;
using PdfSharp.Drawing;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>
/// A unit's scorecard: header, standing, dimension chart, indicator table, adjustments; each section
/// draws from the view alone.
/// </summary>
internal sealed class ScorecardDocument(ScorecardView view)
{
    private static readonly Column[] Columns =
    [
        new("维度", 44, Group: true),
        new("指标", 78),
        new("单位", 26, Align.Center),
        new("实际值", 46, Align.Right),
        new("目标值", 64, Align.Right),
        new("完成率/增速", 50, Align.Right),
        new("得分 / 满分", 48, Align.Right),
        new("状态", 30, Align.Center),
        new("得分说明", Theme.ContentWidth - 386),
    ];

    public void Compose(Canvas canvas)
    {
        canvas.NewPage();
        canvas.OnContinuationPage = RunningHeader;
        Header(canvas);
        Summary(canvas);
        Chart(canvas);
        Indicators(canvas);
        Adjustments(canvas);
        if (view.Annual is { } annual) AnnualSection.Process(canvas, annual);
        if (view.Ledger is { } ledger) Ledger(canvas, ledger);
        if (view.Annual is { } read) AnnualSection.Publications(canvas, read);
    }

    private double RunningHeader(Canvas c)
    {
        var y = Theme.MarginTop;
        c.Text($"{view.UnitName}（{view.UnitCode}）{view.Kind}（续）", Theme.Small, Theme.Muted, Theme.MarginX, y);
        c.TextRight(view.Period, Theme.Small, Theme.Muted, Theme.MarginX + Theme.ContentWidth, y);
        y += c.LineHeight(Theme.Small) + 2;
        c.Line(Theme.Rule, 0.5, Theme.MarginX, y, Theme.MarginX + Theme.ContentWidth, y);
        return y + 6;
    }

    private void Header(Canvas c)
    {
        var x = Theme.MarginX;
        var right = x + Theme.ContentWidth;
        var y = c.Y;
        c.Text("百千万工程" + view.Kind, Theme.Body, Theme.Accent, x, y, bold: true);
        c.TextRight(view.Period, Theme.Body, Theme.Text, right, y, bold: true);
        y += c.LineHeight(Theme.Body) + 2;
        y = UnitTitle.Draw(c, view.UnitName, view.UnitCode, x, y);
        c.Text($"类别：{view.Class}　　层级：{view.Level}　　规则集：{view.Ruleset}", Theme.Small, Theme.Muted, x, y);
        y += c.LineHeight(Theme.Small) + 3;
        c.Line(Theme.Accent, 1.2, x, y, right, y);
        c.Y = y + 8;
    }

    private void Summary(Canvas c)
    {
        var x = Theme.MarginX;
        var y = c.Y;
        const double height = 74;
        c.Fill(Theme.Stripe, x, y, Theme.ContentWidth, height);

        // Total: the largest figure on the page.
        c.Text("总分", Theme.Small, Theme.Muted, x + 10, y + 6);
        var w = c.Text(Formats.Score(view.Total, view.Decimals), Theme.BigNumber, Theme.Text, x + 10, y + 16, bold: true);
        c.Text($"/ {Formats.Figure(view.MaxTotal)}", Theme.Body, Theme.Muted, x + 14 + w, y + 30);
        c.Text("（各项满分之和）", Theme.Small, Theme.Muted, x + 14 + w, y + 42);
        c.Text($"同类平均 {Formats.Score(view.ClassAverage, view.Decimals)}", Theme.Small, Theme.Muted, x + 10, y + 54);

        // Rank and change.
        var rx = x + 150;
        c.Text("同类排名", Theme.Small, Theme.Muted, rx, y + 6);
        c.Text(view.Rank > 0 ? $"第{view.Rank}名 / 共{view.Peers}名" : "不参加排名", 15, Theme.Text, rx, y + 18, bold: true);
        if (view.Previous is { } p) ChangeLine(c, p, rx, y + 42);
        else c.Text("（未提供上期结果）", Theme.Small, Theme.Muted, rx, y + 42);

        // Grade and list badges.
        var gx = x + 330;
        c.Text("等次", Theme.Small, Theme.Muted, gx, y + 6);
        c.Text(view.Grade, 15, view.VetoNotices.IsEmpty ? Theme.Text : Theme.Red, gx, y + 18, bold: true);
        var bx = gx + 70;
        if (view.Red) bx += Badge(c, "红榜", Theme.Red, bx, y + 20);
        if (view.Black) bx += Badge(c, "黑榜", Theme.Black, bx, y + 20);
        if (!view.Red && !view.Black) c.Text("未列入红黑榜", Theme.Small, Theme.Muted, bx, y + 22);
        if (view.MissingCount > 0)
            c.Text($"{view.MissingCount} 项指标缺数据，按 0 分计", Theme.Small, Theme.Amber, gx, y + 42, bold: true);

        var ny = y + height + 4;
        foreach (var notice in view.VetoNotices)
        {
            var h = c.LineHeight(Theme.Body) + 6;
            c.Fill(Theme.RedLight, x, ny, Theme.ContentWidth, h);
            c.Fill(Theme.Red, x, ny, 3, h);
            c.Text(notice, Theme.Body, Theme.Red, x + 10, ny + 3, bold: true);
            ny += h + 2;
        }
        c.Y = ny + Theme.SectionGap - 4;
    }

    private void ChangeLine(Canvas c, PreviousStanding p, double x, double y)
    {
        if (!p.Present)
        {
            c.Text("上期未参评", Theme.Small, Theme.Muted, x, y);
            return;
        }
        var (arrow, color) = p.RankChange > 0 ? ($"↑ 上升{p.RankChange}位", Theme.Green)
            : p.RankChange < 0 ? ($"↓ 下降{-p.RankChange}位", Theme.Red) : ("→ 名次持平", Theme.Muted);
        var w = c.Text(arrow, Theme.Body, color, x, y - 1, bold: true);
        c.Text($"上期第{p.Rank}名/{p.Peers}，总分 {Formats.Signed(p.TotalChange, view.Decimals)}", Theme.Small, Theme.Muted, x + w + 6, y);
        if (p.Class != view.Class) c.Text($"（上期在“{p.Class}”类）", Theme.Small, Theme.Muted, x, y + 11);
    }

    private static double Badge(Canvas c, string text, XColor color, double x, double y)
    {
        var w = c.Width(text, Theme.Body) + 12;
        c.Fill(color, x, y - 1, w, c.LineHeight(Theme.Body) + 3);
        c.Text(text, Theme.Body, Theme.White, x + 6, y + 1, bold: true);
        return w + 6;
    }

    private void Chart(Canvas c)
    {
        if (view.Dimensions.IsEmpty) return;
        var x = Theme.MarginX;
        const double rowHeight = 15;
        var labelWidth = Math.Clamp(view.Dimensions.Max(d => c.Width(d.Name, Theme.Body)) + 8, 60, 140);
        const double valueWidth = 150;
        var barLeft = x + labelWidth;
        var barWidth = Theme.ContentWidth - labelWidth - valueWidth;
        c.Ensure(28 + rowHeight * view.Dimensions.Length);
        var y = c.Y;
        c.Text("各维度得分", Theme.Heading, Theme.Text, x, y, bold: true);
        // Legend.
        var lx = x + Theme.ContentWidth - 230;
        c.Fill(Theme.Accent, lx, y + 3, 10, 7);
        lx += 13 + c.Text("本单位得分", Theme.Small, Theme.Muted, lx + 13, y + 1);
        lx += 10;
        c.Fill(Theme.AccentLight, lx, y + 3, 10, 7);
        lx += 13 + c.Text("满分", Theme.Small, Theme.Muted, lx + 13, y + 1);
        lx += 10;
        c.Fill(Theme.Red, lx + 4, y + 1, 1.6, 11);
        c.Text("同类平均", Theme.Small, Theme.Muted, lx + 9, y + 1);
        y += c.LineHeight(Theme.Heading) + 4;

        var scaleMax = view.Dimensions.Max(d => d.Max);
        if (scaleMax <= 0) scaleMax = 1;
        foreach (var d in view.Dimensions)
        {
            var scale = barWidth / (double)scaleMax;
            c.Text(d.Name, Theme.Body, Theme.Text, x, y + 2);
            c.Fill(Theme.AccentLight, barLeft, y + 3, (double)d.Max * scale, rowHeight - 6);
            c.Fill(Theme.Accent, barLeft, y + 3, Math.Max(0, (double)Math.Min(d.Score, d.Max)) * scale, rowHeight - 6);
            var ax = barLeft + Math.Max(0, (double)d.ClassAverage) * scale;
            c.Fill(Theme.Red, ax - 0.8, y + 1, 1.6, rowHeight - 2);
            var vx = barLeft + barWidth + 8;
            var w = c.Text(d.ScoreText, Theme.Body, Theme.Text, vx, y + 2, bold: true);
            c.Text($"/ {d.MaxText}　同类平均 {d.AverageText}", Theme.Small, Theme.Muted, vx + w + 3, y + 3);
            y += rowHeight;
        }
        c.Y = y + Theme.SectionGap;
    }

    private void Indicators(Canvas c)
    {
        c.Ensure(60);
        c.Text("指标得分明细", Theme.Heading, Theme.Text, Theme.MarginX, c.Y, bold: true);
        c.Text("红字为距满分还差的分数；“得分说明”列给出每一分的来历", Theme.Small, Theme.Muted, Theme.MarginX + 80, c.Y + 2);
        c.Y += c.LineHeight(Theme.Heading) + 3;
        var table = new Table(c, Columns);
        table.Draw(view.Rows.Select(r => (IReadOnlyList<Cell>)
        [
            new Cell(r.Dimension, Theme.Muted),
            new Cell(r.Name, Theme.Text, Bold: true),
            r.Unit,
            r.Actual,
            r.Target,
            r.Metric,
            new Cell($"{r.Score} / {r.Max}", Theme.Text, Bold: true, Note: r.LostText, NoteColor: Theme.Red),
            r.Status switch
            {
                Status.Met => new Cell("达标", Theme.Green, Bold: true),
                Status.NotMet => new Cell("未达标", Theme.Red, Bold: true),
                _ => new Cell("缺数据", Theme.Amber, Bold: true),
            },
            new Cell(r.Explanation, Theme.Text),
        ]));
        if (view.Rows.IsEmpty)
        {
            c.Text("本类别没有适用的指标", Theme.Body, Theme.Muted, Theme.MarginX, c.Y + 4);
            c.Y += c.LineHeight(Theme.Body) + 4;
        }
        c.Y += Theme.SectionGap;
    }

    private void Adjustments(Canvas c)
    {
        c.Ensure(40);
        c.Text("加分、扣分与一票否决", Theme.Heading, Theme.Text, Theme.MarginX, c.Y, bold: true);
        c.Y += c.LineHeight(Theme.Heading) + 3;
        if (view.Adjustments.IsEmpty)
        {
            c.Text("无加分、扣分或否决事项。", Theme.Body, Theme.Muted, Theme.MarginX, c.Y);
            c.Y += c.LineHeight(Theme.Body);
            Notes(c);
            return;
        }
        var table = new Table(c, [
            new Column("类型", 44, Align.Center), new Column("事项", Theme.ContentWidth - 44 - 60 - 70),
            new Column("数量", 60, Align.Right), new Column("分值", 70, Align.Right)]);
        table.Draw(view.Adjustments.Select(a => (IReadOnlyList<Cell>)
        [
            new Cell(a.Kind, a.Veto || a.Kind == "扣分" ? Theme.Red : Theme.Green, Bold: true),
            new Cell(a.Name, a.Veto ? Theme.Red : Theme.Text),
            a.Count,
            new Cell(a.Points, a.Veto || a.Kind == "扣分" ? Theme.Red : Theme.Green, Bold: true),
        ]));
        if (view.BonusCapNote is { } note)
        {
            c.Ensure(c.LineHeight(Theme.Small) + 4);
            c.Text(note, Theme.Small, Theme.Muted, Theme.MarginX, c.Y + 3);
            c.Y += c.LineHeight(Theme.Small) + 4;
        }
        Notes(c);
    }

    /// <summary>(v3) 经济发展：小计 108.00，封顶 100，× 60% = 60.00 / 总分 104.00，超过上限 100，按 100.00 计 / 取消参评资格.</summary>
    private void Notes(Canvas c)
    {
        foreach (var line in view.Notes)
        {
            c.Ensure(c.LineHeight(Theme.Small) + 4);
            c.Text(line, Theme.Small, Theme.Muted, Theme.MarginX, c.Y + 3);
            c.Y += c.LineHeight(Theme.Small) + 4;
        }
    }

    /// <summary>
    /// The unit's own tasks of the ledger (ledger.md §4, §3) on the period's end: the five counts with 按期销号率, the
    /// lights, and the overdue tasks (red first, then by days overdue). Drawn only when the unit has tasks.
    /// </summary>
    private static void Ledger(Canvas c, LedgerSectionView l)
    {
        c.Y += Theme.SectionGap;
        c.Ensure(c.LineHeight(Theme.Heading) + 3 * c.LineHeight(Theme.Body) + 40);
        var w = c.Text("任务台账（销号制）", Theme.Heading, Theme.Text, Theme.MarginX, c.Y, bold: true);
        c.Text($"截至 {l.End}，本单位自身的任务（不含下辖单位的任务，中止的不计）", Theme.Small, Theme.Muted, Theme.MarginX + w + 8, c.Y + 2);
        c.Y += c.LineHeight(Theme.Heading) + 3;
        var k = l.Counts;
        var text = $"任务 {k.Tasks} 项，到期 {k.Due} 项，按期销号 {k.OnTime} 项，按期销号率 {k.Rate}；已销号 {k.Closed} 项；" +
                   $"逾期未销号 {k.Overdue} 项；重新挂账 {k.Reopened} 次。督办灯：红灯 {k.Red} 项，黄灯 {k.Yellow} 项，蓝灯 {k.Blue} 项。";
        var lh = c.LineHeight(Theme.Body);
        foreach (var line in c.Wrap(text, Theme.Body, Theme.ContentWidth))
        {
            c.Ensure(lh);
            c.Text(line, Theme.Body, Theme.Text, Theme.MarginX, c.Y);
            c.Y += lh;
        }
        c.Ensure(c.LineHeight(Theme.Small) * 2 + 4);
        c.Y = LedgerPaint.Legend(c, c.Y + 3, $"蓝灯：完成时限前 {l.Settings.RemindDays} 天内；黄灯：逾期 {l.Settings.RedAfterDays} 天以内；红灯：逾期超过 {l.Settings.RedAfterDays} 天") + 3;
        if (l.Overdue.IsEmpty)
        {
            c.Ensure(lh + 2);
            c.Text("没有逾期未销号的任务。", Theme.Body, Theme.Muted, Theme.MarginX, c.Y + 2);
            c.Y += lh + 2;
            return;
        }
        c.Ensure(c.LineHeight(Theme.Small) + 2);
        c.Text($"逾期未销号的任务（{l.Overdue.Length} 项，红灯在前，再按逾期天数）", Theme.Small, Theme.Muted, Theme.MarginX, c.Y + 1);
        c.Y += c.LineHeight(Theme.Small) + 3;
        LedgerPaint.OverdueTable(c, l.Overdue, withUnit: false, Theme.Cell);
    }
}
