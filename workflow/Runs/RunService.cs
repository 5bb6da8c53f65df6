using System.Collections.Concurrent;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Ledger;
using SourcePublication = BaiQianWan.Assess.Rules.Annual.Publication;
using BaiQianWan.Assess.Workflow.Publications;
using BaiQianWan.Assess.Workflow.Rulesets;

namespace BaiQianWan.Assess.Workflow.Runs;

/// <summary>
/// The one run use case of every host. <see cref="StartAsync"/> is what each entry point calls (the CLI's <c>run</c> and
/// <c>demo</c>, <c>POST /api/evaluations</c>, the portal's 开始, the hosted and the standalone timer): it sweeps stranded
/// runs, requests the run (idempotency, the data check) and hands it to an <see cref="IRunCarrier"/>, the only
/// host-specific part. The steps a carrier calls: <see cref="EvaluateAsync"/> (results saved, units cut into render
/// batches), <see cref="RenderAsync"/> (one batch; the last finishes the run) and <see cref="CarryAsync"/> (all of them
/// here). Finishing renders the bulletins, completes the run and publishes a timer run when <see cref="RunOptions.AutoPublish"/> is on.
/// </summary>
/// <remarks>
/// Each step is safe to repeat: a redelivered message, a second timer firing or two batches finishing together find the
/// run past that step and leave it as it is. A step that fails marks the run failed with the reason and rethrows. The
/// heartbeat (<see cref="IRunStore.RenewRunAsync"/>) is renewed after evaluating and after each batch, so
/// <see cref="FailStrandedRunsAsync"/> counts a long run's lease from its last progress. The ruleset comes compiled from
/// the <see cref="RulesetCatalog"/>; the data read and checked by the request is evaluated as it is; a batch reads the run
/// once and the results only when this process has not got them already (they never change once saved).
/// </remarks>
public sealed class RunService
{
    /// <summary>How long a run may stay queued or running before it counts as stranded (its process gone): one hour.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromHours(1);

    /// <summary>Runs whose results (and previous results) this process keeps for their batches.</summary>
    private const int KeptResults = 4;

    private readonly IRunStore _runs;
    private readonly IUnitDataStore _data;
    private readonly PeriodObservations _observations;
    private readonly ILedgerStore? _ledger;
    private readonly LedgerSettings? _ledgerSettings;
    private readonly LedgerBulletins? _books;
    private readonly IPublicationStore _published;
    private readonly TimeProvider _clock;
    private readonly IDocumentRenderer? _renderer;
    private readonly RulesetCatalog _catalog;
    private readonly PublicationService _publications;
    private readonly ConcurrentDictionary<string, RenderContext> _contexts = new(StringComparer.Ordinal);

    /// <summary>Creates the service.</summary>
    /// <param name="runs">The runs, their results and documents.</param>
    /// <param name="data">Units and observations (a run's input).</param>
    /// <param name="published">The publication pointers (the previous period's published run a run compares against).</param>
    /// <param name="clock">Where times come from.</param>
    /// <param name="renderer">The PDF renderer, or null to run without documents (then none are required to complete a run).</param>
    /// <param name="catalog">The rulesets, compiled once per text.</param>
    /// <param name="publications">Publication (for auto-publish).</param>
    /// <param name="options">Batch size and auto-publish (defaults when null).</param>
    /// <param name="ledger">
    /// The task ledger whose derived observations join a period's data (<see cref="PeriodObservations"/>), whose year the
    /// scorecards' ledger section draws and whose monthly bulletin a month run stores; or null.
    /// </param>
    /// <param name="ledgerSettings">The lights' settings of the ledger's documents (the host's <c>Ledger:RemindDays</c> and <c>Ledger:RedAfterDays</c>); default when null.</param>
    public RunService(IRunStore runs, IUnitDataStore data, IPublicationStore published, TimeProvider clock, IDocumentRenderer? renderer,
        RulesetCatalog catalog, PublicationService publications, RunOptions? options = null, ILedgerStore? ledger = null, LedgerSettings? ledgerSettings = null)
    {
        _runs = runs ?? throw new ArgumentNullException(nameof(runs));
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _ledger = ledger;
        _ledgerSettings = ledgerSettings;
        // One reader for the service's life: it keeps the year it read until the year's stamp moves (every render batch asks).
        _books = ledger is null ? null : new LedgerBulletins(ledger, data, ledgerSettings);
        _observations = new PeriodObservations(data, ledger);
        _published = published ?? throw new ArgumentNullException(nameof(published));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _renderer = renderer;
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _publications = publications ?? throw new ArgumentNullException(nameof(publications));
        Options = options ?? new RunOptions();
        if (Options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), Options.BatchSize, "BatchSize: 应为正整数");
    }

    /// <summary>The options in force.</summary>
    public RunOptions Options { get; }

    /// <summary>True when a renderer is configured.</summary>
    public bool RendersDocuments => _renderer is not null;

    /// <summary>The same service with other options (the CLI's <c>--batch-size</c>).</summary>
    public RunService With(RunOptions options) => new(_runs, _data, _published, _clock, _renderer, _catalog, _publications, options, _ledger, _ledgerSettings);

    /// <summary>The lights' settings of the ledger's documents (the scorecards' ledger section, the monthly ledger bulletin).</summary>
    public LedgerSettings LedgerSettings => _books?.Settings ?? _ledgerSettings ?? LedgerSettings.Default;

    private DateTimeOffset Now => _clock.GetUtcNow();

    // ---- start: the one call of every entry point ----

    /// <summary>
    /// Starts a run: fails stranded runs first (<see cref="FailStrandedRunsAsync"/> with <see cref="DefaultLease"/>),
    /// requests the run and hands it to <paramref name="carrier"/> when it is queued. A repeated idempotency key returns
    /// its run without another request (a run that does not match <paramref name="ask"/> is returned untouched, for the
    /// caller to refuse). A carrier that fails leaves the run failed with the reason, and that run is returned.
    /// </summary>
    /// <exception cref="StoreException">Refused before a run exists: unknown ruleset, another level, no units, data that would mislead.</exception>
    public async Task<RunStarted> StartAsync(RunAsk ask, IRunCarrier carrier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ask);
        ArgumentNullException.ThrowIfNull(carrier);
        var stranded = await FailStrandedRunsAsync(DefaultLease, cancellationToken);
        var queued = await RequestAsync(ask, cancellationToken);
        var run = queued.Run;
        if (run.Status != RunStatus.Queued || !ask.Matches(run)) return new RunStarted(run, stranded);
        EvaluationRun? carried;
        try
        {
            carried = await carrier.CarryAsync(this, queued, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Evaluated during the call and failed: the run carries the reason.
            if (await _runs.GetRunAsync(run.Id, cancellationToken) is { Status: RunStatus.Failed } failed) return new RunStarted(failed, stranded);
            throw;
        }
        return new RunStarted(carried ?? await _runs.GetRunAsync(run.Id, cancellationToken) ?? run, stranded);
    }

    /// <summary>
    /// Queues a run: a repeated idempotency key is answered with its run before anything else is checked (the data may
    /// have changed since); otherwise the level must be the ruleset's, units of that level must exist for the period's
    /// year and the data must pass <see cref="DatasetCheck"/>. The input read and checked here goes with the run.
    /// </summary>
    private async Task<QueuedRun> RequestAsync(RunAsk ask, CancellationToken cancellationToken)
    {
        if (ask.IdempotencyKey is { } key
            && await _runs.FindRunByIdempotencyKeyAsync(key, cancellationToken) is { } repeated)
            return new QueuedRun(repeated);
        var stored = await _catalog.GetAsync(ask.RulesetId, ask.Version, cancellationToken);
        // The stored level decides before the text is parsed.
        if (stored.Level != ask.Level)
            throw new StoreException(StoreError.Invalid, $"规则集 {ask.RulesetId}@{stored.Version} 评价的是{stored.Level.ToChinese()}，不是{ask.Level.ToChinese()}");
        CheckKind(stored, ask.Period);
        var units = await _data.GetUnitsAsync(ask.Period.Year, cancellationToken);
        if (!units.Any(u => u.Level == ask.Level))
            throw new StoreException(StoreError.Invalid, $"{ask.Period.Year} 年没有{ask.Level.ToChinese()}单位，请先导入 {ask.Period.Year} 年的单位名单");
        // Refused before a run exists: an evaluation that would only rank zeros (or light an empty month) is never started.
        var input = await InputAsync(stored, units, ask.Period, cancellationToken);
        var run = await _runs.CreateRunAsync(new RunRequest(ask.Period, ask.Level, ask.RulesetId, stored.Version, ask.Actor, Now,
            ask.IdempotencyKey, ask.Sample), cancellationToken);
        return new QueuedRun(run, input);
    }

    // ---- the steps ----

    /// <summary>
    /// Step 1: starts a queued run, evaluates it and saves its results, renews its heartbeat and cuts its units into
    /// render batches. A run already past this step (redelivery, concurrent firing) yields no batches. A run with nothing
    /// to render (no renderer, no units) is finished here. Throws when the evaluation fails (the run is then marked failed).
    /// </summary>
    public async Task<IReadOnlyList<RenderBatch>> EvaluateAsync(QueuedRun queued, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queued);
        if (queued.Run.Status != RunStatus.Queued) return [];
        if (await EvaluateStepAsync(queued, cancellationToken) is not { } context || context.Run.Status != RunStatus.Running) return [];
        var batches = Plan(context);
        if (batches.Count == 0) await FinishStepAsync(context.Run, context, null, cancellationToken);
        return batches;
    }

    /// <summary>
    /// Step 2: renders and stores one batch of scorecards, renews the heartbeat and finishes the run when this batch
    /// completed the set. A batch of a run that is not running (ended, or redelivered late) is acknowledged without
    /// work. Returns the run as it stands afterwards; throws when rendering fails (the run is then marked failed).
    /// </summary>
    public async Task<EvaluationRun> RenderAsync(RenderBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var run = await RequireRunAsync(batch.RunId, cancellationToken);
        if (run.Status != RunStatus.Running) return Forget(run);
        var context = await ContextAsync(run, cancellationToken);
        return await RenderStepAsync(context with { Run = run }, batch.Units, null, cancellationToken);
    }

    /// <summary>
    /// Every step of a queued run in this process, one batch after another, the results in hand: evaluate, every
    /// scorecard batch, bulletins, completion. Returns the run as it ended: succeeded, or failed with the reason (it does
    /// not throw for a failed run); a run that is not queued is returned as it stands.
    /// </summary>
    public async Task<EvaluationRun> CarryAsync(QueuedRun queued, IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queued);
        var runId = queued.Run.Id;
        if (queued.Run.Status != RunStatus.Queued) return await RequireRunAsync(runId, cancellationToken);
        try
        {
            progress?.Report(new RunProgress("evaluate", 0, 1));
            if (await EvaluateStepAsync(queued, cancellationToken) is not { } context)
                return await RequireRunAsync(runId, cancellationToken);
            progress?.Report(new RunProgress("evaluate", 1, 1));
            if (context.Run.Status != RunStatus.Running) return context.Run;
            var batches = Plan(context);
            if (batches.Count == 0) return await FinishStepAsync(context.Run, context, progress, cancellationToken);
            progress?.Report(new RunProgress("scorecards", 0, context.Run.ScorecardsExpected ?? context.Scored.Units.Length));
            var run = context.Run;
            foreach (var batch in batches)
            {
                run = await RenderStepAsync(context with { Run = run }, batch.Units, progress, cancellationToken);
                if (run.Status != RunStatus.Running) return run;
            }
            // Every batch is stored, yet the run is still running: finishing says what is missing (and fails it).
            return await FinishStepAsync(run, context, progress, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return await EndFailedAsync(runId, e, cancellationToken);
        }
        finally
        {
            _contexts.TryRemove(runId, out _);
        }
    }

    // ---- sweep and progress ----

    /// <summary>
    /// Finds runs left queued or running past <paramref name="lease"/>, counted from their last sign of life
    /// (<see cref="EvaluationRun.LastSeenAt"/>: the last heartbeat, else when they started, else when they were queued) —
    /// a process killed mid-run leaves them so for good — and marks each failed with the reason naming when it was last
    /// seen, so the office sees why and can run again. <see cref="StartAsync"/> calls it before every run. A run that
    /// renews its heartbeat or ends meanwhile is left as it is (checked in the store's compare-and-swap). Returns the runs
    /// marked failed.
    /// </summary>
    public async Task<IReadOnlyList<EvaluationRun>> FailStrandedRunsAsync(TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var failed = new List<EvaluationRun>();
        var now = Now;
        foreach (var run in await _runs.ListUnfinishedRunsAsync(cancellationToken))
        {
            if (run.IsOver) continue;
            var since = run.LastSeenAt;
            if (now - since <= lease) continue;
            var what = run.HeartbeatAt is not null ? "最后一次报告进度" : run.StartedAt is null ? "排队" : "开始运行";
            var reason = $"运行中断：{since.UtcDateTime:yyyy-MM-dd HH:mm} UTC {what}后超过 {lease.TotalMinutes:0} 分钟没有完成（进程可能已退出或消息丢失），已标记为失败，请重新运行";
            try
            {
                failed.Add(await _runs.CompleteRunAsync(run.Id, RunOutcome.Stranded(reason, since), now, cancellationToken));
            }
            catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Concurrency)
            {
                // Ended by its own worker, or seen alive again (a heartbeat), meanwhile.
            }
        }
        return failed;
    }

    /// <summary>
    /// What a run's results call for and what is stored: the counts stored with the run against the documents listed
    /// (no results read). A run saved before the counts were kept counts from its results (<paramref name="result"/>
    /// when in hand, else read).
    /// </summary>
    public async Task<RenderProgress> ProgressAsync(EvaluationRun run, EvaluationResult? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var documents = await _runs.ListDocumentsAsync(run.Id, cancellationToken);
        if (run is { ScorecardsExpected: { } scorecards, BulletinsExpected: { } bulletins })
            return new RenderProgress(scorecards, documents.Count(d => d.Kind == DocumentKind.Scorecard),
                bulletins, documents.Count(d => d.Kind == DocumentKind.Bulletin && !LedgerBulletins.IsLedgerKey(d.Key)));
        result ??= await RequireResultsAsync(run.Id, cancellationToken);
        var codes = result.Units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var classes = result.Units.Select(u => u.Class).ToHashSet(StringComparer.Ordinal);
        if (Scorecards.AnnualDocuments.LevelRankingKey(result) is { } levelRanking) classes.Add(levelRanking);
        return new RenderProgress(
            codes.Count, documents.Count(d => d.Kind == DocumentKind.Scorecard && codes.Contains(d.Key)),
            classes.Count, documents.Count(d => d.Kind == DocumentKind.Bulletin && classes.Contains(d.Key)));
    }

    // ---- internals ----

    /// <summary>What rendering a run's documents needs: the run, its results and the previous run's results.</summary>
    /// <remarks>A month run's context holds its <see cref="Month"/> result instead (its <see cref="Result"/> is null).</remarks>
    private sealed record RenderContext(EvaluationRun Run, EvaluationResult? Result, EvaluationResult? Previous, MonthResult? Month = null)
    {
        public EvaluationResult Scored => Result ?? throw new InvalidOperationException($"运行 {Run.Id} 是月度运行，没有评分结果");
    }

    /// <summary>Starts and evaluates a queued run and renews the heartbeat; null when another worker started it first or it ended meanwhile.</summary>
    private async Task<RenderContext?> EvaluateStepAsync(QueuedRun queued, CancellationToken cancellationToken)
    {
        var runId = queued.Run.Id;
        EvaluationRun run;
        try
        {
            run = await _runs.StartRunAsync(runId, Now, cancellationToken);
        }
        catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Concurrency)
        {
            // Another worker started it between the request and now (it carries the run on), or it ended meanwhile.
            if (await _runs.GetRunAsync(runId, cancellationToken) is not { Status: not RunStatus.Queued }) throw;
            return null;
        }
        if (run.Period.IsMonth)
        {
            var (lit, month) = await GuardAsync(run, async () =>
            {
                var input = queued.Input ?? await ReadInputAsync(run, cancellationToken);
                var month = MonitorEvaluator.Evaluate(input.Monitor ?? throw new InvalidOperationException($"运行 {runId} 的规则不是月度监测"),
                    input.Data, run.Period, run.RulesetVersion);
                await _runs.SaveMonthResultsAsync(runId, month, cancellationToken);
                return (run.WithResults(month), month);
            }, cancellationToken);
            var monthContext = new RenderContext(await HeartbeatAsync(lit, cancellationToken), null, null, month);
            Keep(monthContext);
            return monthContext;
        }
        var (evaluated, result) = await GuardAsync(run, async () =>
        {
            var input = queued.Input ?? await ReadInputAsync(run, cancellationToken);
            var result = Evaluator.Evaluate(input.Ruleset, input.Data, run.Period, run.RulesetVersion);
            var previous = await PreviousPublicationAsync(run, cancellationToken);
            await _runs.SaveResultsAsync(runId, result, previous, cancellationToken);
            return (run.WithResults(result, previous), result);
        }, cancellationToken);
        var context = new RenderContext(await HeartbeatAsync(evaluated, cancellationToken), result,
            _renderer is null ? null : await LoadPreviousAsync(evaluated, cancellationToken));
        Keep(context);
        return context;
    }

    /// <summary>The input of a run requested elsewhere or earlier: its version compiled (from the catalog), its data read and checked.</summary>
    private async Task<RunInput> ReadInputAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        var stored = await _catalog.GetAsync(run.RulesetId, run.RulesetVersion, cancellationToken);
        CheckKind(stored, run.Period);
        return await InputAsync(stored, await _data.GetUnitsAsync(run.Period.Year, cancellationToken), run.Period, cancellationToken);
    }

    /// <summary>
    /// The checked input of a stored version over a period: a scoring ruleset with the period's observations (refused by
    /// <see cref="DatasetCheck"/> when they would mislead); a monitor with the observations of every month of the year up to
    /// the period (<see cref="PeriodObservations"/>, ledger rows included), refused when the month itself has no row of
    /// the monitor's indicators for a unit it lights.
    /// </summary>
    private async Task<RunInput> InputAsync(RulesetVersion stored, IReadOnlyList<Unit> units, Period period, CancellationToken cancellationToken)
    {
        if (!stored.IsMonitor)
        {
            var compiled = _catalog.Compile(stored);
            var data = new Dataset(units, await _observations.ReadAsync(period, cancellationToken));
            if (compiled.Ruleset.Cadence == Rules.Model.Cadence.Year)
            {
                // (annual §2) the year's latest publications become derived rows and inputs, recorded in the hash and results.
                var read = compiled.Ruleset.Sources.IsDefaultOrEmpty ? [] : await SourcePublicationsAsync(stored.Level, period, cancellationToken);
                var (joined, problems) = Rules.Annual.SourceData.Join(compiled.Ruleset, data, period, read);
                data = joined ?? throw new StoreException(StoreError.Invalid,
                    $"{stored.RulesetId}@{stored.Version} 评价 {period}：{string.Join("；", problems)}");
            }
            var input = new RunInput(compiled, data);
            Check(input, stored.RulesetId, stored.Version, period);
            return input;
        }
        var monitor = _catalog.CompileMonitor(stored);
        var observations = await MonthObservationsAsync(_observations, period, cancellationToken);
        CheckMonth(monitor, units, observations, stored.RulesetId, stored.Version, period);
        return new RunInput(monitor, new Dataset(units, observations));
    }

    /// <summary>
    /// (annual §2) The latest publication of each quarter <c>YQ1</c> … <c>YQ4</c> and each month <c>Y-01</c> … <c>Y-12</c> of
    /// the level, read from the stored results JSON of the published run (its hash is the hash of those bytes), in period order.
    /// </summary>
    internal async Task<IReadOnlyList<(string Name, SourcePublication Publication)>> SourcePublicationsAsync(UnitLevel level, Period year,
        CancellationToken cancellationToken)
    {
        var read = new List<(string, SourcePublication)>();
        var periods = Enumerable.Range(1, 4).Select(q => Period.OfQuarter(year.Year, q))
            .Concat(Enumerable.Range(1, 12).Select(m => Period.OfMonth(year.Year, m)));
        foreach (var period in periods)
        {
            if (await _published.GetPublicationAsync(period, level, cancellationToken) is not { } published) continue;
            var name = $"{period} 的公布结果（运行 {published.RunId}）";
            var bytes = await StoredResultsJson.ReadAsync(_runs, published.RunId, cancellationToken)
                ?? throw new StoreException(StoreError.Invalid, $"{name}没有结果");
            try
            {
                read.Add((name, SourcePublication.Read(bytes, published.RunId)));
            }
            catch (FormatException e)
            {
                throw new StoreException(StoreError.Invalid, $"{name}：{e.Message}");
            }
        }
        return read;
    }

    /// <summary>The rows a month's evaluation reads: those of months 1 … m of the period's year (monitor.md §1), each month as <see cref="PeriodObservations"/> assembles it.</summary>
    internal static async Task<IReadOnlyList<Observation>> MonthObservationsAsync(PeriodObservations observations, Period month, CancellationToken cancellationToken)
    {
        var rows = new List<Observation>();
        for (var m = 1; m <= month.Month; m++) rows.AddRange(await observations.ReadAsync(Period.OfMonth(month.Year, m), cancellationToken));
        return rows;
    }

    /// <summary>A monitor evaluates months and only months; a scoring ruleset never evaluates a month.</summary>
    internal static void CheckKind(RulesetVersion stored, Period period)
    {
        if (stored.IsMonitor && !period.IsMonth)
            throw new StoreException(StoreError.Invalid, $"{stored.RulesetId}@{stored.Version} 是月度监测（kind: monitor），只评价月份（YYYY-MM，如 {period.Year}-06），不能评价 {period}");
        if (!stored.IsMonitor && period.IsMonth)
            throw new StoreException(StoreError.Invalid, $"{stored.RulesetId}@{stored.Version} 是{stored.Slot.ToChinese()}，不评价月份 {period}：月度通报用该层级启用的月度监测（kind: monitor）");
        // A scoring ruleset evaluates the periods of its cadence (annual.md §1): a quarterly one quarters, a yearly one years.
        if (!stored.IsMonitor && stored.Slot != RulesetSlots.For(period))
            throw new StoreException(StoreError.Invalid, $"{stored.RulesetId}@{stored.Version} 是{stored.Slot.ToChinese()}，不能评价 {period}（cadence: {(stored.Slot == RulesetSlot.Year ? "year 只评价年度 YYYY" : "quarter 只评价季度 YYYYQn")}）");
    }

    /// <summary>
    /// Refuses a month that has no data (monitor.md §4: a month with no data is refused, not lit): no row of the month for
    /// any of the monitor's indicators and any unit of its level whose class it lists.
    /// </summary>
    internal static void CheckMonth(CompiledMonitor monitor, IReadOnlyList<Unit> units, IReadOnlyList<Observation> observations, string id, int version, Period month)
    {
        var model = monitor.Monitor;
        var lit = units.Where(u => u.Level == model.Level && model.Classes.Contains(u.Class)).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        if (lit.Count == 0)
            throw new StoreException(StoreError.Invalid,
                $"不能用月度监测 {id}@{version} 评价 {month}：{month.Year} 年没有类别为 {string.Join("、", model.Classes)} 的{model.Level.ToChinese()}单位");
        var indicators = model.Indicators.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        if (!observations.Any(o => o.Period == month && indicators.Contains(o.Indicator) && lit.Contains(o.Unit)))
            throw new StoreException(StoreError.Invalid,
                $"不能用月度监测 {id}@{version} 评价 {month}：{month} 没有数据（{lit.Count} 个{model.Level.ToChinese()}单位都没有指标 " +
                $"{string.Join("、", indicators.Order(StringComparer.Ordinal))} 的 {month} 数据行），空月份不亮灯；请先导入 {month} 的数据");
    }

    private async Task<EvaluationRun> RenderStepAsync(RenderContext context, IReadOnlyList<string> units, IProgress<RunProgress>? progress,
        CancellationToken cancellationToken)
    {
        await GuardAsync(context.Run, () => RenderScorecardsAsync(context, units, cancellationToken), cancellationToken);
        var run = await HeartbeatAsync(context.Run, cancellationToken);
        if (run.Status != RunStatus.Running) return Forget(run);
        var done = await ProgressAsync(run, context.Result, cancellationToken);
        progress?.Report(new RunProgress("scorecards", done.ScorecardsStored, done.ScorecardsExpected));
        if (done.ScorecardsStored < done.ScorecardsExpected) return run;
        return await FinishStepAsync(run, context, progress, cancellationToken, done);
    }

    /// <summary>
    /// Renders the bulletins if they are missing, completes the run once every document is stored (a conflict naming
    /// what is missing otherwise), and publishes a timer run when <see cref="RunOptions.AutoPublish"/> is on.
    /// </summary>
    private async Task<EvaluationRun> FinishStepAsync(EvaluationRun run, RenderContext context, IProgress<RunProgress>? progress,
        CancellationToken cancellationToken, RenderProgress? known = null)
    {
        try
        {
            if (_renderer is not null)
            {
                var done = known ?? await ProgressAsync(run, context.Result, cancellationToken);
                progress?.Report(new RunProgress("bulletins", done.BulletinsStored, done.BulletinsExpected));
                if (context.Month is { } month && !done.IsComplete)
                {
                    // A month's documents (the level's bulletin and every unit's page) are drawn together from its result.
                    await GuardAsync(run, () => RenderMonthAsync(run, month, cancellationToken), cancellationToken);
                    done = await ProgressAsync(run, context.Result, cancellationToken);
                    progress?.Report(new RunProgress("scorecards", done.ScorecardsStored, done.ScorecardsExpected));
                }
                else if (done.BulletinsStored < done.BulletinsExpected)
                {
                    await GuardAsync(run, () => RenderBulletinsAsync(context with { Run = run }, cancellationToken), cancellationToken);
                    done = await ProgressAsync(run, context.Result, cancellationToken);
                }
                progress?.Report(new RunProgress("bulletins", done.BulletinsExpected, done.BulletinsExpected));
                if (!done.IsComplete)
                    throw new StoreException(StoreError.Conflict,
                        $"运行 {run.Id} 的文档还不全：记分卡 {done.ScorecardsStored}/{done.ScorecardsExpected}，通报 {done.BulletinsStored}/{done.BulletinsExpected}");
            }
            run = await _runs.CompleteRunAsync(run.Id, RunOutcome.Success, Now, cancellationToken);
        }
        catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Concurrency)
        {
            // The last two batches finished together and the other one completed the run (and published it).
            var current = await RequireRunAsync(run.Id, cancellationToken);
            if (current.Status != RunStatus.Succeeded) throw;
            return Forget(current);
        }
        Forget(run);
        if (run.Actor == RunOptions.TimerActor && Options.AutoPublish)
            await _publications.PublishAsync(run, run.Id, RunOptions.TimerActor, Options.AutoPublishNoticeDays, cancellationToken);
        return run;
    }

    /// <summary>Renews the run's heartbeat; a run that ended meanwhile (or a store too busy to renew) is read as it is.</summary>
    private async Task<EvaluationRun> HeartbeatAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        try
        {
            return await _runs.RenewRunAsync(run.Id, Now, cancellationToken);
        }
        catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Concurrency)
        {
            return await RequireRunAsync(run.Id, cancellationToken);
        }
    }

    /// <summary>The scorecard batches of a run; none without a renderer, and none for a month (its documents are drawn when it finishes).</summary>
    private List<RenderBatch> Plan(RenderContext context) =>
        _renderer is null || context.Month is not null ? [] : Plan(context.Run, context.Scored);

    private List<RenderBatch> Plan(EvaluationRun run, EvaluationResult result)
    {
        var chunks = result.Units.Select(u => u.Code).Chunk(Options.BatchSize).ToList();
        return [.. chunks.Select((units, i) => new RenderBatch(run.Id, i + 1, chunks.Count, units))];
    }

    /// <summary>The render context of a running run: kept from its evaluation or an earlier batch in this process, else read (once).</summary>
    private async Task<RenderContext> ContextAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        if (_contexts.TryGetValue(run.Id, out var kept)) return kept;
        if (_renderer is null) throw new InvalidOperationException("没有配置文档渲染器");
        if (run.Period.IsMonth)
        {
            var month = await GuardAsync(run, async () => await _runs.GetMonthResultsAsync(run.Id, cancellationToken)
                ?? throw new StoreException(StoreError.Conflict, $"运行 {run.Id} 还没有结果"), cancellationToken);
            var monthContext = new RenderContext(run, null, null, month);
            Keep(monthContext);
            return monthContext;
        }
        var result = await GuardAsync(run, () => RequireResultsAsync(run.Id, cancellationToken), cancellationToken);
        var context = new RenderContext(run, result, await LoadPreviousAsync(run, cancellationToken));
        Keep(context);
        return context;
    }

    private void Keep(RenderContext context)
    {
        if (_contexts.Count >= KeptResults) _contexts.Clear();
        _contexts[context.Run.Id] = context;
    }

    /// <summary>Drops what this process kept of a run that is no longer running; returns the run.</summary>
    private EvaluationRun Forget(EvaluationRun run)
    {
        if (run.Status != RunStatus.Running) _contexts.TryRemove(run.Id, out _);
        return run;
    }

    private async Task<string?> PreviousPublicationAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        // Quarters are year-to-date: Q1 starts afresh, so only Q2–Q4 compare with the quarter before.
        if (run.Period.Quarter == 1) return null;
        var publication = await _published.GetPublicationAsync(run.Period.Previous(), run.Level, cancellationToken);
        return publication?.RunId;
    }

    private async Task<EvaluationResult?> LoadPreviousAsync(EvaluationRun run, CancellationToken cancellationToken) =>
        run.PreviousRunId is { } id ? await _runs.GetResultsAsync(id, cancellationToken) : null;

    /// <summary>Marks a run that is not over failed with the reason of <paramref name="e"/>; returns the run as it ended.</summary>
    private async Task<EvaluationRun> EndFailedAsync(string runId, Exception e, CancellationToken cancellationToken)
    {
        var ended = await RequireRunAsync(runId, cancellationToken);
        if (ended.IsOver) return ended;
        try
        {
            return await _runs.CompleteRunAsync(runId, RunOutcome.Failure(Reason(e)), Now, cancellationToken);
        }
        catch (StoreException conflict) when (conflict.Error is StoreError.Conflict or StoreError.Concurrency)
        {
            return await RequireRunAsync(runId, cancellationToken);
        }
    }

    private async Task<int> RenderScorecardsAsync(RenderContext context, IReadOnlyList<string> unitCodes, CancellationToken cancellationToken)
    {
        var known = context.Scored.Units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var unknown = unitCodes.Where(c => !known.Contains(c)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"运行 {context.Run.Id} 的结果中没有这些单位：{string.Join(", ", unknown)}");
        // The ledger read here (async, kept per year stamp), handed to the renderer, which stays pure and synchronous.
        var book = await LedgerBookAsync(context.Scored.Period.Year, cancellationToken);
        var documents = _renderer!.RenderScorecards(context.Scored, RunStamp.Of(context.Run), unitCodes, context.Previous, book);
        var wrong = documents.Where(d => d.Kind != DocumentKind.Scorecard || !unitCodes.Contains(d.Key)).Select(d => d.Key).ToList();
        if (wrong.Count > 0 || documents.Count != unitCodes.Count)
            throw new InvalidOperationException($"渲染器返回的记分卡与所请求的单位不符（请求 {unitCodes.Count} 个，返回 {documents.Count} 个）");
        await _runs.SaveDocumentsAsync(context.Run.Id, documents, cancellationToken);
        return documents.Count;
    }

    private async Task<int> RenderBulletinsAsync(RenderContext context, CancellationToken cancellationToken)
    {
        var documents = _renderer!.RenderBulletins(context.Scored, RunStamp.Of(context.Run), context.Previous);
        if (documents.Any(d => d.Kind != DocumentKind.Bulletin))
            throw new InvalidOperationException("渲染器返回的通报中混有其他文档");
        await _runs.SaveDocumentsAsync(context.Run.Id, documents, cancellationToken);
        return documents.Count;
    }

    /// <summary>A month's documents: the level's bulletin (a bulletin keyed by the level) and each unit's page (a scorecard keyed by its code).</summary>
    private async Task<int> RenderMonthAsync(EvaluationRun run, MonthResult month, CancellationToken cancellationToken)
    {
        var documents = _renderer!.RenderMonth(month, RunStamp.Of(run));
        var codes = month.Units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var level = month.Monitor.Level.ToText();
        if (documents.Any(d => d.Kind == DocumentKind.Scorecard ? !codes.Contains(d.Key) : d.Key != level)
            || documents.Count(d => d.Kind == DocumentKind.Scorecard) != codes.Count || documents.Count(d => d.Kind == DocumentKind.Bulletin) != 1)
            throw new InvalidOperationException($"渲染器返回的月度文档与结果不符（应有 1 份通报和 {codes.Count} 份单位页，返回 {documents.Count} 份）");
        documents = [.. documents, .. await MonthLedgerBulletinAsync(run, cancellationToken)];
        await _runs.SaveDocumentsAsync(run.Id, documents, cancellationToken);
        return documents.Count;
    }

    /// <summary>
    /// A month run's ledger bulletin (ledger.md §5): the level's monthly ledger bulletin (a bulletin keyed
    /// <c>ledger-&lt;level&gt;</c>) when the store has a ledger and the year has tasks of the level, else nothing. Replayed
    /// from the history to the month's end with the service's lights' settings (<see cref="LedgerSettings"/>, printed on it), so
    /// rendering it again with the same settings gives the same bytes.
    /// </summary>
    internal async Task<IReadOnlyList<StoredDocument>> MonthLedgerBulletinAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        if (_books is null || !run.Period.IsMonth) return [];
        var key = $"ledger-{run.Level.ToText()}";
        var documents = await _books.RenderMonthAsync(run.Period, RunStamp.Of(run), cancellationToken);
        return [.. documents.Where(d => d.Key == key)];
    }

    /// <summary>
    /// The task ledger of <paramref name="year"/> as the scorecards' ledger section draws it (with <see cref="LedgerSettings"/>),
    /// or null without a ledger or without tasks in the year: read here, asynchronously, and handed to the renderer.
    /// </summary>
    internal async Task<LedgerBook?> LedgerBookAsync(int year, CancellationToken cancellationToken) =>
        _books is null ? null : await _books.ReadAsync(year, cancellationToken);

    /// <summary>Runs a step of a run; on failure marks the run failed with the reason (if it is not over) and rethrows.</summary>
    private async Task<T> GuardAsync<T>(EvaluationRun run, Func<Task<T>> step, CancellationToken cancellationToken)
    {
        try
        {
            return await step();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _contexts.TryRemove(run.Id, out _);
            try
            {
                var current = await _runs.GetRunAsync(run.Id, CancellationToken.None);
                if (current is { Status: RunStatus.Queued or RunStatus.Running })
                    await _runs.CompleteRunAsync(run.Id, RunOutcome.Failure(Reason(e)), Now, CancellationToken.None);
            }
            catch (StoreException)
            {
                // Another worker ended the run first; the original error is what matters.
            }
            throw;
        }
    }

    private async Task<EvaluationRun> RequireRunAsync(string runId, CancellationToken cancellationToken) =>
        await _runs.GetRunAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有运行 {runId}");

    private async Task<EvaluationResult> RequireResultsAsync(string runId, CancellationToken cancellationToken) =>
        await _runs.GetResultsAsync(runId, cancellationToken) ?? throw new StoreException(StoreError.Conflict, $"运行 {runId} 还没有结果");

    /// <summary>Refuses an evaluation that would mislead (<see cref="DatasetCheck"/>) as invalid input (exit 2, HTTP 422).</summary>
    internal static void Check(RunInput input, string rulesetId, int version, Period period)
    {
        var problems = DatasetCheck.Problems(input.Ruleset.Ruleset, input.Data, period);
        if (problems.Count > 0)
            throw new StoreException(StoreError.Invalid, $"不能用规则集 {rulesetId}@{version} 评价 {period}：" + string.Join("；", problems));
    }

    internal static string Reason(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
