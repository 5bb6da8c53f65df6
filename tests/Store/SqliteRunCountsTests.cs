using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// The SQLite side of a run's stored document counts and heartbeat: the migration of a version-1 file, old rows without
/// counts (computed from their results), and progress and completion that never read the results.
/// </summary>
public sealed class SqliteRunCountsTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _file.DisposeAsync().AsTask();

    private void Exec(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_file.Path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static async Task<AssessmentService> SeededAsync(IAssessStore store)
    {
        var service = new AssessmentService(store, new TestClock(), new TestRenderer());
        await service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await service.ActivateRulesetAsync("mini", 1, "chief");
        return service;
    }

    [Fact]
    public async Task A_version_1_file_migrates_and_its_runs_read_with_no_counts_and_no_heartbeat()
    {
        Exec(SqliteSchema.Migrations[0] + """
            INSERT INTO ruleset_version VALUES ('mini', 1, 'x', 'id: mini
            level: county', 'author', '2025-10-08T01:00:00.0000000+00:00');
            INSERT INTO run (seq, id, period, level, ruleset_id, ruleset_version, status, actor, requested_at, started_at, sample)
            VALUES (1, 'run-000001', '2025Q2', 'county', 'mini', 1, 'running', 'office', '2025-10-08T01:00:00.0000000+00:00', '2025-10-08T02:00:00.0000000+00:00', 0);
            PRAGMA user_version = 1;
            """);

        await using var store = await _file.OpenAsync();

        var run = (await store.GetRunAsync("run-000001"))!;
        Assert.Equal((RunStatus.Running, null, null, null), (run.Status, run.ScorecardsExpected, run.BulletinsExpected, run.HeartbeatAt));
        Assert.Equal(new DateTimeOffset(2025, 10, 8, 2, 0, 0, TimeSpan.Zero), run.LastSeenAt);
        var renewed = await store.RenewRunAsync(run.Id, new DateTimeOffset(2025, 10, 8, 3, 0, 0, TimeSpan.Zero));
        Assert.Equal(renewed, await store.GetRunAsync(run.Id));
        Assert.Equal(new DateTimeOffset(2025, 10, 8, 3, 0, 0, TimeSpan.Zero), renewed.HeartbeatAt);
    }

    [Fact]
    public async Task A_run_saved_before_counts_were_kept_counts_its_documents_from_its_results()
    {
        await using var store = await _file.OpenAsync();
        var service = await SeededAsync(store);
        var (run, batches) = await service.Runs.With(new RunOptions { BatchSize = 2 }).QueueAsync(Mini.Q2, UnitLevel.County, "office");
        Exec("UPDATE run SET scorecards_expected = NULL, bulletins_expected = NULL;");
        Assert.Null((await store.GetRunAsync(run.Id))!.ScorecardsExpected);

        Assert.Equal(RunStatus.Running, (await service.Runs.RenderAsync(batches[0])).Status);
        Assert.Equal(new RenderProgress(4, 2, 2, 0), await service.GetRenderProgressAsync((await store.GetRunAsync(run.Id))!));

        Assert.Equal(RunStatus.Succeeded, (await service.Runs.RenderAsync(batches[1])).Status);
        Assert.Equal(new RenderProgress(4, 4, 2, 2), await service.GetRenderProgressAsync((await store.GetRunAsync(run.Id))!));
    }

    [Fact]
    public async Task Progress_counts_from_the_run_and_a_batch_renders_from_the_results_this_process_already_has()
    {
        await using var store = await _file.OpenAsync();
        var service = await SeededAsync(store);
        var (run, batches) = await service.Runs.With(new RunOptions { BatchSize = 3 }).QueueAsync(Mini.Q2, UnitLevel.County, "office");
        Assert.Equal([["A2", "A1", "B2"], ["B1"]], batches.Select(b => b.Units.ToArray()));
        Assert.Equal(RunStatus.Running, (await service.Runs.RenderAsync(batches[0])).Status);

        // The results JSON made unreadable: anything that deserialised it would now throw.
        Exec("UPDATE run_result SET json = x'00';");
        await Assert.ThrowsAnyAsync<Exception>(() => store.GetResultsAsync(run.Id));

        // Another process (no results in hand) counts progress from the run's counts.
        var other = new AssessmentService(store, new TestClock(), new TestRenderer());
        Assert.Equal(new RenderProgress(4, 3, 2, 0), await other.GetRenderProgressAsync((await store.GetRunAsync(run.Id))!));
        // The process that evaluated the run renders the last batch and the bulletins from the results it has: none read again.
        var last = await service.Runs.RenderAsync(batches[1]);
        Assert.Equal((RunStatus.Succeeded, null), (last.Status, last.Reason));
        Assert.Equal(new RenderProgress(4, 4, 2, 2), await other.GetRenderProgressAsync(last));
    }
}
