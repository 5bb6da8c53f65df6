using System.Collections.Concurrent;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

// A run's scorecard archive: built once (at publication, or on first request for runs published before
// archives existed), stored, and read back as a stream.
public sealed partial class AssessmentService
{
    // Builds under way in this process, by run: concurrent first requests wait for one build.
    private readonly ConcurrentDictionary<string, Lazy<Task>> _archiving = new(StringComparer.Ordinal);

    /// <summary>
    /// Opens a succeeded run's stored scorecard archive (ZIP, see <see cref="ScorecardArchive"/>); when the run has
    /// none yet (it was published before archives were built at publication), builds and stores it first, once.
    /// The caller disposes the result.
    /// </summary>
    /// <exception cref="StoreException">NotFound: no such run; Conflict: the run has not succeeded.</exception>
    public async Task<RunArchive> OpenArchiveAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (await _store.OpenArchiveAsync(runId, cancellationToken) is { } stored) return stored;
        await EnsureArchiveAsync(runId, cancellationToken);
        return await _store.OpenArchiveAsync(runId, cancellationToken)
            ?? throw new StoreException(StoreError.NotFound, $"运行 {runId} 的记分卡归档不见了");
    }

    /// <summary>Builds and stores the run's archive unless it has one; one build per run at a time in this process.</summary>
    private async Task EnsureArchiveAsync(string runId, CancellationToken cancellationToken)
    {
        var build = new Lazy<Task>(() => BuildArchiveIfMissingAsync(runId));
        var running = _archiving.GetOrAdd(runId, build);
        try
        {
            // The build itself is not cancelled by one waiter giving up: others may be waiting for it.
            await running.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _archiving.TryRemove(KeyValuePair.Create(runId, running));
        }
    }

    private async Task BuildArchiveIfMissingAsync(string runId)
    {
        await using (var existing = await _store.OpenArchiveAsync(runId))
            if (existing is not null) return;
        var run = await RequireRunAsync(runId, CancellationToken.None);
        if (run.Status != RunStatus.Succeeded)
            throw new StoreException(StoreError.Conflict, $"运行 {runId} 还没有成功完成，没有记分卡归档");
        // Into a temporary file, one document at a time, then to the store in chunks: memory stays bounded.
        await using var temp = new FileStream(Path.Combine(Path.GetTempPath(), $"bqw-{Guid.NewGuid():N}.zip"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await ScorecardArchive.WriteAsync(_store, runId, temp);
        temp.Position = 0;
        await _store.SaveArchiveAsync(runId, temp);
    }
}
