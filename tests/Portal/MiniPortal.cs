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

    public string Q2Run { get; private set; } = "";

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
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await _file.DisposeAsync();
    }

    public static byte[] Key { get; } = RandomNumberGenerator.GetBytes(32);
}
