using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Publications;
using BaiQianWan.Assess.Tests.Store;
using Moq;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 20 item 2: one bounded read model of published results (<see cref="PublishedResults"/>) serves both hosts; pages
/// that list periods read the publications once, not once per period and level.
/// </summary>
public sealed class PublishedResultsTests : IAsyncLifetime
{
    private readonly MiniPortal _portal = new();
    private IAssessStore _counted = null!;
    private CountingStore _counts = null!;
    private AssessmentService _service = null!;

    public async Task InitializeAsync()
    {
        await _portal.InitializeAsync();
        _counted = CountingStore.Over(_portal.Store);
        _counts = (CountingStore)(object)_counted;
        _service = new AssessmentService(_counted, _portal.Clock, new TestRenderer());
    }

    public Task DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task A_unit_home_listing_every_published_period_reads_the_publications_once()
    {
        var pages = new PortalPages(_service, _portal.Accounts, _portal.Clock);
        _counts.Reset();
        var home = await pages.UnitHomeAsync(MiniPortal.A1, MiniPortal.Frame(MiniPortal.A1), "A1");

        Assert.Equal([Mini.Q3, Mini.Q2], home.Quarters.Select(q => q.Period)); // newest first
        Assert.Equal(1, _counts.Of(nameof(IPublicationStore.ListPublicationsAsync)));
        Assert.Equal(0, _counts.Of(nameof(IPublicationStore.GetPublicationAsync)));
    }

    [Fact]
    public async Task The_runs_page_reads_the_publications_once_for_all_its_runs()
    {
        var pages = new PortalPages(_service, _portal.Accounts, _portal.Clock);
        _counts.Reset();
        var model = await pages.RunsAsync(MiniPortal.Frame(MiniPortal.Office));

        Assert.Equal(2, model.Runs.Count);
        Assert.Equal(2, model.Runs.Count(r => r.Published));
        Assert.Equal(1, _counts.Of(nameof(IPublicationStore.ListPublicationsAsync)));
        Assert.Equal(0, _counts.Of(nameof(IPublicationStore.GetPublicationAsync)));
    }

    [Fact]
    public async Task The_read_model_sees_a_publish_at_its_next_read()
    {
        var results = new PublishedResults();
        var before = await results.PublicationsAsync(_service);
        Assert.Equal([(Mini.Q2, _portal.Q2Run), (Mini.Q3, _portal.Q3Run)], before.Select(p => (p.Publication.Period, p.Publication.RunId)));

        var again = await _portal.Service.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        await _portal.Service.PublishAsync(again.Id, "office");

        var after = await results.PublicationsAsync(_service);
        Assert.Equal([(Mini.Q2, _portal.Q2Run), (Mini.Q3, again.Id)], after.Select(p => (p.Publication.Period, p.Publication.RunId)));
    }

    [Fact]
    public async Task The_read_model_keeps_at_most_its_bound_of_runs_dropping_the_least_recently_used()
    {
        var third = await _portal.Service.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        var results = new PublishedResults(maxRuns: 2);
        _counts.Reset();

        var q2 = await results.UnitsAsync(_service, _portal.Q2Run);
        var perRead = _counts.Total;
        Assert.True(perRead > 0);
        await results.UnitsAsync(_service, _portal.Q3Run);
        await results.UnitsAsync(_service, _portal.Q2Run); // Q2 is now the most recent
        await results.UnitsAsync(_service, third.Id);      // drops Q3, the least recent
        Assert.Equal(2, results.KeptRuns);
        var reads = _counts.Total;
        Assert.Equal(3 * perRead, reads); // three runs read once each

        await results.UnitsAsync(_service, _portal.Q2Run);
        await results.UnitsAsync(_service, third.Id);
        Assert.Equal(reads, _counts.Total); // both kept
        await results.UnitsAsync(_service, _portal.Q3Run);
        Assert.Equal(reads + perRead, _counts.Total); // read again
        Assert.Equal(2, results.KeptRuns);

        var stored = (await _portal.Service.GetResultsAsync(_portal.Q2Run))!;
        Assert.Equal(stored.Units.Count(), q2.Count);
        Assert.Equal("甲一县", q2["A1"].Name);
    }

    [Fact]
    public async Task A_runs_rankings_are_read_once_per_class_and_served_from_memory_after()
    {
        var results = new PublishedResults();
        _counts.Reset();

        var whole = await results.RankingsAsync(_service, _portal.Q3Run, null);
        var again = await results.RankingsAsync(_service, _portal.Q3Run, null);
        Assert.Same(whole, again);
        Assert.Equal(1, _counts.Of(nameof(IRunStore.GetResultsAsync)));
        var jia = await results.RankingsAsync(_service, _portal.Q3Run, "甲");
        await results.RankingsAsync(_service, _portal.Q3Run, "甲");
        Assert.Equal(2, _counts.Of(nameof(IRunStore.GetResultsAsync)));
        Assert.Null(await results.RankingsAsync(_service, _portal.Q3Run, "丙")); // no such class in the ruleset
        Assert.Null(await results.RankingsAsync(_service, "no-such-run", null));

        // The bytes are the stored results serialized (the whole run; one class's units only), and the hash is theirs.
        using var all = System.Text.Json.JsonDocument.Parse(whole!.Json);
        using var one = System.Text.Json.JsonDocument.Parse(jia!.Json);
        Assert.Equal(["A1", "A2", "B1", "B2"], Codes(all).Order(StringComparer.Ordinal));
        Assert.Equal(["A1", "A2"], Codes(one).Order(StringComparer.Ordinal));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(whole.Json)), whole.Sha256);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(jia.Json)), jia.Sha256);
    }

    [Fact]
    public async Task A_runs_units_and_rankings_share_the_one_bound_and_leave_together()
    {
        var results = new PublishedResults(maxRuns: 1);
        await results.UnitsAsync(_service, _portal.Q2Run);
        await results.RankingsAsync(_service, _portal.Q2Run, null);
        Assert.Equal(1, results.KeptRuns);
        _counts.Reset();
        await results.RankingsAsync(_service, _portal.Q2Run, null);
        await results.UnitsAsync(_service, _portal.Q2Run);
        Assert.Equal(0, _counts.Total); // both kept

        await results.UnitsAsync(_service, _portal.Q3Run); // drops Q2, units and rankings alike
        Assert.Equal(1, results.KeptRuns);
        _counts.Reset();
        await results.RankingsAsync(_service, _portal.Q2Run, null);
        await results.UnitsAsync(_service, _portal.Q2Run);
        Assert.Equal(2, _counts.Of(nameof(IRunStore.GetResultsAsync)));
    }

    [Fact]
    public async Task A_failed_read_is_not_kept()
    {
        var results = new PublishedResults();
        var broken = new Mock<IAssessStore>();
        broken.Setup(s => s.GetResultsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("磁盘错误"));
        var failing = new AssessmentService(broken.Object, _portal.Clock, null);
        // A store whose read of results fails ...
        await Assert.ThrowsAsync<IOException>(() => results.UnitsAsync(failing, _portal.Q3Run));
        await Assert.ThrowsAsync<IOException>(() => results.RankingsAsync(failing, _portal.Q3Run, null));
        // ... leaves nothing behind: the next read through a working store succeeds.
        Assert.Equal(4, (await results.UnitsAsync(_service, _portal.Q3Run)).Count);
        Assert.NotNull(await results.RankingsAsync(_service, _portal.Q3Run, null));
    }

    private static IEnumerable<string> Codes(System.Text.Json.JsonDocument results) =>
        results.RootElement.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("code").GetString()!);

    /// <summary>A thin decorator over the store that counts calls by member name.</summary>
    public class CountingStore : DispatchProxy
    {
        private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
        private IAssessStore _inner = null!;

        public static IAssessStore Over(IAssessStore inner)
        {
            var proxy = Create<IAssessStore, CountingStore>();
            ((CountingStore)(object)proxy)._inner = inner;
            return proxy;
        }

        public int Of(string member) => _calls.GetValueOrDefault(member);

        public int Total => _calls.Values.Sum();

        public void Reset() => _calls.Clear();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            _calls.AddOrUpdate(targetMethod!.Name, 1, (_, n) => n + 1);
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e)
            {
                ExceptionDispatchInfo.Throw(e.InnerException!);
                throw;
            }
        }
    }
}
