using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Scorecards.Documents;
using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Scorecards;

/// <summary>
/// The task ledger's documents (ledger.md §5): a level's monthly ledger bulletin. Pure and thread-safe like
/// <see cref="ScorecardRenderer"/>: the same ledger, month and stamp give the same bytes. (A unit's own ledger in its
/// scorecard is the optional <c>ledger</c> argument of <see cref="ScorecardRenderer.RenderScorecard"/>.)
/// </summary>
public static class LedgerDocuments
{
    /// <summary>The bulletin's path in a document set: <c>bulletins/ledger-&lt;level&gt;.pdf</c> (<c>ledger-county</c>, <c>ledger-town</c>).</summary>
    public static string BulletinPath(UnitLevel level) => $"bulletins/{BulletinKey(level)}.pdf";

    /// <summary>The bulletin's key among a run's documents: <c>ledger-&lt;level&gt;</c>.</summary>
    public static string BulletinKey(UnitLevel level) => $"ledger-{level.ToText()}";

    /// <summary>
    /// The monthly ledger bulletin of <paramref name="level"/>: per unit of the level with tasks in the year, the counts of
    /// §4 and the lights of §3 on the month's last day, and the overdue tasks, red first, then by days overdue. Null when no
    /// unit of the level has a task in the year.
    /// </summary>
    /// <param name="book">The year's ledger.</param>
    /// <param name="month">1–12, of the ledger's year.</param>
    /// <param name="level">The level (county or town).</param>
    /// <param name="stamp">The run (or the command) that renders it: printed in the footer, and the source of the PDF's id and dates.</param>
    public static RenderedDocument? RenderBulletin(LedgerBook book, int month, UnitLevel level, DocumentStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        var view = LedgerBulletinView.Build(book, month, level, stamp);
        if (view is null) return null;
        using var canvas = new Canvas(view.Title, $"ledger-bulletin\n{book.Year}-{month:00}\n{level.ToText()}\n{view.DataSha256}", stamp);
        new LedgerBulletinDocument(view).Compose(canvas);
        return canvas.Finish((c, g, page, pages) => Footer.Draw(c, g, view.Footer, page, pages));
    }
}
