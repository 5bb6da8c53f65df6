using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Workflow;

/// <summary>
/// The office's workflow on a store, shared by every host (CLI, HTTP functions, queue workers): imports,
/// ruleset versions, evaluation runs (in one call, or step by step for a queue fan-out), publication,
/// previews, templates and exports. Knows nothing of HTTP or the console.
/// </summary>
/// <remarks>
/// Input is validated here before the store sees it; a rejected file throws <see cref="InputRejectedException"/>
/// naming every problem; store refusals surface as <see cref="StoreException"/>. A run's steps mark it failed
/// with the reason when they throw, and a run that is not <see cref="RunStatus.Succeeded"/> can never be published.
/// </remarks>
public sealed partial class AssessmentService
{
    private readonly IAssessStore _store;
    private readonly TimeProvider _clock;
    private readonly IDocumentRenderer? _renderer;

    /// <summary>Creates the service.</summary>
    /// <param name="store">The store (initialized).</param>
    /// <param name="clock">Where times come from (the store never reads the clock).</param>
    /// <param name="renderer">The PDF renderer, or null to run without documents (then none are required to complete a run).</param>
    public AssessmentService(IAssessStore store, TimeProvider clock, IDocumentRenderer? renderer)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _renderer = renderer;
    }

    /// <summary>True when a renderer is configured.</summary>
    public bool RendersDocuments => _renderer is not null;

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
        fileName = UploadNames.Of(fileName);
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
    /// (an upload addressed to a period must not write figures elsewhere) together with every other bad row of the
    /// file, whatever its kind. Otherwise as the overload without it.
    /// </summary>
    /// <exception cref="InputRejectedException">A row of another period, or bad rows (all of them are listed).</exception>
    public async Task<ImportOutcome> ImportObservationsAsync(byte[] content, string fileName, string actor, Period? onlyPeriod,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        fileName = UploadNames.Of(fileName);
        var table = DataImport.ReadTable(content, fileName, DataFiles.ObservationColumns);
        if (table.Errors.IsEmpty && table.Rows.IsEmpty)
        {
            // A header-only file would import nothing and let an evaluation score every unit 0 without a word.
            throw new InputRejectedException(fileName, [new InputError(fileName, 2, "-", "文件只有表头，没有数据行")]);
        }
        var unitsByYear = new Dictionary<int, IReadOnlySet<string>>();
        foreach (var year in DataImport.YearsOf(table))
            unitsByYear[year] = (await _store.GetUnitsAsync(year, cancellationToken)).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        // Rows of another period are bad rows like any other: the file's every problem is reported at once.
        var read = DataImport.ReadObservations(table, unitsByYear, onlyPeriod);
        if (!read.IsValid) throw InputRejectedException.For(fileName, [.. read.Errors.Select(InputError.Of)]);
        return await _store.ImportObservationsAsync(read.Rows, new ImportSource(fileName, content, actor, Now), cancellationToken);
    }

    // ---- rulesets ----

    /// <summary>Validates a ruleset with the engine and stores it as the next version of its id (unchanged text: the latest version is returned).</summary>
    /// <exception cref="InputRejectedException">The ruleset is invalid; every error is listed with its YAML line and column.</exception>
    public async Task<RulesetVersion> AddRulesetAsync(string yaml, string fileName, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        fileName = UploadNames.Of(fileName);
        if (yaml.Length > 0 && yaml[0] == '\uFEFF') yaml = yaml[1..];
        var loaded = RulesetLoader.Load(yaml);
        if (!loaded.IsValid) throw new InputRejectedException(fileName, [.. loaded.Diagnostics.Select(d => InputError.Of(fileName, d))]);
        // Stored means NRules compiles it, as validate promises (and the compiled rules are cached for this text's runs).
        _ = CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256);
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
    public async Task<RulesetVersion> GetRulesetAsync(string rulesetId, int? version, CancellationToken cancellationToken = default) =>
        version is { } v
            ? await _store.GetRulesetAsync(rulesetId, v, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"规则集 {rulesetId} 没有版本 {v}")
            : await _store.GetActiveRulesetAsync(rulesetId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"规则集 {rulesetId} 没有启用的版本");

    // ---- runs ----

    /// <summary>
    /// Queues a run of a ruleset version (null = the active one) over a period's data for a level. The level must
    /// be the ruleset's, and units of that level must exist for the period's year. With an idempotency key, a
    /// second request returns the first run.
    /// </summary>
    public async Task<EvaluationRun> RequestRunAsync(Period period, UnitLevel level, string rulesetId, int? version, string actor,
        string? idempotencyKey = null, bool sample = false, CancellationToken cancellationToken = default)
    {
        // A repeated key is answered with its run before anything else is checked: the data may have changed since,
        // and the caller compares the run with what it asked (a key bound to another request is refused there).
        if (idempotencyKey is not null
            && (await _store.ListRunsAsync(cancellationToken: cancellationToken)).FirstOrDefault(r => r.IdempotencyKey == idempotencyKey) is { } repeated)
            return repeated;
        var stored = await GetRulesetAsync(rulesetId, version, cancellationToken);
        // The stored level decides before the text is parsed (the model is needed only for the data check below).
        if (stored.Level != level)
            throw new StoreException(StoreError.Invalid, $"规则集 {rulesetId}@{stored.Version} 评价的是 {stored.Level.ToText()}，不是 {level.ToText()}");
        var units = await _store.GetUnitsAsync(period.Year, cancellationToken);
        if (!units.Any(u => u.Level == level))
            throw new StoreException(StoreError.Invalid, $"{period.Year} 年没有 {level.ToText()} 层级的单位，请先导入单位");
        // Refused before a run exists: an evaluation that would only rank zeros is never started.
        var model = Load(stored).Ruleset;
        Check(model, rulesetId, stored.Version, new Dataset(units, await _store.GetObservationsAsync(period, cancellationToken)), period);
        return await _store.CreateRunAsync(new RunRequest(period, level, rulesetId, stored.Version, actor, Now, idempotencyKey, sample), cancellationToken);
    }

    /// <summary>
    /// Starts a queued run and evaluates it, saving the results (the run stays running until its documents are
    /// stored). A run that already has results, or has ended, is returned as it is (safe to redeliver). On any
    /// error the run is marked failed with the reason and the error is rethrown.
    /// </summary>
    public async Task<EvaluationRun> EvaluateRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var current = await RequireRunAsync(runId, cancellationToken);
        if (current.IsOver) return current;
        var (run, _) = await EvaluateCoreAsync(runId, cancellationToken);
        return run;
    }

    /// <summary>The run's unit codes (in result order) cut into batches for rendering.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> PlanRenderBatchesAsync(string runId, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var result = await RequireResultsAsync(runId, cancellationToken);
        return [.. result.Units.Select(u => u.Code).Chunk(batchSize).Select(c => (IReadOnlyList<string>)c)];
    }

    /// <summary>Renders and stores the scorecards of some units of a running run; returns how many. Marks the run failed on error.</summary>
    public async Task<int> RenderBatchAsync(string runId, IReadOnlyList<string> unitCodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(unitCodes);
        var context = await LoadRenderContextAsync(runId, cancellationToken);
        return await GuardAsync(context.Run, () => RenderScorecardsAsync(context, unitCodes, cancellationToken), cancellationToken);
    }

    /// <summary>Renders and stores the bulletins (one per class) of a running run; returns how many. Marks the run failed on error.</summary>
    public async Task<int> RenderBulletinsAsync(string runId, CancellationToken cancellationToken = default)
    {
        var context = await LoadRenderContextAsync(runId, cancellationToken);
        return await GuardAsync(context.Run, () => RenderBulletinsAsync(context, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// What the results of a run call for (the counts stored with the run when its results were saved) and what is
    /// stored. Reads no results, except for a run saved before the counts were kept.
    /// </summary>
    public async Task<RenderProgress> GetRenderProgressAsync(string runId, CancellationToken cancellationToken = default) =>
        await ProgressAsync(await RequireRunAsync(runId, cancellationToken), null, cancellationToken);

    /// <summary>
    /// <see cref="GetRenderProgressAsync(string, CancellationToken)"/> for a run already read (and its results when in
    /// hand, used only for a run saved before the counts were kept).
    /// </summary>
    public Task<RenderProgress> GetRenderProgressAsync(EvaluationRun run, EvaluationResult? results = null, CancellationToken cancellationToken = default) =>
        ProgressAsync(run, results, cancellationToken);

    /// <summary>
    /// Marks a running run succeeded once its results and (with a renderer) every scorecard and bulletin are
    /// stored. While documents are still missing it throws a <see cref="StoreException"/> (conflict) and leaves
    /// the run as it is; any other error marks the run failed.
    /// </summary>
    public async Task<EvaluationRun> CompleteRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var run = await RequireRunAsync(runId, cancellationToken);
        if (run.Status == RunStatus.Succeeded) return run;
        if (run.Status != RunStatus.Running)
            throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {Describe(run.Status)}，不能完成");
        if (run.ScorecardsExpected is null)
            await GuardAsync(run, () => RequireResultsAsync(runId, cancellationToken), cancellationToken);
        if (_renderer is not null)
        {
            var progress = await ProgressAsync(run, null, cancellationToken);
            if (!progress.IsComplete)
                throw new StoreException(StoreError.Conflict,
                    $"运行 {runId} 的文档还不全：记分卡 {progress.ScorecardsStored}/{progress.ScorecardsExpected}，通报 {progress.BulletinsStored}/{progress.BulletinsExpected}");
        }
        return await _store.CompleteRunAsync(runId, RunOutcome.Success, Now, cancellationToken);
    }

    /// <summary>How long a run may stay queued or running before it counts as stranded (its process gone): one hour.</summary>
    public static readonly TimeSpan DefaultRunLease = TimeSpan.FromHours(1);

    /// <summary>
    /// Finds runs left queued or running past <paramref name="lease"/>, counted from their last sign of life
    /// (<see cref="EvaluationRun.LastSeenAt"/>: the last heartbeat, which the run orchestrator renews after evaluating and
    /// after each render batch, else when they started, else when they were queued) — a process killed mid-run leaves
    /// them so for good — and marks each failed with the reason naming when it was last seen, so the office sees why and
    /// can run again. Hosts call it on start and before a new run (the timer and the CLI's <c>run</c> do). A run that
    /// renews its heartbeat or ends meanwhile is left as it is (checked in the store's compare-and-swap). Returns the
    /// runs marked failed.
    /// </summary>
    public async Task<IReadOnlyList<EvaluationRun>> FailStrandedRunsAsync(TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var failed = new List<EvaluationRun>();
        var now = Now;
        foreach (var run in await _store.ListRunsAsync(cancellationToken: cancellationToken))
        {
            if (run.IsOver) continue;
            var since = run.LastSeenAt;
            if (now - since <= lease) continue;
            var what = run.HeartbeatAt is not null ? "最后一次报告进度" : run.StartedAt is null ? "排队" : "开始运行";
            var reason = $"运行中断：{since.UtcDateTime:yyyy-MM-dd HH:mm} UTC {what}后超过 {lease.TotalMinutes:0} 分钟没有完成（进程可能已退出或消息丢失），已标记为失败，请重新运行";
            try
            {
                failed.Add(await _store.CompleteRunAsync(run.Id, RunOutcome.Stranded(reason, since), now, cancellationToken));
            }
            catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Concurrency)
            {
                // Ended by its own worker, or seen alive again (a heartbeat), meanwhile.
            }
        }
        return failed;
    }

    /// <summary>Marks a queued or running run failed with a reason (e.g. a queue message that kept failing).</summary>
    public Task<EvaluationRun> FailRunAsync(string runId, string reason, CancellationToken cancellationToken = default) =>
        _store.CompleteRunAsync(runId, RunOutcome.Failure(reason), Now, cancellationToken);

    /// <summary>
    /// The whole run in-process (<see cref="Runs.RunOrchestrator.RunAsync"/> with <paramref name="batchSize"/>): request,
    /// evaluate, render every scorecard (in batches) and bulletin, complete. Returns the run as it ended: succeeded, or
    /// failed with the reason (it does not throw for a failed run).
    /// </summary>
    public Task<EvaluationRun> RunAsync(Period period, UnitLevel level, string rulesetId, int? version, string actor,
        string? idempotencyKey = null, bool sample = false, int batchSize = 100, IProgress<RunProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        new Runs.RunOrchestrator(this, new Runs.RunOptions { BatchSize = batchSize })
            .RunAsync(period, level, rulesetId, version, actor, idempotencyKey, sample, progress, cancellationToken);

    /// <summary>
    /// Publishes a succeeded run for its period and level (a single atomic switch; re-publishing an older run is allowed and
    /// audited). The run's scorecard archive is built and stored first, unless it has one (a re-published run keeps
    /// its own), so a published run's ZIP is always read from storage, never built per request.
    /// </summary>
    public async Task<Publication> PublishAsync(string runId, string actor, CancellationToken cancellationToken = default)
    {
        // A run that has not succeeded is refused by the store's switch below, with its reason; no archive for it.
        if (await _store.GetRunAsync(runId, cancellationToken) is { Status: RunStatus.Succeeded })
            await EnsureArchiveAsync(runId, cancellationToken);
        return await _store.PublishAsync(runId, actor, Now, cancellationToken);
    }

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
        var model = Load(stored).Ruleset;
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

    /// <summary>What rendering a run's documents needs, read once: the run, its results and the previous run's results.</summary>
    internal sealed record RenderContext(EvaluationRun Run, EvaluationResult Result, EvaluationResult? Previous);

    /// <summary>Starts (if queued) and evaluates a run, saving its results; a running run with results returns them.</summary>
    internal async Task<(EvaluationRun Run, EvaluationResult Result)> EvaluateCoreAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await RequireRunAsync(runId, cancellationToken);
        if (run.IsOver)
            throw new StoreException(StoreError.Conflict, $"运行 {runId} 已经结束（{Describe(run.Status)}）");
        if (run.Status == RunStatus.Running && await _store.GetResultsAsync(runId, cancellationToken) is { } existing)
            return (run, existing);
        if (run.Status == RunStatus.Queued) run = await _store.StartRunAsync(runId, Now, cancellationToken);
        var started = run;
        return await GuardAsync(run, async () =>
        {
            var stored = await _store.GetRulesetAsync(started.RulesetId, started.RulesetVersion, cancellationToken)
                ?? throw new StoreException(StoreError.NotFound, $"规则集 {started.RulesetId} 没有版本 {started.RulesetVersion}");
            var data = new Dataset(await _store.GetUnitsAsync(started.Period.Year, cancellationToken),
                await _store.GetObservationsAsync(started.Period, cancellationToken));
            var result = Evaluate(stored, data, started.Period);
            var previous = await PreviousPublicationAsync(started, cancellationToken);
            await _store.SaveResultsAsync(runId, result, previous, cancellationToken);
            return (started.WithResults(result, previous), result);
        }, cancellationToken);
    }

    private async Task<string?> PreviousPublicationAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        // Quarters are year-to-date: Q1 starts afresh, so only Q2–Q4 compare with the quarter before.
        if (run.Period.Quarter == 1) return null;
        var publication = await _store.GetPublicationAsync(run.Period.Previous(), run.Level, cancellationToken);
        return publication?.RunId;
    }

    private async Task<EvaluationResult?> LoadPreviousAsync(EvaluationRun run, CancellationToken cancellationToken) =>
        run.PreviousRunId is { } id ? await _store.GetResultsAsync(id, cancellationToken) : null;

    /// <summary>The render context of a running run (conflict otherwise); a run with no results is marked failed.</summary>
    internal async Task<RenderContext> LoadRenderContextAsync(string runId, CancellationToken cancellationToken) =>
        await LoadRenderContextAsync(await RequireRunAsync(runId, cancellationToken), cancellationToken);

    /// <summary>The render context of a running run read by the caller (conflict otherwise); a run with no results is marked failed.</summary>
    internal async Task<RenderContext> LoadRenderContextAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        if (_renderer is null) throw new InvalidOperationException("没有配置文档渲染器");
        var runId = run.Id;
        if (run.Status != RunStatus.Running)
            throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {Describe(run.Status)}，不能生成文档");
        var result = await GuardAsync(run, () => RequireResultsAsync(runId, cancellationToken), cancellationToken);
        return new RenderContext(run, result, await LoadPreviousAsync(run, cancellationToken));
    }

    /// <summary>The render context of a run whose results are in hand (no results read again).</summary>
    internal async Task<RenderContext> RenderContextAsync(EvaluationRun run, EvaluationResult result, CancellationToken cancellationToken)
    {
        if (_renderer is null) throw new InvalidOperationException("没有配置文档渲染器");
        return new RenderContext(run, result, await LoadPreviousAsync(run, cancellationToken));
    }

    /// <summary>Renders and stores some scorecards of a context's run; marks the run failed on error.</summary>
    internal Task<int> RenderScorecardsGuardedAsync(RenderContext context, IReadOnlyList<string> unitCodes, CancellationToken cancellationToken) =>
        GuardAsync(context.Run, () => RenderScorecardsAsync(context, unitCodes, cancellationToken), cancellationToken);

    /// <summary>Renders and stores the bulletins of a context's run; marks the run failed on error.</summary>
    internal Task<int> RenderBulletinsGuardedAsync(RenderContext context, CancellationToken cancellationToken) =>
        GuardAsync(context.Run, () => RenderBulletinsAsync(context, cancellationToken), cancellationToken);

    /// <summary>A heartbeat of a running run (conflict when it is not running).</summary>
    internal Task<EvaluationRun> RenewRunAsync(string runId, CancellationToken cancellationToken) =>
        _store.RenewRunAsync(runId, Now, cancellationToken);

    /// <summary>Marks a run that is not over failed with the reason of <paramref name="e"/>; returns the run as it ended.</summary>
    internal async Task<EvaluationRun> EndFailedAsync(string runId, Exception e, CancellationToken cancellationToken)
    {
        var ended = await RequireRunAsync(runId, cancellationToken);
        if (ended.IsOver) return ended;
        try
        {
            return await _store.CompleteRunAsync(runId, RunOutcome.Failure(Reason(e)), Now, cancellationToken);
        }
        catch (StoreException conflict) when (conflict.Error is StoreError.Conflict or StoreError.Concurrency)
        {
            return await RequireRunAsync(runId, cancellationToken);
        }
    }

    private async Task<int> RenderScorecardsAsync(RenderContext context, IReadOnlyList<string> unitCodes, CancellationToken cancellationToken)
    {
        var known = context.Result.Units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var unknown = unitCodes.Where(c => !known.Contains(c)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"运行 {context.Run.Id} 的结果中没有这些单位：{string.Join(", ", unknown)}");
        var documents = _renderer!.RenderScorecards(context.Result, RunStamp.Of(context.Run), unitCodes, context.Previous);
        var wrong = documents.Where(d => d.Kind != DocumentKind.Scorecard || !unitCodes.Contains(d.Key)).Select(d => d.Key).ToList();
        if (wrong.Count > 0 || documents.Count != unitCodes.Count)
            throw new InvalidOperationException($"渲染器返回的记分卡与所请求的单位不符（请求 {unitCodes.Count} 个，返回 {documents.Count} 个）");
        await _store.SaveDocumentsAsync(context.Run.Id, documents, cancellationToken);
        return documents.Count;
    }

    private async Task<int> RenderBulletinsAsync(RenderContext context, CancellationToken cancellationToken)
    {
        var documents = _renderer!.RenderBulletins(context.Result, RunStamp.Of(context.Run), context.Previous);
        if (documents.Any(d => d.Kind != DocumentKind.Bulletin))
            throw new InvalidOperationException("渲染器返回的通报中混有其他文档");
        await _store.SaveDocumentsAsync(context.Run.Id, documents, cancellationToken);
        return documents.Count;
    }

    /// <summary>Runs a step of a run; on failure marks the run failed with the reason (if it is not over) and rethrows.</summary>
    private async Task<T> GuardAsync<T>(EvaluationRun run, Func<Task<T>> step, CancellationToken cancellationToken)
    {
        try
        {
            return await step();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            try
            {
                var current = await _store.GetRunAsync(run.Id, CancellationToken.None);
                if (current is { Status: RunStatus.Queued or RunStatus.Running })
                    await _store.CompleteRunAsync(run.Id, RunOutcome.Failure(Reason(e)), Now, CancellationToken.None);
            }
            catch (StoreException)
            {
                // Another worker ended the run first; the original error is what matters.
            }
            throw;
        }
    }

    /// <summary>
    /// What a run's results call for and what is stored: the counts stored with the run against the documents listed
    /// (no results read). A run saved before the counts were kept counts from its results (<paramref name="result"/>
    /// when in hand, else read).
    /// </summary>
    internal async Task<RenderProgress> ProgressAsync(EvaluationRun run, EvaluationResult? result, CancellationToken cancellationToken)
    {
        var documents = await _store.ListDocumentsAsync(run.Id, cancellationToken);
        if (run is { ScorecardsExpected: { } scorecards, BulletinsExpected: { } bulletins })
            return new RenderProgress(scorecards, documents.Count(d => d.Kind == DocumentKind.Scorecard),
                bulletins, documents.Count(d => d.Kind == DocumentKind.Bulletin));
        result ??= await RequireResultsAsync(run.Id, cancellationToken);
        var codes = result.Units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var classes = result.Units.Select(u => u.Class).ToHashSet(StringComparer.Ordinal);
        return new RenderProgress(
            codes.Count, documents.Count(d => d.Kind == DocumentKind.Scorecard && codes.Contains(d.Key)),
            classes.Count, documents.Count(d => d.Kind == DocumentKind.Bulletin && classes.Contains(d.Key)));
    }

    internal async Task<EvaluationRun> RequireRunAsync(string runId, CancellationToken cancellationToken) =>
        await _store.GetRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");

    private async Task<EvaluationResult> RequireResultsAsync(string runId, CancellationToken cancellationToken)
    {
        await RequireRunAsync(runId, cancellationToken);
        return await _store.GetResultsAsync(runId, cancellationToken)
            ?? throw new StoreException(StoreError.Conflict, $"运行 {runId} 还没有结果");
    }

    private static EvaluationResult Evaluate(RulesetVersion stored, Dataset data, Period period)
    {
        var loaded = Load(stored);
        Check(loaded.Ruleset, stored.RulesetId, stored.Version, data, period);
        return Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset, loaded.Sha256), data, period, stored.Version);
    }

    /// <summary>Refuses an evaluation that would mislead (<see cref="DatasetCheck"/>) as invalid input (exit 2, HTTP 422).</summary>
    private static void Check(Ruleset ruleset, string rulesetId, int version, Dataset data, Period period)
    {
        var problems = DatasetCheck.Problems(ruleset, data, period);
        if (problems.Count > 0)
            throw new StoreException(StoreError.Invalid, $"不能用规则集 {rulesetId}@{version} 评价 {period}：" + string.Join("；", problems));
    }

    private static (Ruleset Ruleset, string Sha256) Load(RulesetVersion stored)
    {
        var loaded = RulesetLoader.Load(stored.Yaml);
        if (!loaded.IsValid)
            throw new InvalidOperationException($"存储的规则集 {stored.RulesetId}@{stored.Version} 无法加载：{string.Join("; ", loaded.Diagnostics)}");
        return (loaded.Ruleset!, loaded.Sha256);
    }

    internal static string Reason(Exception e) => $"{e.GetType().Name}: {e.Message}";

    private static string Describe(RunStatus status) => status switch
    {
        RunStatus.Queued => "排队中",
        RunStatus.Running => "运行中",
        RunStatus.Succeeded => "已成功",
        _ => "已失败",
    };

    private static string SafeFileName(string key)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return string.Concat(key.Select(ch => invalid.Contains(ch) || ch is '\\' or '/' ? '_' : ch));
    }
}
