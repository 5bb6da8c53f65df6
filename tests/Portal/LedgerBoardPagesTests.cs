using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Portal.Rendering;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Ledger;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// The office's board as <see cref="LedgerPages"/> keeps it (today's order, stages, choices, each filter's counts and lines,
/// and the rendered body per page, kept while the ledger's stamp and the date stay) against an oracle that builds the same
/// page the plain way for every request (every task filtered, counted and sorted again, written here without the pages'
/// code): the same bytes for every filter and page, before and after changes to the ledger.
/// </summary>
public sealed class LedgerBoardPagesTests : IAsyncLifetime
{
    private static readonly PortalUser Office = new("office", "考核办", AccountRole.Office, null);
    private static readonly LedgerActor OfficeActor = LedgerActor.Office("office");

    private LedgerWorld _w = null!;
    private readonly PageRenderer _renderer = new();

    /// <summary>
    /// 250 tasks of A1, A2 and T1 under the stages S1 (with the key work G1 under it) and S2, or under none; leaders 张三, 李四
    /// or none; deadlines from 2025-04-01 to 2025-08-08 (today is 2025-06-15: red, yellow, blue and unlit); every 9th loaded
    /// 已销号 and every 13th 中止.
    /// </summary>
    public async Task InitializeAsync()
    {
        _w = await LedgerWorld.CreateAsync();
        var csv = new StringBuilder("id,year,parent,kind,title,unit,lead,leader,due,status,done\n");
        csv.Append("S1,2025,,阶段目标,产业兴旺,,,,,,\nS2,2025,,阶段目标,城乡融合,,,,,,\nG1,2025,S1,重点工作,园区建设,,,,,,\n");
        string[] units = ["A1", "A2", "T1"];
        string[] parents = ["G1", "S2", "", "S1"];
        string[] leaders = ["张三", "李四", ""];
        for (var i = 1; i <= 250; i++)
        {
            var due = new DateOnly(2025, 4, 1).AddDays(i * 131 % 130);
            var (status, done) = i % 9 == 0 ? ("已销号", due.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : i % 13 == 0 ? ("中止", "") : ("", "");
            csv.Append(CultureInfo.InvariantCulture, $"T{i:000},2025,{parents[i % 4]},举措,第{i}项举措,{units[i % 3]},,{leaders[i / 3 % 3]},{due:yyyy-MM-dd},{status},{done}\n");
        }
        _w.Clock.On("2025-06-01");
        await _w.ImportAsync(csv.ToString());
        // Submissions (待核验), extension requests and a closed one.
        foreach (var id in new[] { "T004", "T017", "T020" })
            await _w.Service.SubmitAsync(2025, id, UnitOf(id), "已完成", [LedgerWorld.PdfFile()]);
        await _w.Service.CloseAsync(2025, "T017", LedgerWorld.Office2);
        _w.Clock.On("2025-06-15");
    }

    public async Task DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _w.DisposeAsync();
    }

    private LedgerActor UnitOf(string id)
    {
        var unit = new[] { "A1", "A2", "T1" }[int.Parse(id[1..], CultureInfo.InvariantCulture) % 3];
        return LedgerActor.OfUnit(unit.ToLowerInvariant(), unit);
    }

    private static IEnumerable<(LedgerFilter Filter, int Page)> Cases()
    {
        foreach (var page in new[] { 0, 1, 2, 3, 4, 99 }) yield return (new LedgerFilter(), page);
        foreach (var unit in new[] { "A1", "A2", "T1", "X9" }) yield return (new LedgerFilter(Unit: unit), 1);
        foreach (var stage in new[] { "S1", "S2", "G1", "nope" }) yield return (new LedgerFilter(Stage: stage), 1);
        foreach (var leader in new[] { "张三", "李四", "无人" }) yield return (new LedgerFilter(Leader: leader), 1);
        foreach (var state in new[] { "推进中", "待核验", "已销号", "中止", "bogus" }) yield return (new LedgerFilter(State: state), 1);
        foreach (var light in new[] { "red", "yellow", "blue", "purple" }) yield return (new LedgerFilter(Light: light), 1);
        yield return (new LedgerFilter(Unit: "A1", State: "推进中"), 1);
        yield return (new LedgerFilter(Stage: "S1", Light: "red"), 1);
        yield return (new LedgerFilter(Unit: "A2", Leader: "李四", Light: "yellow"), 1);
        yield return (new LedgerFilter(Stage: "S1", Leader: "张三", State: "推进中", Light: "blue"), 2);
    }

    private async Task AssertEveryCaseAsync(LedgerPages kept, LedgerPages plain)
    {
        var frame = MiniPortal.Frame(Office);
        foreach (var (filter, page) in Cases())
        {
            var expected = await _renderer.RenderAsync<LedgerBoardPage>(await OracleAsync(frame, filter, page));
            var fromKept = await kept.BoardAsync(Office, frame, 2025, filter, page);
            Assert.Equal(expected, await _renderer.RenderAsync<LedgerBoardPage>(fromKept));
            Assert.Equal(expected, await _renderer.RenderAsync<LedgerBoardPage>(await plain.BoardAsync(Office, frame, 2025, filter, page)));
        }
    }

    [Fact]
    public async Task The_kept_board_is_byte_identical_to_the_board_built_afresh_for_every_filter_and_page_and_follows_changes()
    {
        var kept = new LedgerPages(_w.Service, _w.Store, _renderer);
        var plain = new LedgerPages(_w.Service, _w.Store);
        var frame = MiniPortal.Frame(Office);

        await AssertEveryCaseAsync(kept, plain);
        // Asked again: from what was kept, the same bytes.
        await AssertEveryCaseAsync(kept, plain);
        var before = await kept.BoardAsync(Office, frame, 2025, new LedgerFilter(), 1);
        Assert.NotNull(before.Body);
        Assert.Equal((250, 3, 2), (before.Total, before.Pages, before.Queue));
        Assert.Equal(2, before.States.Single(s => s.Label == "待核验").Count);

        // A change (by another service over the same store: another host) moves the year's stamp: the board follows it.
        var other = new BaiQianWan.Assess.Workflow.Ledger.LedgerService(_w.Ledger, _w.Store, _w.Clock);
        await other.SubmitAsync(2025, "T001", UnitOf("T001"), "已完成", [LedgerWorld.PdfFile()]);
        await other.CloseAsync(2025, "T004", LedgerWorld.Office2);
        var after = await kept.BoardAsync(Office, frame, 2025, new LedgerFilter(), 1);
        Assert.Equal(2, after.States.Single(s => s.Label == "待核验").Count); // T001 in, T004 out
        Assert.Equal(before.States.Single(s => s.Label == "已销号").Count + 1, after.States.Single(s => s.Label == "已销号").Count);
        Assert.Contains("T001", (await kept.BoardAsync(Office, frame, 2025, new LedgerFilter(State: "待核验"), 1)).Lines.Select(l => l.Task.Id));
        await AssertEveryCaseAsync(kept, plain);

        // The next day the lights move: a task due today (blue) is late tomorrow (yellow).
        _w.Clock.On("2025-06-16");
        await AssertEveryCaseAsync(kept, plain);
    }

    [Fact]
    public async Task The_queue_from_the_kept_list_is_the_plain_one()
    {
        var kept = new LedgerPages(_w.Service, _w.Store, _renderer);
        await _w.Service.ExtendAsync(2025, "T102", UnitOf("T102"), "工期顺延", new DateOnly(2025, 12, 31)); // due 07-12
        var queue = await kept.QueueAsync(Office, MiniPortal.Frame(Office), 2025);
        Assert.Equal(["T004", "T020"], queue.Submitted.Select(l => l.Task.Id));
        Assert.Equal(["T102"], queue.Extensions.Select(l => l.Task.Id));
        // T004 and T020 are under G1, itself under S1; T102 has no parent.
        Assert.Equal(["产业兴旺", "产业兴旺", ""], queue.Submitted.Concat(queue.Extensions).Select(l => l.Stage));
    }

    /// <summary>The board as the first version built it: the day's list filtered, counted and sorted for the request.</summary>
    private async Task<LedgerBoardModel> OracleAsync(PageFrame frame, LedgerFilter filter, int page)
    {
        const int size = 100;
        var on = _w.Service.Today;
        var all = await _w.Service.ListAsync(2025, OfficeActor, on);
        var names = (await _w.Store.GetUnitsAsync(2025)).ToDictionary(u => u.Code, u => u.Name, StringComparer.Ordinal);
        var parents = all.ToDictionary(l => l.Task.Id, l => l.Task.Parent, StringComparer.Ordinal);
        string Root(string id)
        {
            var at = id;
            while (parents.TryGetValue(at, out var up) && up is not null) at = up;
            return at == id ? "" : at;
        }
        string StageTitle(string id) => Root(id) is { Length: > 0 } r ? (all.First(l => l.Task.Id == r).Task.Title is { Length: > 0 } t ? t : r) : "";
        string Word(TaskLight l) => l switch { TaskLight.Red => "red", TaskLight.Yellow => "yellow", TaskLight.Blue => "blue", _ => "" };
        string Chinese(TaskState s) => s switch { TaskState.InProgress => "推进中", TaskState.Submitted => "待核验", TaskState.Closed => "已销号", _ => "中止" };
        string Name(string code) => names.TryGetValue(code, out var n) ? n : code;
        var tasks = all.Where(l => l.Task.Unit is not null).ToList();
        var faceted = tasks.Where(l => (filter.Unit == "" || l.Task.Unit == filter.Unit) && (filter.Stage == "" || Root(l.Task.Id) == filter.Stage)
                                       && (filter.Leader == "" || (l.Task.Leader ?? "") == filter.Leader)).ToList();
        var kept = faceted.Where(l => (filter.State == "" || Chinese(l.Task.State) == filter.State) && (filter.Light == "" || Word(l.Light) == filter.Light)).ToList();
        var pages = Math.Max(1, (kept.Count + size - 1) / size);
        page = Math.Clamp(page, 1, pages);
        var lines = kept.OrderByDescending(l => l.Light).ThenByDescending(l => l.DaysOverdue).ThenBy(l => l.Task.Due).ThenBy(l => l.Task.Id, StringComparer.Ordinal)
            .Skip((page - 1) * size).Take(size)
            .Select(l => new LedgerLine(l.Task, l.Light, l.DaysOverdue, Name(l.Task.Unit!), StageTitle(l.Task.Id), $"/ledger/2025/tasks/{l.Task.Id}")).ToList();
        string Url(LedgerFilter f, int p = 1)
        {
            var q = new List<string> { "year=2025" };
            foreach (var (k, v) in new[] { ("unit", f.Unit), ("stage", f.Stage), ("leader", f.Leader), ("state", f.State), ("light", f.Light) })
                if (v != "") q.Add($"{k}={Uri.EscapeDataString(v)}");
            if (p > 1) q.Add($"page={p}");
            return "/office/ledger?" + string.Join("&", q);
        }
        var states = new[] { "推进中", "待核验", "已销号", "中止" }
            .Select(s => new LedgerCount(s, faceted.Count(l => Chinese(l.Task.State) == s), Url(filter with { State = s, Light = "" }), filter.State == s)).ToList();
        var lights = new[] { (TaskLight.Red, "红灯（挂牌督办）"), (TaskLight.Yellow, "黄灯（逾期）"), (TaskLight.Blue, "蓝灯（临期）") }
            .Select(x => new LedgerCount(x.Item2, faceted.Count(l => l.Light == x.Item1), Url(filter with { Light = Word(x.Item1), State = "" }), filter.Light == Word(x.Item1)))
            .ToList();
        var unitChoices = tasks.Select(l => l.Task.Unit!).Distinct().Order(StringComparer.Ordinal).Select(c => new LedgerChoice(c, $"{Name(c)}（{c}）")).ToList();
        var stageChoices = all.Where(l => l.Task.Unit is null && l.Task.Parent is null).Select(l => new LedgerChoice(l.Task.Id, $"{l.Task.Id} {l.Task.Title}")).ToList();
        var leaders = tasks.Select(l => l.Task.Leader ?? "").Where(l => l != "").Distinct().Order(StringComparer.Ordinal).Select(l => new LedgerChoice(l, l)).ToList();
        var queue = tasks.Count(l => l.Task.State == TaskState.Submitted || (l.Task.State == TaskState.InProgress && l.Task.Pending is not null));
        return new LedgerBoardModel(frame with { Title = "2025 年任务台账", Section = "ledger" }, 2025, on, filter, unitChoices, stageChoices, leaders,
            states, lights, kept.Count, lines, page, pages, p => Url(filter, p), queue);
    }
}
