using System.Collections.Concurrent;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>
/// The scored units of a run, with the parent and class each had when the run was computed. A run's results never change once
/// stored, so the map is read once per run and kept (a few runs at a time): a scorecard or bulletin request then
/// decides access and finds the document without reading the year's units table.
/// </summary>
public sealed class PublishedUnits
{
    /// <summary>A scored unit of a run.</summary>
    /// <param name="Name">Its name.</param>
    /// <param name="Parent">Its parent's code when the run was computed.</param>
    /// <param name="Class">The class it was ranked in (its bulletin's).</param>
    public sealed record Entry(string Name, string? Parent, string Class);

    private const int MaxRuns = 64;
    private readonly ConcurrentDictionary<string, Task<IReadOnlyDictionary<string, Entry>>> _runs = new(StringComparer.Ordinal);

    /// <summary>The run's scored units by code (empty when the run has no results).</summary>
    public Task<IReadOnlyDictionary<string, Entry>> OfRunAsync(AssessmentService store, string runId, CancellationToken cancellationToken)
    {
        if (_runs.Count >= MaxRuns) _runs.Clear();
        var entry = _runs.GetOrAdd(runId, id => ReadAsync(store, id));
        if (entry.IsFaulted || entry.IsCanceled) _runs.TryRemove(new(runId, entry));
        return entry.WaitAsync(cancellationToken);
    }

    private static async Task<IReadOnlyDictionary<string, Entry>> ReadAsync(AssessmentService store, string runId)
    {
        var result = await store.GetResultsAsync(runId, CancellationToken.None);
        return result is null
            ? new Dictionary<string, Entry>()
            : result.Units.ToDictionary(u => u.Code, u => new Entry(u.Name, u.Parent, u.Class), StringComparer.Ordinal);
    }
}
