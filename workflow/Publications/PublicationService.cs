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
    private readonly IAssessStore _store;
    private readonly TimeProvider _clock;

    // Builds under way in this process, by run: concurrent first requests wait for one build.
    private readonly ConcurrentDictionary<string, Lazy<Task>> _archiving = new(StringComparer.Ordinal);

    /// <summary>Creates the service.</summary>
    public PublicationService(IAssessStore store, TimeProvider clock)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>
    /// Publishes a succeeded run for its period and level (a single atomic switch; re-publishing an older run is allowed and
    /// audited). The run's scorecard archive is built and stored first, unless it has one (a re-published run keeps
    /// its own), so a published run's ZIP is always read from storage, never built per request.
    /// </summary>
    public async Task<Publication> PublishAsync(string runId, string actor, CancellationToken cancellationToken = default) =>
        await PublishAsync(await _store.GetRunAsync(runId, cancellationToken), runId, actor, cancellationToken);

    /// <summary><see cref="PublishAsync(string, string, CancellationToken)"/> of a run already read (it is not read again).</summary>
    internal async Task<Publication> PublishAsync(EvaluationRun? run, string runId, string actor, CancellationToken cancellationToken)
    {
        // A run that has not succeeded is refused by the store's switch below, with its reason; no archive for it.
        if (run is { Status: RunStatus.Succeeded })
            await EnsureArchiveAsync(run, cancellationToken);
        return await _store.PublishAsync(runId, actor, _clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Opens a succeeded run's stored scorecard archive (ZIP, see <see cref="ScorecardArchive"/>); when the run has
    /// none yet (it was published before archives were built at publication), builds and stores it first, once.
    /// The caller disposes the result.
    /// </summary>
    /// <exception cref="StoreException">NotFound: no such run; Conflict: the run has not succeeded.</exception>
    public async Task<RunArchive> OpenArchiveAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (await _store.OpenArchiveAsync(runId, cancellationToken) is { } stored) return stored;
        var run = await _store.GetRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");
        await EnsureArchiveAsync(run, cancellationToken);
        return await _store.OpenArchiveAsync(runId, cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"运行 {runId} 的记分卡归档不见了");
    }

    /// <summary>Builds and stores the run's archive unless it has one; one build per run at a time in this process.</summary>
    private async Task EnsureArchiveAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        var build = new Lazy<Task>(() => BuildArchiveIfMissingAsync(run));
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

    private async Task BuildArchiveIfMissingAsync(EvaluationRun run)
    {
        await using (var existing = await _store.OpenArchiveAsync(run.Id))
            if (existing is not null) return;
        if (run.Status != RunStatus.Succeeded)
            throw new StoreException(StoreError.Conflict, $"运行 {run.Id} 还没有成功完成，没有记分卡归档");
        // Into a temporary file, one document at a time, then to the store in chunks: memory stays bounded.
        await using var temp = new FileStream(Path.Combine(Path.GetTempPath(), $"bqw-{Guid.NewGuid():N}.zip"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await ScorecardArchive.WriteAsync(_store, run.Id, temp);
        temp.Position = 0;
        await _store.SaveArchiveAsync(run.Id, temp);
    }
}
