using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Scorecards.Documents;

/// <summary>
/// The annual scorecard's own sections (annual contract §2), drawn after the year-end indicators and adjustments with the
/// scorecard's tables: the unit's figures in the quarters and months read (then the scorecard's ledger section), and the
/// publications read.
/// </summary>
internal static class AnnualSection
{
    /// <summary>年度过程考核: the four quarters' totals and ranks, the months' lights counted.</summary>
    public static void Process(Canvas c, AnnualSectionView a)
    {
        c.Y += Theme.SectionGap;
        Heading(c, "年度过程考核（数据来源）", "本单位在本年度各期公布结果中的数字（读取各期最新的公布结果）");
        if (!a.HasSources)
        {
            Line(c, "本规则集没有数据来源（sources），未读取季度考核和月度监测的公布结果。", Theme.Muted);
            if (a.LedgerAbsent) Line(c, "任务台账：本年度没有本单位的任务。", Theme.Muted);
            return;
        }

        Sub(c, "季度考核");
        var rest = Theme.ContentWidth - 60 - 70 - 80 - (a.HasLevelRank ? 80 : 0);
        List<Column> columns = [new("季度", 60, Align.Center), new("总分", 70, Align.Right), new("同类排名", 80, Align.Center)];
        if (a.HasLevelRank) columns.Add(new("全省排名", 80, Align.Center));
        columns.Add(new("公布的运行", rest));
        new Table(c, columns).Draw(a.Quarters.Select(q =>
        {
            List<Cell> cells = [new Cell(q.Quarter, Theme.Text, Bold: true), new Cell(q.Total, Theme.Text, Bold: true), q.Rank];
            if (a.HasLevelRank) cells.Add(q.LevelRank);
            cells.Add(new Cell(q.Run, Theme.Muted));
            return (IReadOnlyList<Cell>)cells;
        }));
        Line(c, a.QuartersWithTotal == 0 ? "没有读取到本单位的季度总分。" : $"季度总分平均 {a.QuarterMean}（{a.QuartersWithTotal} 个季度）", Theme.Text);

        Sub(c, "月度监测亮灯");
        if (a.MonthsRead == 0)
        {
            Line(c, "本年度没有读取月度监测的公布结果。", Theme.Muted);
        }
        else
        {
            var lightWidth = Math.Min(70, (Theme.ContentWidth - 60 - 120) / Math.Max(1, a.Lights.Length));
            var runWidth = Theme.ContentWidth - 60 - lightWidth * a.Lights.Length;
            List<Column> months = [new("月份", 60, Align.Center)];
            months.AddRange(a.Lights.Select(l => new Column(LightPaint.Label(l), lightWidth, Align.Center)));
            months.Add(new("公布的运行", runWidth));
            new Table(c, months).Draw(a.Months.Select(m =>
            {
                List<Cell> cells = [new Cell(m.Month, Theme.Text, Bold: true)];
                for (var i = 0; i < a.Lights.Length; i++)
                {
                    if (m.Counts is not { } counts) cells.Add(new Cell("—", Theme.Muted));
                    else if (counts[i] == 0) cells.Add(new Cell("0", Theme.Muted));
                    else cells.Add(new Cell(counts[i].ToString(System.Globalization.CultureInfo.InvariantCulture), LightPaint.Ink(a.Lights[i]), Bold: true, Fill: LightPaint.Tint(a.Lights[i])));
                }
                cells.Add(new Cell(m.Run, Theme.Muted));
                return (IReadOnlyList<Cell>)cells;
            }));
            var counted = string.Join("、", a.Lights.Select((l, i) => $"{l.Name} {a.LightTotals[i]} 个"));
            Line(c, $"全年亮灯：{counted}（读取 {a.MonthsRead} 个月）", Theme.Text);
        }
        if (a.LedgerAbsent) Line(c, "任务台账：本年度没有本单位的任务。", Theme.Muted);
        if (a.Unprovided is { } note) Line(c, note, Theme.Amber);
    }

    /// <summary>读取的公布结果: period, kind, run and hash of each publication read, in the results' order.</summary>
    public static void Publications(Canvas c, AnnualSectionView a)
    {
        if (!a.HasSources) return;
        c.Y += Theme.SectionGap;
        Heading(c, "读取的公布结果", "年度考核运行读取的各期公布结果（期间、运行编号、结果文件的 SHA-256）");
        if (a.Read.IsEmpty)
        {
            Line(c, "没有读取任何公布结果（本年度还没有公布的季度考核或月度监测）。", Theme.Muted);
            return;
        }
        new Table(c, [new Column("期间", 70, Align.Center), new Column("类型", 70, Align.Center), new Column("运行", Theme.ContentWidth - 70 - 70 - 90),
            new Column("SHA-256", 90)]).Draw(a.Read.Select(r => (IReadOnlyList<Cell>)
        [
            new Cell(r.Period, Theme.Text, Bold: true), r.Kind, r.Run, new Cell(r.Sha256, Theme.Muted),
        ]));
    }

    private static void Heading(Canvas c, string title, string note)
    {
        c.Ensure(c.LineHeight(Theme.Heading) + 3 * c.LineHeight(Theme.Body) + 30);
        var w = c.Text(title, Theme.Heading, Theme.Text, Theme.MarginX, c.Y, bold: true);
        c.Text(note, Theme.Small, Theme.Muted, Theme.MarginX + w + 8, c.Y + 2);
        c.Y += c.LineHeight(Theme.Heading) + 3;
    }

    private static void Sub(Canvas c, string title)
    {
        c.Y += 4;
        c.Ensure(c.LineHeight(Theme.Body) + 3 * c.LineHeight(Theme.Cell) + 16);
        c.Text(title, Theme.Body, Theme.Accent, Theme.MarginX, c.Y + 2, bold: true);
        c.Y += c.LineHeight(Theme.Body) + 4;
    }

    private static void Line(Canvas c, string text, PdfSharp.Drawing.XColor color)
    {
        var lh = c.LineHeight(Theme.Body);
        foreach (var line in c.Wrap(text, Theme.Body, Theme.ContentWidth))
        {
            c.Ensure(lh + 3);
            c.Text(line, Theme.Body, color, Theme.MarginX, c.Y + 3);
            c.Y += lh + 3;
        }
    }
}
