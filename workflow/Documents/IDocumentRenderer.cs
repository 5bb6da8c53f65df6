using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

/// <summary>
/// The seam between the workflow and the PDF renderer (<c>scorecards/</c>): results in, documents out.
/// Pure and deterministic: the same arguments give the same bytes.
/// </summary>
public interface IDocumentRenderer
{
    /// <summary>Renders the scorecards of the given units of a run (a batch of the queue fan-out, or all of them).</summary>
    /// <param name="result">The run's results.</param>
    /// <param name="stamp">The run's identity and time, printed in the footer.</param>
    /// <param name="unitCodes">Codes of units in <paramref name="result"/> to render.</param>
    /// <param name="previous">The previous period's published results of the same level, for rank changes; may be null.</param>
    /// <param name="ledger">
    /// The task ledger of the result's year as the run service read it (<see cref="Ledger.LedgerBulletins.ReadAsync"/>), or null
    /// for none: a unit with tasks in it gets its ledger section. The renderer reads nothing itself: it draws what it is handed.
    /// </param>
    IReadOnlyList<StoredDocument> RenderScorecards(EvaluationResult result, RunStamp stamp, IReadOnlyList<string> unitCodes, EvaluationResult? previous,
        LedgerBook? ledger);

    /// <summary>Renders one bulletin per class of the run.</summary>
    IReadOnlyList<StoredDocument> RenderBulletins(EvaluationResult result, RunStamp stamp, EvaluationResult? previous);

    /// <summary>
    /// Renders a month's documents (monitor.md §4): the level's monthly bulletin as a <see cref="DocumentKind.Bulletin"/>
    /// keyed by the level (<c>county</c>, <c>town</c>), then each unit's one-page document as a <see cref="DocumentKind.Scorecard"/>
    /// keyed by its code, in the result's order: what <c>render</c> writes as <c>bulletins/&lt;level&gt;.pdf</c> and <c>units/&lt;code&gt;.pdf</c>.
    /// </summary>
    IReadOnlyList<StoredDocument> RenderMonth(MonthResult result, RunStamp stamp);
}
