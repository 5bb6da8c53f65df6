using System.Security.Cryptography;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Publications;

/// <summary>
/// The one read model of published results, for the API and the portal alike (one instance per app): the publications
/// (every period and level's published run) in one store read (<see cref="IPublicationStore.ListPublicationsAsync"/>), not
/// one per period and level; the scored units of a run (name, parent and class as the run recorded them: the snapshot
/// the access policy decides unit and bulletin rights from, <see cref="UnitsAsync"/>); and a run's rankings JSON, whole or
/// of one class, serialized once with its SHA-256 (<see cref="RankingsAsync"/>). What a run gives is kept for at most
/// <see cref="MaxRuns"/> runs, the least recently used run dropped first with everything kept of it.
/// </summary>
/// <remarks>
/// The publication pointers are read afresh on every call (one query): a publish, in this process or another, is seen by
/// the next read, so nothing needs telling. A run's results never change once stored, so what is kept of a run needs no
/// refresh. Each part of a run is read once even when a burst of first requests races for it (the first request starts
/// the read, the others wait for it); a read that fails is not kept, so the next request reads again.
/// </remarks>
public sealed class PublishedResults
{
    /// <summary>A scored unit of a run, as the run recorded it: its name, its parent's code then, the class it was ranked in.</summary>
    public sealed record Unit(string Name, string? Parent, string Class);

    /// <summary>A run's results JSON (whole or of one class) and its SHA-256 in lower-case hex (the download's ETag).</summary>
    public sealed record Rankings(byte[] Json, string Sha256);

    /// <summary>The default bound: a few years of quarters at three levels.</summary>
    public const int DefaultMaxRuns = 64;

    /// <summary>What is kept of one run: its units, and its rankings by class ("" for the whole run), each read on first need.</summary>
    private sealed class Kept(string runId)
    {
        public string RunId { get; } = runId;
        public Lazy<Task<IReadOnlyDictionary<string, Unit>>>? Units;
        public readonly Dictionary<string, Lazy<Task<Rankings?>>> Rankings = new(StringComparer.Ordinal);
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Kept>> _byRun = new(StringComparer.Ordinal);
    private readonly LinkedList<Kept> _recent = new();

    public PublishedResults(int maxRuns = DefaultMaxRuns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRuns, 1);
        MaxRuns = maxRuns;
    }

    /// <summary>The most runs of which anything is kept.</summary>
    public int MaxRuns { get; }

    /// <summary>How many runs' units or rankings are kept now (never more than <see cref="MaxRuns"/>).</summary>
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
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(runId);
        Lazy<Task<IReadOnlyDictionary<string, Unit>>> lazy;
        lock (_gate)
        {
            var kept = Touch(runId);
            lazy = kept.Units ??= new(() => ReadUnitsAsync(service, runId));
        }
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
            lock (_gate) // a failed read is not kept
                if (_byRun.TryGetValue(runId, out var node) && ReferenceEquals(node.Value.Units, lazy)) node.Value.Units = null;
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The run's results JSON, whole (<paramref name="class"/> null) or of one class (its units only, no skipped units);
    /// null when the run has no results or its ruleset has no such class. Serialized once, then kept (bounded, LRU by run).
    /// </summary>
    public Task<Rankings?> RankingsAsync(AssessmentService service, string runId, string? @class, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(runId);
        var key = @class ?? "";
        Lazy<Task<Rankings?>> lazy;
        lock (_gate)
        {
            var kept = Touch(runId);
            if (!kept.Rankings.TryGetValue(key, out lazy!))
                kept.Rankings[key] = lazy = new(() => BuildRankingsAsync(service, runId, @class));
        }
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
            lock (_gate) // a failed read is not kept
                if (_byRun.TryGetValue(runId, out var node) && node.Value.Rankings.TryGetValue(key, out var now) && ReferenceEquals(now, lazy))
                    node.Value.Rankings.Remove(key);
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>The run's entry, made the most recent (created when new, dropping the least recent beyond the bound); under the gate.</summary>
    private Kept Touch(string runId)
    {
        if (_byRun.TryGetValue(runId, out var node))
        {
            _recent.Remove(node);
            _recent.AddFirst(node);
            return node.Value;
        }
        var kept = new Kept(runId);
        _byRun[runId] = _recent.AddFirst(kept);
        while (_byRun.Count > MaxRuns)
        {
            var last = _recent.Last!;
            _recent.RemoveLast();
            _byRun.Remove(last.Value.RunId);
        }
        return kept;
    }

    private static async Task<IReadOnlyDictionary<string, Unit>> ReadUnitsAsync(AssessmentService service, string runId)
    {
        var result = await service.GetResultsAsync(runId, CancellationToken.None);
        if (result is not null) return result.Units.ToDictionary(u => u.Code, u => new Unit(u.Name, u.Parent, u.Class), StringComparer.Ordinal);
        // A month run (a monitor's): its lit units, as the month's result recorded them.
        var month = await service.GetMonthResultsAsync(runId, CancellationToken.None);
        return month is null
            ? new Dictionary<string, Unit>(StringComparer.Ordinal)
            : month.Units.ToDictionary(u => u.Code, u => new Unit(u.Name, u.Parent, u.Class), StringComparer.Ordinal);
    }

    private static async Task<Rankings?> BuildRankingsAsync(AssessmentService service, string runId, string? @class)
    {
        var result = await service.GetResultsAsync(runId, CancellationToken.None);
        if (result is null) return null;
        if (@class is not null)
        {
            if (!result.Ruleset.Classes.Contains(@class)) return null;
            result = result with { Units = [.. result.Units.Where(u => u.Class == @class)], Skipped = [] };
        }
        var json = ResultsJson.Serialize(result);
        return new Rankings(json, Convert.ToHexStringLower(SHA256.HashData(json)));
    }
}
