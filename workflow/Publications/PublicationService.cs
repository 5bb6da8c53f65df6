using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Publications;

/// <summary>
/// Publication of succeeded runs, and their scorecard archives, assembled on download from the stored documents
/// (<see cref="ScorecardArchive"/>: nothing stored twice). Used by the office's publish (every host) and by a run's
/// auto-publish (<see cref="Runs.RunService"/>).
/// </summary>
public sealed class PublicationService
{
    private readonly IRunStore _runs;
    private readonly IPublicationStore _publications;
    private readonly TimeProvider _clock;

    /// <summary>Creates the service.</summary>
    /// <param name="runs">The runs and their documents.</param>
    /// <param name="publications">The publication pointers.</param>
    /// <param name="clock">Where times come from.</param>
    public PublicationService(IRunStore runs, IPublicationStore publications, TimeProvider clock)
    {
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        _publications = publications ?? throw new ArgumentNullException(nameof(publications));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>
    /// Publishes a succeeded run for its period and level (a single atomic switch; re-publishing an older run is allowed and
    /// audited). Nothing is built: the run's ZIP is assembled from its stored scorecards when it is downloaded.
    /// </summary>
    public async Task<Publication> PublishAsync(string runId, string actor, CancellationToken cancellationToken = default) =>
        await PublishAsync(null, runId, actor, null, cancellationToken);

    /// <summary>
    /// Publishes a succeeded run provisionally with a notice of <paramref name="noticeDays"/> calendar days (公示; the deadline
    /// is the end of the N-th day after the day of publication, China time, see <see cref="Reviews.Notice.Deadline"/>), or
    /// finally when null. The notice-and-review rules are the store's (<see cref="IReviewStore.PublishAsync"/>): a
    /// publication replaces the period's provisional one, its open requests move to it, those being corrected are corrected.
    /// </summary>
    /// <exception cref="StoreException">Invalid: the notice days are out of range.</exception>
    /// <exception cref="StoreException">As the store's publish; Conflict also for a notice on a store that keeps none.</exception>
    public async Task<Publication> PublishAsync(string runId, string actor, int? noticeDays, CancellationToken cancellationToken = default) =>
        await PublishAsync(null, runId, actor, noticeDays, cancellationToken);

    /// <summary><see cref="PublishAsync(string, string, int?, CancellationToken)"/> of a run already read (or null: the store reads it).</summary>
    internal async Task<Publication> PublishAsync(EvaluationRun? run, string runId, string actor, int? noticeDays, CancellationToken cancellationToken)
    {
        if (noticeDays is { } days) Reviews.Notice.CheckDays(days);
        // A run that has not succeeded is refused by the store's switch below, with its reason.
        var at = _clock.GetUtcNow();
        if (_publications is IReviewStore reviews)
            return await reviews.PublishAsync(runId, actor, at, noticeDays, noticeDays is { } n ? Reviews.Notice.Deadline(at, n) : null, cancellationToken);
        if (noticeDays is not null)
            throw new StoreException(StoreError.Conflict, "这个存储不支持公示（--notice-days），只能正式发布");
        return await _publications.PublishAsync(runId, actor, at, cancellationToken);
    }

    /// <summary>Where a download reports a damaged stored scorecard (one line each). Hosts point it at their log; null says nothing.</summary>
    public Action<string>? Warn { get; set; }

    /// <summary>
    /// Opens a succeeded run's scorecard archive (ZIP, see <see cref="ScorecardArchive"/>), assembled from its stored
    /// scorecards as it is read. Every scorecard is checked first against the SHA-256 and length recorded when it was
    /// saved: a damaged one is said on <see cref="Warn"/> and the caller gets <see cref="ArchiveUnavailableException"/>
    /// (hosts answer 503), never a wrong or truncated file. The caller disposes the result.
    /// </summary>
    /// <exception cref="StoreException">NotFound: no such run; Conflict: the run has not succeeded.</exception>
    /// <exception cref="ArchiveUnavailableException">A stored scorecard is damaged.</exception>
    public Task<RunArchive> OpenArchiveAsync(string runId, CancellationToken cancellationToken = default) =>
        OpenArchiveAsync(runId, null, cancellationToken);

    /// <summary>
    /// <see cref="OpenArchiveAsync(string, CancellationToken)"/> with each stored scorecard, once checked, turned into the bytes
    /// the archive holds by <paramref name="serve"/> (deterministic: it runs again as the entry is streamed), or as stored when null.
    /// </summary>
    public async Task<RunArchive> OpenArchiveAsync(string runId, Func<StoredDocument, StoredDocument>? serve, CancellationToken cancellationToken = default)
    {
        var run = await _runs.GetRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");
        if (run.Status != RunStatus.Succeeded)
            throw new StoreException(StoreError.Conflict, $"运行 {runId} 还没有成功完成，没有记分卡归档");
        try
        {
            return await ScorecardArchive.OpenAsync(_runs, runId, serve, cancellationToken);
        }
        catch (ArchiveDamagedException e)
        {
            Warn?.Invoke($"运行 {runId} 的记分卡归档无法组装：{e.Message.ReplaceLineEndings(" ")}");
            throw new ArchiveUnavailableException(runId, e);
        }
    }
}

/// <summary>
/// A run's scorecard archive cannot be assembled: a stored scorecard is damaged (hosts answer 503: restore the store, or
/// evaluate the period again): the download is refused rather than sent wrong or cut short.
/// </summary>
public sealed class ArchiveUnavailableException(string runId, Exception? inner)
    : Exception($"运行 {runId} 的记分卡已损坏，归档暂时不能下载", inner)
{
    /// <summary>The run.</summary>
    public string RunId { get; } = runId;
}
