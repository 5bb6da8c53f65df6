using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Runs;

/// <summary>
/// A run's results JSON as stored: a scoring run's results (<see cref="ResultsJson"/>) or a month run's monitor results
/// (<see cref="MonthResultJson"/>), with the run's id as a top-level <c>"run"</c>. The one place these bytes are made, so
/// the hash an annual run records of a publication (annual contract §2) is the hash of the bytes <c>cli results</c> writes,
/// and <c>evaluate --sources</c> over those files records the same run ids and hashes as the store's run.
/// </summary>
public static class StoredResultsJson
{
    /// <summary>The run's results JSON bytes, or null when the run has no results.</summary>
    public static async Task<byte[]?> ReadAsync(IRunStore runs, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (await runs.GetResultsAsync(runId, cancellationToken) is { } result) return ResultsJson.Serialize(result, runId);
        return await runs.GetMonthResultsAsync(runId, cancellationToken) is { } month ? MonthResultJson.Serialize(month, runId) : null;
    }
}
