using System.Security.Cryptography;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// The mini province (tests/Store/Mini.cs) on a SQLite file with 2025Q2 and 2025Q3 evaluated, rendered (text
/// stand-in documents) and published: A1 is 2nd of 2 in class 甲 in Q2 (90.5) and 1st in Q3 (112).
/// </summary>
public sealed class MiniPortal : IAsyncLifetime
{
    public static readonly DateTimeOffset T0 = new(2025, 10, 8, 1, 0, 0, TimeSpan.Zero);

    private readonly TempSqlite _file = new();

    public TestClock Clock { get; } = new(T0);

    public SqliteAssessStore Store { get; private set; } = null!;

    public SqliteAccountStore Accounts { get; private set; } = null!;

    public AssessmentService Service { get; private set; } = null!;

    public PortalPages Pages { get; private set; } = null!;

    /// <summary>The 2025 ledger (tasks of A1, A2 and T1 in two stages; late, near-due, submitted with a file, an extension asked).</summary>
    public BaiQianWan.Assess.Workflow.Ledger.LedgerService Ledger { get; private set; } = null!;

    /// <summary>The ledger pages over it.</summary>
    public LedgerPages LedgerPages { get; private set; } = null!;

    private SqliteLedgerStore _ledgerStore = null!;

    public string Q2Run { get; private set; } = "";

    public const string LedgerCsv = """
        id,year,parent,kind,title,unit,lead,leader,due,status,done
        S1,2025,,阶段目标,产业发展提质增效（一个足够长、在手机上必须换行的阶段标题）,,,,,,
        M1,2025,S1,主要任务,壮大县域经济,,,,,,
        K1,2025,M1,举措,建成县域产业园标准厂房十万平方米并投入使用,A1,县发改局,王某某,2025-06-30,,
        K2,2025,M1,举措,完成年度招商引资签约项目二十个,A1,县商务局,王某某,2025-10-10,,
        K3,2025,M1,举措,镇级农贸市场改造,T1,,李某,2025-09-30,,
        S2,2025,,阶段目标,乡村建设,,,,,,
        K4,2025,S2,举措,农村生活污水治理率达到百分之八十,A1,县生态环境局,张某,2025-12-31,,
        K5,2025,S2,举措,完成典型村建设,A2,,赵某,2025-10-01,,
        K6,2025,S2,举措,完成人居环境整治验收,A1,,张某,2025-03-31,已销号,2025-03-20

        """;


    public string Q3Run { get; private set; } = "";

    public static readonly PortalUser Office = new("office", "考核办", AccountRole.Office, null);
    public static readonly PortalUser Author = new("author", "规则作者", AccountRole.Author, null);
    public static readonly PortalUser A1 = new("a1", "甲一县", AccountRole.Unit, "A1");
    public static readonly PortalUser A2 = new("a2", "甲二县", AccountRole.Unit, "A2");

    public static PageFrame Frame(PortalUser? user) => new("", user, "AF-TOKEN", "", null, null);

    public async Task InitializeAsync()
    {
        Store = await _file.OpenAsync();
        Accounts = new SqliteAccountStore(_file.Path);
        await Accounts.InitializeAsync();
        Service = new AssessmentService(Store, Clock, new TestRenderer());
        Pages = new PortalPages(Service, Accounts, Clock);
        _ledgerStore = new SqliteLedgerStore(_file.Path);
        await _ledgerStore.InitializeAsync();
        Ledger = new BaiQianWan.Assess.Workflow.Ledger.LedgerService(_ledgerStore, Store, Clock);
        LedgerPages = new LedgerPages(Ledger, Store);
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await Service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await Service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await Service.ActivateRulesetAsync("mini", 1, "office");
        foreach (var period in new[] { Mini.Q2, Mini.Q3 })
        {
            var run = await Service.RunAsync(period, UnitLevel.County, "mini", null, "office");
            Assert.Equal(RunStatus.Succeeded, run.Status);
            await Service.PublishAsync(run.Id, "office");
            if (period == Mini.Q2) Q2Run = run.Id; else Q3Run = run.Id;
        }
        await LedgerAsync();
    }

    /// <summary>The 2025 ledger as the pages show it: K4 submitted by A1 with a PDF, K2 with an extension asked.</summary>
    private async Task LedgerAsync()
    {
        var office = BaiQianWan.Assess.Workflow.Ledger.LedgerActor.Office("office");
        var a1 = BaiQianWan.Assess.Workflow.Ledger.LedgerActor.OfUnit("a1", "A1");
        await Ledger.ImportAsync(2025, Mini.Bytes(LedgerCsv), "tasks.csv", office);
        await Ledger.SubmitAsync(2025, "K4", a1, "污水处理设施已建成并通过验收，附验收报告和现场照片",
            [new("验收报告（县生态环境局）.pdf", "%PDF-1.4\n% mini\n%%EOF\n"u8.ToArray())]);
        await Ledger.ExtendAsync(2025, "K2", a1, "签约项目受市场影响延后", new DateOnly(2025, 12, 31));
    }

    public async Task DisposeAsync()
    {
        await _ledgerStore.DisposeAsync();
        await Store.DisposeAsync();
        await _file.DisposeAsync();
    }

    public static byte[] Key { get; } = RandomNumberGenerator.GetBytes(32);
}
