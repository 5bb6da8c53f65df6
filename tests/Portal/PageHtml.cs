using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Portal.Rendering;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>Every page of the portal rendered from the mini province, by name: what the HTML and browser tests look at.</summary>
internal static class PageHtml
{
    public static async Task<IReadOnlyList<(string Name, string Html)>> AllAsync(MiniPortal mini, PageRenderer renderer)
    {
        var p = mini.Pages;
        var office = MiniPortal.Frame(MiniPortal.Office);
        var author = MiniPortal.Frame(MiniPortal.Author);
        var a1 = MiniPortal.Frame(MiniPortal.A1);
        var broken = Store.Mini.RulesetYaml.Replace("weight: 40", "weight: forty").Replace("method: completion\n", "method: nonsense\n");
        var rejected = new InputRejectedException("units.csv",
        [
            new InputError("units.csv", 3, "level", "层级 'province' 不是 county、town 或 village"),
            new InputError("units.csv", 5, "code", "单位代码 'A1' 重复"),
        ]);
        // Issue 22 item 4: a four-quarter file refused for one quarter (grouped, bounded, with its file to carry), and a preview.
        var huge = new InputRejectedException("一个很长的文件名_2025年全年各季度指标数据_汇总版本.csv",
            [.. Enumerable.Range(2, 900).Select(r => new InputError("一个很长的文件名_2025年全年各季度指标数据_汇总版本.csv", r, "period", $"期间 2025Q{r % 3 + 1} 不是本次导入的期间 2025Q4"))]);
        var staged = UploadStages.Of("observations", huge.FileName, "2025Q4", "unit,indicator,period,actual,target,baseline\n"u8.ToArray());
        var preview = new BaiQianWan.Assess.Workflow.Imports.ObservationsPreview("obs.csv", new string('a', 64), 17,
        [
            new(Store.Mini.Q2, 9, 4, ["fai", "honor", "rev", "a_very_long_indicator_id_that_must_wrap_on_a_phone"], 0),
            new(Store.Mini.Q3, 8, 4, ["fai", "rev"], 8),
        ]);
        var towns = new TownsPageModel(a1 with { Title = "甲一县 下属乡镇" }, "甲一县", Store.Mini.Q3,
        [
            new RankingRow(182, "T1", "某镇", "中心镇", 70.5m, "一般", ["black"], "/units/T1", null, null, null, Vetoed: true) { Peers = 240 },
            new RankingRow(3, "T2", "另一个名字很长的镇", "专业镇", 90m, "好", ["red"], "/units/T2", null, null, null, Incomplete: true) { Peers = 35 },
        ]);
        var versions = await mini.Store.ListRulesetsAsync();
        var latest = versions.Where(v => v.RulesetId == "mini").Max(v => v.Version);
        return
        [
            ("signin", await renderer.RenderAsync<SignInPage>(new SignInPageModel(new PageFrame("登录", null, "AF", "", null, "登录名或密码不正确"), "a1", null))),
            ("password", await renderer.RenderAsync<PasswordPage>(new PasswordPageModel(a1 with { Title = "修改密码" }, true))),
            ("unit-home", await renderer.RenderAsync<UnitHomePage>(await p.UnitHomeAsync(MiniPortal.A1, a1, "A1"))),
            ("unit-empty", await renderer.RenderAsync<UnitHomePage>(await p.UnitHomeAsync(MiniPortal.Office, office, "T1"))),
            ("scorecard", await renderer.RenderAsync<ScorecardPage>(await p.ScorecardAsync(MiniPortal.A1, a1, "A1", Store.Mini.Q2))),
            ("bulletin", await renderer.RenderAsync<BulletinPage>(await p.BulletinAsync(MiniPortal.A1, a1, "A1", Store.Mini.Q3))),
            ("towns", await renderer.RenderAsync<TownsPage>(await p.TownsAsync(MiniPortal.A1, a1, "A1"))),
            ("uploads", await renderer.RenderAsync<UploadsPage>(await p.UploadsAsync(office, rejected))),
            ("uploads-refused", await renderer.RenderAsync<UploadsPage>(await p.UploadsAsync(office,
                new UploadsState(BaiQianWan.Assess.Workflow.Imports.ImportErrorReport.Of(huge), staged, Period: "2025Q4")))),
            ("uploads-preview", await renderer.RenderAsync<UploadsPage>(await p.UploadsAsync(office,
                new UploadsState(Stage: staged, Preview: preview)))),
            ("towns-ranked", await renderer.RenderAsync<TownsPage>(towns)),
            ("runs", await renderer.RenderAsync<RunsPage>(await p.RunsAsync(office))),
            ("run", await renderer.RenderAsync<RunPage>(await p.RunAsync(office, mini.Q3Run))),
            ("audit", await renderer.RenderAsync<AuditPage>(await p.AuditAsync(office, null, null, null))),
            ("accounts", await renderer.RenderAsync<AccountsPage>(await p.AccountsAsync(office, "a1", "Abc23456789xyz"))),
            ("rulesets", await renderer.RenderAsync<RulesetsPage>(await p.RulesetsAsync(MiniPortal.Office, office))),
            ("editor", await renderer.RenderAsync<EditorPage>(p.Checked(MiniPortal.Author, author, broken, "mini", 1))),
            ("preview", await renderer.RenderAsync<PreviewPage>(await p.PreviewAsync(MiniPortal.Author, author, "mini", latest, Store.Mini.Q2))),
            ("diff", await renderer.RenderAsync<DiffPage>(await p.DiffAsync(MiniPortal.Office, office, "mini", 1, Math.Max(2, latest)))),
            ("ledger-board", await renderer.RenderAsync<LedgerBoardPage>(await mini.LedgerPages.BoardAsync(MiniPortal.Office, office, 2025, new LedgerFilter(), 1))),
            ("ledger-board-filtered", await renderer.RenderAsync<LedgerBoardPage>(await mini.LedgerPages.BoardAsync(MiniPortal.Office, office, 2025,
                new LedgerFilter(Unit: "A1", Stage: "S1", Leader: "王某某", Light: "red"), 1))),
            ("ledger-queue", await renderer.RenderAsync<LedgerQueuePage>(await mini.LedgerPages.QueueAsync(MiniPortal.Office, office, 2025))),
            ("ledger-task", await renderer.RenderAsync<LedgerTaskPage>(await mini.LedgerPages.TaskAsync(MiniPortal.Office, office, 2025, "K4"))),
            ("ledger-task-extension", await renderer.RenderAsync<LedgerTaskPage>(await mini.LedgerPages.TaskAsync(MiniPortal.Office, office, 2025, "K2"))),
            ("ledger-task-unit", await renderer.RenderAsync<LedgerTaskPage>(await mini.LedgerPages.TaskAsync(MiniPortal.A1, a1, 2025, "K1"))),
            ("ledger-unit", await renderer.RenderAsync<LedgerUnitPage>(await mini.LedgerPages.UnitAsync(MiniPortal.A1, a1, "A1", 2025))),
            ("unit-home-ledger", await renderer.RenderAsync<UnitHomePage>(await p.UnitHomeAsync(MiniPortal.A1, a1, "A1")
                with { LedgerDue = await mini.LedgerPages.DueAsync(MiniPortal.A1, "A1") })),
            // Issue 23 item 6: the month review (the demo province's September, 120 counties) filtered and not, and a unit's
            // home with its month (lights, progress charts, its PDF and the level's bulletin).
            ("month-review", await renderer.RenderAsync<MonthReviewPage>(MonthReview(office, null, null))),
            ("month-review-filtered", await renderer.RenderAsync<MonthReviewPage>(MonthReview(office, "创先", "red"))),
            ("unit-home-month", await renderer.RenderAsync<UnitHomePage>(await p.UnitHomeAsync(MiniPortal.A1, a1, "A1")
                with { Month = UnitMonthModel.Of(MonthPagesRenderingTests.September.Value, "980802", "/units/980802/months/2025-09/pdf",
                    "/units/980802/month-bulletin/2025-09/pdf") })),
            ("error", await renderer.RenderAsync<ErrorPage>(new ErrorPageModel(a1 with { Title = "无权访问" }, 403, "您没有权限查看此页面"))),
        ];
    }

    private static MonthReviewModel MonthReview(PageFrame office, string? @class, string? light)
    {
        var september = MonthPagesRenderingTests.September.Value;
        return new MonthReviewModel(office with { Title = "月度监测 2025-09 县", Section = "runs" }, "run-000042", september.Monitor.Name, september.Period, "县", false,
            MonthMatrix.Of(september, @class, light), "/office/runs/run-000042", "/office/runs/run-000042/bulletins/county/pdf",
            code => $"/office/runs/run-000042/units/{code}/pdf")
        { LedgerBulletinPdfUrl = "/office/runs/run-000042/bulletins/ledger-county/pdf", CanPublish = true };
    }

    /// <summary>Adds a second version (v2: weights 50/50) so preview and diff have something to show.</summary>
    public static async Task EnsureSecondVersionAsync(MiniPortal mini) =>
        await mini.Service.AddRulesetAsync(Store.Mini.RulesetV2, "mini.yaml", "author");

    public static Period Q3 => Store.Mini.Q3;
}
