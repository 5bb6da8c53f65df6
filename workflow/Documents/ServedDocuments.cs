using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Ledger;
using BaiQianWan.Assess.Workflow.Reviews;

namespace BaiQianWan.Assess.Workflow.Documents;

/// <summary>
/// The one place every download of a run's documents goes through (the API's scorecards and bulletins, the portal's PDF
/// links, the scorecard archive, the month documents, the export): the stored document with its publication's notice state
/// stamped on at serve time (<see cref="NoticeMark"/>). While the run is its period's current provisional publication,
/// every page carries 公示稿 with the deadline; once a publication that went through notice is final, its bulletins (a
/// quarter's or a year's class bulletins, a month's bulletin; not a month's ledger bulletin) state
/// <c>公示期间收到复核申请 N 件，更正 M 件</c>. A run that is not its period's current publication, or one published final
/// directly, is served as stored, byte for byte.
/// </summary>
/// <remarks>
/// Stamped at serve time rather than rendered again at publication: a run's documents are rendered once (batches on the
/// queue) and kept with their SHA-256; the same run is provisional and then final with no new rendering, a publication
/// made final directly keeps the stored bytes untouched, and the stored documents stay what <c>rerender</c> reproduces.
/// The stamp is a function of the stored bytes and the notice (its period, level, revision and deadline; for the final
/// statement the counts), so the same notice gives byte-identical downloads (and the same ETag). Stamping costs a PDFsharp
/// open, draw and save (tens of ms a page): every path goes through <see cref="Serve"/>, whose <see cref="Stamps"/> cache keeps
/// the stamped bytes per stored document and mark, so a document is stamped at most once per notice (revision and deadline)
/// while it stays in the cache: the archive's first pass (lengths and CRCs) fills it and its streaming pass reads it.
/// </remarks>
public sealed class ServedDocuments
{
    private readonly IRunStore _runs;
    private readonly ReviewService? _reviews;

    /// <summary>Creates the service.</summary>
    /// <param name="runs">The runs and their stored documents.</param>
    /// <param name="reviews">The notices and their counts, or null on a store that keeps no notices (then nothing is stamped).</param>
    /// <param name="cache">The stamped bytes kept between requests; a <see cref="StampCache"/> of the default capacity when null.</param>
    public ServedDocuments(IRunStore runs, ReviewService? reviews, StampCache? cache = null)
    {
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        _reviews = reviews;
        Stamps = cache ?? new StampCache();
    }

    /// <summary>The stamped documents kept (shared by every download path).</summary>
    public StampCache Stamps { get; }

    /// <summary>
    /// What a run's documents carry now: the 公示稿 mark while the run is its period's current provisional publication, the
    /// final statement once that publication went through notice and is final, otherwise null (served as stored).
    /// </summary>
    public async Task<NoticeMark?> MarkAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (_reviews is null) return null;
        var run = await _runs.GetRunAsync(runId, cancellationToken);
        if (run is null) return null;
        var notice = await _reviews.GetNoticeAsync(run.Period, run.Level, cancellationToken);
        if (notice is null || notice.RunId != runId) return null;
        var where = $"{run.Period}\n{run.Level.ToText()}\n{runId}";
        switch (notice.State)
        {
            case NoticeState.Provisional when notice.Deadline is { } deadline:
                return new NoticeMark(Notice.Text(deadline), null, $"{where}\nprovisional\nrevision={notice.Revision}\n{deadline.UtcDateTime:O}");
            case NoticeState.Final:
                // The statement once the period went through a notice (this publication's own, or an earlier one it followed:
                // a correction published final directly after the deadline); a period never under notice prints nothing new.
                var notices = await _reviews.GetNoticesAsync(run.Period, run.Level, cancellationToken);
                if (!notice.HadNotice && !notices.Any(n => n.Revision < notice.Revision && n.HadNotice)) return null;
                // The counts as they stood when this publication was made final (a publication restored after a withdrawal
                // counts as the one it restores): later requests are filed on later revisions, and a final publication never changes.
                var madeFinal = notices.Where(n => n.State == NoticeState.Final && n.RunId == runId && n.Deadline == notice.Deadline && n.Revision <= notice.Revision)
                    .Select(n => n.Revision).DefaultIfEmpty(notice.Revision).Min();
                var counts = await _reviews.CountAsync(run.Period, run.Level, madeFinal, cancellationToken);
                return new NoticeMark(null, counts.Text, $"{where}\nfinal\n{counts.Text}");
            default:
                return null;
        }
    }

    /// <summary>A run's stored document as it is served now (<see cref="MarkAsync"/> stamped on), or null when none is stored.</summary>
    public async Task<StoredDocument?> GetAsync(string runId, DocumentKind kind, string key, CancellationToken cancellationToken = default)
    {
        var document = await _runs.GetDocumentAsync(runId, kind, key, cancellationToken);
        return document is null ? null : Serve(await MarkAsync(runId, cancellationToken), document);
    }

    /// <summary>
    /// <see cref="Apply"/> through the cache: the same stored document with the same mark is stamped once and then served
    /// from <see cref="Stamps"/> (byte-identical: the stamp is deterministic).
    /// </summary>
    public StoredDocument Serve(NoticeMark? mark, StoredDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return mark is null ? document : Stamps.Serve(mark, document, IsBulletin(document));
    }

    private static bool IsBulletin(StoredDocument document) =>
        document.Kind == DocumentKind.Bulletin && !LedgerBulletins.IsLedgerKey(document.Key);

    /// <summary>
    /// A stored document with <paramref name="mark"/> stamped on (the statement only on a results bulletin, never on a month's
    /// ledger bulletin); the document itself when the mark is null or draws nothing on it. Stamps every time (no cache):
    /// downloads go through <see cref="Serve"/>.
    /// </summary>
    public static StoredDocument Apply(NoticeMark? mark, StoredDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (mark is null) return document;
        var bytes = mark.Apply(document.Content, IsBulletin(document));
        return ReferenceEquals(bytes, document.Content) ? document : StoredDocument.Of(document.Kind, document.Key, bytes);
    }
}
