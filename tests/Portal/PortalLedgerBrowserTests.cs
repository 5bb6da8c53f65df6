using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;
using Microsoft.Playwright;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// The ledger in Chromium against the app started on its own: county A sees its late and near-due tasks on its home,
/// submits a task with a PDF from its task list; the office's board counts and filters it, and a second office account
/// verifies it from the queue; the task's history then shows the file for download. Axe on every page at 1280 px, and
/// the same pages at 375 px with nothing wider than the screen.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class PortalLedgerBrowserTests(PortalServer server, Chromium chromium) : IClassFixture<PortalServer>, IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly List<string> _problems = [];

    // The standalone app runs on the real clock: the ledger is this China year's, with deadlines around today.
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    private static string A => TestProvince.CountyA.Code;

    private static string B => TestProvince.CountyB.Code;

    private static string D(int days) => Today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        // The year's units and tasks written to the app's SQLite file, as `baiqianwan import units` and `ledger import` would.
        await using var store = new SqliteAssessStore(server.StorePath);
        await using var ledgerStore = new SqliteLedgerStore(server.StorePath);
        await ledgerStore.InitializeAsync();
        var service = new AssessmentService(store, TimeProvider.System, null);
        await service.ImportUnitsAsync(Today.Year, TestProvince.UnitsCsv(), "units.csv", "test");
        var csv = $"""
            id,year,parent,kind,title,unit,lead,leader,due,status,done
            S1,{Today.Year},,阶段目标,产业发展,,,,,,
            L1,{Today.Year},S1,举措,建成县域产业园标准厂房,{A},县发改局,王某某,{D(-40)},,
            L2,{Today.Year},S1,举措,完成招商引资签约项目二十个,{A},县商务局,王某某,{D(2)},,
            L3,{Today.Year},S1,举措,农村生活污水治理率达到百分之八十,{A},县生态环境局,张某,{D(30)},,
            L4,{Today.Year},S1,举措,完成典型村建设,{B},,赵某,{D(-5)},,

            """;
        await new LedgerService(ledgerStore, store, TimeProvider.System).ImportAsync(Today.Year, Encoding.UTF8.GetBytes(csv), "tasks.csv", LedgerActor.Office("test"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<IPage> SignInAsync(string name, int width = 1280)
    {
        var context = await chromium.ContextAsync(width, server.Url);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", PortalServer.Password);
        await page.ClickAsync("form[data-testid=signin] button[type=submit]");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return page;
    }

    private async Task CheckAsync(IPage page, string label)
    {
        var result = await Chromium.AxeAsync(page);
        foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
            _problems.Add($"{label}: axe {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(2).Select(n => n.Html))}");
        var width = await page.EvaluateAsync<int>("window.innerWidth");
        var wide = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('body *')]
              .filter(e => { const r = e.getBoundingClientRect(); return r.width > 1 && (r.left < -0.5 || r.right > window.innerWidth + 0.5); })
              .filter(e => !e.closest('.sr-only, .skip, thead, .table-wrap') && getComputedStyle(e).visibility !== 'hidden')
              .slice(0, 3).map(e => e.tagName + ' ' + e.outerHTML.slice(0, 100))
            """);
        _problems.AddRange(wide.Select(w => $"{label} @{width}px: wider than the screen: {w}"));
        if (await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth") > 0) _problems.Add($"{label} @{width}px: scrolls sideways");
    }

    [Fact]
    public async Task A_county_submits_a_task_with_a_file_and_another_office_account_verifies_it_from_the_queue()
    {
        // County A: its home lists its red and blue tasks, red first.
        var unit = await SignInAsync("county-a");
        Assert.EndsWith($"/units/{A}", unit.Url);
        var due = await unit.Locator("[data-testid=ledger-due] li").AllInnerTextsAsync();
        Assert.Equal(2, due.Count);
        Assert.StartsWith("红灯 逾期 40 天 L1", due[0]);
        Assert.StartsWith("蓝灯 L2", due[1]);
        await CheckAsync(unit, "unit-home");

        // Its task list (from the navigation): three tasks, another county's not among them; L3 submitted with a PDF.
        await unit.ClickAsync("nav >> text=任务清单");
        Assert.EndsWith($"/units/{A}/ledger", unit.Url);
        Assert.Equal(["L1", "L2", "L3"], await unit.Locator("[data-testid=unit-ledger] tbody td[data-label=编号]").AllInnerTextsAsync());
        await CheckAsync(unit, "unit-ledger");
        await unit.ClickAsync("details.task-forms summary >> text=L3");
        await unit.FillAsync("#note-L3", "污水处理设施已建成并通过验收");
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% 验收\n%%EOF\n");
        await unit.SetInputFilesAsync("#files-L3", new FilePayload { Name = "验收报告.pdf", MimeType = "application/pdf", Buffer = pdf });
        await CheckAsync(unit, "unit-ledger-open-form");
        await unit.ClickAsync("[data-testid=submit-L3] button[type=submit]");
        Assert.EndsWith("/ledger/" + Today.Year + "/tasks/L3?done=submit", unit.Url);
        Assert.Equal("已提交销号申请，等待考核办核验", await unit.InnerTextAsync(".notice"));
        Assert.StartsWith("待核验", await unit.InnerTextAsync("[data-testid=task-state]"));
        Assert.Equal("验收报告.pdf", await unit.InnerTextAsync("[data-testid=history] [data-testid=file]"));
        await CheckAsync(unit, "unit-task");
        // Another county's task and the office's board are closed to it.
        Assert.Equal(404, (await unit.GotoAsync($"/ledger/{Today.Year}/tasks/L4"))!.Status);
        Assert.Equal(403, (await unit.GotoAsync("/office/ledger"))!.Status);

        // The office (second account): the board counts by state and light and filters by light.
        var office = await SignInAsync("office2");
        await office.ClickAsync("nav >> text=任务台账");
        Assert.EndsWith("/office/ledger", office.Url);
        Assert.Equal(4, await office.Locator("[data-testid=board] tbody tr").CountAsync());
        Assert.Equal("待核验 1", await office.InnerTextAsync("[data-testid=count-待核验]"));
        Assert.Equal("推进中 3", await office.InnerTextAsync("[data-testid=count-推进中]"));
        await CheckAsync(office, "board");
        await office.SelectOptionAsync("#f-light", "yellow");
        await office.ClickAsync("[data-testid=board-filter] button");
        Assert.Equal(["L4"], await office.Locator("[data-testid=board] tbody td[data-label=编号]").AllInnerTextsAsync());
        await CheckAsync(office, "board-filtered");

        // The queue: L3 verified; done is the submission's date.
        await office.ClickAsync("[data-testid=queue-link]");
        Assert.Equal(1, await office.Locator("[data-testid=queue] tbody tr").CountAsync());
        await CheckAsync(office, "queue");
        await office.ClickAsync("[data-testid=close-L3]");
        Assert.Contains("/office/ledger/queue", office.Url);
        Assert.Equal("已核验通过，任务已销号", await office.InnerTextAsync(".notice"));
        Assert.Equal(0, await office.Locator("[data-testid=queue] tbody tr").CountAsync());
        await office.GotoAsync($"/ledger/{Today.Year}/tasks/L3");
        Assert.StartsWith("已销号", await office.InnerTextAsync("[data-testid=task-state]"));
        Assert.Equal(["导入", "申请销号", "核验通过"], await office.Locator("[data-testid=history] tbody td[data-label=变更]").AllInnerTextsAsync());
        var href = await office.GetAttributeAsync("[data-testid=history] [data-testid=file]", "href");
        var download = await office.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, download.Status);
        Assert.Equal(pdf, await download.BodyAsync());
        Assert.StartsWith("attachment", download.Headers["content-disposition"]);
        Assert.Equal("nosniff", download.Headers["x-content-type-options"]);
        await CheckAsync(office, "task");

        // The same pages on a phone.
        var phone = await SignInAsync("office2", 375);
        foreach (var url in new[] { "/office/ledger", "/office/ledger/queue", $"/ledger/{Today.Year}/tasks/L3", $"/ledger/{Today.Year}/tasks/L1" })
        {
            Assert.Equal(200, (await phone.GotoAsync(url))!.Status);
            await CheckAsync(phone, url + "@375");
        }
        var unitPhone = await SignInAsync("county-a", 375);
        await CheckAsync(unitPhone, "unit-home@375");
        await unitPhone.GotoAsync($"/units/{A}/ledger");
        await unitPhone.ClickAsync("details.task-forms summary >> nth=0");
        await CheckAsync(unitPhone, "unit-ledger@375");

        Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }
}
