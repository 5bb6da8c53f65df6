using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Kit;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Tests.Ledger;

/// <summary>
/// The ledger's derived rows (contract §4) join a period's data when a run starts: they are scored when the ruleset
/// names them, they are in the data hash (which moves with the ledger), units without tasks get none (a store without
/// tasks runs exactly as before), and an upload that carries a derived id is refused at its row.
/// </summary>
public sealed class LedgerRunTests
{
    /// <summary>按期销号率 (completion, 100) and a deduction of 1 for each overdue task.</summary>
    public const string LedgerRuleset = """
        id: ledger-mini
        name: 台账考核
        level: county
        classes: [甲]
        decimals: 2
        dimensions:
          - id: work
            name: 重点工作
            indicators:
              - id: ledger_closed_on_time
                name: 按期销号率
                unit: 项
                weight: 100
                method: completion
        adjustments:
          - id: ledger_overdue
            name: 逾期未销号任务
            kind: penalty
            per: 1
        grades:
          by: rankShare
          levels:
            - { name: 好, share: 0.5 }
            - { name: 一般 }
        """;

    // 2025Q1 (E = 03-31). A1: K1 due 03-15, reported 03-10 and verified 03-12 (on time); K2 due 03-20, never reported
    // (overdue). A2: K3 due 02-28, reported 02-20 and verified 02-25 (on time); K4 due 04-30 (not yet due).
    private const string Tasks = """
        id,year,parent,kind,title,unit,lead,leader,due,status,done
        K1,2025,,举措,建成产业园,A1,,,2025-03-15,,
        K2,2025,,举措,完成招商签约,A1,,,2025-03-20,,
        K3,2025,,举措,建成冷链中心,A2,,,2025-02-28,,
        K4,2025,,举措,修通乡道,A2,,,2025-04-30,,

        """;

    private static readonly Period Q1 = Period.OfQuarter(2025, 1);

    private static async Task<EvaluationResult> RunAsync(AssessmentService service, Period period, string rulesetId)
    {
        var started = await service.Runs.StartAsync(new RunAsk(period, UnitLevel.County, rulesetId, null, "office"), new InProcessCarrier());
        Assert.Equal(RunStatus.Succeeded, started.Run.Status);
        return (await service.GetResultsAsync(started.Run.Id))!;
    }

    private static async Task<AssessmentService> ServiceAsync(LedgerWorld w, string yaml, bool withLedger = true)
    {
        var service = new AssessmentService(w.Store, w.Clock, null, ledger: withLedger ? w.Ledger : null);
        var version = await service.AddRulesetAsync(yaml, "r.yaml", "office");
        await service.ActivateRulesetAsync(version.RulesetId, version.Version, "office", replace: true);
        return service;
    }

    private static async Task PlayQ1Async(LedgerWorld w)
    {
        await w.ImportAsync(Tasks);
        w.Clock.On("2025-02-20");
        await w.Service.SubmitAsync(2025, "K3", LedgerWorld.UnitA2, "已建成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-02-25");
        await w.Service.CloseAsync(2025, "K3", LedgerWorld.Office1);
        w.Clock.On("2025-03-10");
        await w.Service.SubmitAsync(2025, "K1", LedgerWorld.UnitA1, "一期已建成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-03-12");
        await w.Service.CloseAsync(2025, "K1", LedgerWorld.Office1);
    }

    [Fact]
    public async Task A_runs_scorecards_are_drawn_from_the_ledger_the_run_service_read_with_the_hosts_light_settings()
    {
        await using var w = await LedgerWorld.CreateAsync();
        await PlayQ1Async(w);
        w.Clock.On("2025-04-02");
        var settings = new Rules.Ledger.LedgerSettings(RemindDays: 7, RedAfterDays: 10);
        var recorder = new TestRenderer();
        var recorded = new AssessmentService(w.Store, w.Clock, recorder, ledger: w.Ledger, ledgerSettings: settings);
        var version = await recorded.AddRulesetAsync(LedgerRuleset, "r.yaml", "office");
        await recorded.ActivateRulesetAsync(version.RulesetId, version.Version, "office", replace: true);

        await RunAsync(recorded, Q1, "ledger-mini");

        // Every scorecard batch was handed the year's ledger, read by the run service with the host's settings.
        Assert.NotEmpty(recorder.Ledgers);
        Assert.All(recorder.Ledgers, book => Assert.Equal((2025, settings, 4), (book!.Year, book.Settings, book.Tasks.Count)));

        // With the PDF renderer: A1's ledger section prints those settings (the default ones without them), and the stored
        // scorecards render again to the same bytes.
        string Legend(LedgerSettings s) => $"蓝灯：完成时限前{s.RemindDays}天内；黄灯：逾期{s.RedAfterDays}天以内；红灯：逾期超过{s.RedAfterDays}天";
        foreach (var (given, shown) in new[] { (settings, settings), ((LedgerSettings?)null, LedgerSettings.Default) })
        {
            var service = new AssessmentService(w.Store, w.Clock, new PdfDocumentRenderer(parallelism: 1), ledger: w.Ledger, ledgerSettings: given);
            Assert.Equal(shown, service.Runs.LedgerSettings);
            var started = await service.Runs.StartAsync(new RunAsk(Q1, UnitLevel.County, "ledger-mini", null, "office"), new InProcessCarrier());
            Assert.Equal(RunStatus.Succeeded, started.Run.Status);
            var a1 = (await service.GetDocumentAsync(started.Run.Id, DocumentKind.Scorecard, "A1"))!;
            var text = Scorecards.Pdf.Flat(Scorecards.Pdf.Text(a1.Content));
            Assert.Contains("任务台账（销号制）", text);
            Assert.Contains(Legend(shown), text);
            var stored = await service.ListDocumentsAsync(started.Run.Id);
            var again = await service.RerenderAsync(started.Run.Id);
            Assert.Equal(stored.Select(d => d.Sha256).Order(StringComparer.Ordinal), again.Select(d => d.Sha256).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task A_run_scores_the_ledgers_rows_of_its_period()
    {
        await using var w = await LedgerWorld.CreateAsync();
        await PlayQ1Async(w);
        w.Clock.On("2025-04-02");
        var service = await ServiceAsync(w, LedgerRuleset);

        var result = await RunAsync(service, Q1, "ledger-mini");

        var a1 = result.Units.Single(u => u.Code == "A1");
        var a2 = result.Units.Single(u => u.Code == "A2");
        // A1: 1 of 2 due closed on time → 0.5 × 100 = 50; one overdue → −1: 49.
        var onTime = a1.Indicators.Single(i => i.Id == "ledger_closed_on_time");
        Assert.Equal((1m, 2m, 50m), (onTime.Actual, onTime.Target, onTime.Score));
        Assert.Equal((1m, -1m), (a1.Adjustments.Single(a => a.Id == "ledger_overdue").Count, a1.Adjustments.Single(a => a.Id == "ledger_overdue").Points));
        Assert.Equal(49m, a1.Total);
        // A2: 1 of 1 due (K4 is due in April) closed on time → 100; none overdue: 100.
        var a2OnTime = a2.Indicators.Single(i => i.Id == "ledger_closed_on_time");
        Assert.Equal((1m, 1m, 100m), (a2OnTime.Actual, a2OnTime.Target, a2OnTime.Score));
        Assert.Equal(0m, a2.Adjustments.Single(a => a.Id == "ledger_overdue").Points);
        Assert.Equal(100m, a2.Total);
        Assert.Equal(["A2", "A1"], result.Units.OrderBy(u => u.Rank).Select(u => u.Code));
    }

    [Fact]
    public async Task The_data_hash_moves_with_the_ledger_and_a_later_change_leaves_the_period_as_it_stood()
    {
        await using var w = await LedgerWorld.CreateAsync();
        await PlayQ1Async(w);
        var service = await ServiceAsync(w, LedgerRuleset);
        w.Clock.On("2025-03-26");
        var first = await RunAsync(service, Q1, "ledger-mini");

        // K2 reported on 03-28 and verified on 03-29 (late): closed, no longer overdue, still not on time.
        w.Clock.On("2025-03-28");
        await w.Service.SubmitAsync(2025, "K2", LedgerWorld.UnitA1, "已签约", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-03-29");
        await w.Service.CloseAsync(2025, "K2", LedgerWorld.Office1);
        var second = await RunAsync(service, Q1, "ledger-mini");

        Assert.NotEqual(first.DataSha256, second.DataSha256);
        Assert.Equal(49m, first.Units.Single(u => u.Code == "A1").Total);
        Assert.Equal(50m, second.Units.Single(u => u.Code == "A1").Total);
        Assert.Equal(0m, second.Units.Single(u => u.Code == "A1").Adjustments.Single(a => a.Id == "ledger_overdue").Count);

        // A change after the period's end (reopening K2 in April) does not move Q1's figures or hash.
        w.Clock.On("2025-04-10");
        await w.Service.ReopenAsync(2025, "K2", LedgerWorld.Office1, "回头看发现未落实");
        var third = await RunAsync(service, Q1, "ledger-mini");
        Assert.Equal(second.DataSha256, third.DataSha256);
        Assert.Equal(50m, third.Units.Single(u => u.Code == "A1").Total);
    }

    [Fact]
    public async Task Without_tasks_a_run_reads_exactly_what_was_stored_and_tasks_add_their_units_rows_to_the_hash()
    {
        await using var w = await LedgerWorld.CreateAsync(unitsCsv: Mini.UnitsCsv);
        var withLedger = await ServiceAsync(w, Mini.RulesetYaml);
        var without = new AssessmentService(w.Store, w.Clock, null);
        await without.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "obs.csv", "office");

        var plain = await RunAsync(without, Mini.Q2, "mini");
        var joined = await RunAsync(withLedger, Mini.Q2, "mini");
        Assert.Equal(plain.DataSha256, joined.DataSha256);
        Assert.Equal(plain.Units.Select(u => (u.Code, u.Total, u.Rank)), joined.Units.Select(u => (u.Code, u.Total, u.Rank)));

        // A task of A1's: its five rows join Q2's data (the hash moves); the ruleset does not name them, so the scores stay.
        await w.ImportAsync("""
            id,year,parent,kind,title,unit,lead,leader,due,status,done
            K1,2025,,举措,建成产业园,A1,,,2025-05-15,,

            """);
        var withTask = await RunAsync(withLedger, Mini.Q2, "mini");
        Assert.NotEqual(plain.DataSha256, withTask.DataSha256);
        Assert.Equal(plain.Units.Select(u => (u.Code, u.Total, u.Rank)), withTask.Units.Select(u => (u.Code, u.Total, u.Rank)));
        Assert.Equal(90.5m, withTask.Units.Single(u => u.Code == "A1").Total);
    }

    [Fact]
    public async Task An_upload_carrying_a_derived_id_is_refused_at_its_row_csv_and_xlsx()
    {
        await using var w = await LedgerWorld.CreateAsync();
        var service = new AssessmentService(w.Store, w.Clock, null, ledger: w.Ledger);
        var csv = "unit,indicator,period,actual,target,baseline\nA1,fai,2025Q1,1,2,\nA1,ledger_overdue,2025Q1,3,,\nA2,ledger_closed_on_time,2025Q1,1,1,\n";

        var e = await Assert.ThrowsAsync<InputRejectedException>(() => service.ImportObservationsAsync(Encoding.UTF8.GetBytes(csv), "obs.csv", "office"));
        Assert.Equal(["obs.csv:3:indicator: 指标 'ledger_overdue' 由任务台账推算，不能上传（运行时自动并入该期数据）",
            "obs.csv:4:indicator: 指标 'ledger_closed_on_time' 由任务台账推算，不能上传（运行时自动并入该期数据）"], e.Errors.Select(x => x.ToString()));

        var xlsx = Xlsx.Write(["unit", "indicator", "period", "actual", "target", "baseline"],
            ["A1", "fai", "2025Q1", "=N:1", "=N:2"],
            ["A2", "ledger_reopened", "2025Q1", "=N:0"]);
        var x = await Assert.ThrowsAsync<InputRejectedException>(() => service.ImportObservationsAsync(xlsx, "obs.xlsx", "office"));
        Assert.Equal(["obs.xlsx:3:indicator: 指标 'ledger_reopened' 由任务台账推算，不能上传（运行时自动并入该期数据）"], x.Errors.Select(y => y.ToString()));
        Assert.Empty(await w.Store.GetObservationsAsync(Q1));
    }
}
