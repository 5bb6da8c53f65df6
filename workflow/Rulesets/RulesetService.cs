using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Imports;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Workflow.Rulesets;

/// <summary>
/// The ruleset use case: versions validated and stored, activated and deactivated, previewed against the active
/// version, and observation templates written from them; every stored text compiled once by the <see cref="Catalog"/>.
/// </summary>
public sealed class RulesetService
{
    private readonly IRulesetStore _rulesets;
    private readonly IUnitDataStore _data;
    private readonly PeriodObservations _observations;
    private readonly TimeProvider _clock;

    /// <summary>Creates the service.</summary>
    /// <param name="rulesets">The stored ruleset versions.</param>
    /// <param name="data">Units and observations (previews and templates read them).</param>
    /// <param name="clock">Where times come from.</param>
    /// <param name="catalog">The stored versions, compiled once per text.</param>
    /// <param name="ledger">The task ledger whose derived observations join a preview's data, or null.</param>
    public RulesetService(IRulesetStore rulesets, IUnitDataStore data, TimeProvider clock, RulesetCatalog catalog, ILedgerStore? ledger = null)
    {
        _rulesets = rulesets ?? throw new ArgumentNullException(nameof(rulesets));
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _observations = new PeriodObservations(data, ledger);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        Catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
    }

    /// <summary>The stored versions, compiled once per text.</summary>
    public RulesetCatalog Catalog { get; }

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Validates a ruleset with the engine and stores it as the next version of its id (unchanged text: the latest version is returned).</summary>
    /// <exception cref="InputRejectedException">The ruleset is invalid; every error is listed with its YAML line and column.</exception>
    public async Task<RulesetVersion> AddRulesetAsync(string yaml, string fileName, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        fileName = UploadNames.Of(fileName);
        if (yaml.Length > 0 && yaml[0] == '\uFEFF') yaml = yaml[1..];
        if (MonitorLoader.IsMonitorText(yaml))
        {
            // A monitor (kind: monitor) is versioned, validated, activated and audited like a ruleset, in its own slot.
            var monitor = Catalog.LoadMonitor(yaml);
            if (!monitor.IsValid) throw new InputRejectedException(fileName, [.. monitor.Diagnostics.Select(d => InputError.Of(fileName, d))]);
            return await _rulesets.AddRulesetVersionAsync(monitor.Monitor!.Id, yaml, RulesetOutline.Of(monitor.Monitor), actor, Now, cancellationToken);
        }
        // Stored means NRules compiles it, as validate promises (and the catalog keeps it compiled for this text's runs).
        var loaded = Catalog.Load(yaml);
        if (!loaded.IsValid) throw new InputRejectedException(fileName, [.. loaded.Diagnostics.Select(d => InputError.Of(fileName, d))]);
        return await _rulesets.AddRulesetVersionAsync(loaded.Ruleset!.Id, yaml, RulesetOutline.Of(loaded.Ruleset), actor, Now, cancellationToken);
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
        _rulesets.ActivateRulesetAsync(rulesetId, version, actor, Now, replace, cancellationToken);

    /// <summary>
    /// Leaves a ruleset id with no active version (its versions stay stored; timers no longer evaluate it); returns the
    /// version that was active, or null when none was (nothing changes). <see cref="StoreError.NotFound"/> for an unknown id.
    /// </summary>
    public Task<RulesetVersion?> DeactivateRulesetAsync(string rulesetId, string actor, CancellationToken cancellationToken = default) =>
        _rulesets.DeactivateRulesetAsync(rulesetId, actor, Now, cancellationToken);

    /// <summary>
    /// The active version of each level and slot (the store keeps one a level and slot at most: a quarterly ruleset, a
    /// yearly one, a monitor), by level, then slot. Timers and the CLI's <c>run</c> evaluate these and no others: each
    /// picks the slot of its period (<see cref="ActiveRuleset.Slot"/>, <see cref="RulesetSlots.For"/>).
    /// </summary>
    public async Task<IReadOnlyList<ActiveRuleset>> GetActiveRulesetsAsync(CancellationToken cancellationToken = default) =>
        [.. (await _rulesets.ListRulesetVersionsAsync(cancellationToken)).Where(r => r.Active).OrderBy(r => r.Level).ThenBy(r => r.Slot)
            .Select(r => new ActiveRuleset(r.Level, r))];

    /// <summary>The active version of a level that evaluates <paramref name="period"/> (its slot: a month the monitor), or null.</summary>
    public async Task<ActiveRuleset?> GetActiveRulesetAsync(UnitLevel level, Period period, CancellationToken cancellationToken = default) =>
        (await GetActiveRulesetsAsync(cancellationToken)).FirstOrDefault(a => a.Level == level && a.Slot == RulesetSlots.For(period));

    /// <summary>
    /// Evaluates a stored monitor version over a month's stored data (months 1 … m, ledger rows included), and the level's
    /// active monitor too, without writing anything: each unit's light on each of the draft's indicators under both.
    /// </summary>
    /// <exception cref="StoreException">Invalid: the version is not a monitor, the period not a month, or the month has no data.</exception>
    public async Task<MonitorPreview> PreviewMonitorAsync(string monitorId, int version, Period month, CancellationToken cancellationToken = default)
    {
        var draft = await GetRulesetAsync(monitorId, version, cancellationToken);
        RunService.CheckKind(draft, month);
        var compiled = Catalog.CompileMonitor(draft);
        var active = (await GetActiveRulesetsAsync(cancellationToken)).FirstOrDefault(a => a.Level == draft.Level && a.Slot == RulesetSlot.Monitor);
        var units = await _data.GetUnitsAsync(month.Year, cancellationToken);
        var observations = await RunService.MonthObservationsAsync(_observations, month, cancellationToken);
        RunService.CheckMonth(compiled, units, observations, draft.RulesetId, draft.Version, month);
        var data = new Dataset(units, observations);
        var draftResult = MonitorEvaluator.Evaluate(compiled, data, month, draft.Version);
        MonthResult? activeResult = null;
        if (active is not null)
        {
            var stored = await GetRulesetAsync(active.Ruleset.RulesetId, active.Ruleset.Version, cancellationToken);
            activeResult = MonitorEvaluator.Evaluate(Catalog.CompileMonitor(stored), data, month, stored.Version);
        }
        var activeUnits = activeResult?.Units.ToDictionary(u => u.Code, StringComparer.Ordinal) ?? [];
        var rows = draftResult.Units.Select(u =>
        {
            activeUnits.TryGetValue(u.Code, out var a);
            return new MonitorPreviewRow(u.Code, u.Name, u.Class, [.. u.Indicators.Select(i =>
                new MonitorPreviewCell(i.Id, i.Light, a?.Indicators.FirstOrDefault(x => x.Id == i.Id)?.Light))]);
        }).ToList();
        return new MonitorPreview(draft.RulesetId, draft.Version, active?.Ruleset.RulesetId, active?.Ruleset.Version, month,
            [.. draftResult.Lights.Select(l => (l.Id, l.Name))], rows);
    }

    /// <summary>A stored version (null = the active one), or a <see cref="StoreException"/> (not found).</summary>
    public Task<RulesetVersion> GetRulesetAsync(string rulesetId, int? version, CancellationToken cancellationToken = default) =>
        Catalog.GetAsync(rulesetId, version, cancellationToken);

    /// <summary>
    /// Evaluates a stored version over a period's stored data, and the active version too, without writing
    /// anything: each unit's total, rank and grade under both, and the change.
    /// </summary>
    public async Task<RulesetPreview> PreviewAsync(string rulesetId, int version, Period period, CancellationToken cancellationToken = default)
    {
        var draft = await GetRulesetAsync(rulesetId, version, cancellationToken);
        var active = await _rulesets.GetActiveRulesetAsync(rulesetId, cancellationToken);
        var data = new Dataset(await _data.GetUnitsAsync(period.Year, cancellationToken), await _observations.ReadAsync(period, cancellationToken));
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
    /// The ledger's derived ids (<c>ledger_*</c>) get no rows: they are never typed in.
    /// </summary>
    public async Task<byte[]> TemplateAsync(Period period, string rulesetId, int? version, CancellationToken cancellationToken = default)
    {
        var stored = await GetRulesetAsync(rulesetId, version, cancellationToken);
        var model = Catalog.Compile(stored).Ruleset;
        var units = (await _data.GetUnitsAsync(period.Year, cancellationToken)).Where(u => u.Level == model.Level).ToList();
        if (units.Count == 0)
            throw new StoreException(StoreError.Invalid, $"{period.Year} 年没有{model.Level.ToChinese()}单位，请先导入 {period.Year} 年的单位名单");
        var known = await _data.GetObservationsAsync(period, cancellationToken);
        var lastYear = period.Year > 1900
            ? await _data.GetObservationsAsync(period.SameLastYear(), cancellationToken)
            : [];
        return ObservationTemplate.Write(model, units, period, known, lastYear);
    }

    /// <summary>Evaluates a stored version (compiled by the catalog) over data, refusing data that would mislead.</summary>
    private EvaluationResult Evaluate(RulesetVersion stored, Dataset data, Period period)
    {
        var input = new RunInput(Catalog.Compile(stored), data);
        RunService.Check(input, stored.RulesetId, stored.Version, period);
        return Evaluator.Evaluate(input.Ruleset, data, period, stored.Version);
    }
}
