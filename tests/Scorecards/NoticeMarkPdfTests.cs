using System.Text.RegularExpressions;
using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>The 公示稿 stamp on a rendered PDF (<see cref="NoticeMark"/>), read back with poppler-utils.</summary>
public sealed class NoticeMarkPdfTests
{
    private static readonly NoticeMark Provisional = new("2026-03-15 24:00（北京时间）", null, "2025Q3\ncounty\nrun-test-0001\nprovisional\nrevision=1");

    // 90 units of one class: the bulletin flows onto several pages.
    private static readonly Lazy<RenderedDocument> Long = new(() =>
    {
        var units = Enumerable.Range(1, 90).Select(i => ($"U{i:000}", $"第{i}县")).ToList();
        var rows = string.Join("\n", units.Select((u, i) => Small.Rows(u.Item1, 6, k => 40 + (i * 7 + k) % 60)));
        return ScorecardRenderer.RenderBulletin(Small.Evaluate(Small.Ruleset(6), units, rows), "创先", Small.Stamp);
    });

    private static int Pages(byte[] pdf) => int.Parse(Regex.Match(Pdf.Info(pdf), @"Pages:\s+(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Every_page_of_a_long_bulletin_carries_the_mark_and_the_deadline_over_the_figures_it_had()
    {
        var doc = Long.Value;
        Assert.True(doc.PageCount > 2, $"{doc.PageCount} pages");
        var marked = Provisional.Apply(doc.Pdf, bulletin: true);

        Assert.Equal(doc.PageCount, Pages(marked));
        for (var p = 1; p <= doc.PageCount; p++)
        {
            var page = Pdf.Flat(Pdf.PageText(marked, p));
            Assert.Contains("公示稿", page);
            Assert.Contains("复核申请截止2026-03-1524:00（北京时间）", page);
        }
        // What each page said before is still there, word for word, where it was.
        var after = Pdf.Words(marked).Select(w => (w.Page, w.Word, Math.Round(w.XMin), Math.Round(w.YMin))).ToHashSet();
        var before = Pdf.Words(doc.Pdf);
        Assert.True(before.Count > 500, $"{before.Count} words");
        Assert.All(before, w => Assert.Contains((w.Page, w.Word, Math.Round(w.XMin), Math.Round(w.YMin)), after));
        var text = Pdf.Text(marked);
        for (var i = 1; i <= 90; i++) Assert.Single(Regex.Matches(text, $@"U{i:000}\b"));
        // Every font embedded (the mark's subset too), no complaint from poppler.
        var fonts = Pdf.Fonts(marked).Split('\n').Skip(2).Where(l => l.Trim().Length > 0).ToList();
        Assert.True(fonts.Count >= 2, Pdf.Fonts(marked));
        Assert.All(fonts, line => Assert.Matches(@"Identity-H\s+yes\s+yes", line));
    }

    [Fact]
    public void The_same_mark_gives_the_same_bytes_and_another_notice_other_bytes()
    {
        var doc = Long.Value.Pdf;
        var once = Provisional.Apply(doc, bulletin: false);
        Assert.Equal(once, Provisional.Apply(doc, bulletin: false));
        Assert.NotEqual(doc, once);
        // Another revision's notice with the same deadline: other ids, so other bytes (and another ETag).
        var other = Provisional with { Seed = "2025Q3\ncounty\nrun-test-0001\nprovisional\nrevision=2" };
        Assert.NotEqual(once, other.Apply(doc, bulletin: false));
        // The run's dates stay the input's (no wall clock).
        var info = Pdf.Info(once);
        Assert.Equal(Regex.Match(Pdf.Info(doc), @"ModDate:.*").Value, Regex.Match(info, @"ModDate:.*").Value);
    }

    [Fact]
    public void The_statement_goes_on_the_first_page_of_a_bulletin_only_and_nothing_else_is_touched()
    {
        var final = new NoticeMark(null, "公示期间收到复核申请 3 件，更正 1 件", "final");
        var doc = Long.Value.Pdf;
        var stated = final.Apply(doc, bulletin: true);
        Assert.Contains("公示期间收到复核申请3件，更正1件", Pdf.Flat(Pdf.PageText(stated, 1)));
        Assert.DoesNotContain("公示期间收到复核申请", Pdf.Flat(Pdf.PageText(stated, 2)));
        Assert.DoesNotContain("公示稿", Pdf.Flat(Pdf.Text(stated)));
        // A scorecard gets nothing from a final statement: the very same bytes; so do bytes that are not a PDF.
        Assert.Same(doc, final.Apply(doc, bulletin: false));
        var notPdf = "run=run-1\nscorecard A1"u8.ToArray();
        Assert.Same(notPdf, Provisional.Apply(notPdf, bulletin: true));
    }
}
