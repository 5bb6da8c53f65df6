using System.Reflection;
using System.Runtime.ExceptionServices;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Publications;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The read model of published results (<see cref="PublishedResults"/>) under a burst of first requests for a run nobody
/// has read yet: its units (for the access decisions of scorecard and bulletin downloads) and its rankings are each read
/// and built once, not once per request.
/// </summary>
public sealed class PublishedResultsBurstTests : IAsyncLifetime
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
        var (run, scored) = await PublishedRunAsync();
        var (service, counting) = Slowed();
        var results = new PublishedResults();

        var maps = await BurstAsync(() => results.UnitsAsync(service, run, CancellationToken.None));

        Assert.All(maps, m => Assert.Equal(scored, m.Keys.Order(StringComparer.Ordinal)));
        Assert.Equal(1, counting.Reads);
    }

    [Fact]
    public async Task Thirty_two_first_rankings_requests_at_once_read_and_serialize_the_results_once()
    {
        var (run, _) = await PublishedRunAsync();
        var (service, counting) = Slowed();
        var results = new PublishedResults();

        var answers = await BurstAsync(() => results.RankingsAsync(service, run, null, CancellationToken.None));

        var expected = BaiQianWan.Assess.Rules.Results.ResultsJson.Serialize((await _store.GetResultsAsync(run))!);
        Assert.All(answers, a => Assert.Equal(expected, a!.Json));
        Assert.Single(answers.Select(a => a!.Json).Distinct()); // one array, built once, handed to all
        Assert.Equal(1, counting.Reads);
    }

    private async Task<(string Run, List<string> Scored)> PublishedRunAsync()
    {
        var setup = new AssessmentService(_store, new TestClock(new DateTimeOffset(2025, 10, 8, 9, 0, 0, TimeSpan.Zero)), null);
        await setup.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await setup.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await setup.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await setup.ActivateRulesetAsync("mini", 1, "chief");
        var run = await setup.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        return (run.Id, (await setup.GetResultsAsync(run.Id))!.Units.Select(u => u.Code).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>A service over the real store whose reads of results are counted and take a while before they even start
    /// (as a large town run's does), so that requests race.</summary>
    private (AssessmentService Service, SlowResults Counting) Slowed()
    {
        var counting = DispatchProxy.Create<IAssessStore, SlowResults>();
        ((SlowResults)(object)counting).Inner = _store;
        return (new AssessmentService(counting, TimeProvider.System, null), (SlowResults)(object)counting);
    }

    /// <summary>32 calls on threads of their own (not the pool's, which would add them one at a time), released together.</summary>
    private static async Task<T[]> BurstAsync<T>(Func<Task<T>> call)
    {
        using var start = new Barrier(32);
        return await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return call();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));
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
