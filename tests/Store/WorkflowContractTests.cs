using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// The office workflow (<see cref="AssessmentService"/>) on every store implementation: imports that reject
/// whole files, runs that succeed only with every document, runs that die midway, publication and exports.
/// </summary>
public abstract class WorkflowContractTests : IAsyncLifetime
{
    protected IAssessStore Store { get; private set; } = null!;

    /// <summary>A new empty store, initialized.</summary>
    protected abstract Task<IAssessStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await CleanupAsync();
    }

    /// <summary>Removes what <see cref="CreateStoreAsync"/> made (files, containers).</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    private AssessmentService Service(IDocumentRenderer? renderer = null) => new(Store, new TestClock(), renderer ?? new TestRenderer());

    private static async Task<AssessmentService> SeededAsync(AssessmentService service, bool activate = true)
    {
        await service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        var v = await service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        if (activate) await service.ActivateRulesetAsync("mini", v.Version, "chief");
        return service;
    }

    private async Task<(int Imports, int Audit, int Observations)> SnapshotAsync() =>
        ((await Store.ListImportsAsync()).Count, (await Store.GetAuditLogAsync()).Count, (await Store.GetObservationsAsync(Mini.Q2)).Count);

    [Fact]
    public async Task A_bad_observations_file_changes_nothing_and_names_every_bad_row()
    {
        var service = await SeededAsync(Service());
        var before = await SnapshotAsync();
        const string bad = """
            unit,indicator,period,actual,target,baseline
            A1,fai,2025Q2,51,50,
            ZZ,fai,2025Q2,1,,
            A2,rev,2025Q5,1,,
            B1,fai,2025Q2,1.2.3,,
            A1,fai,2025Q2,52,50,
            A1,fai,2024Q4,1,,

            """;

        var e = await Assert.ThrowsAsync<InputRejectedException>(() => service.ImportObservationsAsync(Mini.Bytes(bad), "/tmp/q2.csv", "office"));

        Assert.Equal([
            "q2.csv:3:unit: 未知的单位 'ZZ'",
            "q2.csv:4:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025Q5'",
            "q2.csv:5:actual: '1.2.3' 不是数值（小数点用 .，不要千分位和单位）",
            "q2.csv:6:indicator: 重复的数据：单位 'A1'、指标 'fai'、期间 2025Q2 已在前面出现",
            "q2.csv:7:unit: 单位 'A1' 不在 2024 年的单位名单中"], e.Errors.Select(x => x.ToString()));
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(50m, (await Store.GetObservationsAsync(Mini.Q2)).Single(o => o is { Unit: "A1", Indicator: "fai" }).Actual);
    }

    [Fact]
    public async Task A_bad_units_file_and_a_bad_ruleset_are_rejected_with_positions()
    {
        var service = Service();
        var units = await Assert.ThrowsAsync<InputRejectedException>(() => service.ImportUnitsAsync(2025,
            Mini.Bytes("code,name,level,parent,class\nA1,甲一县,county,,甲\nA 2,,province,,甲\n"), "units.csv", "office"));
        Assert.Equal(["units.csv:3:code: 单位代码 'A 2' 不合规（只能是 1–32 位字母、数字、_ 或 -）", "units.csv:3:name: 单位名称不能为空",
            "units.csv:3:level: 层级应为 city、county、town 或 village，这里是 'province'"], units.Errors.Select(x => x.ToString()));

        var ruleset = await Assert.ThrowsAsync<InputRejectedException>(() => service.AddRulesetAsync(Mini.RulesetYaml.Replace("weight: 40", "weight: -4"), "mini.yaml", "author"));
        var error = Assert.Single(ruleset.Errors);
        Assert.Equal(("mini.yaml", 20, "17"), (error.File, error.Row, error.Column));
        Assert.Empty(await Store.ListRulesetsAsync());
        Assert.Empty(await Store.ListImportsAsync());
        Assert.Empty(await Store.GetAuditLogAsync());
    }

    [Fact]
    public async Task A_run_evaluates_renders_every_document_and_succeeds()
    {
        var renderer = new TestRenderer();
        var service = await SeededAsync(Service(renderer));
        var stages = new List<RunProgress>();

        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office", batchSize: 3, progress: new SyncProgress(stages));

        Assert.Equal((RunStatus.Succeeded, null, 1), (run.Status, run.Reason, run.RulesetVersion));
        Assert.Equal(2, renderer.ScorecardBatches); // 4 units in batches of 3
        var result = (await Store.GetResultsAsync(run.Id))!;
        Assert.Equal([("A2", 112m, 1, "好"), ("A1", 90.5m, 2, "一般"), ("B2", 80m, 1, "好"), ("B1", 70m, 2, "一般")],
            result.Units.Select(u => (u.Code, u.Total, u.Rank, u.Grade)));
        Assert.Equal(["scorecard:A1", "scorecard:A2", "scorecard:B1", "scorecard:B2", "bulletin:乙", "bulletin:甲"],
            (await Store.ListDocumentsAsync(run.Id)).Select(d => $"{d.Kind.ToString().ToLowerInvariant()}:{d.Key}"));
        var a1 = TestRenderer.Read((await Store.GetDocumentAsync(run.Id, DocumentKind.Scorecard, "A1"))!);
        Assert.Equal($"run={run.Id} at={run.RequestedAt:O} sample=False\nscorecard A1 甲一县 甲 total=90.5 rank=2/2 grade=一般 previousRank=-\n", a1);
        Assert.Equal(new RenderProgress(4, 4, 2, 2), await service.GetRenderProgressAsync(run));
        Assert.Contains(new RunProgress("scorecards", 4, 4), stages);
    }

    [Fact]
    public async Task A_run_whose_renderer_throws_on_the_third_batch_fails_and_cannot_be_published()
    {
        var service = await SeededAsync(Service(new TestRenderer(failOnScorecardBatch: 3)));

        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office", batchSize: 1);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("InvalidOperationException: 渲染失败（第 3 批）", run.Reason);
        Assert.Equal(2, (await Store.ListDocumentsAsync(run.Id)).Count);
        var e = await Assert.ThrowsAsync<StoreException>(() => service.PublishAsync(run.Id, "chief"));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Null(await Store.GetPublicationAsync(Mini.Q2, UnitLevel.County));
        Assert.Contains(await Store.GetAuditLogAsync(), a => a.Action == "run.failed" && a.Target == run.Id);
    }

    [Fact]
    public async Task A_run_stopped_after_evaluation_stays_running_and_is_never_published()
    {
        var service = await SeededAsync(Service());
        var earlier = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        await service.PublishAsync(earlier.Id, "chief");

        // The process dies after saving results and one batch of scorecards: the steps the hosted app and its queue take.
        var (run, batches) = await service.Runs.With(new RunOptions { BatchSize = 2 }).QueueAsync(Mini.Q2, UnitLevel.County, "office");
        Assert.Equal([["A2", "A1"], ["B2", "B1"]], batches.Select(b => b.Units.ToArray()));
        Assert.Equal(RunStatus.Running, (await service.Runs.RenderAsync(batches[0])).Status);

        Assert.Equal(RunStatus.Running, (await Store.GetRunAsync(run.Id))!.Status);
        Assert.Equal(new RenderProgress(4, 2, 2, 0), await service.GetRenderProgressAsync((await Store.GetRunAsync(run.Id))!));
        await Assert.ThrowsAsync<StoreException>(() => service.PublishAsync(run.Id, "chief"));
        Assert.Equal(earlier.Id, (await Store.GetPublicationAsync(Mini.Q2, UnitLevel.County))!.RunId);

        // A later worker (another process) picks the last batch up and finishes the run: scorecards, bulletins, completion.
        var later = Service();
        Assert.Equal(RunStatus.Succeeded, (await later.Runs.RenderAsync(batches[1])).Status);
        Assert.Equal(new RenderProgress(4, 4, 2, 2), await later.GetRenderProgressAsync((await Store.GetRunAsync(run.Id))!));
    }

    [Fact]
    public async Task A_quarter_compares_with_the_published_quarter_before_and_re_renders_byte_identically()
    {
        var service = await SeededAsync(Service());
        var q2 = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        await service.PublishAsync(q2.Id, "chief");
        var q3 = await service.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        await service.PublishAsync(q3.Id, "chief");

        Assert.Null(q2.PreviousRunId);
        Assert.Equal(q2.Id, (await Store.GetRunAsync(q3.Id))!.PreviousRunId);
        // A1 was 2nd of 甲 in Q2 and is 1st in Q3.
        Assert.EndsWith("scorecard A1 甲一县 甲 total=112 rank=1/2 grade=好 previousRank=2\n",
            TestRenderer.Read((await Store.GetDocumentAsync(q3.Id, DocumentKind.Scorecard, "A1"))!));

        // Q2 is re-run and re-published; Q3's documents still compare with the Q2 run they were made from.
        var q2again = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        await service.PublishAsync(q2again.Id, "chief");
        var rendered = await service.RerenderAsync(q3.Id);
        Assert.Equal(6, rendered.Count);
        foreach (var document in rendered)
        {
            var stored = (await Store.GetDocumentAsync(q3.Id, document.Kind, document.Key))!;
            Assert.Equal(stored.Content, document.Content);
            Assert.Equal(stored.Sha256, document.Sha256);
        }
    }

    [Fact]
    public async Task A_rule_failing_in_its_action_fails_the_run_naming_rule_unit_and_line_and_stores_no_results()
    {
        var service = await SeededAsync(Service());
        // fai's weight at decimal's limit: its maximum, weight × cap 1.2, is beyond a decimal's range.
        var broken = await service.AddRulesetAsync(Mini.RulesetYaml.Replace("weight: 60", "weight: 79228162514264337593543950335"), "mini.yaml", "author");
        await service.ActivateRulesetAsync("mini", broken.Version, "chief");
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");

        var failed = (await Store.GetRunAsync(run.Id))!;
        Assert.Equal(failed, run);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("规则 indicator:fai（规则集第 10 行）在单位 A1（甲）上执行失败：数值超出范围", failed.Reason);
        Assert.Null(await Store.GetResultsAsync(run.Id));
        Assert.Empty(await Store.ListDocumentsAsync(run.Id));
    }

    [Fact]
    public async Task Activating_a_new_version_leaves_earlier_runs_as_they_were()
    {
        var service = await SeededAsync(Service());
        var v1run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        var v2 = await service.AddRulesetAsync(Mini.RulesetV2, "mini.yaml", "author");
        await service.ActivateRulesetAsync("mini", v2.Version, "chief");
        var v2run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");

        Assert.Equal((1, 2), ((await Store.GetRunAsync(v1run.Id))!.RulesetVersion, v2run.RulesetVersion));
        Assert.Equal(90.5m, (await Store.GetUnitResultAsync(v1run.Id, "A1"))!.Total);
        // v2: A1 fai 50/50 × 50 = 50, rev 30/40 × 50 = 37.5, honor 0.5: 88.
        Assert.Equal(88m, (await Store.GetUnitResultAsync(v2run.Id, "A1"))!.Total);
        Assert.Equal(1, (await Store.GetResultsAsync(v1run.Id))!.Ruleset.Version);
    }

    [Fact]
    public async Task A_preview_compares_a_draft_version_with_the_active_one_without_writing()
    {
        var service = await SeededAsync(Service());
        var v2 = await service.AddRulesetAsync(Mini.RulesetV2, "mini.yaml", "author");
        var audit = (await Store.GetAuditLogAsync()).Count;

        var preview = await service.PreviewAsync("mini", v2.Version, Mini.Q2);

        Assert.Equal((2, 1), (preview.Version, preview.ActiveVersion));
        // v2: A2 fai 1.2 × 50 = 60 + rev 50 = 110 (was 112); B1 25/50 × 50 = 25 + 50 = 75 (was 70); B2 50 + 25 = 75 (was 80).
        var rows = preview.Rows.ToDictionary(r => r.Code);
        Assert.Equal((110m, 112m, -2m, 0), (rows["A2"].Total, rows["A2"].ActiveTotal, rows["A2"].TotalChange, rows["A2"].RankChange));
        Assert.Equal((75m, 1, 2, 1), (rows["B1"].Total, rows["B1"].Rank, rows["B1"].ActiveRank, rows["B1"].RankChange));
        Assert.Equal((75m, 1, 0), (rows["B2"].Total, rows["B2"].Rank, rows["B2"].RankChange));
        Assert.Equal(audit, (await Store.GetAuditLogAsync()).Count);
        Assert.Empty(await Store.ListRunsAsync());
    }

    [Fact]
    public async Task Requests_are_checked_against_the_ruleset_level_and_the_units_of_the_year()
    {
        var service = await SeededAsync(Service());
        Assert.Equal(StoreError.Invalid, (await Assert.ThrowsAsync<StoreException>(() => service.RunAsync(Mini.Q2, UnitLevel.Town, "mini", null, "office"))).Error);
        Assert.Equal(StoreError.Invalid, (await Assert.ThrowsAsync<StoreException>(() => service.RunAsync(Period.OfQuarter(2026, 1), UnitLevel.County, "mini", null, "office"))).Error);
        Assert.Equal(StoreError.NotFound, (await Assert.ThrowsAsync<StoreException>(() => service.RunAsync(Mini.Q2, UnitLevel.County, "nope", null, "office"))).Error);
        Assert.Empty(await Store.ListRunsAsync());
    }

    [Fact]
    public async Task Export_writes_the_published_documents_of_a_period_by_level()
    {
        var service = await SeededAsync(Service());
        var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office", sample: true);
        await service.PublishAsync(run.Id, "chief");
        var directory = Path.Combine(Path.GetTempPath(), "bqw-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            var summary = await service.ExportPublishedAsync(Mini.Q2, directory);

            Assert.Equal(run.Id, summary.Runs[UnitLevel.County]);
            Assert.Equal(["county/scorecards/A1.pdf", "county/scorecards/A2.pdf", "county/scorecards/B1.pdf", "county/scorecards/B2.pdf",
                "county/bulletins/乙.pdf", "county/bulletins/甲.pdf"], summary.Files);
            var bulletin = File.ReadAllText(Path.Combine(directory, "county", "bulletins", "甲.pdf"), Encoding.UTF8);
            Assert.Equal($"run={run.Id} at={run.RequestedAt:O} sample=True\nbulletin 甲 A2:1 A1:2\n", bulletin);
            await Assert.ThrowsAsync<StoreException>(() => service.ExportPublishedAsync(Mini.Q3, directory));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class SyncProgress(List<RunProgress> list) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => list.Add(value);
    }
}
