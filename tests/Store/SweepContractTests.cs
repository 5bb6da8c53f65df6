using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// <see cref="IStoreMaintenance.SweepAsync"/> on every store: what storage physically keeps after re-imports and
/// re-saved results, read from the storage itself (rows of the SQLite file; blobs and entities of Azure storage),
/// not from the store's own report.
/// </summary>
public abstract class SweepContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 8, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = SweepReport.DefaultGrace;
    private static readonly Lazy<Dataset> Province = new(() => ProvinceGenerator.Generate(new ProvinceOptions()));

    protected IAssessStore Store { get; private set; } = null!;

    /// <summary>A new empty store, initialized.</summary>
    protected abstract Task<IAssessStore> CreateStoreAsync();

    /// <summary>Removes what <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract Task CleanupAsync();

    /// <summary>Whether the store keeps superseded generations until a sweep (Azure) or replaces data in place (SQLite).</summary>
    protected abstract bool KeepsSupersededData { get; }

    /// <summary>Every observation figure physically kept, over all generations.</summary>
    protected abstract Task<long> StoredObservationFiguresAsync();

    /// <summary>How many result sets of a run are physically kept.</summary>
    protected abstract Task<int> StoredResultSetsAsync(string runId);

    /// <summary>Calls <paramref name="hook"/> when a sweep has deleted a generation's data but not yet its record of it (null: none).</summary>
    protected abstract void OnSweepDelete(Action<string>? hook);

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await CleanupAsync();
    }

    private static ImportSource Source(string file, int version, DateTimeOffset at) =>
        new(file, System.Text.Encoding.UTF8.GetBytes($"{file} version {version}"), "office", at);

    /// <summary>The province's observations, the figure of the first row changed by <paramref name="version"/>, so every re-import differs.</summary>
    private static List<Observation> ProvinceObservations(int version)
    {
        var rows = Province.Value.Observations.ToList();
        rows[0] = rows[0] with { Actual = rows[0].Actual + version };
        return rows;
    }

    [Fact]
    public async Task Five_reimports_of_the_province_leave_one_generation_once_the_grace_period_has_passed()
    {
        var units = Province.Value.Units.ToList();
        await Store.ImportUnitsAsync(ProvinceGenerator.Year, units, Source("units.csv", 1, T0));
        for (var version = 1; version <= 5; version++)
            await Store.ImportObservationsAsync(ProvinceObservations(version), Source("observations.csv", version, T0.AddMinutes(version)));
        var oneImport = ProvinceObservations(5).Count;
        var periods = ProvinceObservations(5).Select(o => o.Period).Distinct().Count();
        Assert.Equal(KeepsSupersededData ? 5L * oneImport : oneImport, await StoredObservationFiguresAsync());

        // First sight: superseded generations are marked, nothing is deleted (a reader may still be on them).
        var first = await Store.SweepAsync(T0.AddHours(1), Grace);
        Assert.Equal(0, first.Deleted);
        Assert.Equal(KeepsSupersededData ? 4 * periods : 0, first.Marked); // 4 superseded imports × every quarter
        var early = await Store.SweepAsync(T0.AddHours(1) + Grace - TimeSpan.FromSeconds(1), Grace);
        Assert.Equal((0, first.Marked), (early.Deleted, early.Waiting));
        Assert.Equal(KeepsSupersededData ? 5L * oneImport : oneImport, await StoredObservationFiguresAsync());

        var due = await Store.SweepAsync(T0.AddHours(1) + Grace, Grace);
        Assert.Equal(first.Marked, due.Deleted);
        Assert.Equal(oneImport, await StoredObservationFiguresAsync());
        var q3 = Period.OfQuarter(ProvinceGenerator.Year, 3);
        var expected = ProvinceObservations(5).Where(o => o.Period == q3).OrderBy(o => o.Unit, StringComparer.Ordinal).ThenBy(o => o.Indicator, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await Store.GetObservationsAsync(q3));
        var first0 = ProvinceObservations(5)[0];
        Assert.Contains(first0, await Store.GetObservationsAsync(first0.Period));
        Assert.Equal(units.Count, (await Store.GetUnitsAsync(ProvinceGenerator.Year)).Count);

        // Running it again finds nothing to do.
        Assert.Equal(0, (await Store.SweepAsync(T0.AddHours(5), Grace)).Deleted);
        Assert.Equal(oneImport, await StoredObservationFiguresAsync());
    }

    [Fact]
    public async Task Results_saved_twice_keep_only_the_ones_the_run_references()
    {
        await Store.ImportUnitsAsync(2025, DataFiles.ReadUnits(Mini.UnitsCsv, "units.csv").Rows, new ImportSource("units.csv", Mini.Bytes(Mini.UnitsCsv), "office", T0));
        var units = await Store.GetUnitsAsync(2025);
        await Store.ImportObservationsAsync(DataFiles.ReadObservations(Mini.ObservationsCsv, "observations.csv", units.Select(u => u.Code).ToHashSet()).Rows,
            new ImportSource("observations.csv", Mini.Bytes(Mini.ObservationsCsv), "office", T0));
        await Store.AddRulesetVersionAsync("mini", Mini.RulesetYaml, Mini.Outline(Mini.RulesetYaml), "author", T0);
        var loaded = RulesetLoader.Load(Mini.RulesetYaml);
        var result = Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256), new Dataset(units, await Store.GetObservationsAsync(Mini.Q2)), Mini.Q2, 1);

        // Two runs: one saves its results twice (a retried render), the other once and is published.
        var retried = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0.AddHours(1)));
        await Store.StartRunAsync(retried.Id, T0.AddHours(1));
        await Store.SaveResultsAsync(retried.Id, result);
        await Store.SaveResultsAsync(retried.Id, result);
        var published = await Store.CreateRunAsync(new RunRequest(Mini.Q2, UnitLevel.County, "mini", 1, "office", T0.AddHours(1)));
        await Store.StartRunAsync(published.Id, T0.AddHours(1));
        await Store.SaveResultsAsync(published.Id, result);
        await Store.CompleteRunAsync(published.Id, RunOutcome.Success, T0.AddHours(2));
        await Store.PublishAsync(published.Id, "office", T0.AddHours(2));
        Assert.Equal(KeepsSupersededData ? 2 : 1, await StoredResultSetsAsync(retried.Id));

        await Store.SweepAsync(T0.AddHours(3), Grace);
        var due = await Store.SweepAsync(T0.AddHours(3) + Grace, Grace);

        Assert.Equal(KeepsSupersededData ? 1 : 0, due.Deleted);
        Assert.Equal(1, await StoredResultSetsAsync(retried.Id));
        Assert.Equal(1, await StoredResultSetsAsync(published.Id));
        Assert.Equal(ResultsJson.Serialize(result), ResultsJson.Serialize((await Store.GetResultsAsync(retried.Id))!));
        Assert.Equal(ResultsJson.Serialize(result), ResultsJson.Serialize((await Store.GetResultsAsync(published.Id))!));
        Assert.Equal(result.Units[0].Total, (await Store.GetUnitResultAsync(published.Id, result.Units[0].Code))!.Total);
    }

    [Fact]
    public async Task A_sweep_stopped_half_way_leaves_every_read_working_and_the_next_one_finishes()
    {
        var units = Province.Value.Units.ToList();
        await Store.ImportUnitsAsync(ProvinceGenerator.Year, units, Source("units.csv", 1, T0));
        for (var version = 1; version <= 3; version++)
            await Store.ImportObservationsAsync(ProvinceObservations(version), Source("observations.csv", version, T0.AddMinutes(version)));
        var oneImport = ProvinceObservations(3).Count;
        var periods = ProvinceObservations(3).Select(o => o.Period).Distinct().Count();
        await Store.SweepAsync(T0.AddHours(1), Grace);

        // Killed between two deletes: the first generation's data is gone, the record that it existed is not.
        var deletedBeforeKill = new List<string>();
        OnSweepDelete(generation =>
        {
            deletedBeforeKill.Add(generation);
            throw new OperationCanceledException("killed");
        });
        var at = T0.AddHours(1) + Grace;
        if (KeepsSupersededData)
        {
            await Assert.ThrowsAsync<OperationCanceledException>(() => Store.SweepAsync(at, Grace));
            Assert.Single(deletedBeforeKill);
            var left = await StoredObservationFiguresAsync();
            Assert.True(left > oneImport && left < 3L * oneImport, $"{left} figures left after a stopped sweep");
        }
        else
        {
            Assert.Equal(0, (await Store.SweepAsync(at, Grace)).Deleted);
            Assert.Empty(deletedBeforeKill);
        }
        var q3 = Period.OfQuarter(ProvinceGenerator.Year, 3);
        Assert.Equal(ProvinceObservations(3).Count(o => o.Period == q3), (await Store.GetObservationsAsync(q3)).Count);

        OnSweepDelete(null);
        var second = await Store.SweepAsync(at, Grace);
        Assert.Equal(KeepsSupersededData ? 2 * periods : 0, second.Deleted); // the half-deleted one included
        Assert.Equal(oneImport, await StoredObservationFiguresAsync());
        Assert.Contains(ProvinceObservations(3)[0], await Store.GetObservationsAsync(ProvinceObservations(3)[0].Period));
    }
}
