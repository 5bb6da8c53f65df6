using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Store;

/// <summary>
/// Everything an assessment office keeps: units, reported figures, ruleset versions, evaluation runs with
/// their results and rendered documents, publication pointers and the audit log. One contract, two
/// implementations (SQLite on one machine, Azure storage when hosted); one contract test suite runs on both.
/// </summary>
/// <remarks>
/// Every mutating call is all-or-nothing: it either completes or leaves the store exactly as it was, and
/// it appends its audit entry as part of the same change. Callers validate input (rulesets, data files)
/// before handing it over; the store enforces identity and state rules (duplicate keys, unknown ids,
/// publishing a run that has not succeeded) and reports them as <see cref="StoreException"/>.
/// Times are supplied by the caller (the store never reads the clock), so tests and replays are exact.
/// </remarks>
public interface IAssessStore : IAsyncDisposable
{
    /// <summary>
    /// Creates or migrates the schema (tables, containers, queues). Safe to call on every start. Also brings data an
    /// older version stored up to this contract: ruleset versions stored without their level and classes get them
    /// (read once from their texts), and a level that an older replace left with two active rulesets keeps only the
    /// one activated last (in audit order; the others are deactivated with an audit entry). Idempotent.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks, after <see cref="InitializeAsync"/>, that the store is sound and takes writes, so a damaged or read-only
    /// store is found when a host starts, not when a request fails: SQLite runs <c>PRAGMA quick_check</c> and commits a
    /// write that changes nothing; Azure writes a probe entity and a probe blob. Throws a <see cref="StoreException"/>
    /// (<see cref="StoreError.Conflict"/>) with one line naming the store and what is wrong.
    /// </summary>
    Task CheckAsync(CancellationToken cancellationToken = default);

    // ---- units and observations ----

    /// <summary>
    /// Replaces the units (and their classes) of <paramref name="year"/> with <paramref name="units"/>, kept as
    /// one import batch. Re-importing a file with the same SHA-256 for the same year is a no-op that returns
    /// the earlier batch with <see cref="ImportOutcome.AlreadyImported"/> set.
    /// </summary>
    Task<ImportOutcome> ImportUnitsAsync(int year, IReadOnlyList<Unit> units, ImportSource source, CancellationToken cancellationToken = default);

    /// <summary>The units of a year, ordered by code (ordinal); empty when none were imported.</summary>
    Task<IReadOnlyList<Unit>> GetUnitsAsync(int year, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores reported figures (any periods) as one import batch; a row replaces an earlier figure with the
    /// same unit, indicator and period. Every row's unit must exist among the units of its period's year,
    /// otherwise nothing is written and a <see cref="StoreException"/> names the rows. Re-importing a file
    /// with the same SHA-256 is a no-op.
    /// </summary>
    Task<ImportOutcome> ImportObservationsAsync(IReadOnlyList<Observation> observations, ImportSource source, CancellationToken cancellationToken = default);

    /// <summary>The current figures of one period, ordered by unit then indicator (ordinal).</summary>
    Task<IReadOnlyList<Observation>> GetObservationsAsync(Period period, CancellationToken cancellationToken = default);

    /// <summary>Import batches, newest first.</summary>
    Task<IReadOnlyList<ImportBatch>> ListImportsAsync(CancellationToken cancellationToken = default);

    /// <summary>The original bytes of an import batch's file, or null for an unknown batch.</summary>
    Task<byte[]?> GetImportFileAsync(string batchId, CancellationToken cancellationToken = default);

    // ---- rulesets ----

    /// <summary>
    /// Stores a (validated) ruleset text as the next version of <paramref name="rulesetId"/> (versions count
    /// from 1), with its <paramref name="outline"/> (level and classes, as the caller read them from the text) so
    /// that readers never parse the text to learn them. If the text's SHA-256 equals the latest version's, no
    /// version is added and that one is returned.
    /// </summary>
    Task<RulesetVersion> AddRulesetVersionAsync(string rulesetId, string yaml, RulesetOutline outline, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a stored version the active one for its ruleset id. A level has one active ruleset at most: when a
    /// ruleset of another id is active for the version's level, the call is refused (<see cref="StoreError.Conflict"/>,
    /// naming it and how to replace it) unless <paramref name="replace"/> is set, and then that one is deactivated
    /// in the same change (audited as <c>ruleset.deactivate</c>). Concurrent activations are serialized: they never
    /// leave two active rulesets for one level. Earlier evaluations are unaffected.
    /// </summary>
    Task<RulesetVersion> ActivateRulesetAsync(string rulesetId, int version, string actor, DateTimeOffset at, bool replace = false,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Leaves ruleset id <paramref name="rulesetId"/> with no active version (its versions stay stored, audited as
    /// <c>ruleset.deactivate</c>); returns the version that was active, now inactive, or null when none was (then
    /// nothing is written: deactivating twice is the same as once). <see cref="StoreError.NotFound"/> for an id with no versions.
    /// </summary>
    Task<RulesetVersion?> DeactivateRulesetAsync(string rulesetId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>One version with its text, or null.</summary>
    Task<RulesetVersion?> GetRulesetAsync(string rulesetId, int version, CancellationToken cancellationToken = default);

    /// <summary>The active version of a ruleset id, or null when none is active.</summary>
    Task<RulesetVersion?> GetActiveRulesetAsync(string rulesetId, CancellationToken cancellationToken = default);

    /// <summary>Every version of every ruleset (by id, then version), texts included.</summary>
    Task<IReadOnlyList<RulesetVersion>> ListRulesetsAsync(CancellationToken cancellationToken = default);

    // ---- evaluation runs ----

    /// <summary>
    /// Creates a queued run. When <see cref="RunRequest.IdempotencyKey"/> is set and a run with that key
    /// exists, returns that run instead (atomically: two concurrent calls never create two runs).
    /// </summary>
    Task<EvaluationRun> CreateRunAsync(RunRequest request, CancellationToken cancellationToken = default);

    /// <summary>A run, or null.</summary>
    Task<EvaluationRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Runs, newest first, optionally filtered by period and level.</summary>
    Task<IReadOnlyList<EvaluationRun>> ListRunsAsync(Period? period = null, UnitLevel? level = null, CancellationToken cancellationToken = default);

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

    // ---- publication ----

    /// <summary>
    /// Makes a succeeded run the official one for its period and level: a single atomic switch of the
    /// publication pointer. Re-publishing an older run is allowed and audited. The publication's time is
    /// <paramref name="at"/>, or the current publication's when that is later: decided inside the serialized
    /// change, so stored times follow revision order even when racing publishers read the clock out of order.
    /// </summary>
    Task<Publication> PublishAsync(string runId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The publication pointer of a period and level, or null when nothing is published.</summary>
    Task<Publication?> GetPublicationAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default);

    // ---- run archives ----

    /// <summary>
    /// Stores the scorecard archive (a ZIP) of a succeeded run, read from <paramref name="content"/> (from its
    /// current position to its end) in bounded chunks, never whole in memory; replaces the run's earlier
    /// archive. All or nothing: until the call returns, readers see the earlier archive (or none), and a
    /// write that fails (the stream throws, the call is cancelled, the process dies) leaves it so.
    /// Writes no audit entry (the archive is derived from the run's documents, which never change).
    /// </summary>
    /// <returns>The stored archive's SHA-256 and length.</returns>
    /// <exception cref="StoreException">NotFound: no such run; Conflict: the run has not succeeded.</exception>
    Task<ArchiveInfo> SaveArchiveAsync(string runId, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a run's stored archive as a readable, seekable stream with its SHA-256 and length, or null when
    /// the run (known or not) has none. The caller disposes it.
    /// </summary>
    Task<RunArchive?> OpenArchiveAsync(string runId, CancellationToken cancellationToken = default);

    // ---- housekeeping ----

    /// <summary>
    /// Deletes superseded data: generations of observations, units or results that no head, run or
    /// publication references any more (re-imports and re-saved results leave the previous one behind, a
    /// write that failed before its change leaves its own). Never deletes what a reader may still be
    /// reading: a generation found unreferenced is first marked (at <paramref name="at"/>) and deleted only by
    /// a sweep at least <paramref name="grace"/> later that finds it still unreferenced, so an import still
    /// writing, or a read that began before a re-import, has that long to finish. Safe to run twice, at the
    /// same time, or to stop half-way: what a stopped sweep left is deleted by the next. Writes no audit entry
    /// (nothing a user can see changes). A store that keeps no superseded data reports zeros.
    /// </summary>
    Task<SweepReport> SweepAsync(DateTimeOffset at, TimeSpan grace, CancellationToken cancellationToken = default);

    // ---- audit ----

    /// <summary>The audit log, oldest first (append-only: entries are never changed or removed).</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditLogAsync(CancellationToken cancellationToken = default);
}
