using System.Collections.Concurrent;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Publications;

/// <summary>
/// Publication of succeeded runs and their scorecard archives: an archive is built once (at publication, or on first
/// request for runs published before archives existed), stored, and read back as a stream. Used by the office's
/// publish (every host) and by a run's auto-publish (<see cref="Runs.RunService"/>).
/// </summary>
public sealed class PublicationService
{
    private readonly IRunStore _runs;
    private readonly IPublicationStore _publications;
    private readonly TimeProvider _clock;

    // Builds under way in this process, by run: concurrent first requests wait for one build.
    private readonly ConcurrentDictionary<string, Lazy<Task>> _archiving = new(StringComparer.Ordinal);

    /// <summary>Creates the service.</summary>
    /// <param name="runs">The runs and their archives.</param>
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
    /// audited). The run's scorecard archive is built and stored first, unless it has one (a re-published run keeps
    /// its own), so a published run's ZIP is always read from storage, never built per request.
    /// </summary>
    public async Task<Publication> PublishAsync(string runId, string actor, CancellationToken cancellationToken = default) =>
        await PublishAsync(await _runs.GetRunAsync(runId, cancellationToken), runId, actor, null, cancellationToken);

    /// <summary>
    /// Publishes a succeeded run provisionally with a notice of <paramref name="noticeDays"/> calendar days (公示; the deadline
    /// is the end of the N-th day after the day of publication, China time, see <see cref="Reviews.Notice.Deadline"/>), or
    /// finally when null. The notice-and-review rules are the store's (<see cref="IReviewStore.PublishAsync"/>): a
    /// publication replaces the period's provisional one, its open requests move to it, those being corrected are corrected.
    /// </summary>
    /// <exception cref="InputRejectedException">The notice days are out of range.</exception>
    /// <exception cref="StoreException">As the store's publish; Conflict also for a notice on a store that keeps none.</exception>
    public async Task<Publication> PublishAsync(string runId, string actor, int? noticeDays, CancellationToken cancellationToken = default) =>
        await PublishAsync(await _runs.GetRunAsync(runId, cancellationToken), runId, actor, noticeDays, cancellationToken);

    /// <summary><see cref="PublishAsync(string, string, int?, CancellationToken)"/> of a run already read (it is not read again).</summary>
    internal async Task<Publication> PublishAsync(EvaluationRun? run, string runId, string actor, int? noticeDays, CancellationToken cancellationToken)
    {
        if (noticeDays is { } days) Reviews.Notice.CheckDays(days);
        // A run that has not succeeded is refused by the store's switch below, with its reason; no archive for it.
        if (run is { Status: RunStatus.Succeeded })
            await EnsureArchiveAsync(run, cancellationToken);
        var at = _clock.GetUtcNow();
        if (_publications is IReviewStore reviews)
            return await reviews.PublishAsync(runId, actor, at, noticeDays, noticeDays is { } n ? Reviews.Notice.Deadline(at, n) : null, cancellationToken);
        if (noticeDays is not null)
            throw new StoreException(StoreError.Conflict, "这个存储不支持公示（--notice-days），只能正式发布");
        return await _publications.PublishAsync(runId, actor, at, cancellationToken);
    }

    /// <summary>
    /// Where publication reports what it repaired or could not (one line each): a stored archive found damaged and
    /// rebuilt, or one that could not be. Hosts point it at their log; null says nothing.
    /// </summary>
    public Action<string>? Warn { get; set; }

    /// <summary>
    /// Opens a succeeded run's stored scorecard archive (ZIP, see <see cref="ScorecardArchive"/>); when the run has
    /// none yet (it was published before archives were built at publication), builds and stores it first, once.
    /// The stored bytes are verified before they are handed out: their length and SHA-256 must be the ones recorded
    /// when the archive was saved. A damaged archive (cut short, overwritten) is never streamed: it is rebuilt from the
    /// run's stored documents, saved in its place and said on <see cref="Warn"/>; when it cannot be, the caller gets
    /// <see cref="ArchiveUnavailableException"/> (hosts answer 503), never a truncated file. The caller disposes the result.
    /// </summary>
    /// <exception cref="StoreException">NotFound: no such run; Conflict: the run has not succeeded.</exception>
    /// <exception cref="ArchiveUnavailableException">The stored archive is damaged and could not be rebuilt.</exception>
    public async Task<RunArchive> OpenArchiveAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (await _runs.OpenArchiveAsync(runId, cancellationToken) is { } stored)
        {
            if (await DamageAsync(stored, cancellationToken) is not { } damage) return stored;
            await stored.DisposeAsync();
            Warn?.Invoke($"运行 {runId} 的记分卡归档已损坏（{damage}），正在用已存的记分卡重建");
        }
        var run = await _runs.GetRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");
        try
        {
            await EnsureArchiveAsync(run, cancellationToken);
        }
        catch (Exception e) when (e is not (StoreException or OperationCanceledException))
        {
            Warn?.Invoke($"运行 {runId} 的记分卡归档无法重建：{e.Message.ReplaceLineEndings(" ")}");
            throw new ArchiveUnavailableException(runId, e);
        }
        var archive = await _runs.OpenArchiveAsync(runId, cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"运行 {runId} 的记分卡归档不见了");
        if (await DamageAsync(archive, cancellationToken) is { } still)
        {
            await archive.DisposeAsync();
            Warn?.Invoke($"运行 {runId} 的记分卡归档重建后仍然不对（{still}），不予发送");
            throw new ArchiveUnavailableException(runId, null);
        }
        return archive;
    }

    /// <summary>
    /// What is wrong with a stored archive's bytes (their length or SHA-256 is not the recorded one, or they cannot be
    /// read), or null when nothing is; the stream is left at its start.
    /// </summary>
    private static async Task<string?> DamageAsync(RunArchive archive, CancellationToken cancellationToken)
    {
        try
        {
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long length = 0;
            int read;
            while ((read = await archive.Content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
                if (length > archive.Length) break;
            }
            if (length != archive.Length) return $"应有 {archive.Length} 字节，实有{(length > archive.Length ? "多于" : "")} {length} 字节";
            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(sha, archive.Sha256, StringComparison.OrdinalIgnoreCase)) return $"SHA-256 应为 {archive.Sha256}，实为 {sha}";
            archive.Content.Position = 0;
            return null;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException || e.GetType().Name is "SqliteException" or "RequestFailedException")
        {
            return $"读取失败：{e.Message.ReplaceLineEndings(" ")}";
        }
    }

    /// <summary>Builds and stores the run's archive unless it has an intact one; one build per run at a time in this process.</summary>
    private async Task EnsureArchiveAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        var build = new Lazy<Task>(() => BuildArchiveUnlessIntactAsync(run));
        var running = _archiving.GetOrAdd(run.Id, build);
        try
        {
            // The build itself is not cancelled by one waiter giving up: others may be waiting for it.
            await running.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _archiving.TryRemove(KeyValuePair.Create(run.Id, running));
        }
    }

    private async Task BuildArchiveUnlessIntactAsync(EvaluationRun run)
    {
        await using (var existing = await _runs.OpenArchiveAsync(run.Id))
            if (existing is not null && await DamageAsync(existing, CancellationToken.None) is null) return;
        if (run.Status != RunStatus.Succeeded)
            throw new StoreException(StoreError.Conflict, $"运行 {run.Id} 还没有成功完成，没有记分卡归档");
        // Into a temporary file, one document at a time, then to the store in chunks: memory stays bounded.
        await using var temp = new FileStream(Path.Combine(Path.GetTempPath(), $"bqw-{Guid.NewGuid():N}.zip"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await ScorecardArchive.WriteAsync(_runs, run.Id, temp);
        temp.Position = 0;
        await _runs.SaveArchiveAsync(run.Id, temp);
    }
}

/// <summary>
/// A run's stored scorecard archive is damaged and could not be rebuilt (hosts answer 503: try again later, or
/// restore the store): the download is refused rather than sent cut short.
/// </summary>
public sealed class ArchiveUnavailableException(string runId, Exception? inner)
    : Exception($"运行 {runId} 的记分卡归档已损坏且无法重建，暂时不能下载", inner)
{
    /// <summary>The run.</summary>
    public string RunId { get; } = runId;
}
