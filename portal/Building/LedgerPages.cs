using System.Collections.Immutable;
using System.Globalization;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Components;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Portal.Rendering;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>
/// Builds the ledger pages' view models over <see cref="LedgerService"/>: the office's board and verification queue, a
/// task's page with its history, a unit's task list, and a unit home's late and near-due tasks. The caller's ledger actor
/// is <see cref="AccessPolicy.LedgerActorOf"/> of the request's one user; the service decides what it may see and do
/// (a refusal is its <see cref="LedgerRefusedException"/>, which the hosts answer with the 403 page).
/// </summary>
/// <param name="ledger">The ledger's use cases.</param>
/// <param name="units">The units of each year (names).</param>
/// <param name="renderer">
/// When given, the board's body is rendered here once per kept list, filter and page and handed to the page as
/// <see cref="LedgerBoardModel.Body"/> (the same bytes as rendering it with the page); null: the page renders it each time.
/// </param>
public sealed class LedgerPages(LedgerService ledger, IUnitDataStore units, PageRenderer? renderer = null)
{
    /// <summary>Lines on one page of the board.</summary>
    public const int PageSize = 100;

    /// <summary>The service.</summary>
    public LedgerService Service => ledger;

    /// <summary>The ledger's actor for <paramref name="user"/>, or a refusal for someone with no business in the ledger.</summary>
    public static LedgerActor Actor(PortalUser user) => AccessPolicy.LedgerActorOf(user) ?? throw new LedgerRefusedException("没有台账权限");

    /// <summary>
    /// The office's board of <paramref name="year"/> (default this year), filtered and paged. What the board derives from the
    /// year's list of today — the tasks in the board's order, each one's stage, the choices, the counts and lines a filter
    /// keeps — is kept while the service hands back the same kept list (the year's stamp and the date unchanged), so a request
    /// sorts and filters nothing again; only the page's lines and addresses are made per request.
    /// </summary>
    public async Task<LedgerBoardModel> BoardAsync(PortalUser user, PageFrame frame, int? year, LedgerFilter filter, int page,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var actor = OfficeActor(user);
        var y = year ?? ledger.Today.Year;
        var index = await IndexAsync(y, actor, cancellationToken);
        var on = index.On;
        var named = index.Named(await units.GetUnitsAsync(y, cancellationToken));
        var facets = index.Facets(filter);
        var pages = Math.Max(1, (facets.Kept.Length + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        var first = (page - 1) * PageSize;
        var lines = new List<LedgerLine>(Math.Min(PageSize, Math.Max(0, facets.Kept.Length - first)));
        for (var i = first; i < facets.Kept.Length && i < first + PageSize; i++) lines.Add(index.Line(facets.Kept[i], named.Names));

        string Url(LedgerFilter f, int p = 1)
        {
            var q = new List<string> { $"year={y.ToString(CultureInfo.InvariantCulture)}" };
            void Add(string name, string value)
            {
                if (value.Length > 0) q.Add($"{name}={Uri.EscapeDataString(value)}");
            }
            Add("unit", f.Unit);
            Add("stage", f.Stage);
            Add("leader", f.Leader);
            Add("state", f.State);
            Add("light", f.Light);
            if (p > 1) q.Add($"page={p.ToString(CultureInfo.InvariantCulture)}");
            return $"{LedgerUrls.Board}?{string.Join("&", q)}";
        }
        var states = new List<LedgerCount>(BoardStates.Length);
        for (var s = 0; s < BoardStates.Length; s++)
        {
            var word = BoardStateWords[s];
            states.Add(new LedgerCount(word, facets.States[s], Url(filter with { State = word, Light = "" }), filter.State == word));
        }
        var lights = new List<LedgerCount>(BoardLights.Length);
        for (var l = 0; l < BoardLights.Length; l++)
        {
            var word = LightWord(BoardLights[l]);
            lights.Add(new LedgerCount(LightLabel(BoardLights[l]), facets.Lights[l], Url(filter with { Light = word, State = "" }), filter.Light == word));
        }
        var model = new LedgerBoardModel(frame with { Title = $"{y} 年任务台账", Section = "ledger" }, y, on, filter, named.UnitChoices, index.StageChoices,
            index.LeaderChoices, states, lights, facets.Kept.Length, lines, page, pages, p => Url(filter, p), index.Queue);
        if (renderer is null) return model;
        // The body depends on the list, the units' names, the filter and the page only (the frame is the layout's): kept per
        // (names, page) in the filter's facets.
        var body = facets.Body(named, page);
        if (body is null)
        {
            body = await renderer.RenderFragmentAsync<LedgerBoardBody>(new Dictionary<string, object?> { ["Model"] = model });
            facets.KeepBody(named, page, body);
        }
        return model with { Body = body };
    }

    /// <summary>The office's verification queue of <paramref name="year"/> (default this year).</summary>
    public async Task<LedgerQueueModel> QueueAsync(PortalUser user, PageFrame frame, int? year, CancellationToken cancellationToken = default)
    {
        var actor = OfficeActor(user);
        var y = year ?? ledger.Today.Year;
        var index = await IndexAsync(y, actor, cancellationToken);
        var names = index.Named(await units.GetUnitsAsync(y, cancellationToken)).Names;
        var submitted = index.Submitted.Select(l => Line(l, names, index.Stages)).ToList();
        var extensions = index.Extensions.Select(l => Line(l, names, index.Stages)).ToList();
        return new LedgerQueueModel(frame with { Title = $"{y} 年待核验与延期申请", Section = "ledger-queue" }, y, index.On, submitted, extensions, user.Name);
    }

    /// <summary>The states the board counts, in its order, and their words (the <c>state</c> filter's values).</summary>
    private static readonly TaskState[] BoardStates = [TaskState.InProgress, TaskState.Submitted, TaskState.Closed, TaskState.Cancelled];

    private static readonly string[] BoardStateWords = [.. BoardStates.Select(s => s.ToChinese())];

    /// <summary>The lights the board counts, in its order.</summary>
    private static readonly TaskLight[] BoardLights = [TaskLight.Red, TaskLight.Yellow, TaskLight.Blue];

    /// <summary>How many years' board indexes are kept.</summary>
    private const int KeptYears = 4;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, BoardIndex> _boards = new();

    /// <summary>The board's index of the year's list of today: the kept one while the service hands back the same list, built again otherwise.</summary>
    private async Task<BoardIndex> IndexAsync(int year, LedgerActor actor, CancellationToken cancellationToken)
    {
        var (on, lit) = await ledger.TodayAsync(year, actor, cancellationToken);
        if (_boards.TryGetValue(year, out var kept) && kept.Source == lit && kept.On == on) return kept;
        var index = new BoardIndex(lit, on);
        _boards[year] = index;
        if (_boards.Count > KeptYears)
        {
            foreach (var other in _boards.Keys.Where(k => k != year).OrderBy(k => Math.Abs(k - year)).Skip(KeptYears - 1).ToList()) _boards.TryRemove(other, out _);
        }
        return index;
    }

    /// <summary>
    /// What the board and the queue derive from one kept list of today (immutable once built, shared by requests): the tasks
    /// in the board's order (red first, then by days overdue, deadline and id) with each one's stage and leader, the stage and
    /// leader choices, the queue, and per filter (up to <see cref="MaxFilters"/> of them) its counts and the lines it keeps.
    /// </summary>
    private sealed class BoardIndex
    {
        /// <summary>Filters whose facets are kept per list (others are counted per request).</summary>
        private const int MaxFilters = 256;

        private readonly TaskLighting[] _ordered;
        private readonly string[] _roots;
        private readonly string[] _leaders;
        private readonly string[] _titles;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<LedgerFilter, BoardFacets> _facets = new();
        private volatile NamedChoices? _named;

        public BoardIndex(ImmutableArray<TaskLighting> lit, DateOnly on)
        {
            Source = lit;
            On = on;
            Stages = Stages(lit.Select(l => l.Task));
            // Every item's stage walked now: the index is read by many requests at once, and then only read.
            foreach (var l in lit) Stages.Root(l.Task.Id);
            _ordered = [.. Ordered(lit.Where(l => !l.Task.IsGrouping))];
            _roots = new string[_ordered.Length];
            _leaders = new string[_ordered.Length];
            _titles = new string[_ordered.Length];
            for (var i = 0; i < _ordered.Length; i++)
            {
                var task = _ordered[i].Task;
                _roots[i] = Stages.Root(task.Id);
                _leaders[i] = task.Leader ?? "";
                _titles[i] = Stages.Title(task.Id);
            }
            UnitCodes = [.. _ordered.Select(l => l.Task.Unit!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            StageChoices = [.. lit.Where(l => l.Task.IsGrouping && l.Task.Parent is null)
                .Select(l => new LedgerChoice(l.Task.Id, l.Task.Title.Length > 0 ? $"{l.Task.Id} {l.Task.Title}" : l.Task.Id))];
            LeaderChoices = [.. _leaders.Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(l => new LedgerChoice(l, l))];
            Queue = _ordered.Count(l => l.Task.State == TaskState.Submitted || (l.Task.State == TaskState.InProgress && l.Task.Pending is not null));
            Submitted = [.. lit.Where(l => l.Task.State == TaskState.Submitted).OrderBy(l => l.Task.SubmittedOn).ThenBy(l => l.Task.Id, StringComparer.Ordinal)];
            Extensions = [.. lit.Where(l => l.Task.State == TaskState.InProgress && l.Task.Pending is not null)
                .OrderBy(l => l.Task.Pending!.On).ThenBy(l => l.Task.Id, StringComparer.Ordinal)];
        }

        /// <summary>The service's kept list this index was built from.</summary>
        public ImmutableArray<TaskLighting> Source { get; }

        /// <summary>The date of its lights.</summary>
        public DateOnly On { get; }

        public StageIndex Stages { get; }

        public IReadOnlyList<string> UnitCodes { get; }

        public IReadOnlyList<LedgerChoice> StageChoices { get; }

        public IReadOnlyList<LedgerChoice> LeaderChoices { get; }

        public int Queue { get; }

        /// <summary>Tasks 待核验, oldest submission first.</summary>
        public IReadOnlyList<TaskLighting> Submitted { get; }

        /// <summary>Tasks with a pending extension request, oldest request first.</summary>
        public IReadOnlyList<TaskLighting> Extensions { get; }

        /// <summary>The unit names and choices for the year's units as read now (kept while the units read are the same).</summary>
        public NamedChoices Named(IReadOnlyList<Unit> read)
        {
            var named = _named;
            if (named is not null && named.Units.SequenceEqual(read)) return named;
            var names = read.ToDictionary(u => u.Code, u => u.Name, StringComparer.Ordinal);
            named = new NamedChoices([.. read], names, [.. UnitCodes.Select(c => new LedgerChoice(c, $"{Name(names, c)}（{c}）"))]);
            _named = named;
            return named;
        }

        /// <summary>The <paramref name="at"/>th task in the board's order as a line.</summary>
        public LedgerLine Line(int at, IReadOnlyDictionary<string, string> names)
        {
            var l = _ordered[at];
            return new LedgerLine(l.Task, l.Light, l.DaysOverdue, l.Task.Unit is { } u ? Name(names, u) : "", _titles[at], LedgerUrls.Task(l.Task.Year, l.Task.Id));
        }

        /// <summary>
        /// A filter's counts (by state and by light over the tasks its unit, stage and leader keep) and the tasks every part
        /// of it keeps, in the board's order (positions in it).
        /// </summary>
        public BoardFacets Facets(LedgerFilter filter)
        {
            if (_facets.TryGetValue(filter, out var kept)) return kept;
            var facets = Count(filter);
            if (_facets.Count < MaxFilters) _facets.TryAdd(filter, facets);
            return facets;
        }

        private BoardFacets Count(LedgerFilter filter)
        {
            // A state or light word that names none keeps nothing (the counts are still of the other filters).
            var state = filter.State.Length == 0 ? -1 : Array.IndexOf(BoardStateWords, filter.State) is var s and >= 0 ? (int)BoardStates[s] : int.MinValue;
            var light = filter.Light.Length == 0 ? -1 : Array.FindIndex(BoardLights, l => LightWord(l) == filter.Light) is var f and >= 0 ? (int)BoardLights[f] : int.MinValue;
            var byState = new int[Enum.GetValues<TaskState>().Length];
            var byLight = new int[Enum.GetValues<TaskLight>().Length];
            var keeps = new List<int>();
            for (var i = 0; i < _ordered.Length; i++)
            {
                var l = _ordered[i];
                if (filter.Unit.Length > 0 && l.Task.Unit != filter.Unit) continue;
                if (filter.Stage.Length > 0 && _roots[i] != filter.Stage) continue;
                if (filter.Leader.Length > 0 && _leaders[i] != filter.Leader) continue;
                byState[(int)l.Task.State]++;
                byLight[(int)l.Light]++;
                if ((state == -1 || (int)l.Task.State == state) && (light == -1 || (int)l.Light == light)) keeps.Add(i);
            }
            return new BoardFacets([.. BoardStates.Select(x => byState[(int)x])], [.. BoardLights.Select(x => byLight[(int)x])], [.. keeps]);
        }
    }

    /// <summary>
    /// A filter's counts by <see cref="BoardStates"/> and <see cref="BoardLights"/>, the positions of the tasks it keeps, and
    /// its pages' bodies as rendered (up to <see cref="MaxBodies"/>, for the units' names they were rendered with).
    /// </summary>
    private sealed class BoardFacets(int[] states, int[] lights, int[] kept)
    {
        private const int MaxBodies = 8;

        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (NamedChoices Named, string Html)> _bodies = new();

        public int[] States => states;

        public int[] Lights => lights;

        public int[] Kept => kept;

        /// <summary>The page's body rendered with the same names, or null.</summary>
        public string? Body(NamedChoices named, int page) => _bodies.TryGetValue(page, out var b) && ReferenceEquals(b.Named, named) ? b.Html : null;

        public void KeepBody(NamedChoices named, int page, string html)
        {
            if (_bodies.Count < MaxBodies || _bodies.ContainsKey(page)) _bodies[page] = (named, html);
        }
    }

    /// <summary>The year's units as read, their names by code, and the board's unit choices.</summary>
    private sealed record NamedChoices(Unit[] Units, IReadOnlyDictionary<string, string> Names, IReadOnlyList<LedgerChoice> UnitChoices);

    /// <summary>A task's page: the office, the task's unit and that unit's parent (anyone else: not found, as for a task that does not exist).</summary>
    public async Task<LedgerTaskModel> TaskAsync(PortalUser user, PageFrame frame, int year, string id, CancellationToken cancellationToken = default)
    {
        var actor = Actor(user);
        var (task, history) = await ledger.RecordAsync(year, id, actor, cancellationToken);
        var names = await NamesAsync(year, cancellationToken);
        var on = ledger.Today;
        var lit = LedgerLights.Of(task, on, ledger.Settings);
        string? parent = null;
        if (task.Parent is { } p && actor.IsOffice)
        {
            var item = (await ledger.ListAsync(year, actor, on, cancellationToken: cancellationToken)).FirstOrDefault(l => l.Task.Id == p)?.Task;
            parent = item is null ? p : $"{p} {item.Title}";
        }
        var line = new LedgerLine(task, lit.Light, lit.DaysOverdue, task.Unit is { } u ? Name(names, u) : "", "", LedgerUrls.Task(year, task.Id));
        var entries = history.Select(e => new LedgerEntryLine(e, [.. e.Files.Select(f => (f, LedgerUrls.File(year, task.Id, f.Sha256)))])).ToList();
        var isOwner = !actor.IsOffice && actor.Unit == task.Unit;
        var back = actor.IsOffice ? LedgerUrls.BoardOf(year) : LedgerUrls.Unit(actor.Unit!) + $"?year={year.ToString(CultureInfo.InvariantCulture)}";
        return new LedgerTaskModel(frame with { Title = $"任务 {task.Id}", Section = actor.IsOffice ? "ledger" : "unit-ledger" }, line, parent, entries,
            actor.IsOffice, isOwner, user.Name, back, on);
    }

    /// <summary>A unit's tasks of <paramref name="year"/> (default this year): the office and the unit itself.</summary>
    public async Task<LedgerUnitModel> UnitAsync(PortalUser user, PageFrame frame, string code, int? year, CancellationToken cancellationToken = default)
    {
        var actor = Actor(user);
        var y = year ?? ledger.Today.Year;
        var on = ledger.Today;
        var list = await ledger.ListAsync(y, actor, on, unit: code, cancellationToken: cancellationToken);
        var names = await NamesAsync(y, cancellationToken);
        var stages = new StageIndex(new Dictionary<string, string?>(StringComparer.Ordinal), new Dictionary<string, string>(StringComparer.Ordinal));
        var lines = Ordered(list).Select(l => Line(l, names, stages)).ToList();
        var name = Name(names, code);
        return new LedgerUnitModel(frame with { Title = $"{name} {y} 年任务清单", Section = actor.IsOffice ? "ledger" : "unit-ledger" }, y, on, code, name, lines,
            !actor.IsOffice);
    }

    /// <summary>
    /// A unit home's late and near-due tasks of this year, for the office and the unit itself; null for anyone else (a
    /// county on one of its towns' homes sees that town's results, not its ledger list).
    /// </summary>
    public async Task<LedgerDueModel?> DueAsync(PortalUser user, string code, CancellationToken cancellationToken = default)
    {
        var actor = AccessPolicy.LedgerActorOf(user);
        if (actor is null || (!actor.IsOffice && actor.Unit != code)) return null;
        var on = ledger.Today;
        var list = await ledger.ListAsync(on.Year, actor, on, unit: code, cancellationToken: cancellationToken);
        var names = await NamesAsync(on.Year, cancellationToken);
        var stages = new StageIndex(new Dictionary<string, string?>(StringComparer.Ordinal), new Dictionary<string, string>(StringComparer.Ordinal));
        var due = Ordered(list.Where(l => l.Light != TaskLight.None)).Select(l => Line(l, names, stages)).ToList();
        return new LedgerDueModel(on, due, LedgerUrls.Unit(code));
    }

    /// <summary>The light's word in the address: <c>red</c>, <c>yellow</c>, <c>blue</c>, or empty.</summary>
    public static string LightWord(TaskLight light) => light == TaskLight.None ? "" : light.ToString().ToLowerInvariant();

    /// <summary>The light as the pages name it: 红灯（挂牌督办）…</summary>
    public static string LightLabel(TaskLight light) => light switch
    {
        TaskLight.Red => "红灯（挂牌督办）",
        TaskLight.Yellow => "黄灯（逾期）",
        TaskLight.Blue => "蓝灯（临期）",
        _ => "无",
    };

    private static LedgerActor OfficeActor(PortalUser user)
    {
        var actor = Actor(user);
        return actor.IsOffice ? actor : throw new LedgerRefusedException("只有考核办可以查看台账总览");
    }

    private static IEnumerable<TaskLighting> Ordered(IEnumerable<TaskLighting> lines) =>
        lines.OrderByDescending(l => l.Light).ThenByDescending(l => l.DaysOverdue).ThenBy(l => l.Task.Due).ThenBy(l => l.Task.Id, StringComparer.Ordinal);

    private static LedgerLine Line(TaskLighting l, IReadOnlyDictionary<string, string> names, StageIndex stages) =>
        new(l.Task, l.Light, l.DaysOverdue, l.Task.Unit is { } u ? Name(names, u) : "", stages.Title(l.Task.Id), LedgerUrls.Task(l.Task.Year, l.Task.Id));

    private static string Name(IReadOnlyDictionary<string, string> names, string code) => names.TryGetValue(code, out var n) ? n : code;

    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(int year, CancellationToken cancellationToken) =>
        (await units.GetUnitsAsync(year, cancellationToken)).ToDictionary(u => u.Code, u => u.Name, StringComparer.Ordinal);

    private static StageIndex Stages(IEnumerable<LedgerTask> tasks)
    {
        var parents = new Dictionary<string, string?>(StringComparer.Ordinal);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in tasks)
        {
            parents[t.Id] = t.Parent;
            if (t.IsGrouping) titles[t.Id] = t.Title;
        }
        return new StageIndex(parents, titles);
    }

    /// <summary>Each item's stage: the top item above it (the tasks file has no cycles, but the walk is bounded anyway).</summary>
    private sealed class StageIndex(Dictionary<string, string?> parents, Dictionary<string, string> titles)
    {
        private readonly Dictionary<string, string> _roots = new(StringComparer.Ordinal);

        public string Root(string id)
        {
            if (_roots.TryGetValue(id, out var known)) return known;
            var at = id;
            for (var i = 0; i < 64 && parents.TryGetValue(at, out var up) && up is not null; i++) at = up;
            var root = at == id ? "" : at;
            _roots[id] = root;
            return root;
        }

        public string Title(string id) => Root(id) is { Length: > 0 } r ? (titles.TryGetValue(r, out var t) && t.Length > 0 ? t : r) : "";
    }
}
