using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Publications;

/// <summary>
/// The read model of published results both hosts read through: the publications (every period and level's published run)
/// in one store read (<see cref="IPublicationStore.ListPublicationsAsync"/>), not one per period and level; and the scored
/// units of published runs (name, parent, class as each run recorded them), read once per run and kept for at most
/// <see cref="MaxRuns"/> runs, the least recently used dropped first.
/// </summary>
/// <remarks>
/// The publication pointers are read afresh on every call (one query): a publish, in this process or another, is seen by
/// the next read, so nothing needs telling. A run's results never change once stored, so its units need no refresh.
/// </remarks>
public sealed class PublishedResults
{
    /// <summary>A scored unit of a run, as the run recorded it.</summary>
    public sealed record Unit(string Name, string? Parent, string Class);

    /// <summary>The default bound: a few years of quarters at three levels.</summary>
    public const int DefaultMaxRuns = 64;

    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string RunId, Lazy<Task<IReadOnlyDictionary<string, Unit>>> Units)>> _byRun = new(StringComparer.Ordinal);
    private readonly LinkedList<(string RunId, Lazy<Task<IReadOnlyDictionary<string, Unit>>> Units)> _recent = new();

    public PublishedResults(int maxRuns = DefaultMaxRuns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRuns, 1);
        MaxRuns = maxRuns;
    }

    /// <summary>The most runs whose units are kept.</summary>
    public int MaxRuns { get; }

    /// <summary>How many runs' units are kept now (never more than <see cref="MaxRuns"/>).</summary>
    public int KeptRuns
    {
        get { lock (_gate) return _byRun.Count; }
    }

    /// <summary>Every published run, oldest period first, then by level: one store read.</summary>
    public async Task<IReadOnlyList<PublishedRun>> PublicationsAsync(AssessmentService service, CancellationToken cancellationToken = default)
    {
        var list = (await service.ListPublicationsAsync(cancellationToken)).ToList();
        list.Sort((x, y) => x.Publication.Period.CompareTo(y.Publication.Period) is var c && c != 0 ? c : x.Publication.Level.CompareTo(y.Publication.Level));
        return list;
    }

    /// <summary>The run's scored units by code (empty when it has no results); read once, then kept (bounded, LRU).</summary>
    public Task<IReadOnlyDictionary<string, Unit>> UnitsAsync(AssessmentService service, string runId, CancellationToken cancellationToken = default)
    {
        Lazy<Task<IReadOnlyDictionary<string, Unit>>> lazy;
        lock (_gate)
        {
            if (_byRun.TryGetValue(runId, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                lazy = node.Value.Units;
            }
            else
            {
                lazy = new Lazy<Task<IReadOnlyDictionary<string, Unit>>>(() => ReadAsync(service, runId));
                _byRun[runId] = _recent.AddFirst((runId, lazy));
                while (_byRun.Count > MaxRuns)
                {
                    var last = _recent.Last!;
                    _recent.RemoveLast();
                    _byRun.Remove(last.Value.RunId);
                }
            }
        }
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled) Forget(runId, lazy); // a failed read is not kept
        return task.WaitAsync(cancellationToken);
    }

    private void Forget(string runId, Lazy<Task<IReadOnlyDictionary<string, Unit>>> lazy)
    {
        lock (_gate)
            if (_byRun.TryGetValue(runId, out var node) && ReferenceEquals(node.Value.Units, lazy))
            {
                _recent.Remove(node);
                _byRun.Remove(runId);
            }
    }

    private static async Task<IReadOnlyDictionary<string, Unit>> ReadAsync(AssessmentService service, string runId)
    {
        var result = await service.GetResultsAsync(runId, CancellationToken.None);
        if (result is not null) return result.Units.ToDictionary(u => u.Code, u => new Unit(u.Name, u.Parent, u.Class), StringComparer.Ordinal);
        // A month run (a monitor's): its lit units, as the month's result recorded them.
        var month = await service.GetMonthResultsAsync(runId, CancellationToken.None);
        return month is null
            ? new Dictionary<string, Unit>(StringComparer.Ordinal)
            : month.Units.ToDictionary(u => u.Code, u => new Unit(u.Name, u.Parent, u.Class), StringComparer.Ordinal);
    }
}
