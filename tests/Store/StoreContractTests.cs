using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// The store contract (<see cref="IAssessStore"/>), run against every implementation: each derived class
/// supplies a fresh, empty, initialized store per test.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 8, 1, 0, 0, TimeSpan.Zero);

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

    private static ImportSource Source(string file, string content, int minute = 0) => new(file, Mini.Bytes(content), "office", T0.AddMinutes(minute));

    private static IReadOnlyList<Unit> MiniUnits => DataFiles.ReadUnits(Mini.UnitsCsv, "units.csv").Rows;

    private static IReadOnlyList<Observation> MiniObservations(IReadOnlySet<string> codes) =>
        DataFiles.ReadObservations(Mini.ObservationsCsv, "observations.csv", codes).Rows;

    private async Task SeedAsync()
    {
        await Store.ImportUnitsAsync(2025, MiniUnits, Source("units.csv", Mini.UnitsCsv));
        await Store.ImportObservationsAsync(MiniObservations(MiniUnits.Select(u => u.Code).ToHashSet()), Source("observations.csv", Mini.ObservationsCsv, 1));
        await Store.AddRulesetVersionAsync("mini", Mini.RulesetYaml, Mini.Outline(Mini.RulesetYaml), "author", T0.AddMinutes(2));
    }

    private static EvaluationResult Evaluate(IReadOnlyList<Unit> units, IReadOnlyList<Observation> observations, Period period, int version = 1)
    {
        var loaded = RulesetLoader.Load(Mini.RulesetYaml);
        return Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256), new Dataset(units, observations), period, version);
    }

    [Fact]
    public async Task A_months_plan_round_trips_exactly_and_an_empty_plan_stays_null()
    {
        await Store.ImportUnitsAsync(2025, MiniUnits, Source("units.csv", Mini.UnitsCsv));
        var june = Period.OfMonth(2025, 6);
        // Figures as a month file gives them: a plan with trailing zeros, a tiny and a negative one, none; another month without plans.
        Observation[] month =
        [
            new("A1", "fai", june, 12.50m, 100m, null, 41.6700m),
            new("A1", "rev", june, 3m, null, 2m, 0.0001m),
            new("A2", "fai", june, 7m, 100m, null, -1.5m),
            new("B1", "fai", june, 9m, 100m, null, null),
            new("A1", "fai", Period.OfMonth(2025, 5), 10m, 100m, null, null),
        ];
        await Store.ImportObservationsAsync(month, Source("2025-06.csv", "unit,indicator,period,actual,target,baseline,plan\n…"));

        var read = await Store.GetObservationsAsync(june);
        Assert.Equal(
            [("A1", "fai", "12.50", "41.6700"), ("A1", "rev", "3", "0.0001"), ("A2", "fai", "7", "-1.5"), ("B1", "fai", "9", null)],
            read.Select(o => (o.Unit, o.Indicator, o.Actual.ToString(System.Globalization.CultureInfo.InvariantCulture),
                o.Plan?.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(41.67m, read[0].Plan);
        Assert.Null(Assert.Single(await Store.GetObservationsAsync(Period.OfMonth(2025, 5))).Plan);

        // A re-import of the month replaces a plan, and a figure given again without one loses it.
        Observation[] again = [new("A1", "fai", june, 13m, 100m, null, null), new("B1", "fai", june, 9m, 100m, null, 20m)];
        await Store.ImportObservationsAsync(again, Source("2025-06b.csv", "again", 1));
        var reread = (await Store.GetObservationsAsync(june)).ToDictionary(o => (o.Unit, o.Indicator));
        Assert.Null(reread[("A1", "fai")].Plan);
        Assert.Equal(20m, reread[("B1", "fai")].Plan);
        Assert.Equal(-1.5m, reread[("A2", "fai")].Plan);
    }

    [Fact]
    public async Task The_data_hash_of_stored_figures_ignores_their_plans()
    {
        await Store.ImportUnitsAsync(2025, MiniUnits, Source("units.csv", Mini.UnitsCsv));
        var june = Period.OfMonth(2025, 6);
        await Store.ImportObservationsAsync([new("A1", "fai", june, 12.5m, 100m, null, 41.67m)], Source("a.csv", "a"));
        var withPlan = DataHash.Compute(new Dataset(await Store.GetUnitsAsync(2025), await Store.GetObservationsAsync(june)), UnitLevel.County, june);
        await Store.ImportObservationsAsync([new("A1", "fai", june, 12.5m, 100m, null, null)], Source("b.csv", "b", 1));
        var withoutPlan = DataHash.Compute(new Dataset(await Store.GetUnitsAsync(2025), await Store.GetObservationsAsync(june)), UnitLevel.County, june);
        Assert.Null(Assert.Single(await Store.GetObservationsAsync(june)).Plan);
        Assert.Equal(withoutPlan, withPlan);
    }

    [Fact]
    public async Task Initializing_twice_keeps_the_data()
    {
        await Store.ImportUnitsAsync(2025, MiniUnits, Source("units.csv", Mini.UnitsCsv));
        await Store.InitializeAsync();
        Assert.Equal(5, (await Store.GetUnitsAsync(2025)).Count);
    }

    [Fact]
    public async Task Units_come_back_by_code_with_their_class_and_the_batch_keeps_its_provenance()
    {
        var reversed = MiniUnits.Reverse().ToList();
        var outcome = await Store.ImportUnitsAsync(2025, reversed, Source("units.csv", Mini.UnitsCsv));

        Assert.False(outcome.AlreadyImported);
        var units = await Store.GetUnitsAsync(2025);
        Assert.Equal(["A1", "A2", "B1", "B2", "T1"], units.Select(u => u.Code));
        Assert.Equal(new Unit("T1", "某镇", UnitLevel.Town, "A1", "中心镇"), units[4]);
        Assert.Empty(await Store.GetUnitsAsync(2024));
        var batch = Assert.Single(await Store.ListImportsAsync());
        Assert.Equal(outcome.Batch, batch);
        Assert.Equal((ImportKind.Units, 2025, "units.csv", 5, "office", T0), (batch.Kind, batch.Year, batch.FileName, batch.RowCount, batch.Actor, batch.At));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Mini.Bytes(Mini.UnitsCsv))), batch.Sha256);
        Assert.Equal(Mini.Bytes(Mini.UnitsCsv), await Store.GetImportFileAsync(batch.Id));
    }

    [Fact]
    public async Task Reimporting_the_same_units_file_is_a_no_op_and_another_file_replaces_the_year()
    {
        var first = await Store.ImportUnitsAsync(2025, MiniUnits, Source("units.csv", Mini.UnitsCsv));
        var again = await Store.ImportUnitsAsync(2025, MiniUnits, Source("units-copy.csv", Mini.UnitsCsv, 5));

        Assert.True(again.AlreadyImported);
        Assert.Equal(first.Batch, again.Batch);
        Assert.Single(await Store.ListImportsAsync());

        var fewer = MiniUnits.Take(2).ToList();
        var replaced = await Store.ImportUnitsAsync(2025, fewer, Source("units2.csv", "code,name,level,parent,class\nA1,甲一县,county,,甲\nA2,甲二县,county,,甲\n", 6));
        Assert.False(replaced.AlreadyImported);
        Assert.Equal(["A1", "A2"], (await Store.GetUnitsAsync(2025)).Select(u => u.Code));
        Assert.Equal([replaced.Batch.Id, first.Batch.Id], (await Store.ListImportsAsync()).Select(b => b.Id));
    }

    [Fact]
    public async Task Observations_keep_exact_decimals_and_a_later_batch_replaces_the_same_figure()
    {
        await Store.ImportUnitsAsync(2025, MiniUnits, Source("units.csv", Mini.UnitsCsv));
        var q2 = Mini.Q2;
        await Store.ImportObservationsAsync([new Observation("A2", "fai", q2, 12.50m, 0.1m, null), new Observation("A1", "fai", q2, 1.000000000000000000000000001m, null, -3m)],
            Source("a.csv", "a"));
        await Store.ImportObservationsAsync([new Observation("A2", "fai", q2, 13m, null, 7m)], Source("b.csv", "b", 1));

        var stored = await Store.GetObservationsAsync(q2);
        Assert.Equal([new Observation("A1", "fai", q2, 1.000000000000000000000000001m, null, -3m), new Observation("A2", "fai", q2, 13m, null, 7m)], stored);
        Assert.Equal("1.000000000000000000000000001", stored[0].Actual.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(await Store.GetObservationsAsync(Mini.Q3));
    }

    [Fact]
    public async Task An_observations_batch_keeps_the_rows_of_each_period_and_a_units_batch_none()
    {
        await Store.ImportUnitsAsync(2025, MiniUnits, Source("units.csv", Mini.UnitsCsv));
        var q2 = Mini.Q2;
        var outcome = await Store.ImportObservationsAsync([new Observation("A1", "fai", Mini.Q3, 1m, null, null), new Observation("A1", "fai", q2, 1m, null, null),
            new Observation("A2", "fai", q2, 2m, null, null)], Source("a.csv", "a", 1));

        Assert.Equal("2025Q2=2,2025Q3=1", outcome.Batch.Periods);
        Assert.Equal([(q2, 2), (Mini.Q3, 1)], outcome.Batch.PeriodRows());
        var listed = await Store.ListImportsAsync();
        Assert.Equal(outcome.Batch, listed[0]);
        Assert.Equal((ImportKind.Units, (string?)null), (listed[1].Kind, listed[1].Periods));
        Assert.Empty(listed[1].PeriodRows());
        // The same file again answers the first batch, periods and all.
        Assert.Equal(outcome.Batch, (await Store.ImportObservationsAsync([new Observation("A1", "fai", q2, 1m, null, null)], Source("a.csv", "a", 2))).Batch);
    }

    [Fact]
    public async Task Observations_of_units_missing_from_their_year_write_nothing()
    {
        await Store.ImportUnitsAsync(2025, MiniUnits, Source("units.csv", Mini.UnitsCsv));
        var auditBefore = (await Store.GetAuditLogAsync()).Count;

        var e = await Assert.ThrowsAsync<StoreException>(() => Store.ImportObservationsAsync(
            [new Observation("A1", "fai", Mini.Q2, 1m, null, null), new Observation("A1", "fai", Period.OfQuarter(2024, 4), 1m, null, null), new Observation("ZZ", "fai", Mini.Q2, 1m, null, null)],
            Source("bad.csv", "bad")));

        Assert.Equal(StoreError.Invalid, e.Error);
        Assert.Contains("第 2 条", e.Message);
        Assert.Contains("第 3 条", e.Message);
        Assert.DoesNotContain("第 1 条", e.Message);
        Assert.Empty(await Store.GetObservationsAsync(Mini.Q2));
        Assert.Single(await Store.ListImportsAsync());
        Assert.Equal(auditBefore, (await Store.GetAuditLogAsync()).Count);
    }

    [Fact]
    public async Task Concurrent_imports_of_one_period_both_land()
    {
        await Store.ImportUnitsAsync(2025, MiniUnits, Source("units.csv", Mini.UnitsCsv));
        var imports = new[] { "A1", "A2", "B1", "B2" }.Select((code, i) => Task.Run(() => Store.ImportObservationsAsync(
            [new Observation(code, "fai", Mini.Q2, i + 1m, null, null)], Source($"{code}.csv", code, i))));

        await Task.WhenAll(imports);

        Assert.Equal([("A1", 1m), ("A2", 2m), ("B1", 3m), ("B2", 4m)], (await Store.GetObservationsAsync(Mini.Q2)).Select(o => (o.Unit, o.Actual)));
        Assert.Equal(5, (await Store.ListImportsAsync()).Count);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), (await Store.GetAuditLogAsync()).Select(a => a.Sequence));
    }

    [Fact]
    public async Task A_unit_with_thousands_of_figures_in_a_period_round_trips()
    {
        await Store.ImportUnitsAsync(2025, MiniUnits, Source("units.csv", Mini.UnitsCsv));
        // 2,000 figures of one unit and period: far more text than one table property holds (32K characters).
        var many = Enumerable.Range(0, 2000).Select(i => new Observation("A1", $"indicator_{i:D5}", Mini.Q2, i + 0.25m, i * 2m, null)).ToList();

        await Store.ImportObservationsAsync(many, Source("many.csv", "many"));

        Assert.Equal(many, await Store.GetObservationsAsync(Mini.Q2));
    }

    [Fact]
    public async Task Reimporting_the_same_observations_file_is_a_no_op()
    {
        await SeedAsync();
        var codes = MiniUnits.Select(u => u.Code).ToHashSet();
        var again = await Store.ImportObservationsAsync(MiniObservations(codes), Source("observations.csv", Mini.ObservationsCsv, 9));
        Assert.True(again.AlreadyImported);
        Assert.Equal(2, (await Store.ListImportsAsync()).Count);
        Assert.Equal(9, (await Store.GetObservationsAsync(Mini.Q2)).Count);
    }

    [Fact]
    public async Task Ruleset_versions_count_from_one_same_text_adds_none_and_activation_is_per_id()
    {
        var v1 = await Store.AddRulesetVersionAsync("mini", Mini.RulesetYaml, Mini.Outline(Mini.RulesetYaml), "author", T0);
        var same = await Store.AddRulesetVersionAsync("mini", Mini.RulesetYaml, Mini.Outline(Mini.RulesetYaml), "other", T0.AddMinutes(1));
        var v2 = await Store.AddRulesetVersionAsync("mini", Mini.RulesetV2, Mini.Outline(Mini.RulesetV2), "author", T0.AddMinutes(2));
        await Store.AddRulesetVersionAsync("other", "id: other", new BaiQianWan.Assess.Rules.Loading.RulesetOutline(UnitLevel.Town, ["x"]), "author", T0.AddMinutes(3));

        Assert.Equal((1, 1, 2), (v1.Version, same.Version, v2.Version));
        Assert.Equal(RulesetLoader.Sha256Hex(Mini.RulesetYaml), v1.Sha256);
        Assert.Null(await Store.GetActiveRulesetAsync("mini"));

        var active = await Store.ActivateRulesetAsync("mini", 1, "chief", T0.AddMinutes(4));
        Assert.True(active.Active);
        Assert.Equal(1, (await Store.GetActiveRulesetAsync("mini"))!.Version);
        await Store.ActivateRulesetAsync("mini", 2, "chief", T0.AddMinutes(5));
        Assert.Equal(2, (await Store.GetActiveRulesetAsync("mini"))!.Version);
        Assert.Null(await Store.GetActiveRulesetAsync("other"));

        var all = await Store.ListRulesetsAsync();
        Assert.Equal(["mini@1:False", "mini@2:True", "other@1:False"], all.Select(r => $"{r.RulesetId}@{r.Version}:{r.Active}"));
        Assert.Equal(Mini.RulesetV2, (await Store.GetRulesetAsync("mini", 2))!.Yaml);
        Assert.Null(await Store.GetRulesetAsync("mini", 3));
        var missing = await Assert.ThrowsAsync<StoreException>(() => Store.ActivateRulesetAsync("mini", 9, "chief", T0));
        Assert.Equal(StoreError.NotFound, missing.Error);
    }

    [Fact]
    public async Task A_run_goes_from_queued_to_succeeded_with_its_results_and_documents()
    {
        await SeedAsync();
        var run = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0.AddHours(1)));
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal(run, await Store.GetRunAsync(run.Id));

        var started = await Store.StartRunAsync(run.Id, T0.AddHours(2));
        Assert.Equal((RunStatus.Running, T0.AddHours(2)), (started.Status, started.StartedAt));
        var result = Evaluate(await Store.GetUnitsAsync(2025), await Store.GetObservationsAsync(Mini.Q2), Mini.Q2);
        await Store.SaveResultsAsync(run.Id, result);
        await Store.SaveDocumentsAsync(run.Id, [StoredDocument.Of(DocumentKind.Scorecard, "A1", [1, 2, 3]), StoredDocument.Of(DocumentKind.Bulletin, "甲", [4])]);
        await Store.SaveDocumentsAsync(run.Id, [StoredDocument.Of(DocumentKind.Scorecard, "A1", [9, 9])]);
        var done = await Store.CompleteRunAsync(run.Id, RunOutcome.Success, T0.AddHours(3));

        Assert.Equal((RunStatus.Succeeded, result.DataSha256, T0.AddHours(3)), (done.Status, done.DataSha256, done.CompletedAt));
        Assert.Equal(done, await Store.GetRunAsync(run.Id));
        Assert.Equal(ResultsJson.Serialize(result), ResultsJson.Serialize((await Store.GetResultsAsync(run.Id))!));
        var a2 = (await Store.GetUnitResultAsync(run.Id, "A2"))!;
        Assert.Equal((112m, 1, "好"), (a2.Total, a2.Rank, a2.Grade));
        Assert.Null(await Store.GetUnitResultAsync(run.Id, "T1"));
        Assert.Equal([new DocumentInfo(DocumentKind.Scorecard, "A1", StoredDocument.Of(DocumentKind.Scorecard, "A1", [9, 9]).Sha256, 2),
            new DocumentInfo(DocumentKind.Bulletin, "甲", StoredDocument.Of(DocumentKind.Bulletin, "甲", [4]).Sha256, 1)], await Store.ListDocumentsAsync(run.Id));
        Assert.Equal(new byte[] { 9, 9 }, (await Store.GetDocumentAsync(run.Id, DocumentKind.Scorecard, "A1"))!.Content);
        Assert.Null(await Store.GetDocumentAsync(run.Id, DocumentKind.Scorecard, "A2"));
    }

    [Fact]
    public async Task An_idempotency_key_gives_one_run_even_when_asked_concurrently()
    {
        await SeedAsync();
        var request = new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "timer", T0, "timer:2025Q2:county:mini:1");
        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Store.CreateRunAsync(request))));

        Assert.Single(runs.Select(r => r.Id).Distinct());
        Assert.Single(await Store.ListRunsAsync());
        var other = await Store.CreateRunAsync(request with { IdempotencyKey = null });
        Assert.NotEqual(runs[0].Id, other.Id);
        Assert.Equal([other.Id, runs[0].Id], (await Store.ListRunsAsync()).Select(r => r.Id));
        Assert.Equal([other.Id, runs[0].Id], (await Store.ListRunsAsync(Mini.Q2, UnitLevel.County)).Select(r => r.Id));
        Assert.Empty(await Store.ListRunsAsync(Mini.Q3));
        Assert.Empty(await Store.ListRunsAsync(level: UnitLevel.Town));
    }

    [Fact]
    public async Task A_run_of_an_unknown_ruleset_version_is_refused()
    {
        await SeedAsync();
        var e = await Assert.ThrowsAsync<StoreException>(() => Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 7, "office", T0)));
        Assert.Equal(StoreError.NotFound, e.Error);
        Assert.Empty(await Store.ListRunsAsync());
    }

    [Fact]
    public async Task Only_a_running_run_takes_results_and_only_a_run_with_results_succeeds()
    {
        await SeedAsync();
        var run = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0));
        var result = Evaluate(await Store.GetUnitsAsync(2025), await Store.GetObservationsAsync(Mini.Q2), Mini.Q2);

        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Store.SaveResultsAsync(run.Id, result))).Error);
        await Store.StartRunAsync(run.Id, T0);
        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Store.StartRunAsync(run.Id, T0))).Error);
        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Store.CompleteRunAsync(run.Id, RunOutcome.Success, T0))).Error);
        var failed = await Store.CompleteRunAsync(run.Id, RunOutcome.Failure("磁盘已满"), T0.AddMinutes(1));
        Assert.Equal((RunStatus.Failed, "磁盘已满"), (failed.Status, failed.Reason));
        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Store.CompleteRunAsync(run.Id, RunOutcome.Success, T0))).Error);
        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Store.SaveDocumentsAsync(run.Id, []))).Error);
        Assert.Equal(StoreError.NotFound, (await Assert.ThrowsAsync<StoreException>(() => Store.StartRunAsync("run-999999", T0))).Error);
    }

    [Fact]
    public async Task Publishing_switches_the_pointer_and_republishing_an_older_run_is_audited()
    {
        await SeedAsync();
        var units = await Store.GetUnitsAsync(2025);
        var observations = await Store.GetObservationsAsync(Mini.Q2);
        async Task<EvaluationRun> SucceededRun(int hour)
        {
            var run = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0.AddHours(hour)));
            await Store.StartRunAsync(run.Id, T0.AddHours(hour));
            await Store.SaveResultsAsync(run.Id, Evaluate(units, observations, Mini.Q2), "run-000000");
            return await Store.CompleteRunAsync(run.Id, RunOutcome.Success, T0.AddHours(hour));
        }
        var first = await SucceededRun(1);
        var second = await SucceededRun(2);
        Assert.Equal("run-000000", first.PreviousRunId);
        Assert.Null(await Store.GetPublicationAsync(Mini.Q2, UnitLevel.County));

        var p1 = await Store.PublishAsync(first.Id, "chief", T0.AddHours(3));
        var p2 = await Store.PublishAsync(second.Id, "chief", T0.AddHours(4));
        var p3 = await Store.PublishAsync(first.Id, "deputy", T0.AddHours(5));

        Assert.Equal(new Publication(Mini.Q2, UnitLevel.County, first.Id, "chief", T0.AddHours(3), 1), p1);
        Assert.Equal(2, p2.Revision);
        Assert.Equal(new Publication(Mini.Q2, UnitLevel.County, first.Id, "deputy", T0.AddHours(5), 3), await Store.GetPublicationAsync(Mini.Q2, UnitLevel.County));
        Assert.Null(await Store.GetPublicationAsync(Mini.Q2, UnitLevel.Town));
        var publishes = (await Store.GetAuditLogAsync()).Where(a => a.Action is "publish" or "republish").ToList();
        Assert.Equal([("publish", first.Id, "chief"), ("republish", second.Id, "chief"), ("republish", first.Id, "deputy")],
            publishes.Select(a => (a.Action, a.Target, a.Actor)));
        Assert.Contains($"replaces={second.Id}", publishes[2].Detail);
    }

    [Fact]
    public async Task Publication_times_follow_revision_order_when_a_racing_publisher_read_the_clock_earlier()
    {
        // Issue 14 row 10: two publishers read the clock (10:00:02, then 10:00:01) and were serialized the other way.
        await SeedAsync();
        var units = await Store.GetUnitsAsync(2025);
        var observations = await Store.GetObservationsAsync(Mini.Q2);
        var run = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0));
        await Store.StartRunAsync(run.Id, T0);
        await Store.SaveResultsAsync(run.Id, Evaluate(units, observations, Mini.Q2), null);
        await Store.CompleteRunAsync(run.Id, RunOutcome.Success, T0);

        var first = await Store.PublishAsync(run.Id, "chief", T0.AddHours(1).AddSeconds(2));
        var second = await Store.PublishAsync(run.Id, "deputy", T0.AddHours(1).AddSeconds(1));

        Assert.Equal((1, T0.AddHours(1).AddSeconds(2)), (first.Revision, first.At));
        Assert.Equal((2, T0.AddHours(1).AddSeconds(2)), (second.Revision, second.At));
        Assert.Equal(second, await Store.GetPublicationAsync(Mini.Q2, UnitLevel.County));
        var audited = (await Store.GetAuditLogAsync()).Where(a => a.Action is "publish" or "republish").Select(a => a.At).ToList();
        Assert.Equal([T0.AddHours(1).AddSeconds(2), T0.AddHours(1).AddSeconds(2)], audited);
    }

    [Fact]
    public async Task Runs_that_did_not_succeed_cannot_be_published()
    {
        await SeedAsync();
        var queued = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0));
        var running = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0));
        await Store.StartRunAsync(running.Id, T0);
        await Store.SaveResultsAsync(running.Id, Evaluate(await Store.GetUnitsAsync(2025), await Store.GetObservationsAsync(Mini.Q2), Mini.Q2));
        var failed = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0));
        await Store.CompleteRunAsync(failed.Id, RunOutcome.Failure("x"), T0);

        foreach (var id in new[] { queued.Id, running.Id, failed.Id })
            Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Store.PublishAsync(id, "chief", T0))).Error);
        Assert.Equal(StoreError.NotFound, (await Assert.ThrowsAsync<StoreException>(() => Store.PublishAsync("run-424242", "chief", T0))).Error);
        Assert.Null(await Store.GetPublicationAsync(Mini.Q2, UnitLevel.County));
    }

    // ---- the queries callers need instead of scans ----

    private async Task<EvaluationRun> RunWithResultsAsync(Period period, DateTimeOffset at, Func<EvaluationResult, EvaluationResult>? shape = null,
        bool succeed = true, string? key = null)
    {
        var run = await Store.CreateRunAsync(new RunRequest(period, UnitLevel.County, "mini", 1, "office", at, key));
        await Store.StartRunAsync(run.Id, at);
        var result = Evaluate(await Store.GetUnitsAsync(2025), await Store.GetObservationsAsync(Mini.Q2), Mini.Q2);
        await Store.SaveResultsAsync(run.Id, shape is null ? result : shape(result));
        return succeed ? await Store.CompleteRunAsync(run.Id, RunOutcome.Success, at) : (await Store.GetRunAsync(run.Id))!;
    }

    [Fact]
    public async Task A_run_is_found_by_its_idempotency_key()
    {
        await SeedAsync();
        var keyed = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "timer", T0, "timer:2025Q2:county:mini:1"));
        var plain = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0.AddMinutes(1)));
        var started = await Store.StartRunAsync(keyed.Id, T0.AddMinutes(2));

        Assert.Equal(started, await Store.FindRunByIdempotencyKeyAsync("timer:2025Q2:county:mini:1"));
        Assert.Null(await Store.FindRunByIdempotencyKeyAsync("timer:2025Q3:county:mini:1"));
        Assert.Null(await Store.FindRunByIdempotencyKeyAsync(""));
        Assert.NotEqual(plain.Id, keyed.Id);
    }

    [Fact]
    public async Task Unfinished_runs_are_the_queued_and_running_ones_newest_first()
    {
        await SeedAsync();
        var failed = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0));
        await Store.StartRunAsync(failed.Id, T0);
        await Store.CompleteRunAsync(failed.Id, RunOutcome.Failure("磁盘已满"), T0.AddMinutes(1));
        var queued = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0.AddMinutes(2)));
        var running = await Store.CreateRunAsync(new RunRequest(Mini.Q3, UnitLevel.County, "mini", 1, "office", T0.AddMinutes(3)));
        await Store.StartRunAsync(running.Id, T0.AddMinutes(4));
        var succeeded = await RunWithResultsAsync(Mini.Q2, T0.AddMinutes(5));
        var queuedLast = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0.AddMinutes(6)));

        var unfinished = await Store.ListUnfinishedRunsAsync();

        Assert.Equal([queuedLast.Id, running.Id, queued.Id], unfinished.Select(r => r.Id));
        Assert.Equal([RunStatus.Queued, RunStatus.Running, RunStatus.Queued], unfinished.Select(r => r.Status));
        Assert.Equal((await Store.GetRunAsync(running.Id))!, unfinished[1]);
        Assert.Equal(RunStatus.Succeeded, succeeded.Status);
        // The oracle: the full listing filtered by hand.
        Assert.Equal((await Store.ListRunsAsync()).Where(r => r.Status is RunStatus.Queued or RunStatus.Running), unfinished);
    }

    [Fact]
    public async Task Units_used_by_the_runs_of_a_year_name_the_newest_run_with_a_result_for_each()
    {
        await SeedAsync();
        // The oldest run has results for all four counties; a newer one for A1 and B2 only; a newer one failed after saving
        // results for A2 alone; a queued run (no results) and a run of another year count for nothing.
        var all = await RunWithResultsAsync(Mini.Q2, T0.AddHours(1));
        var some = await RunWithResultsAsync(Mini.Q3, T0.AddHours(2), r => r with { Units = [.. r.Units.Where(u => u.Code is "A1" or "B2")] });
        var failed = await RunWithResultsAsync(Mini.Q2, T0.AddHours(3), r => r with { Units = [.. r.Units.Where(u => u.Code is "A2")] }, succeed: false);
        await Store.CompleteRunAsync(failed.Id, RunOutcome.Failure("渲染失败"), T0.AddHours(3));
        await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0.AddHours(4)));
        var otherYear = await RunWithResultsAsync(Period.OfQuarter(2024, 4), T0.AddHours(5));

        var used = await Store.ListUnitsUsedByRunsAsync(2025);

        Assert.Equal([new UnitUse("A1", some.Id), new UnitUse("A2", failed.Id), new UnitUse("B1", all.Id), new UnitUse("B2", some.Id)], used);
        Assert.Equal(["A1", "A2", "B1", "B2"], (await Store.ListUnitsUsedByRunsAsync(2024)).Select(u => u.UnitCode));
        Assert.All(await Store.ListUnitsUsedByRunsAsync(2024), u => Assert.Equal(otherYear.Id, u.RunId));
        Assert.Empty(await Store.ListUnitsUsedByRunsAsync(2026));
    }

    [Fact]
    public async Task Publications_are_listed_with_their_runs_newest_first()
    {
        await SeedAsync();
        Assert.Empty(await Store.ListPublicationsAsync());
        var q2 = await RunWithResultsAsync(Mini.Q2, T0.AddHours(1));
        var q3 = await RunWithResultsAsync(Mini.Q3, T0.AddHours(2));
        var q2again = await RunWithResultsAsync(Mini.Q2, T0.AddHours(3));
        var year = await RunWithResultsAsync(Period.OfYear(2025), T0.AddHours(4));
        await RunWithResultsAsync(Period.OfQuarter(2025, 1), T0.AddHours(5)); // never published
        var p2 = await Store.PublishAsync(q2.Id, "chief", T0.AddHours(6));
        var p3 = await Store.PublishAsync(q3.Id, "chief", T0.AddHours(7));
        var p2again = await Store.PublishAsync(q2again.Id, "deputy", T0.AddHours(8));
        // Published at the same time as Q3's republication would sort by period: the year after 2025Q3.
        var pYear = await Store.PublishAsync(year.Id, "chief", T0.AddHours(7));

        var list = await Store.ListPublicationsAsync();

        Assert.Equal([new PublishedRun(p2again, q2again), new PublishedRun(pYear, year), new PublishedRun(p3, q3)], list);
        Assert.Equal(2, p2again.Revision);
        Assert.Equal(p2.At, T0.AddHours(6));
        Assert.Equal(await Store.GetPublicationAsync(Mini.Q2, UnitLevel.County), list[0].Publication);
    }

    [Fact]
    public async Task Ruleset_versions_are_listed_without_their_texts_as_the_full_listing_has_them()
    {
        await SeedAsync();
        var second = await Store.AddRulesetVersionAsync("mini", Mini.RulesetYaml + "\n# v2\n", Mini.Outline(Mini.RulesetYaml), "author2", T0.AddHours(1));
        await Store.ActivateRulesetAsync("mini", 2, "office", T0.AddHours(2));

        var infos = await Store.ListRulesetVersionsAsync();

        Assert.Equal([("mini", 1, false), ("mini", 2, true)], infos.Select(v => (v.RulesetId, v.Version, v.Active)));
        Assert.Equal((second.Sha256, "author2", T0.AddHours(1)), (infos[1].Sha256, infos[1].Author, infos[1].CreatedAt));
        static object Key(RulesetVersionInfo v) => (v.RulesetId, v.Version, v.Sha256, v.Author, v.CreatedAt, v.Active, v.Level, string.Join("|", v.Classes));
        Assert.Equal((await Store.ListRulesetsAsync()).Select(v => Key(v.Info)), infos.Select(Key));
        Assert.NotEmpty(infos[0].Classes);
    }

    [Fact]
    public async Task The_audit_log_numbers_every_change_from_one_in_order()
    {
        await SeedAsync();
        await Store.ActivateRulesetAsync("mini", 1, "chief", T0.AddMinutes(3));
        var run = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0.AddMinutes(4)));
        await Store.CompleteRunAsync(run.Id, RunOutcome.Failure("停止"), T0.AddMinutes(5));

        var log = await Store.GetAuditLogAsync();
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(a => a.Sequence));
        Assert.Equal(["import.units", "import.observations", "ruleset.add", "ruleset.activate", "run.create", "run.failed"], log.Select(a => a.Action));
        Assert.Equal(["2025", "mini@1", "mini@1", run.Id, run.Id], log.Where(a => a.Action != "import.observations").Select(a => a.Target));
        Assert.Equal([T0, T0.AddMinutes(1), T0.AddMinutes(2), T0.AddMinutes(3), T0.AddMinutes(4), T0.AddMinutes(5)], log.Select(a => a.At));
        Assert.Equal("停止", log[^1].Detail);
        Assert.Contains("units.csv", log[0].Detail);
    }
}
