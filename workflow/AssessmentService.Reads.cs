using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

// What hosts read: the stored records as they stand, through the workflow (hosts never hold the store).
public sealed partial class AssessmentService
{
    /// <summary>A run, or null.</summary>
    public Task<EvaluationRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        _store.GetRunAsync(runId, cancellationToken);

    /// <summary>Runs, optionally of one period and level.</summary>
    public Task<IReadOnlyList<EvaluationRun>> ListRunsAsync(Period? period = null, UnitLevel? level = null, CancellationToken cancellationToken = default) =>
        _store.ListRunsAsync(period, level, cancellationToken);

    /// <summary>A run's results, or null (unknown run, or not evaluated yet).</summary>
    public Task<EvaluationResult?> GetResultsAsync(string runId, CancellationToken cancellationToken = default) =>
        _store.GetResultsAsync(runId, cancellationToken);

    /// <summary>A month run's results (a monitor's, monitor.md §3), or null when it has none.</summary>
    public Task<BaiQianWan.Assess.Rules.Monitors.MonthResult?> GetMonthResultsAsync(string runId, CancellationToken cancellationToken = default) =>
        _store.GetMonthResultsAsync(runId, cancellationToken);

    /// <summary>One unit's result of a run, or null.</summary>
    public Task<UnitResult?> GetUnitResultAsync(string runId, string unitCode, CancellationToken cancellationToken = default) =>
        _store.GetUnitResultAsync(runId, unitCode, cancellationToken);

    /// <summary>A stored document of a run, or null.</summary>
    public Task<StoredDocument?> GetDocumentAsync(string runId, DocumentKind kind, string key, CancellationToken cancellationToken = default) =>
        _store.GetDocumentAsync(runId, kind, key, cancellationToken);

    /// <summary>
    /// A run's document as downloads serve it (<see cref="Documents.ServedDocuments"/>: 公示稿 and the deadline while the run is
    /// its period's provisional publication, the counts on a final bulletin after a notice, otherwise as stored), or null.
    /// </summary>
    public Task<StoredDocument?> ServeDocumentAsync(string runId, DocumentKind kind, string key, CancellationToken cancellationToken = default) =>
        Served.GetAsync(runId, kind, key, cancellationToken);

    /// <summary>The documents stored for a run.</summary>
    public Task<IReadOnlyList<DocumentInfo>> ListDocumentsAsync(string runId, CancellationToken cancellationToken = default) =>
        _store.ListDocumentsAsync(runId, cancellationToken);

    /// <summary>The publication of a period and level, or null.</summary>
    public Task<Publication?> GetPublicationAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default) =>
        _store.GetPublicationAsync(period, level, cancellationToken);

    /// <summary>
    /// (annual §3) A year run's sources against each period's current publication (one read of the publication per source):
    /// what the portal's run page and the API's run resource show. Empty for a run of a quarter or a month, or one without
    /// results yet; <paramref name="results"/> are the run's results when in hand (else read here, for a year run only).
    /// </summary>
    public async Task<IReadOnlyList<SourceStatus>> GetSourceStatusAsync(EvaluationRun run, EvaluationResult? results = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Period.IsWholeYear) return [];
        results ??= await _store.GetResultsAsync(run.Id, cancellationToken);
        if (results is null || results.Sources.IsDefaultOrEmpty) return [];
        var list = new List<SourceStatus>(results.Sources.Length);
        foreach (var source in results.Sources)
            list.Add(new SourceStatus(source.Period, source.Run, source.Sha256,
                (await _store.GetPublicationAsync(source.Period, run.Level, cancellationToken))?.RunId));
        return list;
    }

    /// <summary>Every stored ruleset version, without its text (listings never load or parse YAML).</summary>
    public Task<IReadOnlyList<RulesetVersionInfo>> ListRulesetsAsync(CancellationToken cancellationToken = default) =>
        _store.ListRulesetVersionsAsync(cancellationToken);

    /// <summary>Every publication with its run, newest first.</summary>
    public Task<IReadOnlyList<PublishedRun>> ListPublicationsAsync(CancellationToken cancellationToken = default) =>
        _store.ListPublicationsAsync(cancellationToken);

    /// <summary>The runs not over yet (queued or running), newest first.</summary>
    public Task<IReadOnlyList<EvaluationRun>> ListUnfinishedRunsAsync(CancellationToken cancellationToken = default) =>
        _store.ListUnfinishedRunsAsync(cancellationToken);

    /// <summary>A stored ruleset version, or null (<see cref="GetRulesetAsync"/> throws instead).</summary>
    public Task<RulesetVersion?> FindRulesetAsync(string rulesetId, int version, CancellationToken cancellationToken = default) =>
        _store.GetRulesetAsync(rulesetId, version, cancellationToken);

    /// <summary>The active version of a ruleset id, or null.</summary>
    public Task<RulesetVersion?> FindActiveRulesetAsync(string rulesetId, CancellationToken cancellationToken = default) =>
        _store.GetActiveRulesetAsync(rulesetId, cancellationToken);

    /// <summary>The units of a year.</summary>
    public Task<IReadOnlyList<Unit>> GetUnitsAsync(int year, CancellationToken cancellationToken = default) =>
        _store.GetUnitsAsync(year, cancellationToken);

    /// <summary>The import batches.</summary>
    public Task<IReadOnlyList<ImportBatch>> ListImportsAsync(CancellationToken cancellationToken = default) =>
        _store.ListImportsAsync(cancellationToken);

    /// <summary>The audit log, oldest first.</summary>
    public Task<IReadOnlyList<AuditEntry>> GetAuditLogAsync(CancellationToken cancellationToken = default) =>
        _store.GetAuditLogAsync(cancellationToken);

    /// <summary>Deletes data superseded by re-imports once <paramref name="grace"/> has passed (now from the workflow's clock).</summary>
    public Task<SweepReport> SweepAsync(TimeSpan grace, CancellationToken cancellationToken = default) =>
        _store.SweepAsync(Now, grace, cancellationToken);
}
