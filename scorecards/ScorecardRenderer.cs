using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards.Documents;
using BaiQianWan.Assess.Scorecards.Layout;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Scorecards;

/// <summary>
/// Renders scorecards (one unit, one evaluation) and bulletins (one class) to PDF. Pure: results in, bytes out;
/// no clock, no files. Thread-safe: each call draws its own document; the fonts are loaded once per process.
/// </summary>
public static class ScorecardRenderer
{
    /// <summary>A unit's scorecard.</summary>
    /// <param name="result">The evaluation.</param>
    /// <param name="unitCode">A unit scored in <paramref name="result"/>.</param>
    /// <param name="stamp">The run: printed in the footer, and the source of the PDF's id and dates.</param>
    /// <param name="previous">The previous period's result of the same level, for the change in rank; may be null.</param>
    /// <param name="ledger">
    /// The task ledger of the result's year, or null: a unit with tasks in it gets a section with its own tasks on the
    /// period's end (counts and overdue tasks); without a ledger, or for a unit without tasks, the scorecard is unchanged.
    /// </param>
    /// <exception cref="ArgumentException">The unit is not in the result.</exception>
    public static RenderedDocument RenderScorecard(EvaluationResult result, string unitCode, DocumentStamp stamp, EvaluationResult? previous = null,
        LedgerBook? ledger = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Render(result, unitCode, stamp, previous, Snapshot(ledger, result));
    }

    /// <summary>The ledger replayed to the result's period end, or null (no ledger, another year, no task).</summary>
    internal static (LedgerBook Book, LedgerSnapshot Snapshot)? Snapshot(LedgerBook? ledger, EvaluationResult result) =>
        ledger is not null && ledger.Year == result.Period.Year && ledger.HasTasks ? (ledger, LedgerSnapshot.Of(ledger, result.Period)) : null;

    /// <summary>A scorecard with the ledger already replayed (a batch replays it once).</summary>
    internal static RenderedDocument Render(EvaluationResult result, string unitCode, DocumentStamp stamp, EvaluationResult? previous,
        (LedgerBook Book, LedgerSnapshot Snapshot)? ledger)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stamp);
        var view = ScorecardView.Build(result, unitCode, stamp, previous);
        if (ledger is { } l) view = view with { Ledger = LedgerSectionView.Of(l.Snapshot, unitCode, l.Book.Settings) };
        using var canvas = new Canvas($"{view.UnitName} {view.Period} 考核评价记分卡", $"scorecard\n{result.Period}\n{result.Ruleset.Sha256}\n{unitCode}", stamp);
        new ScorecardDocument(view).Compose(canvas);
        return canvas.Finish((c, g, page, pages) => Footer.Draw(c, g, view.Footer, page, pages));
    }

    /// <summary>A class's ranking bulletin.</summary>
    /// <param name="result">The evaluation.</param>
    /// <param name="className">A class of the ruleset.</param>
    /// <param name="stamp">The run.</param>
    /// <param name="previous">The previous period's result, for changes in rank; may be null.</param>
    /// <exception cref="ArgumentException">The class is not one of the ruleset's.</exception>
    public static RenderedDocument RenderBulletin(EvaluationResult result, string className, DocumentStamp stamp, EvaluationResult? previous = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stamp);
        var view = BulletinView.Build(result, className, stamp, previous);
        using var canvas = new Canvas($"{view.Title} {view.Class} {view.Period} 排名通报", $"bulletin\n{result.Period}\n{result.Ruleset.Sha256}\n{className}", stamp);
        new BulletinDocument(view).Compose(canvas);
        return canvas.Finish((c, g, page, pages) => Footer.Draw(c, g, view.Footer, page, pages));
    }
}
