using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Store;

/// <summary>
/// Evaluation runs: their lifecycle (queued, running, succeeded or failed), their results, and the documents rendered from
/// them (each kept once: a run's ZIP is assembled from them on download, never stored).
/// </summary>
/// <remarks>
/// Part of <see cref="IAssessStore"/>: the same rules hold (every mutating call is all-or-nothing and appends its audit
/// entry in the same change; times come from the caller; refusals are <see cref="StoreException"/>).
/// </remarks>
public interface IRunStore
{
    /// <summary>
    /// Creates a queued run. When <see cref="RunRequest.IdempotencyKey"/> is set and a run with that key
    /// exists, returns that run instead (atomically: two concurrent calls never create two runs).
    /// </summary>
    Task<EvaluationRun> CreateRunAsync(RunRequest request, CancellationToken cancellationToken = default);

    /// <summary>A run, or null.</summary>
    Task<EvaluationRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Runs, newest first, optionally filtered by period and level.</summary>
    Task<IReadOnlyList<EvaluationRun>> ListRunsAsync(Period? period = null, UnitLevel? level = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The run created with <paramref name="idempotencyKey"/> (<see cref="RunRequest.IdempotencyKey"/>), or null: one
    /// lookup by the key, never a scan of the runs.
    /// </summary>
    Task<EvaluationRun?> FindRunByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// The runs not over yet (queued or running), newest first: what the sweep of stranded runs and the queue's carriers
    /// look at, without reading the runs that ended.
    /// </summary>
    Task<IReadOnlyList<EvaluationRun>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The units that stored runs of <paramref name="year"/> (any period of that year, any status) have a result for, each
    /// with the newest such run's id, ordered by unit code (ordinal). Answered from the per-unit records, without reading
    /// any run's whole results.
    /// </summary>
    Task<IReadOnlyList<UnitUse>> ListUnitsUsedByRunsAsync(int year, CancellationToken cancellationToken = default);

    /// <summary>Marks a queued run as running.</summary>
    Task<EvaluationRun> StartRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a running run's results (the whole result and one record per unit), its data SHA-256 and the documents
    /// they call for (<see cref="EvaluationRun.ScorecardsExpected"/>, <see cref="EvaluationRun.BulletinsExpected"/>), in one change. The run stays running until <see cref="CompleteRunAsync"/>; nothing is visible to
    /// readers of published results until the run is published.
    /// </summary>
    Task SaveResultsAsync(string runId, EvaluationResult result, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="SaveResultsAsync(string, EvaluationResult, CancellationToken)"/>, also recording
    /// <see cref="EvaluationRun.PreviousRunId"/> (the previous period's published run the documents compare
    /// against) in the same change. Added to the contract so that re-rendering a run years later is exact.
    /// </summary>
    Task SaveResultsAsync(string runId, EvaluationResult result, string? previousRunId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a running month run's results (a monitor's <see cref="MonthResult"/>, kept as its JSON), its data SHA-256 and
    /// the documents they call for (<see cref="EvaluationRun.ExpectedDocuments(MonthResult)"/>), in one change; saving again
    /// replaces them. <see cref="GetResultsAsync"/> and <see cref="GetUnitResultAsync"/> answer null for such a run (it has
    /// no scoring results); <see cref="GetMonthResultsAsync"/> reads them.
    /// </summary>
    /// <exception cref="StoreException">NotFound: no such run; Conflict: the run is not running.</exception>
    Task SaveMonthResultsAsync(string runId, MonthResult result, CancellationToken cancellationToken = default);

    /// <summary>A month run's results as stored, or null when it has none (or is not a month run).</summary>
    Task<MonthResult?> GetMonthResultsAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Stores rendered documents of a run (a batch; a document with the same kind and key is replaced).</summary>
    Task SaveDocumentsAsync(string runId, IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a run succeeded (it must have results) or failed with a reason. A failure with
    /// <see cref="RunOutcome.UnlessSeenAfter"/> is refused (conflict) when the run was seen after it.
    /// </summary>
    Task<EvaluationRun> CompleteRunAsync(string runId, RunOutcome outcome, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// A heartbeat: records that a running run's worker is still at work at <paramref name="at"/>
    /// (<see cref="EvaluationRun.HeartbeatAt"/>, never moved back), as a compare-and-swap on the run. Writes no audit
    /// entry (nothing a user can see changes). Conflict when the run is not running (queued, or ended).
    /// </summary>
    Task<EvaluationRun> RenewRunAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>A run's whole result as stored, or null when it has none.</summary>
    Task<EvaluationResult?> GetResultsAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>One unit's result in a run, or null.</summary>
    Task<UnitResult?> GetUnitResultAsync(string runId, string unitCode, CancellationToken cancellationToken = default);

    /// <summary>One document of a run, or null.</summary>
    Task<StoredDocument?> GetDocumentAsync(string runId, DocumentKind kind, string key, CancellationToken cancellationToken = default);

    /// <summary>The documents of a run without their bytes, by kind then key.</summary>
    Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string runId, CancellationToken cancellationToken = default);
}
