using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Month runs through the one run use case on a real SQLite file (the test renderer's text documents): the level's active
/// monitor evaluated over months 1 … m of stored data, the month's result stored and its documents (the level's bulletin,
/// a page per unit) saved, published like a quarter; refused before a run exists for an empty month or a mismatched kind;
/// idempotent; a monitor previewed against the active one. The expected lights are <see cref="MiniMonth"/>'s, worked by hand.
/// </summary>
public sealed class MonthRunServiceTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private IAssessStore _store = null!;
    private readonly TestClock _clock = new();
    private AssessmentService _service = null!;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, _clock, new TestRenderer());
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(MiniMonth.ObservationsCsv), "2025-06.csv", "office");
        await _service.ActivateRulesetAsync("mini", (await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author")).Version, "chief");
        var monitor = await _service.AddRulesetAsync(MiniMonth.MonitorYaml, "mini-monthly.yaml", "author");
        await _service.ActivateRulesetAsync("mini-monthly", monitor.Version, "chief");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    [Fact]
    public async Task A_month_run_lights_the_stored_months_saves_the_result_and_documents_and_publishes_like_a_quarter()
    {
        var active = await _service.GetActiveRulesetAsync(UnitLevel.County, MiniMonth.June);
        Assert.Equal(("mini-monthly", RulesetSlot.Monitor), (active!.Ruleset.RulesetId, active.Slot));

        var run = await _service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", null, "office");

        Assert.Equal((RunStatus.Succeeded, "mini-monthly", 1, 4, 1), (run.Status, run.RulesetId, run.RulesetVersion, run.ScorecardsExpected, run.BulletinsExpected));
        var month = (await _service.GetMonthResultsAsync(run.Id))!;
        // MiniMonth's hand-worked June: progress = actual (target 100), pace 50, gap = progress − 50.
        Assert.Equal(50m, month.Indicators[0].Pace);
        Assert.Equal(["A1 60 10 green/green 2 1/2 1/4", "A2 45 -5 red/yellow 1 2/2 3/4", "B1 35 -15 red/red 2 2/2 4/4", "B2 50 0 green/green 2 1/2 2/4"],
            month.Units.Select(u => u.Indicators[0]).Zip(month.Units, (f, u) =>
                $"{u.Code} {f.Progress:0.##} {f.Gap:0.##} {f.Light}/{f.PlainLight} {f.Streak} {f.Rank}/{f.Peers} {f.LevelRank}/{f.LevelPeers}"));
        Assert.Equal(["red 2", "yellow 0", "green 2", "missing 0"], month.Totals().Select(t => $"{t.Light} {t.Count}"));
        Assert.Equal(run.DataSha256, month.DataSha256);
        Assert.Equal(("mini-monthly", (int?)1), (month.Monitor.Id, month.Monitor.Version));
        // The scoring reads of a month run answer nothing (the portal's scored-unit reads stay empty for it).
        Assert.Null(await _service.GetResultsAsync(run.Id));

        var documents = await _service.ListDocumentsAsync(run.Id);
        Assert.Equal(["Scorecard A1", "Scorecard A2", "Scorecard B1", "Scorecard B2", "Bulletin county"], documents.Select(d => $"{d.Kind} {d.Key}"));
        var bulletin = TestRenderer.Read((await _service.GetDocumentAsync(run.Id, DocumentKind.Bulletin, "county"))!);
        Assert.Equal($"run={run.Id} at={run.RequestedAt:O} sample=False\nmonth county 2025-06 A1:green A2:red B1:red B2:green\n", bulletin);
        Assert.EndsWith("unit A2 fai=red/1\n", TestRenderer.Read((await _service.GetDocumentAsync(run.Id, DocumentKind.Scorecard, "A2"))!));
        // Rendering again from the stored result gives the same bytes.
        var again = await _service.RerenderAsync(run.Id);
        Assert.Equal(documents.Select(d => d.Sha256).Order(StringComparer.Ordinal), again.Select(d => d.Sha256).Order(StringComparer.Ordinal));

        var publication = await _service.PublishAsync(run.Id, "office");
        Assert.Equal((MiniMonth.June, UnitLevel.County, run.Id), (publication.Period, publication.Level, publication.RunId));
        // The quarterly ruleset is untouched beside it: a quarter still runs with it.
        var q3 = await _service.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        Assert.Equal(RunStatus.Succeeded, q3.Status);
        Assert.Equal(["mini", "mini-monthly"], (await _service.GetActiveRulesetsAsync()).Select(a => a.Ruleset.RulesetId));
    }

    [Fact]
    public async Task A_month_without_data_is_refused_with_the_reason_and_no_run_is_created()
    {
        var refused = await Assert.ThrowsAsync<StoreException>(() => _service.RunAsync(MiniMonth.July, UnitLevel.County, "mini-monthly", null, "office"));

        Assert.Equal(StoreError.Invalid, refused.Error);
        Assert.Equal("不能用月度监测 mini-monthly@1 评价 2025-07：2025-07 没有数据（4 个县（市、区）单位都没有指标 fai 的 2025-07 数据行），空月份不亮灯；请先导入 2025-07 的数据",
            refused.Message);
        Assert.Empty(await _store.ListRunsAsync(MiniMonth.July));
    }

    [Fact]
    public async Task A_monitor_evaluates_months_only_and_a_scoring_ruleset_never_a_month()
    {
        var quarter = await Assert.ThrowsAsync<StoreException>(() => _service.RunAsync(Mini.Q3, UnitLevel.County, "mini-monthly", null, "office"));
        Assert.Equal(StoreError.Invalid, quarter.Error);
        Assert.StartsWith("mini-monthly@1 是月度监测（kind: monitor），只评价月份", quarter.Message);

        var month = await Assert.ThrowsAsync<StoreException>(() => _service.RunAsync(MiniMonth.June, UnitLevel.County, "mini", null, "office"));
        Assert.Equal(StoreError.Invalid, month.Error);
        Assert.StartsWith("mini@1 是季度考核规则集，不评价月份 2025-06", month.Message);
        Assert.Empty(await _store.ListRunsAsync());
    }

    [Fact]
    public async Task A_repeated_key_answers_the_first_month_run_and_evaluates_nothing_again()
    {
        var first = await _service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", 1, "timer", "timer:2025-06:county:mini-monthly:1");
        var again = await _service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", 1, "timer", "timer:2025-06:county:mini-monthly:1");

        Assert.Equal(first.Id, again.Id);
        Assert.Single(await _store.ListRunsAsync(MiniMonth.June));
        Assert.Single(await _service.GetAuditLogAsync(), e => e.Action == "run.create");
    }

    [Fact]
    public async Task A_month_run_reads_only_the_months_up_to_it_so_a_later_upload_does_not_change_it()
    {
        var june = await _service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", null, "office");
        await _service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nA1,fai,2025-07,70,100,\n"), "2025-07.csv", "office");

        var juneAgain = await _service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", null, "office");
        var july = await _service.RunAsync(MiniMonth.July, UnitLevel.County, "mini-monthly", null, "office");

        Assert.Equal(june.DataSha256, juneAgain.DataSha256);
        Assert.NotEqual(june.DataSha256, july.DataSha256);
        // July: A1 70 against pace r(7/12 × 100) = 58.33 → gap 11.67 green, streak 3; the others have no July row.
        var a1 = (await _service.GetMonthResultsAsync(july.Id))!.Units.Single(u => u.Code == "A1").Indicators[0];
        Assert.Equal((58.33m, 11.67m, "green", 3), (a1.Pace!.Value, a1.Gap!.Value, a1.Light, a1.Streak!.Value));
        Assert.Equal("no row", (await _service.GetMonthResultsAsync(july.Id))!.Units.Single(u => u.Code == "B1").Indicators[0].Missing);
    }

    [Fact]
    public async Task A_monitor_version_is_previewed_against_the_active_one_on_stored_data()
    {
        var v2 = await _service.AddRulesetAsync(MiniMonth.MonitorV2, "mini-monthly.yaml", "author");

        var preview = await _service.PreviewMonitorAsync("mini-monthly", v2.Version, MiniMonth.June);

        Assert.Equal(("mini-monthly", 2, "mini-monthly", (int?)1), (preview.MonitorId, preview.Version, preview.ActiveId, preview.ActiveVersion));
        // Red from gap ≤ −4: A2 (−5) is red either way (escalated under v1); nothing changes in June.
        Assert.Equal(["A1 green green", "A2 red red", "B1 red red", "B2 green green"],
            preview.Rows.Select(r => $"{r.Code} {r.Cells[0].Light} {r.Cells[0].ActiveLight}"));
        Assert.Empty(await _store.ListRunsAsync());
        var quarter = await Assert.ThrowsAsync<StoreException>(() => _service.PreviewMonitorAsync("mini-monthly", v2.Version, Mini.Q3));
        Assert.Equal(StoreError.Invalid, quarter.Error);
    }

    [Fact]
    public async Task A_month_run_with_a_ledger_stores_the_levels_ledger_bulletin_beside_the_month_and_renders_it_again_to_the_same_bytes()
    {
        // The ledger on the same file: A1 has K1 due 2025-05-31, never reported (overdue on 06-30); T1's task is the town level's.
        await using var ledger = new SqliteLedgerStore(_file.Path);
        await ledger.InitializeAsync();
        var tasks = new LedgerService(ledger, _store, _clock);
        await tasks.ImportAsync(2025, Mini.Bytes("id,year,parent,kind,title,unit,lead,leader,due,status,done\nK1,2025,,举措,建成产业园,A1,,,2025-05-31,,\nK2,2025,,举措,修通乡道,T1,,,2025-05-31,,\n"),
            "tasks.csv", LedgerActor.Office("office1"));
        var service = new AssessmentService(_store, _clock, new TestRenderer(), ledger: ledger);

        var run = await service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", null, "office");

        Assert.True(run.Status == RunStatus.Succeeded, run.Reason);
        var documents = await service.ListDocumentsAsync(run.Id);
        Assert.Equal(["Scorecard A1", "Scorecard A2", "Scorecard B1", "Scorecard B2", "Bulletin county", "Bulletin ledger-county"],
            documents.Select(d => $"{d.Kind} {d.Key}"));
        var pdf = (await service.GetDocumentAsync(run.Id, DocumentKind.Bulletin, "ledger-county"))!;
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf.Content.AsSpan(0, 4)));
        var again = await service.RerenderAsync(run.Id);
        Assert.Equal(documents.Select(d => d.Sha256).Order(StringComparer.Ordinal), again.Select(d => d.Sha256).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_month_runs_ledger_bulletin_lights_the_tasks_with_the_hosts_settings_not_the_defaults()
    {
        // K1 of A1 due 2025-05-31 and never reported: 30 days over on 06-30, yellow by default (red after 30 days), red when
        // the host says red after 5 days; K3 due 07-05 is blue with 10 reminder days, unlit with the default 3.
        await using var ledger = new SqliteLedgerStore(_file.Path);
        await ledger.InitializeAsync();
        var tasks = new LedgerService(ledger, _store, _clock);
        await tasks.ImportAsync(2025, Mini.Bytes("id,year,parent,kind,title,unit,lead,leader,due,status,done\nK1,2025,,举措,建成产业园,A1,,,2025-05-31,,\n" +
            "K3,2025,,举措,建成冷链中心,A2,,,2025-07-05,,\n"), "tasks.csv", LedgerActor.Office("office1"));
        var settings = new LedgerSettings(RemindDays: 10, RedAfterDays: 5);
        var service = new AssessmentService(_store, _clock, new TestRenderer(), ledger: ledger, ledgerSettings: settings);

        var run = await service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", null, "office");

        Assert.True(run.Status == RunStatus.Succeeded, run.Reason);
        var stored = (await service.GetDocumentAsync(run.Id, DocumentKind.Bulletin, "ledger-county"))!.Content;
        // The bulletin LedgerBulletins draws with those settings, byte for byte, and not the one with the defaults.
        var stamp = RunStamp.Of(run);
        Assert.Equal((await new LedgerBulletins(ledger, _store, settings).RenderMonthAsync(MiniMonth.June, stamp)).Single(d => d.Key == "ledger-county").Content, stored);
        Assert.NotEqual((await new LedgerBulletins(ledger, _store).RenderMonthAsync(MiniMonth.June, stamp)).Single(d => d.Key == "ledger-county").Content, stored);
        var text = BaiQianWan.Assess.Tests.Scorecards.Pdf.Flat(BaiQianWan.Assess.Tests.Scorecards.Pdf.Text(stored));
        Assert.Contains("蓝灯10天、红灯5天", text);
        Assert.DoesNotContain("红灯30天", text);
    }
}
