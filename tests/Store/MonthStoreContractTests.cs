using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Monitors and month runs in the store contract, on every implementation: a version knows its slot (quarterly ruleset or
/// monitor), a level has one active version per slot (a monitor beside its scoring ruleset, a second monitor refused or
/// replacing the first, audited), and a month run keeps its MonthResult apart from scoring results.
/// </summary>
public abstract class MonthStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 7, 10, 2, 0, 0, TimeSpan.Zero);

    protected IAssessStore Store { get; private set; } = null!;

    /// <summary>A new empty store, initialized.</summary>
    protected abstract Task<IAssessStore> CreateStoreAsync();

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await CleanupAsync();
    }

    private Task<RulesetVersion> AddMonitorAsync(string yaml, int minute = 0) =>
        Store.AddRulesetVersionAsync(MonitorLoader.Load(yaml).Monitor!.Id, yaml, MiniMonth.Outline(yaml), "author", T0.AddMinutes(minute));

    private Task<RulesetVersion> AddRulesetAsync(string yaml, int minute = 0) =>
        Store.AddRulesetVersionAsync(RulesetLoader.Load(yaml).Ruleset!.Id, yaml, Mini.Outline(yaml), "author", T0.AddMinutes(minute));

    private async Task<string[]> ActiveAsync() =>
        [.. (await Store.ListRulesetVersionsAsync()).Where(r => r.Active).Select(r => $"{r.Level.ToText()}:{r.Slot.ToText()}:{r.RulesetId}@{r.Version}")];

    [Fact]
    public async Task A_monitor_is_stored_with_its_slot_and_is_active_beside_the_levels_scoring_ruleset()
    {
        var ruleset = await AddRulesetAsync(Mini.RulesetYaml);
        var monitor = await AddMonitorAsync(MiniMonth.MonitorYaml, 1);
        Assert.Equal((RulesetSlot.Quarter, false), (ruleset.Slot, ruleset.IsMonitor));
        Assert.Equal((RulesetSlot.Monitor, true, UnitLevel.County, "甲,乙"), (monitor.Slot, monitor.IsMonitor, monitor.Level, string.Join(",", monitor.Classes)));

        await Store.ActivateRulesetAsync("mini", 1, "chief", T0.AddMinutes(2));
        // Same level, another slot: no conflict, no replace needed.
        var active = await Store.ActivateRulesetAsync("mini-monthly", 1, "chief", T0.AddMinutes(3));

        Assert.Equal((true, RulesetSlot.Monitor), (active.Active, active.Slot));
        Assert.Equal(["county:quarter:mini@1", "county:monitor:mini-monthly@1"], await ActiveAsync());
        // Every read gives the slot: one version, the active one, the listing with texts.
        Assert.Equal(RulesetSlot.Monitor, (await Store.GetRulesetAsync("mini-monthly", 1))!.Slot);
        Assert.Equal(RulesetSlot.Monitor, (await Store.GetActiveRulesetAsync("mini-monthly"))!.Slot);
        Assert.Equal(["mini:Quarter", "mini-monthly:Monitor"], (await Store.ListRulesetsAsync()).Select(r => $"{r.RulesetId}:{r.Slot}"));
        Assert.Equal(RulesetSlot.Monitor, (await Store.GetRulesetAsync("mini-monthly", 1))!.Info.Slot);
        // The add is audited with its slot; a quarterly ruleset's entry reads as it always did.
        var audit = (await Store.GetAuditLogAsync()).Select(e => $"{e.Action} {e.Target} {e.Detail}").ToList();
        Assert.Equal($"ruleset.add mini-monthly@1 sha256={monitor.Sha256} slot=monitor", audit[1]);
        Assert.Equal($"ruleset.add mini@1 sha256={ruleset.Sha256}", audit[0]);
    }

    [Fact]
    public async Task A_second_monitor_for_a_level_is_refused_naming_the_active_one_and_replace_deactivates_it_audited()
    {
        await AddRulesetAsync(Mini.RulesetYaml);
        await AddMonitorAsync(MiniMonth.MonitorYaml, 1);
        var other = MiniMonth.MonitorYaml.Replace("id: mini-monthly", "id: other-monthly");
        await AddMonitorAsync(other, 2);
        await Store.ActivateRulesetAsync("mini", 1, "chief", T0.AddMinutes(3));
        await Store.ActivateRulesetAsync("mini-monthly", 1, "chief", T0.AddMinutes(4));
        var before = (await Store.GetAuditLogAsync()).Count;

        var refused = await Assert.ThrowsAsync<StoreException>(() => Store.ActivateRulesetAsync("other-monthly", 1, "chief", T0.AddMinutes(5)));

        Assert.Equal(StoreError.Conflict, refused.Error);
        Assert.StartsWith("县（市、区）层级已启用月度监测 mini-monthly@1，每个层级只能启用一个月度监测；", refused.Message);
        Assert.Equal(["county:quarter:mini@1", "county:monitor:mini-monthly@1"], await ActiveAsync());
        Assert.Equal(before, (await Store.GetAuditLogAsync()).Count);

        await Store.ActivateRulesetAsync("other-monthly", 1, "chief", T0.AddMinutes(6), replace: true);

        // The scoring ruleset stays: only the monitor slot changed hands.
        Assert.Equal(["county:quarter:mini@1", "county:monitor:other-monthly@1"], await ActiveAsync());
        var audit = (await Store.GetAuditLogAsync()).Skip(before).Select(e => $"{e.Actor} {e.Action} {e.Target} {e.Detail}").ToList();
        Assert.Equal("chief ruleset.deactivate mini-monthly@1 level=county slot=monitor replaced-by=other-monthly@1", audit[0]);
        Assert.StartsWith("chief ruleset.activate other-monthly@1 sha256=", audit[1]);
        Assert.EndsWith(" replaces=mini-monthly@1", audit[1]);
        Assert.Equal(2, audit.Count);
    }

    [Fact]
    public async Task A_month_run_keeps_its_month_result_byte_for_byte_apart_from_scoring_results_and_completes()
    {
        await AddMonitorAsync(MiniMonth.MonitorYaml);
        var monitor = MonitorLoader.Load(MiniMonth.MonitorYaml).Monitor!;
        var units = new[]
        {
            new Unit("A1", "甲一县", UnitLevel.County, null, "甲"), new Unit("A2", "甲二县", UnitLevel.County, null, "甲"),
            new Unit("B1", "乙一县", UnitLevel.County, null, "乙"), new Unit("B2", "乙二县", UnitLevel.County, null, "乙"),
        };
        Observation Row(string unit, int month, decimal actual) => new(unit, "fai", Period.OfMonth(2025, month), actual, 100m, null);
        var rows = new[] { Row("A1", 5, 45), Row("A2", 5, 40), Row("B1", 5, 30), Row("B2", 5, 42), Row("A1", 6, 60), Row("A2", 6, 45), Row("B1", 6, 35), Row("B2", 6, 50) };
        var result = MonitorEvaluator.Evaluate(CompiledMonitor.Compile(monitor, MonitorLoader.Load(MiniMonth.MonitorYaml).Sha256), new Dataset(units, rows), MiniMonth.June, 1);
        var run = await Store.CreateRunAsync(new RunRequest(MiniMonth.June, UnitLevel.County, "mini-monthly", 1, "office", T0));
        Assert.Equal(MiniMonth.June, run.Period);

        await Store.StartRunAsync(run.Id, T0.AddSeconds(1));
        Assert.Null(await Store.GetMonthResultsAsync(run.Id));
        await Store.SaveMonthResultsAsync(run.Id, result);

        var saved = (await Store.GetRunAsync(run.Id))!;
        Assert.Equal((result.DataSha256, 4, 1, (string?)null), (saved.DataSha256, saved.ScorecardsExpected, saved.BulletinsExpected, saved.PreviousRunId));
        var read = (await Store.GetMonthResultsAsync(run.Id))!;
        Assert.Equal(MonthResultJson.Serialize(result), MonthResultJson.Serialize(read));
        // The hand-lit June (MiniMonth): A2 escalated to red, B1 red, A1 and B2 green.
        Assert.Equal(["A1 green 2", "A2 red 1", "B1 red 2", "B2 green 2"],
            read.Units.Select(u => $"{u.Code} {u.Indicators[0].Light} {u.Indicators[0].Streak}"));
        // Not a scoring result: those reads answer null, as for a run without results.
        Assert.Null(await Store.GetResultsAsync(run.Id));
        Assert.Null(await Store.GetUnitResultAsync(run.Id, "A1"));

        await Store.SaveDocumentsAsync(run.Id, [StoredDocument.Of(DocumentKind.Bulletin, "county", [1, 2, 3])]);
        var done = await Store.CompleteRunAsync(run.Id, RunOutcome.Success, T0.AddSeconds(2));
        Assert.Equal(RunStatus.Succeeded, done.Status);
        var published = await Store.PublishAsync(run.Id, "office", T0.AddSeconds(3));
        Assert.Equal((MiniMonth.June, UnitLevel.County, run.Id), (published.Period, published.Level, published.RunId));
        Assert.Equal(run.Id, (await Store.GetPublicationAsync(MiniMonth.June, UnitLevel.County))!.RunId);
        // Saving again once the run ended is refused.
        var late = await Assert.ThrowsAsync<StoreException>(() => Store.SaveMonthResultsAsync(run.Id, result));
        Assert.Equal(StoreError.Conflict, late.Error);
    }

    [Fact]
    public async Task A_month_run_without_its_results_cannot_succeed_and_unknown_runs_have_none()
    {
        await AddMonitorAsync(MiniMonth.MonitorYaml);
        var run = await Store.CreateRunAsync(new RunRequest(MiniMonth.June, UnitLevel.County, "mini-monthly", 1, "office", T0));
        await Store.StartRunAsync(run.Id, T0.AddSeconds(1));

        await Assert.ThrowsAsync<StoreException>(() => Store.CompleteRunAsync(run.Id, RunOutcome.Success, T0.AddSeconds(2)));

        Assert.Null(await Store.GetMonthResultsAsync("run-999999"));
        var missing = await Assert.ThrowsAsync<StoreException>(() => Store.SaveMonthResultsAsync("run-999999", MonthResultJson.Read(
            MonthResultJson.Serialize(MonitorEvaluator.Evaluate(CompiledMonitor.Compile(MonitorLoader.Load(MiniMonth.MonitorYaml).Monitor!, "x"),
                new Dataset([], []), MiniMonth.June)))));
        Assert.Equal(StoreError.NotFound, missing.Error);
    }
}

/// <summary>The month store contract on SQLite.</summary>
public sealed class SqliteMonthStoreContractTests : MonthStoreContractTests
{
    private readonly TempSqlite _file = new();

    protected override async Task<IAssessStore> CreateStoreAsync() => await _file.OpenAsync();

    protected override async Task CleanupAsync() => await _file.DisposeAsync();
}

/// <summary>The month store contract on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureMonthStoreContractTests(AzuriteFixture azurite) : MonthStoreContractTests
{
    private readonly List<BaiQianWan.Assess.Store.Azure.AzureAssessStore> _stores = [];

    protected override async Task<IAssessStore> CreateStoreAsync()
    {
        var store = await AzureTestStores.CreateAsync(azurite);
        _stores.Add(store);
        return store;
    }

    protected override async Task CleanupAsync()
    {
        foreach (var store in _stores) await store.DeleteAsync();
    }
}
