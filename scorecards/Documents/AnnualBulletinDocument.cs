using System.Collections.Immutable;
using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;
using PdfSharp.Drawing;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>
/// A class's annual bulletin (年度考核排名通报): the class bulletin's title, ranking, excluded units and lists, with each
/// unit's total in every quarter read beside its year total.
/// </summary>
/// <param name="view">The class bulletin's view of the year's result.</param>
/// <param name="quarters">The quarters read (1…4), one column each.</param>
/// <param name="quarterTotals">Each unit's quarter totals by code, formatted, in the order of <paramref name="quarters"/>.</param>
internal sealed class AnnualBulletinDocument(BulletinView view, int[] quarters, IReadOnlyDictionary<string, string[]> quarterTotals)
{
    private static readonly string[] QuarterNames = ["一季度", "二季度", "三季度", "四季度"];

    public void Compose(Canvas canvas)
    {
        canvas.NewPage();
        canvas.OnContinuationPage = c => AnnualPaint.RunningHeader(c, $"{view.Title}　“{view.Class}”类年度考核排名通报（续）", view.Period);
        var y = AnnualPaint.Title(canvas, view.Title, $"“{view.Class}”类{view.Level}年度考核排名通报", view.Period);
        y += canvas.Paragraph($"规则集：{view.Ruleset}　　参评单位 {view.Rows.Length} 个　　同类平均 {view.ClassAverage} 分　　最高 {view.Highest} 分　　最低 {view.Lowest} 分",
            Theme.Small, Theme.Muted, Theme.MarginX, y, Theme.ContentWidth);
        canvas.Y = y + 8;
        Ranking(canvas);
        Excluded(canvas);
        AnnualPaint.Lists(canvas, view.RedList, view.BlackList,
            view.HasGrades ? $"同类平均分 {view.ClassAverage} 分。等次分布：{string.Join("，", view.Grades.Select(g => $"{g.Grade} {g.Count} 个"))}。" : $"同类平均分 {view.ClassAverage} 分。");
    }

    private void Ranking(Canvas c)
    {
        var gradeWidth = view.HasGrades ? 50 : 0;
        const double quarterWidth = 44;
        var rest = Theme.ContentWidth - 34 - 60 - quarters.Length * quarterWidth - 56 - gradeWidth - 50;
        List<Column> columns = [new("名次", 34, Align.Center), new("单位", rest), new("代码", 60)];
        columns.AddRange(quarters.Select(q => new Column(QuarterNames[q - 1], quarterWidth, Align.Right)));
        columns.Add(new("年度总分", 56, Align.Right));
        if (view.HasGrades) columns.Add(new("等次", gradeWidth, Align.Center));
        columns.Add(new("红黑榜", 50, Align.Center));
        new Table(c, columns, Theme.Body - 0.5, Theme.Small).Draw(view.Rows.Select(r =>
        {
            List<Cell> cells = [new Cell(r.Rank, Theme.Text, Bold: true), new Cell(r.Name, Theme.Text, Note: r.Vetoed ? "一票否决" : r.Incomplete ? "数据不全" : null, NoteColor: Theme.Red),
                new Cell(r.Code, Theme.Muted)];
            var totals = quarterTotals.GetValueOrDefault(r.Code);
            for (var i = 0; i < quarters.Length; i++) cells.Add(new Cell(totals?[i] ?? "—", Theme.Muted));
            cells.Add(new Cell(r.Total, Theme.Text, Bold: true));
            if (view.HasGrades) cells.Add(new Cell(r.Grade, r.Vetoed ? Theme.Red : Theme.Text));
            cells.Add(AnnualPaint.ListCell(r.Red, r.Black));
            return (IReadOnlyList<Cell>)cells;
        }));
        if (view.Rows.IsEmpty)
        {
            c.Text("本类别本年度没有参评单位。", Theme.Body, Theme.Muted, Theme.MarginX, c.Y + 4);
            c.Y += c.LineHeight(Theme.Body) + 4;
        }
        if (quarters.Length > 0)
        {
            c.Ensure(c.LineHeight(Theme.Small) + 4);
            c.Text("季度总分取各季度最新的公布结果（—：该季度未参评或未提供）", Theme.Small, Theme.Muted, Theme.MarginX, c.Y + 3);
            c.Y += c.LineHeight(Theme.Small) + 4;
        }
        c.Y += Theme.SectionGap;
    }

    private void Excluded(Canvas c)
    {
        if (view.Excluded.IsEmpty) return;
        new Table(c, [new Column("取消参评资格的单位", Theme.ContentWidth - 140), new Column("代码", 80), new Column("总分", 60, Align.Right)],
            Theme.Body - 0.5, Theme.Small).Draw(view.Excluded.Select(e => (IReadOnlyList<Cell>)
        [
            new Cell(e.Name, Theme.Text, Note: e.Reason, NoteColor: Theme.Red), new Cell(e.Code, Theme.Muted), new Cell(e.Total, Theme.Text),
        ]));
        c.Y += Theme.SectionGap;
    }
}

/// <summary>One unit's line in the level-wide ranking.</summary>
internal sealed record LevelRow(string LevelRank, string Name, string Code, string Class, string ClassRank, string Total, string Grade, bool Red, bool Black, bool Vetoed);

/// <summary>Everything the level-wide ranking (全省排名) prints.</summary>
internal sealed record LevelRankingView(string Title, string Level, string Period, string Ruleset, int Peers, bool HasGrades,
    ImmutableArray<LevelRow> Rows, ImmutableArray<ExcludedRow> Excluded, ImmutableArray<string> RedList, ImmutableArray<string> BlackList,
    ImmutableArray<(string Grade, int Count)> Grades, FooterView Footer);

/// <summary>
/// The level-wide ranking (全省排名, ruleset.md 2.4 levelRank): every ranked unit of the evaluated level, all classes together,
/// by levelRank; drawn where the ruleset's grades or lists use <c>scope: level</c>.
/// </summary>
internal sealed class LevelRankingDocument(LevelRankingView view)
{
    public void Compose(Canvas canvas)
    {
        canvas.NewPage();
        canvas.OnContinuationPage = c => AnnualPaint.RunningHeader(c, $"{view.Title}　全省{view.Level}排名（续）", view.Period);
        var y = AnnualPaint.Title(canvas, view.Title, $"全省{view.Level}年度考核排名", view.Period);
        y += canvas.Paragraph($"规则集：{view.Ruleset}　　参加全省排名 {view.Peers} 个（各类别合并，按总分排名，并列取较好名次）",
            Theme.Small, Theme.Muted, Theme.MarginX, y, Theme.ContentWidth);
        canvas.Y = y + 8;
        var gradeWidth = view.HasGrades ? 50 : 0;
        var rest = Theme.ContentWidth - 44 - 64 - 70 - 50 - 56 - gradeWidth - 50;
        List<Column> columns = [new("全省排名", 44, Align.Center), new("单位", rest), new("代码", 64), new("类别", 70), new("同类排名", 50, Align.Center),
            new("年度总分", 56, Align.Right)];
        if (view.HasGrades) columns.Add(new("等次", gradeWidth, Align.Center));
        columns.Add(new("红黑榜", 50, Align.Center));
        new Table(canvas, columns, Theme.Body - 0.5, Theme.Small).Draw(view.Rows.Select(r =>
        {
            List<Cell> cells = [new Cell(r.LevelRank, Theme.Text, Bold: true), new Cell(r.Name, Theme.Text, Note: r.Vetoed ? "一票否决" : null, NoteColor: Theme.Red),
                new Cell(r.Code, Theme.Muted), r.Class, r.ClassRank, new Cell(r.Total, Theme.Text, Bold: true)];
            if (view.HasGrades) cells.Add(new Cell(r.Grade, r.Vetoed ? Theme.Red : Theme.Text));
            cells.Add(AnnualPaint.ListCell(r.Red, r.Black));
            return (IReadOnlyList<Cell>)cells;
        }));
        canvas.Y += Theme.SectionGap;
        if (!view.Excluded.IsEmpty)
        {
            new Table(canvas, [new Column("取消参评资格的单位", Theme.ContentWidth - 140), new Column("代码", 80), new Column("总分", 60, Align.Right)],
                Theme.Body - 0.5, Theme.Small).Draw(view.Excluded.Select(e => (IReadOnlyList<Cell>)
            [
                new Cell(e.Name, Theme.Text, Note: e.Reason, NoteColor: Theme.Red), new Cell(e.Code, Theme.Muted), new Cell(e.Total, Theme.Text),
            ]));
            canvas.Y += Theme.SectionGap;
        }
        AnnualPaint.Lists(canvas, view.RedList, view.BlackList,
            view.HasGrades ? $"等次分布（全省）：{string.Join("，", view.Grades.Select(g => $"{g.Grade} {g.Count} 个"))}。" : "");
    }
}

/// <summary>Pieces the annual bulletin and the level ranking share (the class bulletin's look).</summary>
internal static class AnnualPaint
{
    public static double RunningHeader(Canvas c, string title, string period)
    {
        var y = Theme.MarginTop;
        c.Text(title, Theme.Small, Theme.Muted, Theme.MarginX, y);
        c.TextRight(period, Theme.Small, Theme.Muted, Theme.MarginX + Theme.ContentWidth, y);
        y += c.LineHeight(Theme.Small) + 2;
        c.Line(Theme.Rule, 0.5, Theme.MarginX, y, Theme.MarginX + Theme.ContentWidth, y);
        return y + 6;
    }

    /// <summary>The red title, the subtitle and the period, centred, over a red rule; returns the line below.</summary>
    public static double Title(Canvas c, string title, string subtitle, string period)
    {
        var center = Theme.MarginX + Theme.ContentWidth / 2;
        var y = c.Y + 6;
        c.TextCentered(title, Theme.Title, Theme.Red, center, y, bold: true);
        y += c.LineHeight(Theme.Title) + 2;
        c.TextCentered(subtitle, 13, Theme.Text, center, y, bold: true);
        y += c.LineHeight(13) + 2;
        c.TextCentered(period, Theme.Body, Theme.Text, center, y);
        y += c.LineHeight(Theme.Body) + 4;
        c.Line(Theme.Red, 1.5, Theme.MarginX, y, Theme.MarginX + Theme.ContentWidth, y);
        return y + 6;
    }

    public static Cell ListCell(bool red, bool black) =>
        red ? new Cell("红榜", Theme.White, Bold: true, Fill: Theme.Red) : black ? new Cell("黑榜", Theme.White, Bold: true, Fill: Theme.Black) : "";

    public static void Lists(Canvas c, IReadOnlyList<string> red, IReadOnlyList<string> black, string closing)
    {
        List(c, "红榜", red, Theme.Red);
        List(c, "黑榜", black, Theme.Black);
        if (closing.Length == 0) return;
        var h = c.Wrap(closing, Theme.Body, Theme.ContentWidth).Count * c.LineHeight(Theme.Body);
        c.Ensure(h);
        c.Y += c.Paragraph(closing, Theme.Body, Theme.Text, Theme.MarginX, c.Y, Theme.ContentWidth);
    }

    private static void List(Canvas c, string title, IReadOnlyList<string> names, XColor color)
    {
        var text = $"{title}（{names.Count} 个）：{(names.Count == 0 ? "无" : string.Join("、", names))}";
        var lines = c.Wrap(text, Theme.Body, Theme.ContentWidth - 8);
        var h = lines.Count * c.LineHeight(Theme.Body);
        c.Ensure(h + 6);
        c.Fill(color, Theme.MarginX, c.Y, 3, h);
        for (var i = 0; i < lines.Count; i++)
            c.Text(lines[i], Theme.Body, Theme.Text, Theme.MarginX + 8, c.Y + i * c.LineHeight(Theme.Body));
        c.Y += h + 6;
    }
}
