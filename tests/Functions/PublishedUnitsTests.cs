using System.Reflection;
using System.Runtime.ExceptionServices;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The scored units of a published run, read once per run for the access decisions of scorecard and bulletin
/// downloads: a burst of first requests for a run nobody has read yet reads and parses its results once, not once each.
/// </summary>
public sealed class PublishedUnitsTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private IAssessStore _store = null!;

    public async Task InitializeAsync() => _store = await _file.OpenAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    [Fact]
    public async Task Thirty_two_first_requests_at_once_read_the_runs_results_once_and_all_get_its_units()
    {
        var setup = new AssessmentService(_store, new TestClock(new DateTimeOffset(2025, 10, 8, 9, 0, 0, TimeSpan.Zero)), null);
        await setup.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await setup.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await setup.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await setup.ActivateRulesetAsync("mini", 1, "chief");
        var run = await setup.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        var scored = (await setup.GetResultsAsync(run.Id))!.Units.Select(u => u.Code).Order(StringComparer.Ordinal).ToList();

        // Reading the results takes a while before it even starts (as a large town run's does), so the requests race.
        var counting = DispatchProxy.Create<IAssessStore, SlowResults>();
        ((SlowResults)(object)counting).Inner = _store;
        var service = new AssessmentService(counting, TimeProvider.System, null);
        var units = new PublishedUnits();
        using var start = new Barrier(32);
        // Threads of their own (not the pool's, which would add them one at a time), released together.
        var maps = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return units.OfRunAsync(service, run.Id, CancellationToken.None);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));

        Assert.All(maps, m => Assert.Equal(scored, m.Keys.Order(StringComparer.Ordinal)));
        Assert.Equal(1, ((SlowResults)(object)counting).Reads);
    }

    /// <summary>The real store, counting (and slowing) the reads of results.</summary>
    public class SlowResults : DispatchProxy
    {
        private int _reads;

        public IAssessStore Inner { get; set; } = null!;

        public int Reads => Volatile.Read(ref _reads);

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(IAssessStore.GetResultsAsync))
            {
                Interlocked.Increment(ref _reads);
                Thread.Sleep(50);
            }
            try
            {
                return method.Invoke(Inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
