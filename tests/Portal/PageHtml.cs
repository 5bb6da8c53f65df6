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
            // Issue 25 item 3: notice and review (公示、复核): a unit's scorecard, home and bulletin marked 公示稿 with its form and
            // requests, the month panel marked, the office's run page with the publish choice and its notice, the notice pages.
            ("scorecard-notice", await renderer.RenderAsync<ScorecardPage>(await p.ScorecardAsync(MiniPortal.A1, a1, "A1", Store.Mini.Q2)
                with { Draft = Draft, Review = new UnitReviewModel(Draft, true, ReviewTargets, [.. Requests(a1: true).Where(l => l.Request.Unit == "A1")], "/units/A1/scorecards/2025Q2/reviews", null) })),
            ("scorecard-notice-office", await renderer.RenderAsync<ScorecardPage>(await p.ScorecardAsync(MiniPortal.Office, office, "A1", Store.Mini.Q2)
                with { Draft = Draft, Review = new UnitReviewModel(Draft, false, ReviewTargets, [.. Requests(a1: false).Where(l => l.Request.Unit == "A1")], "/units/A1/scorecards/2025Q2/reviews", "/office/notices/2025Q2/county") })),
            ("unit-home-notice", await renderer.RenderAsync<UnitHomePage>(await NoticedHomeAsync(p, a1))),
            // Issue 25: a published year (年度考评) in its own section of the home, one year provisional, with the level ranking.
            ("unit-home-year", await renderer.RenderAsync<UnitHomePage>(await YearHomeAsync(p, a1))),
            ("bulletin-notice", await renderer.RenderAsync<BulletinPage>(await p.BulletinAsync(MiniPortal.A1, a1, "A1", Store.Mini.Q3) with { Draft = Draft })),
            ("run-notice", await renderer.RenderAsync<RunPage>(await p.RunAsync(office, mini.Q3Run) with
            {
                Notice = new BaiQianWan.Assess.Store.PublicationNotice(Store.Mini.Q3, UnitLevel.County, 1, mini.Q3Run, BaiQianWan.Assess.Store.NoticeState.Provisional, "office", At, 5, Deadline),
            })),
            ("run-publish", await renderer.RenderAsync<RunPage>((await p.RunAsync(office, mini.Q3Run)) with { CanPublish = true, Publish = new PublishChoice(true, 5) })),
            ("notice", await renderer.RenderAsync<NoticePage>(NoticePageOf(office))),
            ("notices", await renderer.RenderAsync<NoticesPage>(new NoticesPageModel(office with { Title = "公示与复核", Section = "notices" },
            [
                new NoticeRow(new BaiQianWan.Assess.Store.PublicationNotice(Store.Mini.Q3, UnitLevel.County, 2, "run-000009", BaiQianWan.Assess.Store.NoticeState.Provisional, "office", At, 5, Deadline), 2, 3, "/office/notices/2025Q3/county"),
                new NoticeRow(new BaiQianWan.Assess.Store.PublicationNotice(Store.Mini.Q2, UnitLevel.County, 1, "run-000001", BaiQianWan.Assess.Store.NoticeState.Final, "office", At, null, null), 0, 0, "/office/notices/2025Q2/county"),
            ]))),
            ("error", await renderer.RenderAsync<ErrorPage>(new ErrorPageModel(a1 with { Title = "无权访问" }, 403, "您没有权限查看此页面"))),
        ];
    }

    private static readonly DateTimeOffset At = new(2025, 10, 8, 9, 0, 0, TimeSpan.FromHours(8));

    private static readonly DateTimeOffset Deadline = new(2025, 10, 14, 0, 0, 0, TimeSpan.FromHours(8));

    private static DraftMark Draft => new(Store.Mini.Q2, UnitLevel.County, "run-000009", 2, Deadline);

    private static readonly IReadOnlyList<ReviewTarget> ReviewTargets =
    [
        new("indicator:fai", "指标：固定资产投资（fai）"),
        new("indicator:rev", "指标：财政收入（rev）"),
        new("adjustment:honor", "加减分项：国家级荣誉（honor）"),
        new("veto:a_very_long_veto_id_that_must_wrap_on_a_phone_screen", "否决项：一个名字很长、在手机上必须换行的一票否决事项（a_very_long_veto_id_that_must_wrap_on_a_phone_screen）"),
    ];

    /// <summary>Requests in every state, one with two files (a long name among them).</summary>
    private static IReadOnlyList<ReviewLine> Requests(bool a1)
    {
        var sha = new string('a', 64);
        BaiQianWan.Assess.Store.ReviewRequest R(int n, string unit, BaiQianWan.Assess.Store.ReviewState state, string? answer,
            System.Collections.Immutable.ImmutableArray<BaiQianWan.Assess.Store.ReviewFile> files, string? correcting = null) =>
            new($"rv-{n:000000}", Store.Mini.Q2, UnitLevel.County, unit, "run-000008", 1, "run-000009", 2, BaiQianWan.Assess.Store.ReviewTargetKind.Indicator,
                n % 2 == 0 ? "rev" : "a_very_long_indicator_id_that_must_wrap_on_a_phone", "投资额漏报了一个项目：县工业园二期标准厂房建设项目已于六月完成投资 3.2 亿元，统计时未纳入。",
                files, $"unit:{unit}", At, state, answer, answer is null ? null : "office", answer is null ? null : At.AddDays(1), correcting, null, 1);
        BaiQianWan.Assess.Store.ReviewFile F(string name) => new(name, "pdf", 123456, sha);
        var all = new[]
        {
            R(5, "A1", BaiQianWan.Assess.Store.ReviewState.Open, null, [F("县工业园二期项目投资台账（2025年6月，县发展和改革局盖章版）.pdf"), F("现场照片.pdf")]),
            R(4, "A2", BaiQianWan.Assess.Store.ReviewState.Open, null, []),
            R(3, "A1", BaiQianWan.Assess.Store.ReviewState.Corrected, "核实漏报，已更正数据并重新发布", [F("台账.pdf")], "run-000009"),
            R(2, "B1", BaiQianWan.Assess.Store.ReviewState.Upheld, "收入口径符合规则，维持原结果", []),
            R(1, "A1", BaiQianWan.Assess.Store.ReviewState.Withdrawn, "单位撤回", []),
        };
        return [.. all.Select(r => new ReviewLine(r, r.Unit == "A1" ? "甲一县" : r.Unit == "A2" ? "甲二县" : "乙一县",
            [.. r.Files.Select(f => (f, $"/reviews/{r.Id}/files/{f.Sha256}"))], a1 && r.State == BaiQianWan.Assess.Store.ReviewState.Open && r.Unit == "A1",
            !a1 && r.State == BaiQianWan.Assess.Store.ReviewState.Open))];
    }

    private static NoticePageModel NoticePageOf(PageFrame office)
    {
        var current = new BaiQianWan.Assess.Store.PublicationNotice(Store.Mini.Q2, UnitLevel.County, 2, "run-000009", BaiQianWan.Assess.Store.NoticeState.Provisional, "office", At, 5, Deadline);
        var replaced = new BaiQianWan.Assess.Store.PublicationNotice(Store.Mini.Q2, UnitLevel.County, 1, "run-000008", BaiQianWan.Assess.Store.NoticeState.Replaced, "office", At.AddDays(-3), 5,
            Deadline.AddDays(-3), "office", At, "run-000009");
        return new NoticePageModel(office with { Title = "公示与复核 2025年第二季度 县级", Section = "notices" }, Store.Mini.Q2, UnitLevel.County, current, [current, replaced],
            Requests(a1: false), new BaiQianWan.Assess.Workflow.Reviews.ReviewCounts(5, 1), "公示期到 2025-10-13 24:00（北京时间） 才满，届满后才能转为正式发布", At);
    }

    private static async Task<UnitHomeModel> NoticedHomeAsync(PortalPages p, PageFrame a1)
    {
        var home = await p.UnitHomeAsync(MiniPortal.A1, a1, "A1");
        return home with
        {
            Latest = home.Latest! with { Draft = Draft },
            Quarters = [.. home.Quarters.Select((q, i) => i == 0 ? q with { Draft = Draft } : q)],
            Month = UnitMonthModel.Of(MonthPagesRenderingTests.September.Value, "980802", "/units/980802/months/2025-09/pdf", "/units/980802/month-bulletin/2025-09/pdf")!
                with { Draft = new DraftMark(BaiQianWan.Assess.Rules.Data.Period.Parse("2025-09"), UnitLevel.County, "run-000042", 1, Deadline) },
        };
    }

    private static async Task<UnitHomeModel> YearHomeAsync(PortalPages p, PageFrame a1)
    {
        var home = await p.UnitHomeAsync(MiniPortal.A1, a1, "A1");
        ResultSummary Year(int year, decimal total, int rank, string grade) => new(Period.OfYear(year), "甲", total, rank, 2, grade, [],
            PortalUrls.Scorecard("A1", Period.OfYear(year)), PortalUrls.ScorecardPdf("A1", Period.OfYear(year)));
        return home with
        {
            Years =
            [
                new YearSummary(Year(2025, 111.25m, 1, "优秀") with { Draft = new DraftMark(Period.OfYear(2025), UnitLevel.County, "run-000050", 1, Deadline) },
                    1, 4, PortalUrls.LevelRankingPdf(Period.OfYear(2025), UnitLevel.County)),
                new YearSummary(Year(2024, 98.5m, 2, "合格"), null, null, null),
            ],
        };
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
