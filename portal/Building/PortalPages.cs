using System.Collections.Concurrent;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Publications;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>
/// Builds each page's view model from the workflow. Which role may open a page is the page's own declaration, checked by
/// the host's gate before the builder is called (the functions' <c>[Page(Right.…)]</c>); a builder decides only which unit,
/// class or result the user may see (<see cref="AccessPolicy"/>; a <see cref="PortalException"/> otherwise). The hosts'
/// functions authenticate, call one method, render.
/// </summary>
public sealed partial class PortalPages
{
    /// <summary>The file name YAML errors are reported against in the editor.</summary>
    public const string EditorFileName = "ruleset.yaml";

    private readonly AssessmentService _service;
    private readonly IAccountStore? _accounts;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EvaluationResult> _results = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, (string BatchId, IReadOnlyList<Unit> Units)> _units = new();

    /// <summary>How many succeeded runs' results are kept in memory (a quarter's county and town runs and a few more).</summary>
    private const int ResultsKept = 8;

    private readonly PublishedResults _readModel;

    /// <summary>Creates the builder; <paramref name="results"/> is the app's read model of published results (the API's too), a new one when null.</summary>
    public PortalPages(AssessmentService service, IAccountStore? accounts, TimeProvider clock, PublishedResults? results = null)
    {
        _readModel = results ?? new PublishedResults();
        _service = service ?? throw new ArgumentNullException(nameof(service));
        _accounts = accounts;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }


    // ---- units ----

    /// <summary>
    /// A unit's home: the latest published quarter, every published quarter and their trend; every published year (年度考评) in
    /// its own list, with the level-wide ranking when the year's run has one.
    /// </summary>
    public async Task<UnitHomeModel> UnitHomeAsync(PortalUser user, PageFrame frame, string code, CancellationToken cancellationToken = default)
    {
        var publications = await PublicationsAsync(cancellationToken);
        var unit = await RequireUnitAsync(user, code, publications, cancellationToken);
        var quarters = new List<ResultSummary>();
        var years = new List<YearSummary>();
        string? latestRun = null;
        // The quarters and years whose published run the policy lets the visitor read (a county: those its towns were its in).
        foreach (var s in unit.Readable)
        {
            var period = s.Publication.Period;
            if (!period.IsQuarter && !period.IsWholeYear) continue;
            if (await _service.GetUnitResultAsync(s.Publication.RunId, code, cancellationToken) is not { } r) continue;
            var summary = Summary(code, period, r) with { Draft = await DraftAsync(period, s.Publication.Level, s.Publication.RunId, cancellationToken) };
            if (period.IsWholeYear)
            {
                // The level-wide ranking exists where the year's ruleset ranks the whole level (its units carry levelPeers).
                var key = LevelRankingPrefix + s.Publication.Level.ToText();
                var ranking = r.LevelPeers is not null && await MayReadBulletinAsync(user, s.Publication.RunId, key, cancellationToken)
                    ? PortalUrls.LevelRankingPdf(period, s.Publication.Level) : null;
                years.Add(new YearSummary(summary, r.LevelRank, r.LevelPeers, ranking));
                continue;
            }
            quarters.Add(summary);
            latestRun = s.Publication.RunId;
        }
        var latest = quarters.LastOrDefault();
        // The bulletin link only where its rule lets the visitor in (not a county on one of its towns' pages).
        var bulletin = latest is not null && await MayReadBulletinAsync(user, latestRun!, latest.Class, cancellationToken);
        var trend = quarters.Select(q => new TrendPoint(q.Period.ToString(), q.Total, q.Rank, q.Peers)).ToList();
        quarters.Reverse();
        years.Reverse();
        var isCounty = unit.Level == UnitLevel.County;
        return new UnitHomeModel(frame with { Title = $"{unit.Name} 考核结果", Section = "unit" }, code, unit.Name, unit.Level.ToChinese(), latest, quarters, trend,
            bulletin ? PortalUrls.Bulletin(code, latest!.Period) : null, isCounty ? PortalUrls.Towns(code) : null)
        {
            Years = years,
        };
    }

    /// <summary>The start of the level-wide ranking's bulletin key (<c>level-county</c>, <c>level-town</c>).</summary>
    private const string LevelRankingPrefix = "level-";

    /// <summary>A unit's published scorecard of one period as a page.</summary>
    public async Task<ScorecardPageModel> ScorecardAsync(PortalUser user, PageFrame frame, string code, Period period, CancellationToken cancellationToken = default)
    {
        var publications = await PublicationsAsync(cancellationToken);
        var unit = await RequireUnitAsync(user, code, publications, cancellationToken);
        var (publication, result) = await PublishedResultAsync(user, publications, unit, period, cancellationToken);
        var card = await CardAsync(frame with { Title = $"{unit.Name} {period} 记分卡", Section = "unit" }, publication.RunId, code, unit.Name,
            Summary(code, period, result), result, PortalUrls.Unit(code), cancellationToken);
        return card with
        {
            Draft = await DraftAsync(publication.Period, publication.Level, publication.RunId, cancellationToken),
            Level = publication.Level,
            RunId = publication.RunId,
            Targets = Targets(result, await NamesAsync(publication.RunId, cancellationToken)),
        };
    }

    /// <summary>A scorecard page of one run's result for a unit, its indicators named by the run's ruleset.</summary>
    private async Task<ScorecardPageModel> CardAsync(PageFrame frame, string runId, string code, string name, ResultSummary summary, UnitResult result,
        string back, CancellationToken cancellationToken)
    {
        var names = await NamesAsync(runId, cancellationToken);
        string Name(string id) => names.TryGetValue(id, out var n) ? n : id;
        return new ScorecardPageModel(frame, code, name, summary,
            [.. result.Dimensions.Select(d => new ScoreLine(Name(d.Id), d.Score, d.Max))],
            [.. result.Indicators.Select(i => new IndicatorLine($"{Name(i.Id)}（{i.Id}）", i.Score, i.Max, i.Explain, i.Missing))],
            [.. result.Adjustments.Select(a => new ScoreLine(Name(a.Id), a.Points, null))],
            back);
    }

    /// <summary>The bulletin of the class a unit was ranked in, in a published period.</summary>
    public async Task<BulletinPageModel> BulletinAsync(PortalUser user, PageFrame frame, string code, Period period, CancellationToken cancellationToken = default)
    {
        var publications = await PublicationsAsync(cancellationToken);
        var unit = await RequireUnitAsync(user, code, publications, cancellationToken);
        var (publication, own) = await PublishedResultAsync(user, publications, unit, period, cancellationToken);
        if (!await MayReadBulletinAsync(user, publication.RunId, own.Class, cancellationToken)) throw PortalException.Forbidden();
        var all = await ResultsAsync(publication.RunId, cancellationToken) ?? throw PortalException.NotFound("结果不存在");
        var run = await _service.GetRunAsync(publication.RunId, cancellationToken);
        var before = await PreviousRanksAsync(run, cancellationToken);
        var rows = all.Units.Where(u => u.Class == own.Class).OrderBy(u => u.Rank).ThenBy(u => u.Code, StringComparer.Ordinal)
            .Select(u => Row(u, null, Change(before, u)))
            .ToList();
        return new BulletinPageModel(frame with { Title = $"“{own.Class}”类排名通报", Section = "unit" }, period, unit.Level.ToChinese(), own.Class, rows,
            PortalUrls.BulletinPdf(code, period))
        {
            Draft = await DraftAsync(publication.Period, publication.Level, publication.RunId, cancellationToken),
        };
    }

    /// <summary>A county's towns in the latest published town ranking (office or the county itself).</summary>
    public async Task<TownsPageModel> TownsAsync(PortalUser user, PageFrame frame, string code, CancellationToken cancellationToken = default)
    {
        var publications = await PublicationsAsync(cancellationToken);
        var unit = await RequireUnitAsync(user, code, publications, cancellationToken);
        if (unit.Level != UnitLevel.County) throw PortalException.NotFound($"{unit.Name} 不是县级单位");
        frame = frame with { Title = $"{unit.Name} 下属乡镇", Section = "unit" };
        var latest = publications.LastOrDefault(p => p.Level == UnitLevel.Town);
        if (latest is null) return new TownsPageModel(frame, unit.Name, null, []);
        var all = await ResultsAsync(latest.RunId, cancellationToken);
        var rows = (all?.Units ?? []).Where(u => u.Parent == code).OrderBy(u => u.Class, StringComparer.Ordinal).ThenBy(u => u.Rank)
            .Select(u => Row(u, PortalUrls.Scorecard(u.Code, latest.Period), null) with { Peers = u.Peers }).ToList();
        return new TownsPageModel(frame, unit.Name, latest.Period, rows);
    }

    /// <summary>
    /// The PDF of a unit's published scorecard (kind <see cref="DocumentKind.Scorecard"/>) or its class's bulletin, after the
    /// same checks as the pages.
    /// </summary>
    public async Task<StoredDocument> DocumentAsync(PortalUser user, string code, Period period, DocumentKind kind, CancellationToken cancellationToken = default)
    {
        var publications = await PublicationsAsync(cancellationToken);
        var unit = await RequireUnitAsync(user, code, publications, cancellationToken);
        var (publication, result) = await PublishedResultAsync(user, publications, unit, period, cancellationToken);
        if (kind == DocumentKind.Bulletin && !await MayReadBulletinAsync(user, publication.RunId, result.Class, cancellationToken))
            throw PortalException.Forbidden();
        var key = kind == DocumentKind.Scorecard ? code : result.Class;
        return await _service.ServeDocumentAsync(publication.RunId, kind, key, cancellationToken) ?? throw PortalException.NotFound("文档还没有生成");
    }

    // ---- office ----

    /// <summary>
    /// The uploads page, with the rows of a rejected file when there is one, or what the import just done (batch
    /// <paramref name="imported"/>) wrote, per period.
    /// </summary>
    public Task<UploadsPageModel> UploadsAsync(PageFrame frame, InputRejectedException? rejected, CancellationToken cancellationToken = default,
        string? imported = null) =>
        UploadsAsync(frame, new UploadsState(rejected is null ? null : ImportErrorReport.Of(rejected)), cancellationToken, imported);

    /// <summary>
    /// The uploads page in a state: a refusal (its errors grouped and bounded), or a file's preview waiting to be confirmed,
    /// with the file carried to the next step and the period and year the office chose kept in the forms.
    /// </summary>
    public async Task<UploadsPageModel> UploadsAsync(PageFrame frame, UploadsState state, CancellationToken cancellationToken = default,
        string? imported = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var imports = await _service.ListImportsAsync(cancellationToken);
        var rulesets = (await _service.ListRulesetsAsync(cancellationToken)).Where(r => r.Active).Select(r => r.RulesetId).Distinct().ToList();
        var now = _clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        var quarter = Period.OfQuarter(now.Year, (now.Month - 1) / 3 + 1).Previous();
        var period = state.Period ?? (await LatestDataPeriodAsync(imports, cancellationToken)).ToString();
        if (imported is not null && frame.Notice is { } notice && imports.FirstOrDefault(i => i.Id == imported) is { } batch)
            frame = frame with { Notice = ImportNotice(notice, batch) };
        return new UploadsPageModel(frame with { Title = "数据上传", Section = "uploads" },
            [.. imports.Take(50).Select(i => new ImportLine(i.Kind == ImportKind.Units ? "单位" : "指标数据", i.Year, i.FileName, i.RowCount, i.Actor, i.At,
                i.PeriodRows() is { Count: > 0 } rows ? string.Join("、", rows.Select(r => r.Period.ToString())) : null))],
            state.Rejected, state.Year ?? quarter.Year, period, rulesets, state.Stage, state.Preview);
    }

    /// <summary>The notice after an import, with what it wrote: <c>指标数据已导入：o.csv 共 17 行（2025Q2 9 行、2025Q3 8 行）</c>.</summary>
    private static string ImportNotice(string notice, ImportBatch batch)
    {
        var rows = batch.PeriodRows();
        var detail = batch.Kind == ImportKind.Units
            ? $"{batch.FileName} 共 {batch.RowCount} 个单位（{batch.Year} 年）"
            : rows.Count == 0 ? $"{batch.FileName} 共 {batch.RowCount} 行"
            : $"{batch.FileName} 共 {batch.RowCount} 行（{string.Join("、", rows.Select(r => $"{r.Period} {r.Rows} 行"))}）";
        return $"{notice}：{detail}";
    }

    /// <summary>The evaluations page.</summary>
    public async Task<RunsPageModel> RunsAsync(PageFrame frame, CancellationToken cancellationToken = default)
    {
        var choices = new List<RulesetChoice>();
        foreach (var v in (await _service.ListRulesetsAsync(cancellationToken)).Where(r => r.Active))
            choices.Add(new RulesetChoice(v.RulesetId, v.Version, v.IsMonitor ? $"{v.Level.ToChinese()} · 月度监测（期间填月份 YYYY-MM）"
                : v.Slot == Rules.Loading.RulesetSlot.Year ? $"{v.Level.ToChinese()} · 年度考评（期间填年份 YYYY）" : v.Level.ToChinese(), v.Level));
        var runs = await _service.ListRunsAsync(cancellationToken: cancellationToken);
        // One read of the publications for the whole list, not one per run.
        var published = (await _readModel.PublicationsAsync(_service, cancellationToken)).Select(p => p.Publication.RunId).ToHashSet(StringComparer.Ordinal);
        var lines = runs.Take(100).Select(r => Line(r, published.Contains(r.Id))).ToList();
        var period = await LatestDataPeriodAsync(null, cancellationToken);
        return new RunsPageModel(frame with { Title = "考核运行", Section = "runs" }, choices, period.ToString(), lines);
    }

    /// <summary>One run: progress, class rankings, publish.</summary>
    public async Task<RunPageModel> RunAsync(PageFrame frame, string runId, CancellationToken cancellationToken = default)
    {
        var run = await _service.GetRunAsync(runId, cancellationToken) ?? throw PortalException.NotFound($"没有运行 {runId}");
        var line = await LineAsync(run, cancellationToken);
        var result = await ResultsAsync(runId, cancellationToken);
        RenderProgress? progress = result is null || !_service.RendersDocuments ? null : await _service.GetRenderProgressAsync(run, result, cancellationToken);
        // The review reads the run's own scorecards and bulletins (not the period's published run), with the change since the
        // previous quarter's published run the bulletin shows.
        var before = result is null ? null : await PreviousRanksAsync(run, cancellationToken);
        var classes = result is null ? [] : result.Units.GroupBy(u => u.Class)
            .OrderBy(g => Array.IndexOf([.. result.Ruleset.Classes], g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ClassRanking(g.Key, [.. g.OrderBy(u => u.Rank).ThenBy(u => u.Code, StringComparer.Ordinal)
                .Select(u => Row(u, PortalUrls.RunScorecard(run.Id, u.Code), Change(before, u)))],
                PortalUrls.RunBulletin(run.Id, g.Key), PortalUrls.RunBulletinPdf(run.Id, g.Key)))
            .ToList();
        return new RunPageModel(frame with { Title = $"考核运行 {run.Period} {run.Level.ToChinese()}", Section = "runs" }, line, progress, classes,
            run.Status == RunStatus.Succeeded && !line.Published, line.Published ? PortalUrls.Zip(run.Period, run.Level) : null, before is not null)
        {
            Notice = line.Published ? await NoticeOfAsync(run.Period, run.Level, run.Id, cancellationToken) : null,
            Publish = PublishDefaults,
            Sources = result is null ? [] : [.. (await _service.GetSourceStatusAsync(run, result, cancellationToken)).Select(SourceLine.Of)],
        };
    }

    /// <summary>A run's progress for the page's polling script.</summary>
    public async Task<RunProgressAnswer> RunProgressAsync(string runId, CancellationToken cancellationToken = default)
    {
        var run = await _service.GetRunAsync(runId, cancellationToken) ?? throw PortalException.NotFound($"没有运行 {runId}");
        var finished = run.Status is RunStatus.Succeeded or RunStatus.Failed;
        // The counts stored with the run against the documents listed: a poll reads no results.
        if (!_service.RendersDocuments || run.DataSha256 is null)
            return new RunProgressAnswer(run.Status.ToString().ToLowerInvariant(), finished, null, null, null, null);
        var p = await _service.GetRenderProgressAsync(run, cancellationToken: cancellationToken);
        return new RunProgressAnswer(run.Status.ToString().ToLowerInvariant(), finished, p.ScorecardsExpected, p.ScorecardsStored, p.BulletinsExpected, p.BulletinsStored);
    }

    /// <summary>The audit log filtered by actor (exact), action (exact) and text (anywhere), newest first.</summary>
    public async Task<AuditPageModel> AuditAsync(PageFrame frame, string? actor, string? action, string? text, CancellationToken cancellationToken = default)
    {
        var log = await _service.GetAuditLogAsync(cancellationToken);
        actor = string.IsNullOrWhiteSpace(actor) ? null : actor.Trim();
        action = string.IsNullOrWhiteSpace(action) ? null : action.Trim();
        text = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        var entries = log.Reverse()
            .Where(e => actor is null || string.Equals(e.Actor, actor, StringComparison.OrdinalIgnoreCase))
            .Where(e => action is null || e.Action == action)
            .Where(e => text is null || e.Target.Contains(text, StringComparison.OrdinalIgnoreCase) || (e.Detail?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
                || e.Actor.Contains(text, StringComparison.OrdinalIgnoreCase) || e.Action.Contains(text, StringComparison.OrdinalIgnoreCase))
            .Take(500)
            .Select(e => new AuditLine(e.Sequence, e.At, e.Actor, e.Action, e.Target, e.Detail))
            .ToList();
        var actions = log.Select(e => e.Action).Distinct().Order(StringComparer.Ordinal).ToList();
        return new AuditPageModel(frame with { Title = "审计日志", Section = "audit" }, actor, action, text, actions, entries, log.Count);
    }

    /// <summary>The accounts page, with a one-time password just issued.</summary>
    public async Task<AccountsPageModel> AccountsAsync(PageFrame frame, string? issuedFor, string? issuedPassword, CancellationToken cancellationToken = default)
    {
        var accounts = _accounts is null ? [] : await _accounts.ListAsync(cancellationToken);
        return new AccountsPageModel(frame with { Title = "账户管理", Section = "accounts" }, accounts, issuedFor, issuedPassword, _clock.GetUtcNow());
    }

    // ---- rulesets ----

    /// <summary>Every ruleset and its versions.</summary>
    public async Task<RulesetsPageModel> RulesetsAsync(PortalUser user, PageFrame frame, CancellationToken cancellationToken = default)
    {
        var versions = await _service.ListRulesetsAsync(cancellationToken);
        // One active version per level and slot (a quarterly ruleset, a yearly one and a monitor may be active side by side).
        var activeByLevel = versions.Where(v => v.Active).ToDictionary(v => (v.Level, v.Slot), v => v.RulesetId);
        var groups = versions.GroupBy(v => v.RulesetId)
            .Select(g => new RulesetGroup(g.Key, g.FirstOrDefault(v => v.Active)?.Version,
                [.. g.OrderByDescending(v => v.Version).Select(v => new RulesetVersionLine(v.Version, v.Author, v.CreatedAt, v.Sha256, v.Active,
                    v.Level.ToChinese(), activeByLevel.TryGetValue((v.Level, v.Slot), out var other) && other != g.Key ? other : null))]))
            .ToList();
        return new RulesetsPageModel(frame with { Title = "规则集", Section = "rulesets" }, groups, AccessPolicy.Has(user, Right.Office));
    }

    /// <summary>The editor on a stored version, or on a new ruleset's starting text.</summary>
    public async Task<EditorPageModel> EditorAsync(PortalUser user, PageFrame frame, string? rulesetId, int? version, CancellationToken cancellationToken = default)
    {
        if (rulesetId is null || version is null)
            return new EditorPageModel(frame with { Title = "新建规则集", Section = "editor" }, null, null, StarterYaml, [], false);
        var stored = await _service.FindRulesetAsync(rulesetId, version.Value, cancellationToken)
            ?? throw PortalException.NotFound($"规则集 {rulesetId} 没有版本 {version}");
        return new EditorPageModel(frame with { Title = $"编辑规则集 {rulesetId}", Section = "rulesets" }, rulesetId, version, stored.Yaml, [], false);
    }

    /// <summary>The editor after checking a text with the server's validator (the same as saving uses).</summary>
    public EditorPageModel Checked(PortalUser user, PageFrame frame, string yaml, string? rulesetId, int? baseVersion)
    {
        var (errors, warnings) = Check(yaml);
        return new EditorPageModel(frame with { Title = rulesetId is null ? "新建规则集" : $"编辑规则集 {rulesetId}", Section = "editor" },
            rulesetId, baseVersion, yaml, errors, true) { Warnings = warnings };
    }

    /// <summary>
    /// The validator's errors for a text and, when it is valid, its warnings (<see cref="RulesetWarnings"/>, e.g. a class whose
    /// weights do not add up to the total), each at its line and column; a warning's message starts with its code.
    /// </summary>
    public static (IReadOnlyList<InputError> Errors, IReadOnlyList<InputError> Warnings) Check(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (MonitorLoader.IsMonitorText(yaml)) return (Validate(yaml), []); // a monitor (kind: monitor) has no weight warnings
        var loaded = RulesetLoader.Load(yaml);
        return loaded.IsValid
            ? ([], [.. loaded.Warnings.Select(w => InputError.Of(EditorFileName, w) with { Message = $"{w.Code}：{w.Message}", Code = null })])
            : ([.. loaded.Diagnostics.Select(d => InputError.Of(EditorFileName, d))], []);
    }

    /// <summary>The validator's errors for a text, each at its line and column (empty: valid).</summary>
    public static IReadOnlyList<InputError> Validate(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        // The editor holds either kind of text: a monitor is checked by the monitor's loader (§2.5 codes), a ruleset by its own.
        var diagnostics = MonitorLoader.IsMonitorText(yaml) ? MonitorLoader.Load(yaml).Diagnostics : RulesetLoader.Load(yaml).Diagnostics;
        return [.. diagnostics.Select(d => InputError.Of(EditorFileName, d))];
    }

    /// <summary>A stored version evaluated over a period's data beside the active version, per class.</summary>
    public async Task<PreviewPageModel> PreviewAsync(PortalUser user, PageFrame frame, string rulesetId, int version, Period? period, CancellationToken cancellationToken = default)
    {
        var stored = await _service.FindRulesetAsync(rulesetId, version, cancellationToken) ?? throw PortalException.NotFound($"规则集 {rulesetId} 没有版本 {version}");
        var active = await _service.FindActiveRulesetAsync(rulesetId, cancellationToken);
        frame = frame with { Title = $"预览 {rulesetId} v{stored.Version}", Section = "rulesets" };
        var links = PreviewLinksFor(user, rulesetId, version, active?.Version);
        Period? chosen = period ?? await LatestDataPeriodAsync(null, cancellationToken);
        if (chosen is not { } p) return new PreviewPageModel(frame, rulesetId, version, active?.Version, "", [], "还没有任何期间的数据，请先上传指标数据", links);
        if (stored.IsMonitor) return await MonitorPreviewAsync(frame, rulesetId, version, links, period, p, cancellationToken);
        RulesetPreview preview;
        try
        {
            preview = await _service.PreviewAsync(rulesetId, version, p, cancellationToken);
        }
        catch (Exception e) when (e is StoreException or InvalidOperationException or ArgumentException)
        {
            return new PreviewPageModel(frame, rulesetId, version, active?.Version, p.ToString(), [], e.Message, links);
        }
        var classes = preview.Rows.GroupBy(r => r.Class)
            .Select(g => new PreviewClass(g.Key, [.. g.OrderBy(r => r.Rank).ThenBy(r => r.Code, StringComparer.Ordinal)
                .Select(r => new PreviewLine(r.Code, r.Name, r.Total, r.Rank, r.Grade, r.ActiveTotal, r.ActiveRank, r.ActiveGrade))]))
            .ToList();
        var error = classes.Count == 0 ? $"{p} 没有可评价的单位" : null;
        return new PreviewPageModel(frame, rulesetId, version, preview.ActiveVersion, p.ToString(), classes, error, links);
    }

    /// <summary>
    /// The preview's way back to the editor, to the diff (with the active version; with the previous one when none is active
    /// or this one is), and who activates: only the office, from the rulesets page or the diff.
    /// </summary>
    public static PreviewLinks PreviewLinksFor(PortalUser user, string rulesetId, int version, int? activeVersion)
    {
        ArgumentNullException.ThrowIfNull(user);
        var (diff, diffText) = activeVersion is { } a && a != version
            ? (PortalUrls.Diff(rulesetId, Math.Min(a, version), Math.Max(a, version)), $"与启用版 v{a} 的差异")
            : version > 1 ? (PortalUrls.Diff(rulesetId, version - 1, version), $"与上一版 v{version - 1} 的差异")
            : ((string?)null, (string?)null);
        var activation = activeVersion == version
            ? $"v{version} 是启用版：之后的考核使用它。"
            : AccessPolicy.Has(user, Right.Office)
                ? $"预览不改变正在使用的版本：要让之后的考核使用 v{version}，请在差异页或规则集页启用它（只有考核办能启用）。"
                : $"预览不改变正在使用的版本：v{version} 由考核办启用（在规则集页或差异页），规则作者不能启用。";
        return new PreviewLinks(PortalUrls.Edit(rulesetId, version), diff, diffText, activation);
    }

    /// <summary>The diff between two stored versions; the office may activate the newer one from it.</summary>
    public async Task<DiffPageModel> DiffAsync(PortalUser user, PageFrame frame, string rulesetId, int from, int to, CancellationToken cancellationToken = default)
    {
        var a = await _service.FindRulesetAsync(rulesetId, from, cancellationToken) ?? throw PortalException.NotFound($"规则集 {rulesetId} 没有版本 {from}");
        var b = await _service.FindRulesetAsync(rulesetId, to, cancellationToken) ?? throw PortalException.NotFound($"规则集 {rulesetId} 没有版本 {to}");
        var active = await _service.FindActiveRulesetAsync(rulesetId, cancellationToken);
        var lines = LineDiff.Compare(a.Yaml, b.Yaml);
        return new DiffPageModel(frame with { Title = $"{rulesetId} v{from} → v{to}", Section = "rulesets" }, rulesetId, from, to, active?.Version,
            lines, LineDiff.Hunks(lines), AccessPolicy.Has(user, Right.Office) && !b.Active);
    }

    // ---- helpers ----

    /// <summary>The text a new ruleset starts from in the editor.</summary>
    public const string StarterYaml = "# 新规则集：填写 id、名称、层级、类别、等次和指标（见 spec/ruleset.md）\n";

    private sealed record Published(Period Period, UnitLevel Level, string RunId);

    /// <summary>Every published run, oldest period first, then by level: one store read (<see cref="PublishedResults"/>).</summary>
    private async Task<List<Published>> PublicationsAsync(CancellationToken cancellationToken) =>
        [.. (await _readModel.PublicationsAsync(_service, cancellationToken)).Select(p => new Published(p.Publication.Period, p.Publication.Level, p.Publication.RunId))];

    /// <summary>A published run that scored a unit, with the unit as that run had it.</summary>
    private sealed record Scored(Published Publication, PublishedResults.Unit Entry);

    /// <summary>A unit as its pages show it, with the published runs that scored it which the visitor may read, oldest first.</summary>
    private sealed record UnitView(string Code, string Name, UnitLevel Level, IReadOnlyList<Scored> Readable);

    /// <summary>
    /// The unit <paramref name="user"/> asks for, decided by <see cref="AccessPolicy"/> on each published run's own units (as
    /// the API decides): the runs the visitor may read. The office and the unit itself also see a unit no run has scored yet
    /// (named from the newest units table); anyone else gets the same 403 whether or not the unit exists.
    /// </summary>
    private async Task<UnitView> RequireUnitAsync(PortalUser user, string code, List<Published> publications, CancellationToken cancellationToken)
    {
        var readable = new List<Scored>();
        foreach (var p in publications)
        {
            var units = await _readModel.UnitsAsync(_service, p.RunId, cancellationToken);
            if (units.TryGetValue(code, out var entry) && AccessPolicy.MayReadUnit(user, code, p.Level, units)) readable.Add(new Scored(p, entry));
        }
        if (readable.Count > 0) return new UnitView(code, readable[^1].Entry.Name, readable[^1].Publication.Level, readable);
        // No published run the visitor may read: only the office and the unit itself go on (to an empty page).
        if (!AccessPolicy.MayReadUnit(user, code, null, null)) throw PortalException.Forbidden();
        var years = publications.Select(p => p.Period.Year).Distinct().OrderDescending().ToList();
        var now = _clock.GetUtcNow().Year;
        if (years.Count == 0) years = [now, now - 1];
        var imports = await _service.ListImportsAsync(cancellationToken);
        foreach (var year in years)
            if ((await UnitsAsync(year, imports, cancellationToken)).FirstOrDefault(u => u.Code == code) is { } unit)
                return new UnitView(code, unit.Name, unit.Level, []);
        if (AccessPolicy.Has(user, Right.Office)) throw PortalException.NotFound($"没有单位 {code}");
        throw PortalException.Forbidden();
    }

    /// <summary>The bulletin rule (<see cref="AccessPolicy.MayReadBulletin"/>, the API's too) for a class of a published run.</summary>
    private async Task<bool> MayReadBulletinAsync(PortalUser user, string runId, string @class, CancellationToken cancellationToken) =>
        AccessPolicy.MayReadBulletin(user, @class, await _readModel.UnitsAsync(_service, runId, cancellationToken));

    /// <summary>
    /// The unit's result in the published run of <paramref name="period"/>, when the visitor may read that run's (403 when not,
    /// as the API answers: a county asking for a quarter its town was another county's, or one not published).
    /// </summary>
    private async Task<(Published Publication, UnitResult Result)> PublishedResultAsync(PortalUser user, List<Published> publications, UnitView unit,
        Period period, CancellationToken cancellationToken)
    {
        if (unit.Readable.FirstOrDefault(s => s.Publication.Period == period) is { } scored)
            return (scored.Publication, await _service.GetUnitResultAsync(scored.Publication.RunId, unit.Code, cancellationToken)
                ?? throw PortalException.NotFound($"{period} 的结果中没有 {unit.Name}"));
        if (!AccessPolicy.MayReadUnit(user, unit.Code, null, null)) throw PortalException.Forbidden();
        var publication = publications.FirstOrDefault(p => p.Period == period && p.Level == unit.Level)
            ?? throw PortalException.NotFound($"{period} 还没有发布{unit.Level.ToChinese()}的结果");
        var result = await _service.GetUnitResultAsync(publication.RunId, unit.Code, cancellationToken)
            ?? throw PortalException.NotFound($"{period} 的结果中没有 {unit.Name}");
        return (publication, result);
    }

    /// <summary>
    /// The units of a year, kept until a units file for that year is imported again (the newest units batch of the year
    /// is the key), so a unit's pages do not read the province's units on every request.
    /// </summary>
    private async Task<IReadOnlyList<Unit>> UnitsAsync(int year, IReadOnlyList<ImportBatch> imports, CancellationToken cancellationToken)
    {
        var batch = imports.FirstOrDefault(b => b.Kind == ImportKind.Units && b.Year == year)?.Id;
        if (batch is null) return [];
        if (_units.TryGetValue(year, out var kept) && kept.BatchId == batch) return kept.Units;
        var units = await _service.GetUnitsAsync(year, cancellationToken);
        _units[year] = (batch, units);
        return units;
    }

    /// <summary>
    /// A run's results. A succeeded run's results never change, so the last few are kept in memory: bulletins and reviews
    /// are read many times a quarter and the results of a province are megabytes of JSON.
    /// </summary>
    private async Task<EvaluationResult?> ResultsAsync(string runId, CancellationToken cancellationToken)
    {
        if (_results.TryGetValue(runId, out var kept)) return kept;
        var result = await _service.GetResultsAsync(runId, cancellationToken);
        if (result is null || await _service.GetRunAsync(runId, cancellationToken) is not { Status: RunStatus.Succeeded }) return result;
        if (_results.Count >= ResultsKept) _results.Clear();
        _results[runId] = result;
        return result;
    }

    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(string runId, CancellationToken cancellationToken)
    {
        if (_names.TryGetValue(runId, out var cached)) return cached;
        return _names[runId] = await RunNames.ReadAsync(_service, runId, cancellationToken);
    }

    /// <summary>
    /// The latest period with data: of the observations imported (as their batches record), else of the runs, else the
    /// quarter before the calendar's (a store with no data yet). The period fields start there.
    /// </summary>
    private async Task<Period> LatestDataPeriodAsync(IReadOnlyList<ImportBatch>? imports, CancellationToken cancellationToken)
    {
        imports ??= await _service.ListImportsAsync(cancellationToken);
        var imported = imports.SelectMany(i => i.PeriodRows()).Select(r => (Period?)r.Period).Max();
        if (imported is { } p) return p;
        var runs = await _service.ListRunsAsync(cancellationToken: cancellationToken);
        if (runs.Count > 0) return runs.Max(r => r.Period);
        var now = _clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        return Period.OfQuarter(now.Year, (now.Month - 1) / 3 + 1).Previous();
    }

    private async Task<RunLine> LineAsync(EvaluationRun r, CancellationToken cancellationToken)
    {
        var publication = await _service.GetPublicationAsync(r.Period, r.Level, cancellationToken);
        return Line(r, publication?.RunId == r.Id);
    }

    private static RunLine Line(EvaluationRun r, bool published) =>
        new(r.Id, r.Period, r.Level.ToChinese(), $"{r.RulesetId}@{r.RulesetVersion}", r.Status, r.Reason, r.RequestedAt, r.Actor, published);

    private static ResultSummary Summary(string code, Period period, UnitResult r) =>
        new(period, r.Class, r.Total, r.Rank, r.Peers, r.Grade, r.Lists, PortalUrls.Scorecard(code, period), PortalUrls.ScorecardPdf(code, period));

    private static RankingRow Row(UnitResult u, string? link, int? change) =>
        new(u.Rank, u.Code, u.Name, u.Class, u.Total, u.Grade, u.Lists, link, change, null, null, !u.Vetoes.IsEmpty, u.Incomplete);
}
