using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;

namespace BaiQianWan.Assess.Store.Workflow;

/// <summary>
/// The product's <see cref="IDocumentRenderer"/>: PDF scorecards and bulletins from <c>scorecards/</c>.
/// A batch is drawn on every core (each document is independent and deterministic, and the output keeps
/// the order asked for). A character no embedded font has is never dropped silently: it is drawn as □ and
/// handed to <paramref name="onMissing"/> with the document it belongs to.
/// </summary>
/// <param name="onMissing">Told of each character a document could not draw (document key, character); may be null.</param>
/// <param name="maxDegreeOfParallelism">Documents drawn at once; default: one per core.</param>
public sealed class PdfDocumentRenderer(Action<string, MissingCharacter>? onMissing = null, int maxDegreeOfParallelism = -1) : IDocumentRenderer
{
    /// <inheritdoc />
    public IReadOnlyList<StoredDocument> RenderScorecards(EvaluationResult result, RunStamp stamp, IReadOnlyList<string> unitCodes, EvaluationResult? previous)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentNullException.ThrowIfNull(unitCodes);
        var documentStamp = Stamp(stamp);
        return Render(unitCodes, code => ScorecardRenderer.RenderScorecard(result, code, documentStamp, previous), DocumentKind.Scorecard);
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredDocument> RenderBulletins(EvaluationResult result, RunStamp stamp, EvaluationResult? previous)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(stamp);
        var documentStamp = Stamp(stamp);
        // One bulletin per class that has scored units, in the order the results list them (ruleset order).
        var classes = result.Units.Select(u => u.Class).Distinct(StringComparer.Ordinal).ToList();
        return Render(classes, name => ScorecardRenderer.RenderBulletin(result, name, documentStamp, previous), DocumentKind.Bulletin);
    }

    private static DocumentStamp Stamp(RunStamp stamp) => new(stamp.RunId, stamp.At, stamp.Sample);

    private StoredDocument[] Render(IReadOnlyList<string> keys, Func<string, RenderedDocument> render, DocumentKind kind)
    {
        var rendered = new RenderedDocument[keys.Count];
        Parallel.For(0, keys.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, i => rendered[i] = render(keys[i]));
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
