using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Reviews;

/// <summary>
/// The review store's contract (<see cref="IReviewStore"/>) on both adapters: notices and requests read back as written,
/// the state and time rules enforced inside the change at exact instants, nothing deleted, of two concurrent changes one wins.
/// </summary>
public abstract class ReviewStoreContractTests : IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset T0 = new(2026, 3, 10, 15, 0, 0, China);
    private static readonly DateTimeOffset Deadline = new(2026, 3, 16, 0, 0, 0, China);
    private static readonly DateTimeOffset JustBefore = Deadline.AddTicks(-1);

    private IAssessStore _store = null!;
    private AssessmentService _service = null!;

    private IReviewStore Reviews => (IReviewStore)_store;

    protected abstract Task<IAssessStore> CreateStoreAsync();

    protected virtual Task CleanupAsync(IAssessStore store) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        _service = new AssessmentService(_store, new TestClock(), new TestRenderer());
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        var v = await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await _service.ActivateRulesetAsync("mini", v.Version, "chief");
    }

    public async Task DisposeAsync()
    {
        await CleanupAsync(_store);
        await _store.DisposeAsync();
    }

    private Task<EvaluationRun> RunAsync() => _service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");

    private static ReviewDraft Draft(int revision, string unit, string target = "fai") =>
        new(Mini.Q2, UnitLevel.County, revision, unit, ReviewTargetKind.Indicator, target, "理由", [new ReviewFile("证明.pdf", "pdf", 12, new string('b', 64))], "u-" + unit);

    [Fact]
    public async Task A_period_withdrawn_with_no_final_publication_is_published_again_with_the_next_revision()
    {
        var run1 = await RunAsync();
        await Reviews.PublishAsync(run1.Id, "office", T0, 5, Deadline);
        await Reviews.WithdrawPublicationAsync(Mini.Q2, UnitLevel.County, 1, "office", "重新核对", T0.AddHours(1));
        Assert.Null(await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County));

        // The pointer is gone but notice 1 stays: the next publication (the same run, or another) is revision 2, then 3.
        var again = await Reviews.PublishAsync(run1.Id, "office", T0.AddHours(2), 5, Deadline);
        Assert.Equal((run1.Id, 2), (again.RunId, again.Revision));
        var run2 = await RunAsync();
        await Reviews.PublishAsync(run2.Id, "office", T0.AddHours(3), 3, Deadline);
        Assert.Equal([(1, NoticeState.Withdrawn, run1.Id), (2, NoticeState.Replaced, run1.Id), (3, NoticeState.Provisional, run2.Id)],
            (await Reviews.GetNoticesAsync(Mini.Q2, UnitLevel.County)).Select(n => (n.Revision, n.State, n.RunId)));
        Assert.Equal((run2.Id, 3), ((await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County))!.RunId, (await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County))!.Revision));
    }

    [Fact]
    public async Task The_flow_reads_back_as_written_with_its_rules_at_exact_instants()
    {
        var run1 = await RunAsync();
        var run2 = await RunAsync();
        await Reviews.PublishAsync(run1.Id, "office", T0, 5, Deadline);
        var notice = await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County);
        Assert.Equal(new PublicationNotice(Mini.Q2, UnitLevel.County, 1, run1.Id, NoticeState.Provisional, "office", T0, 5, Deadline), notice);

        var rv1 = await Reviews.FileReviewAsync(Draft(1, "B1"), JustBefore);
        Assert.Equal(rv1 with { Files = [] }, (await Reviews.GetReviewAsync("rv-000001"))! with { Files = [] });
        Assert.Equal(new ReviewFile("证明.pdf", "pdf", 12, new string('b', 64)), Assert.Single(rv1.Files));
        Assert.Equal((run1.Id, 1, ReviewState.Open, 1, JustBefore), (rv1.RunId, rv1.Revision, rv1.State, rv1.Version, rv1.FiledAt));
        var rv2 = await Reviews.FileReviewAsync(Draft(1, "A1", "rev"), T0);
        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Reviews.FileReviewAsync(Draft(1, "B2"), Deadline))).Error);
        Assert.Equal(StoreError.Concurrency, (await Assert.ThrowsAsync<StoreException>(() => Reviews.FileReviewAsync(Draft(2, "B2"), T0))).Error);

        var answered = await Reviews.AnswerReviewAsync(rv1.Id, 1, true, "更正", "office", T0.AddDays(1));
        Assert.Equal(answered with { Files = [] }, (await Reviews.GetReviewAsync(rv1.Id))! with { Files = [] });
        Assert.Equal(rv1.Files.Single(), (await Reviews.GetReviewAsync(rv1.Id))!.Files.Single());
        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Reviews.AnswerReviewAsync(rv1.Id, 2, false, "x", "office", T0))).Error);
        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, 1, "office", JustBefore))).Error);
        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => Reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, 1, "office", Deadline))).Error);

        // The correction published with 2 days: rv1 corrected by it, rv2 moved to it.
        var at2 = Deadline.AddHours(9);
        var deadline2 = new DateTimeOffset(2026, 3, 19, 0, 0, 0, China);
        var publication = await Reviews.PublishAsync(run2.Id, "office", at2, 2, deadline2);
        Assert.Equal((run2.Id, 2, at2), (publication.RunId, publication.Revision, publication.At));
        Assert.Equal([(1, NoticeState.Replaced, run2.Id), (2, NoticeState.Provisional, (string?)null)],
            (await Reviews.GetNoticesAsync(Mini.Q2, UnitLevel.County)).Select(n => (n.Revision, n.State, n.ClosedNote)));
        var corrected = (await Reviews.GetReviewAsync(rv1.Id))!;
        Assert.Equal((ReviewState.Corrected, run2.Id, at2, 3, run1.Id, 1), (corrected.State, corrected.CorrectingRunId, corrected.ClosedAt!.Value, corrected.Version, corrected.RunId, corrected.Revision));
        var moved = (await Reviews.GetReviewAsync(rv2.Id))!;
        Assert.Equal((ReviewState.Open, run2.Id, 2, run1.Id, 1, 2), (moved.State, moved.RunId, moved.Revision, moved.FiledRunId, moved.FiledRevision, moved.Version));

        await Reviews.WithdrawReviewAsync(rv2.Id, 2, "撤回", "u-A1", at2);
        var final = await Reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, 2, "office", deadline2);
        Assert.Equal(final, await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County));
        Assert.Equal((NoticeState.Final, deadline2), (final.State, final.ClosedAt!.Value));
        Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => _store.PublishAsync(run1.Id, "office", deadline2))).Error);
        Assert.Equal(["rv-000001", "rv-000002"], (await Reviews.ListReviewsAsync(Mini.Q2, UnitLevel.County)).Select(r => r.Id));
        Assert.Empty(await Reviews.ListReviewsAsync(Mini.Q3, UnitLevel.County));
        // After a final publication only a provisional one.
        await Reviews.PublishAsync(run1.Id, "office", deadline2, 1, deadline2.AddDays(2));
        Assert.Equal((3, NoticeState.Provisional), ((await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!.Revision, (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!.State));
        var actions = (await _store.GetAuditLogAsync()).Select(e => e.Action).Where(a => a.Contains("review", StringComparison.Ordinal) || a.StartsWith("publish", StringComparison.Ordinal)).ToList();
        Assert.Equal(["publish", "review-file", "review-file", "review-correct", "review-corrected", "review-moved", "review-withdraw", "publish-final"], actions);
    }

    [Fact]
    public async Task Of_two_concurrent_changes_one_wins()
    {
        var run = await RunAsync();
        await Reviews.PublishAsync(run.Id, "office", T0, 5, Deadline);
        var rv = await Reviews.FileReviewAsync(Draft(1, "B1"), T0);
        var outcomes = await Task.WhenAll(
            Attempt(() => Reviews.AnswerReviewAsync(rv.Id, 1, true, "更正", "office-a", T0)),
            Attempt(() => Reviews.AnswerReviewAsync(rv.Id, 1, false, "维持", "office-b", T0)));
        Assert.Single(outcomes, o => o is null);
        Assert.Single(outcomes, o => o is StoreError.Concurrency);
        Assert.Equal(2, (await Reviews.GetReviewAsync(rv.Id))!.Version);

        // Making final and withdrawing the same publication at once: one wins.
        var both = await Task.WhenAll(
            Attempt(() => Reviews.WithdrawPublicationAsync(Mini.Q2, UnitLevel.County, 1, "office-a", "撤回", Deadline)),
            Attempt(() => Reviews.WithdrawPublicationAsync(Mini.Q2, UnitLevel.County, 1, "office-b", "撤回", Deadline)));
        Assert.Single(both, o => o is null);
        Assert.Single(both, o => o is StoreError.Conflict or StoreError.Concurrency or StoreError.NotFound);
        Assert.Null(await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County));

        static async Task<StoreError?> Attempt(Func<Task> change)
        {
            try { await change(); return null; }
            catch (StoreException e) { return e.Error; }
        }
    }

    [Fact]
    public async Task Withdrawing_restores_the_earlier_final_publication()
    {
        var run1 = await RunAsync();
        var run2 = await RunAsync();
        await _store.PublishAsync(run1.Id, "office", T0);
        await Reviews.PublishAsync(run2.Id, "office", T0.AddHours(1), 5, Deadline);
        await Reviews.FileReviewAsync(Draft(2, "B1"), T0.AddHours(2));
        var withdrawn = await Reviews.WithdrawPublicationAsync(Mini.Q2, UnitLevel.County, 2, "office", "口径", T0.AddHours(3));
        Assert.Equal((NoticeState.Withdrawn, "口径", T0.AddHours(3)), (withdrawn.State, withdrawn.ClosedNote, withdrawn.ClosedAt!.Value));
        Assert.Equal((run1.Id, 3), ((await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County))!.RunId, (await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County))!.Revision));
        Assert.Equal([NoticeState.Final, NoticeState.Withdrawn, NoticeState.Final], (await Reviews.GetNoticesAsync(Mini.Q2, UnitLevel.County)).Select(n => n.State));
        Assert.Equal(ReviewState.Withdrawn, Assert.Single(await Reviews.ListReviewsAsync()).State);
    }
}

public sealed class SqliteReviewStoreContractTests : ReviewStoreContractTests
{
    private readonly TempSqlite _file = new();

    protected override async Task<IAssessStore> CreateStoreAsync() => await _file.OpenAsync();

    protected override async Task CleanupAsync(IAssessStore store)
    {
        await store.DisposeAsync();
        await _file.DisposeAsync();
    }
}

[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class AzureReviewStoreContractTests(AzuriteFixture azurite) : ReviewStoreContractTests
{
    protected override async Task<IAssessStore> CreateStoreAsync() => await AzureTestStores.CreateAsync(azurite);

    protected override Task CleanupAsync(IAssessStore store) => ((AzureAssessStore)store).DeleteAsync();
}

/// <summary>Migration 13 (SQLite): every publication pointer an earlier program wrote gets its notice, final.</summary>
public sealed class ReviewMigrationTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _file.DisposeAsync().AsTask();

    [Fact]
    public async Task A_pointer_written_before_notices_gets_a_final_notice()
    {
        await using (var store = await _file.OpenAsync())
        {
            var service = new AssessmentService(store, new TestClock(), new TestRenderer());
            await service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
            await service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
            var v = await service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
            await service.ActivateRulesetAsync("mini", v.Version, "chief");
            var run = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
            await store.PublishAsync(run.Id, "office", TestClock.Start);
        }
        // As the program before migration 13 left it: the pointer, no notices.
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_file.Path}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "DROP TABLE publication_notice; DROP TABLE review_request; DROP TABLE ledger_year; DELETE FROM schema_migration WHERE number >= 13; PRAGMA user_version = 12;";
            cmd.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var migrated = await _file.OpenAsync();
        var notice = Assert.Single(await migrated.GetNoticesAsync(Mini.Q2, UnitLevel.County));
        Assert.Equal(new PublicationNotice(Mini.Q2, UnitLevel.County, 1, "run-000001", NoticeState.Final, "office", TestClock.Start, null, null), notice);
    }
}
