using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Reviews;
using Microsoft.Playwright;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Notice and review (公示、复核) in Chromium against the app started on its own: the mini province's 2025Q2 county run
/// published with 5 days of notice; county B1 sees its scorecard marked 公示稿, files a request with a PDF from it; the
/// office finds it on the notice page and answers 维持; B1 reads the answer. Axe on every page at 1280 px, and the same
/// pages at 375 px with nothing wider than the screen.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class PortalNoticeBrowserTests(PortalServer server, Chromium chromium) : IClassFixture<PortalServer>, IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly List<string> _problems = [];
    private string _runId = "";
    private DateTimeOffset _deadline;

    public async Task InitializeAsync()
    {
        // The mini province evaluated and published with a notice in the app's SQLite file, as the CLI would, and B1's account.
        await using var store = new SqliteAssessStore(server.StorePath);
        await using var ledger = new SqliteLedgerStore(server.StorePath);
        await ledger.InitializeAsync();
        var service = new AssessmentService(store, TimeProvider.System, null, ledger: ledger);
        await service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "test");
        await service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "test");
        var v = await service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await service.ActivateRulesetAsync("mini", v.Version, "test");
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "test");
        _runId = run.Id;
        _deadline = (await service.Reviews!.PublishAsync(run.Id, ReviewActor.Office("office2"), 5)).Deadline!.Value;
        await using var accounts = new SqliteAccountStore(server.StorePath);
        await accounts.CreateAsync(new Account("county-b1", "乙一县", AccountRole.Unit, "B1", true, Passwords.Hash(PortalServer.Password), false, 0, null,
            DateTimeOffset.UtcNow, null), "test");
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
              .filter(e => { const r = e.getBoundingClientRect(); return r.width > 1 && (r.left < -0.5 || r.right > window.innerWidth + 0.5 || r.width > window.innerWidth); })
              .filter(e => !e.closest('.sr-only, .skip, thead') && getComputedStyle(e).visibility !== 'hidden')
              .slice(0, 3).map(e => e.tagName + ' ' + e.outerHTML.slice(0, 100))
            """);
        _problems.AddRange(wide.Select(w => $"{label} @{width}px: wider than the screen: {w}"));
        if (await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth") > 0) _problems.Add($"{label} @{width}px: scrolls sideways");
    }

    [Fact]
    public async Task A_county_files_a_request_with_a_file_and_the_office_answers_it()
    {
        var lastDay = Notice.LastDay(_deadline).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        // County B1: its home and scorecard marked 公示稿 with the deadline; the request filed with a PDF.
        var unit = await SignInAsync("county-b1");
        Assert.EndsWith("/units/B1", unit.Url);
        Assert.StartsWith(lastDay + " 24:00", await unit.InnerTextAsync("[data-testid=draft-mark] [data-testid=draft-deadline]"));
        await CheckAsync(unit, "unit-home");
        await unit.ClickAsync("text=查看本期记分卡");
        Assert.EndsWith("/units/B1/scorecards/2025Q2", unit.Url);
        Assert.Equal("70.00", await unit.InnerTextAsync("[data-testid=total]"));
        Assert.StartsWith(lastDay + " 24:00", await unit.InnerTextAsync("[data-testid=draft-deadline]"));
        await unit.SelectOptionAsync("#review-target", "indicator:fai");
        await unit.FillAsync("#review-reason", "投资额漏报了县工业园二期项目");
        var pdf = "%PDF-1.4\n% 台账\n%%EOF\n"u8.ToArray();
        await unit.SetInputFilesAsync("#review-files", new FilePayload { Name = "投资台账.pdf", MimeType = "application/pdf", Buffer = pdf });
        await CheckAsync(unit, "scorecard-form");
        await unit.ClickAsync("[data-testid=file-review] button[type=submit]");
        Assert.EndsWith("/units/B1/scorecards/2025Q2?done=filed", unit.Url);
        Assert.Equal("open", await unit.GetAttributeAsync("[data-testid=reviews] tbody tr", "data-state"));
        Assert.Equal("投资台账.pdf", await unit.InnerTextAsync("[data-testid=reviews] [data-testid=review-file]"));
        await CheckAsync(unit, "scorecard-filed");

        // The office: the list shows the period 公示中 with one request pending; the notice page answers it 维持.
        var office = await SignInAsync("office2");
        await office.ClickAsync("nav >> text=公示复核");
        Assert.EndsWith("/office/notices", office.Url);
        Assert.Equal(["1", "1"], await office.Locator("[data-testid=notices] tbody tr td.num").AllInnerTextsAsync());
        await CheckAsync(office, "notices");
        await office.ClickAsync("[data-testid=notices] tbody a");
        Assert.EndsWith("/office/notices/2025Q2/county", office.Url);
        Assert.Equal(_runId, await office.InnerTextAsync("[data-testid=notice-run]"));
        Assert.Equal(1, await office.Locator("[data-testid=final-blocked]").CountAsync());
        var href = await office.GetAttributeAsync("[data-testid=review-file]", "href");
        var download = await office.Context.APIRequest.GetAsync(href!);
        Assert.Equal(pdf, await download.BodyAsync());
        await CheckAsync(office, "notice");
        await office.CheckAsync("[data-testid=answer-rv-000001] input[value=upheld]");
        await office.FillAsync("#answer-reason-rv-000001", "投资额按统计部门口径无误");
        await office.ClickAsync("[data-testid=answer-rv-000001] button[type=submit]");
        Assert.EndsWith("/office/notices/2025Q2/county?done=answered", office.Url);
        Assert.Equal("upheld", await office.GetAttributeAsync("[data-testid=reviews] tbody tr", "data-state"));
        Assert.Equal(0, await office.Locator("[data-testid=answer-rv-000001]").CountAsync());
        await CheckAsync(office, "notice-answered");
        await office.GotoAsync($"/office/runs/{_runId}");
        Assert.Equal(1, await office.Locator("[data-testid=notice-status]").CountAsync());
        await CheckAsync(office, "run");

        // B1 reads the answer.
        await unit.ReloadAsync();
        Assert.Equal("upheld", await unit.GetAttributeAsync("[data-testid=reviews] tbody tr", "data-state"));
        Assert.Equal("投资额按统计部门口径无误", await unit.InnerTextAsync("[data-testid=review-answer]"));

        // The same pages on a phone.
        var phone = await SignInAsync("office2", 375);
        foreach (var url in new[] { "/office/notices", "/office/notices/2025Q2/county", $"/office/runs/{_runId}", "/units/B1/scorecards/2025Q2" })
        {
            Assert.Equal(200, (await phone.GotoAsync(url))!.Status);
            await CheckAsync(phone, url + "@375");
        }
        var unitPhone = await SignInAsync("county-b1", 375);
        await CheckAsync(unitPhone, "unit-home@375");
        await unitPhone.GotoAsync("/units/B1/scorecards/2025Q2");
        await CheckAsync(unitPhone, "scorecard@375");
        await unitPhone.GotoAsync("/units/B1/bulletin/2025Q2");
        Assert.Equal(1, await unitPhone.Locator("[data-testid=draft-mark]").CountAsync());
        await CheckAsync(unitPhone, "bulletin@375");

        Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }
}
