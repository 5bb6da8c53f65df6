using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>A class's ranking bulletin (通报): title, the ranking table, then the red and black lists and the class figures.</summary>
internal sealed class BulletinDocument(BulletinView view)
{
    public void Compose(Canvas canvas)
    {
        canvas.NewPage();
        canvas.OnContinuationPage = RunningHeader;
        Title(canvas);
        Ranking(canvas);
        Lists(canvas);
    }

    private double RunningHeader(Canvas c)
    {
        var y = Theme.MarginTop;
        c.Text($"{view.Title}　“{view.Class}”类排名通报（续）", Theme.Small, Theme.Muted, Theme.MarginX, y);
        c.TextRight(view.Period, Theme.Small, Theme.Muted, Theme.MarginX + Theme.ContentWidth, y);
        y += c.LineHeight(Theme.Small) + 2;
        c.Line(Theme.Rule, 0.5, Theme.MarginX, y, Theme.MarginX + Theme.ContentWidth, y);
        return y + 6;
    }

    private void Title(Canvas c)
    {
        var center = Theme.MarginX + Theme.ContentWidth / 2;
        var y = c.Y + 6;
        c.TextCentered(view.Title, Theme.Title, Theme.Red, center, y, bold: true);
        y += c.LineHeight(Theme.Title) + 2;
        c.TextCentered($"“{view.Class}”类{view.Level}排名通报", 13, Theme.Text, center, y, bold: true);
        y += c.LineHeight(13) + 2;
        c.TextCentered(view.Period, Theme.Body, Theme.Text, center, y);
        y += c.LineHeight(Theme.Body) + 4;
        c.Line(Theme.Red, 1.5, Theme.MarginX, y, Theme.MarginX + Theme.ContentWidth, y);
        y += 6;
        y += c.Paragraph($"规则集：{view.Ruleset}　　参评单位 {view.Rows.Length} 个　　同类平均 {view.ClassAverage} 分　　最高 {view.Highest} 分　　最低 {view.Lowest} 分",
            Theme.Small, Theme.Muted, Theme.MarginX, y, Theme.ContentWidth);
        c.Y = y + 8;
    }

    private void Ranking(Canvas c)
    {
        // (v3) no grade column when the ruleset has no grades
        var gradeWidth = view.HasGrades ? 60 : 0;
        var rest = Theme.ContentWidth - 40 - 80 - 60 - gradeWidth - 60 - 70;
        List<Column> columns = [new Column("名次", 40, Align.Center), new Column("单位", rest), new Column("代码", 80), new Column("总分", 60, Align.Right)];
        if (view.HasGrades) columns.Add(new Column("等次", 60, Align.Center));
        columns.Add(new Column(view.HasPrevious ? "较上期名次" : "较上期", 60, Align.Center));
        columns.Add(new Column("红黑榜", 70, Align.Center));
        var table = new Table(c, [.. columns], Theme.Body - 0.5, Theme.Small);
        table.Draw(view.Rows.Select(r =>
        {
            List<Cell> cells =
            [
                new Cell(r.Rank, Theme.Text, Bold: true),
                new Cell(r.Name, Theme.Text, Note: Notes(r), NoteColor: Theme.Red),
                new Cell(r.Code, Theme.Muted),
                new Cell(r.Total, Theme.Text, Bold: true),
            ];
            if (view.HasGrades) cells.Add(new Cell(r.Grade, r.Vetoed ? Theme.Red : Theme.Text));
            cells.Add(new Cell(view.HasPrevious ? r.Change : "—", r.ChangeSign > 0 ? Theme.Green : r.ChangeSign < 0 ? Theme.Red : Theme.Muted));
            cells.Add(r.Red ? new Cell("红榜", Theme.White, Bold: true, Fill: Theme.Red)
                : r.Black ? new Cell("黑榜", Theme.White, Bold: true, Fill: Theme.Black) : "");
            return (IReadOnlyList<Cell>)cells;
        }));
        if (view.Rows.IsEmpty)
        {
            c.Text("本类别本期没有参评单位。", Theme.Body, Theme.Muted, Theme.MarginX, c.Y + 4);
            c.Y += c.LineHeight(Theme.Body) + 4;
        }
        c.Y += Theme.SectionGap;
        Excluded(c);
    }

    /// <summary>(v3) 取消参评资格: the excluded units, with their totals and the reason, after the ranked ones.</summary>
    private void Excluded(Canvas c)
    {
        if (view.Excluded.IsEmpty) return;
        var rest = Theme.ContentWidth - 80 - 60;
        var table = new Table(c, [new Column("取消参评资格的单位", rest), new Column("代码", 80), new Column("总分", 60, Align.Right)],
            Theme.Body - 0.5, Theme.Small);
        table.Draw(view.Excluded.Select(e => (IReadOnlyList<Cell>)
        [
            new Cell(e.Name, Theme.Text, Note: e.Reason, NoteColor: Theme.Red),
            new Cell(e.Code, Theme.Muted),
            new Cell(e.Total, Theme.Text),
        ]));
        c.Y += Theme.SectionGap;
    }

    private static string? Notes(BulletinRow r) =>
        r.Vetoed && r.Incomplete ? "一票否决；数据不全" : r.Vetoed ? "一票否决" : r.Incomplete ? "数据不全" : null;

    private void Lists(Canvas c)
    {
        ListParagraph(c, "红榜", view.RedList, Theme.Red);
        ListParagraph(c, "黑榜", view.BlackList, Theme.Black);
        var grades = string.Join("，", view.Grades.Select(g => $"{g.Grade} {g.Count} 个"));
        var text = view.HasGrades ? $"同类平均分 {view.ClassAverage} 分。等次分布：{grades}。" : $"同类平均分 {view.ClassAverage} 分。";
        var h = c.Wrap(text, Theme.Body, Theme.ContentWidth).Count * c.LineHeight(Theme.Body);
        c.Ensure(h);
        c.Y += c.Paragraph(text, Theme.Body, Theme.Text, Theme.MarginX, c.Y, Theme.ContentWidth);
    }

    private static void ListParagraph(Canvas c, string title, IReadOnlyList<string> names, PdfSharp.Drawing.XColor color)
    {
        var body = names.Count == 0 ? "无" : string.Join("、", names);
        var text = $"{title}（{names.Count} 个）：{body}";
        var lines = c.Wrap(text, Theme.Body, Theme.ContentWidth - 8);
        var h = lines.Count * c.LineHeight(Theme.Body);
        c.Ensure(h + 6);
        c.Fill(color, Theme.MarginX, c.Y, 3, h);
        for (var i = 0; i < lines.Count; i++)
            c.Text(lines[i], Theme.Body, Theme.Text, Theme.MarginX + 8, c.Y + i * c.LineHeight(Theme.Body));
        c.Y += h + 6;
    }
}
