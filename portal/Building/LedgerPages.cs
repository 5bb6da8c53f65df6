using System.Globalization;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Models;
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
public sealed class LedgerPages(LedgerService ledger, IUnitDataStore units)
{
    /// <summary>Lines on one page of the board.</summary>
    public const int PageSize = 100;

    /// <summary>The service.</summary>
    public LedgerService Service => ledger;

    /// <summary>The ledger's actor for <paramref name="user"/>, or a refusal for someone with no business in the ledger.</summary>
    public static LedgerActor Actor(PortalUser user) => AccessPolicy.LedgerActorOf(user) ?? throw new LedgerRefusedException("没有台账权限");

    /// <summary>The office's board of <paramref name="year"/> (default this year), filtered and paged.</summary>
    public async Task<LedgerBoardModel> BoardAsync(PortalUser user, PageFrame frame, int? year, LedgerFilter filter, int page,
        CancellationToken cancellationToken = default)
    {
        var actor = OfficeActor(user);
        var y = year ?? ledger.Today.Year;
        var on = ledger.Today;
        var all = await ledger.ListAsync(y, actor, on, cancellationToken: cancellationToken);
        var names = await NamesAsync(y, cancellationToken);
        var stages = Stages(all.Select(l => l.Task));
        var tasks = all.Where(l => !l.Task.IsGrouping).ToList();
        var faceted = tasks.Where(l => (filter.Unit.Length == 0 || l.Task.Unit == filter.Unit)
                                       && (filter.Stage.Length == 0 || stages.Root(l.Task.Id) == filter.Stage)
                                       && (filter.Leader.Length == 0 || (l.Task.Leader ?? "") == filter.Leader)).ToList();
        var kept = faceted.Where(l => (filter.State.Length == 0 || l.Task.State.ToChinese() == filter.State)
                                      && (filter.Light.Length == 0 || LightWord(l.Light) == filter.Light)).ToList();
        var pages = Math.Max(1, (kept.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        var lines = Ordered(kept).Skip((page - 1) * PageSize).Take(PageSize).Select(l => Line(l, names, stages)).ToList();

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
        var states = new[] { TaskState.InProgress, TaskState.Submitted, TaskState.Closed, TaskState.Cancelled }
            .Select(s => s.ToChinese())
            .Select(s => new LedgerCount(s, faceted.Count(l => l.Task.State.ToChinese() == s), Url(filter with { State = s, Light = "" }), filter.State == s))
            .ToList();
        var lights = new[] { TaskLight.Red, TaskLight.Yellow, TaskLight.Blue }
            .Select(l => new LedgerCount(LightLabel(l), faceted.Count(x => x.Light == l), Url(filter with { Light = LightWord(l), State = "" }), filter.Light == LightWord(l)))
            .ToList();
        var unitChoices = tasks.Select(l => l.Task.Unit!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(c => new LedgerChoice(c, $"{Name(names, c)}（{c}）")).ToList();
        var stageChoices = all.Where(l => l.Task.IsGrouping && l.Task.Parent is null)
            .Select(l => new LedgerChoice(l.Task.Id, l.Task.Title.Length > 0 ? $"{l.Task.Id} {l.Task.Title}" : l.Task.Id)).ToList();
        var leaders = tasks.Select(l => l.Task.Leader).OfType<string>().Where(l => l.Length > 0).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).Select(l => new LedgerChoice(l, l)).ToList();
        var queue = tasks.Count(l => l.Task.State == TaskState.Submitted || (l.Task.State == TaskState.InProgress && l.Task.Pending is not null));
        return new LedgerBoardModel(frame with { Title = $"{y} 年任务台账", Section = "ledger" }, y, on, filter, unitChoices, stageChoices, leaders,
            states, lights, kept.Count, lines, page, pages, p => Url(filter, p), queue);
    }

    /// <summary>The office's verification queue of <paramref name="year"/> (default this year).</summary>
    public async Task<LedgerQueueModel> QueueAsync(PortalUser user, PageFrame frame, int? year, CancellationToken cancellationToken = default)
    {
        var actor = OfficeActor(user);
        var y = year ?? ledger.Today.Year;
        var on = ledger.Today;
        var all = await ledger.ListAsync(y, actor, on, cancellationToken: cancellationToken);
        var names = await NamesAsync(y, cancellationToken);
        var stages = Stages(all.Select(l => l.Task));
        var submitted = all.Where(l => l.Task.State == TaskState.Submitted)
            .OrderBy(l => l.Task.SubmittedOn).ThenBy(l => l.Task.Id, StringComparer.Ordinal).Select(l => Line(l, names, stages)).ToList();
        var extensions = all.Where(l => l.Task.State == TaskState.InProgress && l.Task.Pending is not null)
            .OrderBy(l => l.Task.Pending!.On).ThenBy(l => l.Task.Id, StringComparer.Ordinal).Select(l => Line(l, names, stages)).ToList();
        return new LedgerQueueModel(frame with { Title = $"{y} 年待核验与延期申请", Section = "ledger-queue" }, y, on, submitted, extensions, user.Name);
    }

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
