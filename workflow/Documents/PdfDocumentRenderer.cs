using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

/// <summary>
/// The product's <see cref="IDocumentRenderer"/>: PDF scorecards and bulletins from <c>scorecards/</c>
/// (<see cref="DocumentSet"/>), a batch drawn on every core. A character no embedded font has is never dropped
/// silently: it is drawn as □ and handed to <paramref name="onMissing"/> with the document it belongs to.
/// </summary>
/// <param name="onMissing">Told of each character a document could not draw (document key, character); may be null.</param>
/// <param name="parallelism">Documents drawn at once; default: one per core.</param>
/// <param name="sources">
/// For a year's result (<see cref="AnnualDocuments"/>): the contents of the publications it read (e.g.
/// <see cref="AnnualSources.Read"/>), shown on its annual scorecards and bulletins; null: they are listed by period, run and
/// hash only. A year's result gets annual scorecards, annual bulletins and, with a level scope, the level-wide ranking
/// (a bulletin keyed <see cref="AnnualDocuments.LevelRankingKey"/>); a quarter's documents are unchanged.
/// </param>
/// <remarks>
/// It reads no ledger: a scorecard's ledger section is drawn from the <see cref="LedgerBook"/> the run service read and
/// hands to <see cref="RenderScorecards"/>; without one every scorecard is as before, byte for byte.
/// </remarks>
public sealed class PdfDocumentRenderer(Action<string, MissingCharacter>? onMissing = null, int parallelism = 0,
    Func<EvaluationResult, IReadOnlyList<Rules.Annual.Publication>>? sources = null) : IDocumentRenderer
{
    private readonly int _parallelism = parallelism > 0 ? parallelism : Environment.ProcessorCount;

    /// <inheritdoc />
    public IReadOnlyList<StoredDocument> RenderScorecards(EvaluationResult result, RunStamp stamp, IReadOnlyList<string> unitCodes, EvaluationResult? previous,
        LedgerBook? ledger)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentNullException.ThrowIfNull(unitCodes);
        ArgumentNullException.ThrowIfNull(result);
        if (AnnualDocuments.IsAnnual(result))
            return Store(DocumentKind.Scorecard, unitCodes, AnnualDocuments.RenderScorecards(result, unitCodes, Stamp(stamp),
                unitCodes.Count > 0 ? sources?.Invoke(result) : null, previous, _parallelism, ledger));
        return Store(DocumentKind.Scorecard, unitCodes, DocumentSet.RenderScorecards(result, unitCodes, Stamp(stamp), previous, _parallelism, ledger));
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredDocument> RenderBulletins(EvaluationResult result, RunStamp stamp, EvaluationResult? previous)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentNullException.ThrowIfNull(result);
        if (AnnualDocuments.IsAnnual(result))
        {
            var annual = AnnualDocuments.RenderBulletins(result, Stamp(stamp), sources?.Invoke(result), previous, _parallelism);
            return Store(DocumentKind.Bulletin, [.. annual.Select(b => b.Key)], [.. annual.Select(b => b.Document)]);
        }
        return Store(DocumentKind.Bulletin, DocumentSet.BulletinClasses(result), DocumentSet.RenderBulletins(result, Stamp(stamp), previous, _parallelism));
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredDocument> RenderMonth(MonthResult result, RunStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stamp);
        var rendered = MonthDocuments.RenderAll(result, Stamp(stamp), _parallelism);
        // RenderAll gives the bulletin first, then the units in the result's order.
        var keys = new[] { result.Monitor.Level.ToText() }.Concat(result.Units.Select(u => u.Code)).ToArray();
        var documents = new StoredDocument[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var kind = i == 0 ? DocumentKind.Bulletin : DocumentKind.Scorecard;
            if (onMissing is not null)
                foreach (var missing in rendered[i].Document.Missing) onMissing(keys[i], missing);
            documents[i] = StoredDocument.Of(kind, keys[i], rendered[i].Document.Pdf);
        }
        return documents;
    }

    private static DocumentStamp Stamp(RunStamp stamp) => new(stamp.RunId, stamp.At, stamp.Sample);

    private StoredDocument[] Store(DocumentKind kind, IReadOnlyList<string> keys, RenderedDocument[] rendered)
    {
        var documents = new StoredDocument[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            if (onMissing is not null)
                foreach (var missing in rendered[i].Missing) onMissing(keys[i], missing);
            documents[i] = StoredDocument.Of(kind, keys[i], rendered[i].Pdf);
        }
        return documents;
    }
}
