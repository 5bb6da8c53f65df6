using System.Collections.Concurrent;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>
/// The scored units of a run, with the parent and class each had when the run was computed: the snapshot
/// <see cref="AccessPolicy"/> decides from, for the API and the portal alike (one instance per app). A run's results never
/// change once stored, so the map is read once per run and kept (a few runs at a time): a scorecard or bulletin request
/// then decides access and finds the document without reading the year's units table.
/// </summary>
public sealed class PublishedUnits
{
    /// <summary>A scored unit of a run.</summary>
    /// <param name="Name">Its name.</param>
    /// <param name="Parent">Its parent's code when the run was computed.</param>
    /// <param name="Class">The class it was ranked in (its bulletin's).</param>
    public sealed record Entry(string Name, string? Parent, string Class);

    private const int MaxRuns = 64;
    // Lazy: ConcurrentDictionary may call a factory more than once when requests race for a run nobody has read yet;
    // the Lazy that wins is the only one started, so a burst of first requests reads and parses the results once.
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyDictionary<string, Entry>>>> _runs = new(StringComparer.Ordinal);

    /// <summary>The run's scored units by code (empty when the run has no results).</summary>
    public Task<IReadOnlyDictionary<string, Entry>> OfRunAsync(AssessmentService store, string runId, CancellationToken cancellationToken)
    {
        if (_runs.Count >= MaxRuns) _runs.Clear();
        var lazy = _runs.GetOrAdd(runId, id => new Lazy<Task<IReadOnlyDictionary<string, Entry>>>(() => ReadAsync(store, id)));
        var entry = lazy.Value;
        if (entry.IsFaulted || entry.IsCanceled) _runs.TryRemove(new(runId, lazy));
        return entry.WaitAsync(cancellationToken);
    }

    private static async Task<IReadOnlyDictionary<string, Entry>> ReadAsync(AssessmentService store, string runId)
    {
        var result = await store.GetResultsAsync(runId, CancellationToken.None);
        if (result is not null) return result.Units.ToDictionary(u => u.Code, u => new Entry(u.Name, u.Parent, u.Class), StringComparer.Ordinal);
        // A month run (a monitor's): its lit units, as the month's result recorded them.
        var month = await store.GetMonthResultsAsync(runId, CancellationToken.None);
        return month is null
            ? new Dictionary<string, Entry>()
            : month.Units.ToDictionary(u => u.Code, u => new Entry(u.Name, u.Parent, u.Class), StringComparer.Ordinal);
    }
}
