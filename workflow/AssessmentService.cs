using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Imports;
using BaiQianWan.Assess.Workflow.Publications;
using BaiQianWan.Assess.Workflow.Rulesets;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Workflow;

/// <summary>
/// The office's workflow on a store, shared by every host (CLI, HTTP functions, queue workers): imports,
/// ruleset versions, evaluation runs, publication, previews, templates and exports. Imports, rulesets and runs are use
/// cases of their own (<see cref="ImportService"/>, <see cref="RulesetService"/> with its catalog, <see cref="RunService"/>);
/// this class answers the hosts' calls with them and keeps the reads, publication and export. Knows nothing of HTTP or the console.
/// </summary>
/// <remarks>
/// Input is validated here before the store sees it; a rejected file throws <see cref="InputRejectedException"/>
/// naming every problem; store refusals surface as <see cref="StoreException"/>. A run that is not
/// <see cref="RunStatus.Succeeded"/> can never be published.
/// </remarks>
public sealed partial class AssessmentService
{
    private readonly IAssessStore _store;
    private readonly TimeProvider _clock;
    private readonly IDocumentRenderer? _renderer;
    private readonly PublicationService _publications;

    /// <summary>Creates the service.</summary>
    /// <param name="store">The store (initialized).</param>
    /// <param name="clock">Where times come from (the store never reads the clock).</param>
    /// <param name="renderer">The PDF renderer, or null to run without documents (then none are required to complete a run).</param>
    /// <param name="runs">How runs are carried (batch size, auto-publish); defaults when null.</param>
    /// <param name="ledger">The task ledger (initialized) whose derived observations join each period's data in runs and previews, or null.</param>
    /// <param name="ledgerSettings">The lights' settings of the runs' ledger documents (the hosts' <c>Ledger:RemindDays</c> and <c>Ledger:RedAfterDays</c>); default when null.</param>
    public AssessmentService(IAssessStore store, TimeProvider clock, IDocumentRenderer? renderer, RunOptions? runs = null, ILedgerStore? ledger = null,
        Rules.Ledger.LedgerSettings? ledgerSettings = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _renderer = renderer;
        var catalog = new RulesetCatalog(store);
        Imports = new ImportService(store, store, clock, catalog);
        Rulesets = new RulesetService(store, store, clock, catalog, ledger);
        _publications = new PublicationService(store, store, clock);
        Runs = new RunService(store, store, store, clock, renderer, catalog, _publications, runs, ledger, ledgerSettings);
        Reviews = store is IReviewStore reviews ? new Reviews.ReviewService(store, reviews, ledger, _publications, clock) : null;
        Served = new Documents.ServedDocuments(store, Reviews);
    }

    /// <summary>
    /// A run's documents as every download serves them: stamped with the publication's notice state (公示稿 and the deadline
    /// while provisional, the counts on a final bulletin after a notice), otherwise as stored.
    /// </summary>
    public Documents.ServedDocuments Served { get; }

    /// <summary>Notice and review (公示、复核), or null on a store that keeps no notices.</summary>
    public Reviews.ReviewService? Reviews { get; }

    /// <summary>
    /// Where the workflow reports what it could not do (one line each), e.g. a download refused because a stored
    /// scorecard is damaged. Hosts point it at their log; null says nothing.
    /// </summary>
    public Action<string>? Warn { get => _publications.Warn; set => _publications.Warn = value; }

    /// <summary>True when a renderer is configured.</summary>
    public bool RendersDocuments => _renderer is not null;

    /// <summary>The import use case (units and observations files).</summary>
    public ImportService Imports { get; }

    /// <summary>The ruleset use case (versions, activation, preview, template), with the catalog that compiles each text once.</summary>
    public RulesetService Rulesets { get; }

    /// <summary>The run use case: what every host calls to start a run, and the steps its carriers call.</summary>
    public RunService Runs { get; }

    private DateTimeOffset Now => _clock.GetUtcNow();

    // ---- imports and rulesets: the hosts' calls, answered by their own services ----

    /// <inheritdoc cref="ImportService.ImportUnitsAsync(int, byte[], string, string, CancellationToken)"/>
    public Task<ImportOutcome> ImportUnitsAsync(int year, byte[] content, string fileName, string actor, CancellationToken cancellationToken = default) =>
        Imports.ImportUnitsAsync(year, content, fileName, actor, cancellationToken);

    /// <inheritdoc cref="ImportService.ImportUnitsAsync(int, byte[], string, string, bool, CancellationToken)"/>
    public Task<ImportOutcome> ImportUnitsAsync(int year, byte[] content, string fileName, string actor, bool replaceAll,
        CancellationToken cancellationToken = default) =>
        Imports.ImportUnitsAsync(year, content, fileName, actor, replaceAll, cancellationToken);

    /// <inheritdoc cref="ImportService.ImportObservationsAsync(byte[], string, string, CancellationToken)"/>
    public Task<ImportOutcome> ImportObservationsAsync(byte[] content, string fileName, string actor, CancellationToken cancellationToken = default) =>
        Imports.ImportObservationsAsync(content, fileName, actor, cancellationToken);

    /// <inheritdoc cref="ImportService.ImportObservationsAsync(byte[], string, string, Period?, CancellationToken)"/>
    public Task<ImportOutcome> ImportObservationsAsync(byte[] content, string fileName, string actor, Period? onlyPeriod,
        CancellationToken cancellationToken = default) =>
        Imports.ImportObservationsAsync(content, fileName, actor, onlyPeriod, cancellationToken);

    /// <inheritdoc cref="RulesetService.AddRulesetAsync"/>
    public Task<RulesetVersion> AddRulesetAsync(string yaml, string fileName, string actor, CancellationToken cancellationToken = default) =>
        Rulesets.AddRulesetAsync(yaml, fileName, actor, cancellationToken);

    /// <inheritdoc cref="RulesetService.ActivateRulesetAsync(string, int, string, CancellationToken)"/>
    public Task<RulesetVersion> ActivateRulesetAsync(string rulesetId, int version, string actor, CancellationToken cancellationToken = default) =>
        Rulesets.ActivateRulesetAsync(rulesetId, version, actor, cancellationToken);

    /// <inheritdoc cref="RulesetService.ActivateRulesetAsync(string, int, string, bool, CancellationToken)"/>
    public Task<RulesetVersion> ActivateRulesetAsync(string rulesetId, int version, string actor, bool replace,
        CancellationToken cancellationToken = default) =>
        Rulesets.ActivateRulesetAsync(rulesetId, version, actor, replace, cancellationToken);

    /// <inheritdoc cref="RulesetService.DeactivateRulesetAsync"/>
    public Task<RulesetVersion?> DeactivateRulesetAsync(string rulesetId, string actor, CancellationToken cancellationToken = default) =>
        Rulesets.DeactivateRulesetAsync(rulesetId, actor, cancellationToken);

    /// <inheritdoc cref="RulesetService.GetActiveRulesetsAsync"/>
    public Task<IReadOnlyList<ActiveRuleset>> GetActiveRulesetsAsync(CancellationToken cancellationToken = default) =>
        Rulesets.GetActiveRulesetsAsync(cancellationToken);

    /// <inheritdoc cref="RulesetService.GetRulesetAsync"/>
    public Task<RulesetVersion> GetRulesetAsync(string rulesetId, int? version, CancellationToken cancellationToken = default) =>
        Rulesets.GetRulesetAsync(rulesetId, version, cancellationToken);

    /// <inheritdoc cref="RulesetService.GetActiveRulesetAsync"/>
    public Task<ActiveRuleset?> GetActiveRulesetAsync(UnitLevel level, Period period, CancellationToken cancellationToken = default) =>
        Rulesets.GetActiveRulesetAsync(level, period, cancellationToken);

    /// <inheritdoc cref="RulesetService.PreviewMonitorAsync"/>
    public Task<MonitorPreview> PreviewMonitorAsync(string monitorId, int version, Period month, CancellationToken cancellationToken = default) =>
        Rulesets.PreviewMonitorAsync(monitorId, version, month, cancellationToken);

    /// <inheritdoc cref="RulesetService.PreviewAsync"/>
    public Task<RulesetPreview> PreviewAsync(string rulesetId, int version, Period period, CancellationToken cancellationToken = default) =>
        Rulesets.PreviewAsync(rulesetId, version, period, cancellationToken);

    /// <inheritdoc cref="RulesetService.TemplateAsync"/>
    public Task<byte[]> TemplateAsync(Period period, string rulesetId, int? version, CancellationToken cancellationToken = default) =>
        Rulesets.TemplateAsync(period, rulesetId, version, cancellationToken);

    // ---- runs: publication, progress, documents again ----

    /// <summary>
    /// What the results of a run call for (the counts stored with the run when its results were saved) and what is
    /// stored, for a run already read (and its results when in hand, used only for a run saved before the counts were kept).
    /// </summary>
    public Task<RenderProgress> GetRenderProgressAsync(EvaluationRun run, EvaluationResult? results = null, CancellationToken cancellationToken = default) =>
        Runs.ProgressAsync(run, results, cancellationToken);

    /// <summary>
    /// Publishes a succeeded run for its period and level (a single atomic switch; re-publishing an older run is allowed and
    /// audited). Nothing is built: the run's ZIP is assembled from its stored scorecards when it is downloaded.
    /// </summary>
    public Task<Publication> PublishAsync(string runId, string actor, CancellationToken cancellationToken = default) =>
        _publications.PublishAsync(runId, actor, cancellationToken);

    /// <summary>
    /// Opens a succeeded run's scorecard archive (ZIP, see <see cref="ScorecardArchive"/>), assembled from its stored
    /// scorecards as it is read (each checked first against what was saved). The caller disposes the result.
    /// </summary>
    /// <exception cref="StoreException">NotFound: no such run; Conflict: the run has not succeeded.</exception>
    /// <exception cref="Publications.ArchiveUnavailableException">A stored scorecard is damaged.</exception>
    public async Task<RunArchive> OpenArchiveAsync(string runId, CancellationToken cancellationToken = default)
    {
        // Each scorecard as a download serves it (公示稿 while provisional): the mark read once, so the whole archive has one.
        var mark = await Served.MarkAsync(runId, cancellationToken);
        // Through the cache: the archive's first pass (lengths, CRCs) stamps each scorecard, its streaming pass reads it back.
        return await _publications.OpenArchiveAsync(runId, mark is null ? null : d => Served.Serve(mark, d), cancellationToken);
    }

    /// <summary>
    /// Renders a stored run's documents again from its stored results (and the previous run it recorded),
    /// without saving them: the same bytes as stored, for checks and disputes.
    /// </summary>
    public async Task<IReadOnlyList<StoredDocument>> RerenderAsync(string runId, CancellationToken cancellationToken = default)
    {
        var renderer = _renderer ?? throw new InvalidOperationException("没有配置文档渲染器");
        var run = await RequireRunAsync(runId, cancellationToken);
        if (run.Period.IsMonth)
            return [.. renderer.RenderMonth(await _store.GetMonthResultsAsync(runId, cancellationToken)
                ?? throw new StoreException(StoreError.Conflict, $"运行 {runId} 还没有结果"), RunStamp.Of(run)),
                .. await Runs.MonthLedgerBulletinAsync(run, cancellationToken)];
        var result = await RequireResultsAsync(runId, cancellationToken);
        var previous = await LoadPreviousAsync(run, cancellationToken);
        var stamp = RunStamp.Of(run);
        return [.. renderer.RenderScorecards(result, stamp, [.. result.Units.Select(u => u.Code)], previous,
                await Runs.LedgerBookAsync(result.Period.Year, cancellationToken)),
            .. renderer.RenderBulletins(result, stamp, previous)];
    }

    /// <summary>
    /// A succeeded or evaluated run's results as an XLSX 汇总表 (<see cref="Documents.ResultsWorkbook"/>), with the change
    /// since the previous quarter's published run the run recorded: the same bytes for the same run, published or not.
    /// </summary>
    /// <exception cref="StoreException">NotFound: no such run; Conflict: the run has no results yet.</exception>
    public async Task<byte[]> ResultsWorkbookAsync(string runId, CancellationToken cancellationToken = default)
    {
        var run = await RequireRunAsync(runId, cancellationToken);
        var result = await RequireResultsAsync(runId, cancellationToken);
        return Documents.ResultsWorkbook.Write(result, await LoadPreviousAsync(run, cancellationToken), RunStamp.Of(run));
    }

    /// <summary>
    /// The same workbook with only one unit's rows (its class sheet, its figures): what a unit downloads of a published
    /// run. Nothing of another unit is in it (the notes sheet lists no skipped units). Null when the run did not score the unit.
    /// </summary>
    public async Task<byte[]?> UnitResultsWorkbookAsync(string runId, string unitCode, CancellationToken cancellationToken = default)
    {
        var run = await RequireRunAsync(runId, cancellationToken);
        var result = await RequireResultsAsync(runId, cancellationToken);
        if (!result.Units.Any(u => u.Code == unitCode)) return null;
        var own = result with { Units = [.. result.Units.Where(u => u.Code == unitCode)], Skipped = [] };
        return Documents.ResultsWorkbook.Write(own, await LoadPreviousAsync(run, cancellationToken), RunStamp.Of(run));
    }

    // ---- export ----

    /// <summary>
    /// Writes the published documents of a period (every level with a publication) under
    /// <paramref name="directory"/>: <c>LEVEL/scorecards/CODE.pdf</c> and <c>LEVEL/bulletins/CLASS.pdf</c>; for a month (a monitor's
    /// run) <c>LEVEL/units/CODE.pdf</c> and <c>LEVEL/bulletins/LEVEL.pdf</c>, the layout of <c>render</c>.
    /// </summary>
    public async Task<ExportSummary> ExportPublishedAsync(Period period, string directory, IProgress<RunProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var runs = new Dictionary<UnitLevel, string>();
        var files = new List<string>();
        foreach (var level in Enum.GetValues<UnitLevel>())
        {
            var publication = await _store.GetPublicationAsync(period, level, cancellationToken);
            if (publication is null) continue;
            runs[level] = publication.RunId;
            var documents = await _store.ListDocumentsAsync(publication.RunId, cancellationToken);
            // As a download serves them (公示稿 while provisional, the counts on a final bulletin after a notice).
            var mark = await Served.MarkAsync(publication.RunId, cancellationToken);
            var done = 0;
            foreach (var info in documents)
            {
                var document = Served.Serve(mark,
                    await _store.GetDocumentAsync(publication.RunId, info.Kind, info.Key, cancellationToken)
                    ?? throw new StoreException(StoreError.NotFound, $"运行 {publication.RunId} 的文档 {info.Key} 不见了"));
                // A month's unit pages go to units/, as render writes them (its bulletin is bulletins/LEVEL.pdf).
                var folder = info.Kind == DocumentKind.Bulletin ? "bulletins" : period.IsMonth ? "units" : "scorecards";
                var relative = $"{level.ToText()}/{folder}/{SafeFileName(info.Key)}.pdf";
                var path = Path.Combine(directory, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var temp = path + ".tmp";
                await File.WriteAllBytesAsync(temp, document.Content, cancellationToken);
                File.Move(temp, path, overwrite: true);
                files.Add(relative);
                progress?.Report(new RunProgress(level.ToText(), ++done, documents.Count));
            }
        }
        if (runs.Count == 0) throw new StoreException(StoreError.NotFound, $"{period} 还没有发布任何结果");
        return new ExportSummary(period, runs, files);
    }

    /// <summary>
    /// Any run's results JSON as stored (a quarter's or a year's scoring results, a month's monitor results): the bytes an
    /// annual run hashes when it reads the run as a publication (<see cref="StoredResultsJson"/>).
    /// </summary>
    /// <exception cref="StoreException">NotFound: no such run; Conflict: the run has no results yet.</exception>
    public async Task<byte[]> GetResultsJsonAsync(string runId, CancellationToken cancellationToken = default)
    {
        await RequireRunAsync(runId, cancellationToken);
        return await StoredResultsJson.ReadAsync(_store, runId, cancellationToken)
            ?? throw new StoreException(StoreError.Conflict, $"运行 {runId} 还没有结果");
    }

    // ---- internals ----

    private async Task<EvaluationRun> RequireRunAsync(string runId, CancellationToken cancellationToken) =>
        await _store.GetRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");

    private async Task<EvaluationResult> RequireResultsAsync(string runId, CancellationToken cancellationToken)
    {
        await RequireRunAsync(runId, cancellationToken);
        return await _store.GetResultsAsync(runId, cancellationToken)
            ?? throw new StoreException(StoreError.Conflict, $"运行 {runId} 还没有结果");
    }

    private async Task<EvaluationResult?> LoadPreviousAsync(EvaluationRun run, CancellationToken cancellationToken) =>
        run.PreviousRunId is { } id ? await _store.GetResultsAsync(id, cancellationToken) : null;

    private static string SafeFileName(string key)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return string.Concat(key.Select(ch => invalid.Contains(ch) || ch is '\\' or '/' ? '_' : ch));
    }
}
