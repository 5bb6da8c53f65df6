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
/// ruleset versions, publication, previews, templates and exports; evaluation runs are its <see cref="Runs"/>
/// (<see cref="RunService"/>), rulesets compiled once by its <see cref="Rulesets"/> catalog. Knows nothing of HTTP or the console.
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
    public AssessmentService(IAssessStore store, TimeProvider clock, IDocumentRenderer? renderer, RunOptions? runs = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _renderer = renderer;
        Rulesets = new RulesetCatalog(store);
        _publications = new PublicationService(store, clock);
        Runs = new RunService(store, clock, renderer, Rulesets, _publications, runs);
    }

    /// <summary>True when a renderer is configured.</summary>
    public bool RendersDocuments => _renderer is not null;

    /// <summary>The run use case: what every host calls to start a run, and the steps its carriers call.</summary>
    public RunService Runs { get; }

    /// <summary>The stored ruleset versions, compiled once per text.</summary>
    public RulesetCatalog Rulesets { get; }

    private DateTimeOffset Now => _clock.GetUtcNow();

    // ---- imports ----

    /// <summary>How each host confirms a units file that drops units stored runs used, or empties the year.</summary>
    private const string ConfirmReplaceAll = "请明确确认（命令行 --replace-all，API ?replaceAll=true，门户勾选“确认替换整个名单”）";

    /// <summary>Imports the units (and classes) of <paramref name="year"/> from a CSV or XLSX file; all or nothing.</summary>
    /// <exception cref="InputRejectedException">The file has bad rows (all of them are listed).</exception>
    /// <exception cref="StoreException">Conflict: the import would empty the year or drop units stored runs used (see the overload).</exception>
    public Task<ImportOutcome> ImportUnitsAsync(int year, byte[] content, string fileName, string actor, CancellationToken cancellationToken = default) =>
        ImportUnitsAsync(year, content, fileName, actor, replaceAll: false, cancellationToken);

    /// <summary>
    /// Imports the units (and classes) of <paramref name="year"/> from a CSV or XLSX file, replacing that year's list;
    /// all or nothing. The units must form a hierarchy (a town's parent a county of the file, a village's a town, a
    /// county's a city or none). An import that would leave the year with no units, or remove units that stored
    /// runs of that year evaluated, is refused (<see cref="StoreError.Conflict"/>, naming them) unless
    /// <paramref name="replaceAll"/> confirms it (<c>--replace-all</c> on the CLI).
    /// </summary>
    /// <exception cref="InputRejectedException">The file has bad rows (all of them are listed).</exception>
    /// <exception cref="StoreException">Conflict: the import needs <paramref name="replaceAll"/>.</exception>
    public async Task<ImportOutcome> ImportUnitsAsync(int year, byte[] content, string fileName, string actor, bool replaceAll,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (year is < 1900 or > 9999) throw new ArgumentOutOfRangeException(nameof(year), year, "year");
        fileName = Path.GetFileName(fileName);
        var read = DataImport.ReadUnits(content, fileName);
        if (!read.IsValid) throw InputRejectedException.For(fileName, [.. read.Errors.Select(InputError.Of)]);
        if (!replaceAll)
        {
            if (read.Rows.IsEmpty)
                throw new StoreException(StoreError.Conflict,
                    $"{fileName} 没有任何单位，导入后 {year} 年将没有单位；确认要清空该年度的单位名单，{ConfirmReplaceAll}");
            var kept = read.Rows.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
            var removed = (await _store.GetUnitsAsync(year, cancellationToken)).Where(u => !kept.Contains(u.Code)).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
            if (removed.Count > 0 && await UnitsUsedByRunsAsync(year, removed, cancellationToken) is { Count: > 0 } used)
            {
                var codes = used.Keys.Order(StringComparer.Ordinal).ToList();
                var runs = used.Values.Distinct().Order(StringComparer.Ordinal).Take(5);
                throw new StoreException(StoreError.Conflict,
                    $"{fileName} 会删除 {year} 年已有评价运行（{string.Join("、", runs)}）用到的 {codes.Count} 个单位：{string.Join("、", codes.Take(10))}{(codes.Count > 10 ? " 等" : "")}；确认要替换整个名单，{ConfirmReplaceAll}");
            }
        }
        return await _store.ImportUnitsAsync(year, read.Rows, new ImportSource(fileName, content, actor, Now), cancellationToken);
    }

    /// <summary>Of <paramref name="codes"/>, those some stored run of <paramref name="year"/> has a result for, with one such run each.</summary>
    private async Task<Dictionary<string, string>> UnitsUsedByRunsAsync(int year, IReadOnlySet<string> codes, CancellationToken cancellationToken)
    {
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var run in await _store.ListRunsAsync(cancellationToken: cancellationToken))
        {
            if (run.Period.Year != year || await _store.GetResultsAsync(run.Id, cancellationToken) is not { } result) continue;
            foreach (var unit in result.Units)
                if (codes.Contains(unit.Code)) used.TryAdd(unit.Code, run.Id);
            if (used.Count == codes.Count) break;
        }
        return used;
    }

    /// <summary>
    /// Imports observations from a CSV or XLSX file (any periods; columns starting with <c>#</c> are notes);
    /// every unit must exist in the units of its row's year. All or nothing; the same file again is a no-op.
    /// </summary>
    /// <exception cref="InputRejectedException">The file has bad rows (all of them are listed).</exception>
    public Task<ImportOutcome> ImportObservationsAsync(byte[] content, string fileName, string actor, CancellationToken cancellationToken = default) =>
        ImportObservationsAsync(content, fileName, actor, null, cancellationToken);

    /// <summary>
    /// Imports observations of one period only: a file with a row of another period is rejected, naming those rows
    /// (an upload addressed to a period must not write figures elsewhere). Otherwise as the overload without it.
    /// </summary>
    /// <exception cref="InputRejectedException">A row of another period, or bad rows (all of them are listed).</exception>
    public async Task<ImportOutcome> ImportObservationsAsync(byte[] content, string fileName, string actor, Period? onlyPeriod,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        fileName = Path.GetFileName(fileName);
        var table = DataImport.ReadTable(content, fileName, DataFiles.ObservationColumns);
        if (onlyPeriod is { } only && table.Errors.IsEmpty)
        {
            var wrong = table.Rows
                .Where(r => Period.TryParse(r.Cells["period"], out var rp) && rp != only)
                .Select(r => new InputError(fileName, r.Row, "period", $"期间 {r.Cells["period"]} 与地址中的 {only} 不一致"))
                .ToList();
            if (wrong.Count > 0) throw new InputRejectedException(fileName, wrong);
        }
        if (table.Errors.IsEmpty && table.Rows.IsEmpty)
        {
            // A header-only file would import nothing and let an evaluation score every unit 0 without a word.
            throw new InputRejectedException(fileName, [new InputError(fileName, 2, "-", "文件只有表头，没有数据行")]);
        }
        var unitsByYear = new Dictionary<int, IReadOnlySet<string>>();
        foreach (var year in DataImport.YearsOf(table))
            unitsByYear[year] = (await _store.GetUnitsAsync(year, cancellationToken)).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var read = DataImport.ReadObservations(table, unitsByYear);
        if (!read.IsValid) throw InputRejectedException.For(fileName, [.. read.Errors.Select(InputError.Of)]);
        return await _store.ImportObservationsAsync(read.Rows, new ImportSource(fileName, content, actor, Now), cancellationToken);
    }

    // ---- rulesets ----

    /// <summary>Validates a ruleset with the engine and stores it as the next version of its id (unchanged text: the latest version is returned).</summary>
    /// <exception cref="InputRejectedException">The ruleset is invalid; every error is listed with its YAML line and column.</exception>
    public async Task<RulesetVersion> AddRulesetAsync(string yaml, string fileName, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        fileName = Path.GetFileName(fileName);
        if (yaml.Length > 0 && yaml[0] == '\uFEFF') yaml = yaml[1..];
        // Stored means NRules compiles it, as validate promises (and the catalog keeps it compiled for this text's runs).
        var loaded = Rulesets.Load(yaml);
        if (!loaded.IsValid) throw new InputRejectedException(fileName, [.. loaded.Diagnostics.Select(d => InputError.Of(fileName, d))]);
        return await _store.AddRulesetVersionAsync(loaded.Ruleset!.Id, yaml, RulesetOutline.Of(loaded.Ruleset), actor, Now, cancellationToken);
    }

    /// <summary>
    /// Makes a stored version the active one of its id. Refused (<see cref="StoreError.Conflict"/>, naming it) when a
    /// ruleset of another id is active for the same level: one timer tick must make one run per level. Use the
    /// overload with <c>replace</c> to make this one replace it.
    /// </summary>
    public Task<RulesetVersion> ActivateRulesetAsync(string rulesetId, int version, string actor, CancellationToken cancellationToken = default) =>
        ActivateRulesetAsync(rulesetId, version, actor, replace: false, cancellationToken);

    /// <summary>
    /// Makes a stored version the active one of its id; with <paramref name="replace"/> it replaces the ruleset of
    /// another id active for the same level (the office says which one counts: this one, from now on), which stays
    /// stored and readable but is deactivated in the same change. Without it, another active ruleset of the level is
    /// a conflict. The store decides both inside one serialized change, so concurrent activations never leave a level
    /// two active rulesets.
    /// </summary>
    public Task<RulesetVersion> ActivateRulesetAsync(string rulesetId, int version, string actor, bool replace,
        CancellationToken cancellationToken = default) =>
        _store.ActivateRulesetAsync(rulesetId, version, actor, Now, replace, cancellationToken);

    /// <summary>
    /// Leaves a ruleset id with no active version (its versions stay stored; timers no longer evaluate it); returns the
    /// version that was active, or null when none was (nothing changes). <see cref="StoreError.NotFound"/> for an unknown id.
    /// </summary>
    public Task<RulesetVersion?> DeactivateRulesetAsync(string rulesetId, string actor, CancellationToken cancellationToken = default) =>
        _store.DeactivateRulesetAsync(rulesetId, actor, Now, cancellationToken);

    /// <summary>
    /// The active ruleset of each level (the store keeps one a level at most), by level. Timers and the CLI's
    /// <c>run</c> evaluate these and no others.
    /// </summary>
    public async Task<IReadOnlyList<ActiveRuleset>> GetActiveRulesetsAsync(CancellationToken cancellationToken = default) =>
        [.. (await _store.ListRulesetsAsync(cancellationToken)).Where(r => r.Active).OrderBy(r => r.Level)
            .Select(r => new ActiveRuleset(r.Level, r))];

    /// <summary>A stored version (null = the active one), or a <see cref="StoreException"/> (not found).</summary>
    public Task<RulesetVersion> GetRulesetAsync(string rulesetId, int? version, CancellationToken cancellationToken = default) =>
        Rulesets.GetAsync(rulesetId, version, cancellationToken);

    // ---- runs: publication, progress, documents again ----

    /// <summary>
    /// What the results of a run call for (the counts stored with the run when its results were saved) and what is
    /// stored, for a run already read (and its results when in hand, used only for a run saved before the counts were kept).
    /// </summary>
    public Task<RenderProgress> GetRenderProgressAsync(EvaluationRun run, EvaluationResult? results = null, CancellationToken cancellationToken = default) =>
        Runs.ProgressAsync(run, results, cancellationToken);

    /// <summary>
    /// Publishes a succeeded run for its period and level (a single atomic switch; re-publishing an older run is allowed and
    /// audited). The run's scorecard archive is built and stored first, unless it has one (a re-published run keeps
    /// its own), so a published run's ZIP is always read from storage, never built per request.
    /// </summary>
    public Task<Publication> PublishAsync(string runId, string actor, CancellationToken cancellationToken = default) =>
        _publications.PublishAsync(runId, actor, cancellationToken);

    /// <summary>
    /// Opens a succeeded run's stored scorecard archive (ZIP, see <see cref="ScorecardArchive"/>); when the run has
    /// none yet (it was published before archives were built at publication), builds and stores it first, once.
    /// The caller disposes the result.
    /// </summary>
    /// <exception cref="StoreException">NotFound: no such run; Conflict: the run has not succeeded.</exception>
    public Task<RunArchive> OpenArchiveAsync(string runId, CancellationToken cancellationToken = default) =>
        _publications.OpenArchiveAsync(runId, cancellationToken);

    /// <summary>
    /// Renders a stored run's documents again from its stored results (and the previous run it recorded),
    /// without saving them: the same bytes as stored, for checks and disputes.
    /// </summary>
    public async Task<IReadOnlyList<StoredDocument>> RerenderAsync(string runId, CancellationToken cancellationToken = default)
    {
        var renderer = _renderer ?? throw new InvalidOperationException("没有配置文档渲染器");
        var run = await RequireRunAsync(runId, cancellationToken);
        var result = await RequireResultsAsync(runId, cancellationToken);
        var previous = await LoadPreviousAsync(run, cancellationToken);
        var stamp = RunStamp.Of(run);
        return [.. renderer.RenderScorecards(result, stamp, [.. result.Units.Select(u => u.Code)], previous),
            .. renderer.RenderBulletins(result, stamp, previous)];
    }

    // ---- preview, template, export ----

    /// <summary>
    /// Evaluates a stored version over a period's stored data, and the active version too, without writing
    /// anything: each unit's total, rank and grade under both, and the change.
    /// </summary>
    public async Task<RulesetPreview> PreviewAsync(string rulesetId, int version, Period period, CancellationToken cancellationToken = default)
    {
        var draft = await GetRulesetAsync(rulesetId, version, cancellationToken);
        var active = await _store.GetActiveRulesetAsync(rulesetId, cancellationToken);
        var data = new Dataset(await _store.GetUnitsAsync(period.Year, cancellationToken), await _store.GetObservationsAsync(period, cancellationToken));
        var draftResult = Evaluate(draft, data, period);
        var activeUnits = active is null
            ? new Dictionary<string, UnitResult>()
            : Evaluate(active, data, period).Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var rows = draftResult.Units.Select(u =>
        {
            activeUnits.TryGetValue(u.Code, out var a);
            return new PreviewRow(u.Code, u.Name, u.Class, u.Total, u.Rank, u.Grade, a?.Total, a?.Rank, a?.Grade);
        }).ToList();
        return new RulesetPreview(rulesetId, version, active?.Version, period, rows);
    }

    /// <summary>
    /// The XLSX observations template of a period: one row per unit of the ruleset's level (units of the period's
    /// year) × indicator and adjustment of the ruleset version (null = active), known targets and baselines filled in.
    /// </summary>
    public async Task<byte[]> TemplateAsync(Period period, string rulesetId, int? version, CancellationToken cancellationToken = default)
    {
        var stored = await GetRulesetAsync(rulesetId, version, cancellationToken);
        var model = Rulesets.Compile(stored).Ruleset;
        var units = (await _store.GetUnitsAsync(period.Year, cancellationToken)).Where(u => u.Level == model.Level).ToList();
        if (units.Count == 0)
            throw new StoreException(StoreError.Invalid, $"{period.Year} 年没有 {model.Level.ToText()} 层级的单位，请先导入单位");
        var known = await _store.GetObservationsAsync(period, cancellationToken);
        var lastYear = period.Year > 1900
            ? await _store.GetObservationsAsync(period.IsWholeYear ? Period.OfYear(period.Year - 1) : Period.OfQuarter(period.Year - 1, period.Quarter), cancellationToken)
            : [];
        return ObservationTemplate.Write(model, units, period, known, lastYear);
    }

    /// <summary>
    /// Writes the published documents of a period (every level with a publication) under
    /// <paramref name="directory"/>: <c>LEVEL/scorecards/CODE.pdf</c> and <c>LEVEL/bulletins/CLASS.pdf</c>.
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
            var done = 0;
            foreach (var info in documents)
            {
                var document = await _store.GetDocumentAsync(publication.RunId, info.Kind, info.Key, cancellationToken)
                    ?? throw new StoreException(StoreError.NotFound, $"运行 {publication.RunId} 的文档 {info.Key} 不见了");
                var relative = $"{level.ToText()}/{(info.Kind == DocumentKind.Scorecard ? "scorecards" : "bulletins")}/{SafeFileName(info.Key)}.pdf";
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

    /// <summary>Evaluates a stored version (compiled by the catalog) over data, refusing data that would mislead.</summary>
    private EvaluationResult Evaluate(RulesetVersion stored, Dataset data, Period period)
    {
        var input = new RunInput(Rulesets.Compile(stored), data);
        RunService.Check(input, stored.RulesetId, stored.Version, period);
        return Evaluator.Evaluate(input.Ruleset, data, period, stored.Version);
    }

    private static string SafeFileName(string key)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return string.Concat(key.Select(ch => invalid.Contains(ch) || ch is '\\' or '/' ? '_' : ch));
    }
}
