using System.Collections.Concurrent;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>
/// A run's stored results never change once saved, so the rankings JSON of a run (whole or one class) is built
/// once and kept, a few runs at a time, instead of being read and serialized again on every request.
/// </summary>
public sealed class ResultsCache
{
    private const int MaxEntries = 64;
    private readonly ConcurrentDictionary<(string RunId, string? Class), Task<(byte[] Json, string Sha256)?>> _entries = new();

    /// <summary>The results JSON of a run, optionally of one class; null when the run has no results or no such class.</summary>
    public Task<(byte[] Json, string Sha256)?> RankingsAsync(AssessmentService store, string runId, string? @class, CancellationToken cancellationToken)
    {
        if (_entries.Count >= MaxEntries) _entries.Clear();
        var entry = _entries.GetOrAdd((runId, @class), key => BuildAsync(store, key.RunId, key.Class));
        // A failed read is not kept.
        if (entry.IsFaulted || entry.IsCanceled) _entries.TryRemove(new((runId, @class), entry));
        return entry.WaitAsync(cancellationToken);
    }

    private static async Task<(byte[] Json, string Sha256)?> BuildAsync(AssessmentService store, string runId, string? @class)
    {
        var result = await store.GetResultsAsync(runId, CancellationToken.None);
        if (result is null) return null;
        if (@class is not null)
        {
            if (!result.Ruleset.Classes.Contains(@class)) return null;
            result = result with { Units = [.. result.Units.Where(u => u.Class == @class)], Skipped = [] };
        }
        var json = ResultsJson.Serialize(result);
        return (json, Downloads.Sha256(json));
    }
}
