using System.Net;
using System.Text.Json;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Functions.Triggers;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The timer and queue functions invoked as the worker invokes them: the function classes built from the app's
/// services, a <see cref="TimerInfo"/> or the message text, a mocked <see cref="FunctionContext"/> carrying the
/// binding data, a real store. A message that cannot be handled throws (the platform retries, then poisons it).
/// Each test gets a fresh app on its own SQLite file; the clock stands at 2025-10-05 02:00 UTC, the Q3 firing.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class TriggerFunctionTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bqw-triggers-" + Guid.NewGuid().ToString("N"));
    private AssessAppFactory _app = null!;
    private HttpClient _office = null!;

    private static readonly int ScoredCounties = TestProvince.Counties.Count(c => c.Class is "创先" or "进位" or "消薄");

    public Task InitializeAsync() => StartAsync(autoPublish: false);

    private async Task StartAsync(bool autoPublish, bool timer = false)
    {
        Directory.CreateDirectory(_directory);
        _app = new AssessAppFactory("sqlite", Path.Combine(_directory, $"assess-{autoPublish}-{timer}.db"), new Dictionary<string, string?>
        {
            ["Runs:AutoPublish"] = autoPublish ? "true" : "false",
        });
        _app.Clock.Now = new DateTimeOffset(2025, 10, 5, 2, 0, 0, TimeSpan.Zero);
        _office = _app.Client(_app.Token("office"));
        await (await _office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/periods/2025Q3/observations?file=observations.csv", Api.Csv(TestProvince.ObservationsCsv()))).JsonAsync(HttpStatusCode.OK);
        foreach (var (id, yaml) in new[] { ("county-2025", SampleRulesets.County), ("town-2025", SampleRulesets.Town) })
        {
            await (await _office.PutAsync($"/api/rulesets/{id}", Api.Yaml(yaml))).JsonAsync(HttpStatusCode.Created);
            await (await _office.PostAsync($"/api/rulesets/{id}/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);
        }
    }

    public async Task DisposeAsync()
    {
        _office.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private IAssessStore Store => _app.Services.GetRequiredService<IAssessStore>();

    private Task<string[]> FireAsync(bool pastDue = false) =>
        ActivatorUtilities.CreateInstance<QuarterlyEvaluation>(_app.Services).Run(new TimerInfo { IsPastDue = pastDue }, CancellationToken.None);

    private Task DeliverAsync(string message, long dequeueCount = 1) =>
        ActivatorUtilities.CreateInstance<RenderScorecards>(_app.Services).Run(message,
            FunctionContexts.For(RenderScorecards.Name, _app.Services, new Dictionary<string, object?> { ["DequeueCount"] = dequeueCount }));

    private static JsonElement Parse(string message) => JsonDocument.Parse(message).RootElement.Clone();

    [Fact]
    public async Task The_timer_evaluates_the_quarter_just_ended_with_each_active_ruleset_and_returns_the_render_batches()
    {
        var messages = await FireAsync(pastDue: true);
        var runs = await Store.ListRunsAsync(Period.OfQuarter(2025, 3));
        Assert.Equal(["county", "town"], runs.Select(r => r.Level.ToText()).Order());
        Assert.All(runs, r => Assert.Equal(RunStatus.Running, r.Status));
        Assert.All(runs, r => Assert.Equal("timer", r.Actor));
        var county = runs.Single(r => r.Level == UnitLevel.County).Id;
        var countyBatches = messages.Select(Parse).Where(b => b.GetProperty("runId").GetString() == county).ToList();
        // 40 units per batch (Runs:BatchSize): the scored counties in ceil(n / 40) batches, each unit once.
        Assert.Equal((ScoredCounties + 39) / 40, countyBatches.Count);
        Assert.Equal(Enumerable.Range(1, countyBatches.Count), countyBatches.Select(b => b.GetProperty("batch").GetInt32()));
        Assert.All(countyBatches, b => Assert.Equal(countyBatches.Count, b.GetProperty("batches").GetInt32()));
        var units = countyBatches.SelectMany(b => b.GetProperty("units").EnumerateArray().Select(u => u.GetString()!)).ToList();
        Assert.Equal(ScoredCounties, units.Count);
        Assert.Equal(ScoredCounties, units.Distinct().Count());
    }

    [Fact]
    public async Task A_refired_timer_makes_no_second_run_and_returns_no_batches()
    {
        var first = await FireAsync(pastDue: true);
        var again = await FireAsync();
        Assert.NotEmpty(first);
        Assert.Empty(again);
        Assert.Equal(2, (await Store.ListRunsAsync(Period.OfQuarter(2025, 3))).Count);
    }

    [Fact]
    public async Task Each_batch_delivered_renders_its_scorecards_and_the_last_completes_the_run()
    {
        var messages = await FireAsync();
        foreach (var group in messages.GroupBy(m => Parse(m).GetProperty("runId").GetString()!))
        {
            var batches = group.ToList();
            foreach (var message in batches[..^1])
            {
                await DeliverAsync(message);
                Assert.Equal(RunStatus.Running, (await Store.GetRunAsync(group.Key))!.Status);
            }
            await DeliverAsync(batches[^1]);
            Assert.Equal(RunStatus.Succeeded, (await Store.GetRunAsync(group.Key))!.Status);
            var stored = await (await _office.GetAsync($"/api/evaluations/{group.Key}")).JsonAsync(HttpStatusCode.OK);
            var documents = stored.GetProperty("documents");
            Assert.Equal(documents.GetProperty("scorecardsExpected").GetInt32(), documents.GetProperty("scorecardsStored").GetInt32());
            Assert.Equal(documents.GetProperty("bulletinsExpected").GetInt32(), documents.GetProperty("bulletinsStored").GetInt32());
        }
        // Auto-publish is off by default: nothing is official until the office publishes.
        await (await _office.GetAsync("/api/periods/2025Q3/rankings?level=county")).JsonAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_redelivered_batch_of_a_finished_run_changes_nothing()
    {
        var messages = await FireAsync();
        foreach (var message in messages) await DeliverAsync(message);
        var runId = Parse(messages[0]).GetProperty("runId").GetString()!;
        var before = await Store.ListDocumentsAsync(runId);
        var audit = (await Store.GetAuditLogAsync()).Count;
        await DeliverAsync(messages[0], dequeueCount: 2);
        Assert.Equal(before, await Store.ListDocumentsAsync(runId));
        Assert.Equal(audit, (await Store.GetAuditLogAsync()).Count);
        Assert.Equal(RunStatus.Succeeded, (await Store.GetRunAsync(runId))!.Status);
    }

    [Fact]
    public async Task With_auto_publish_the_completed_timer_run_is_published_by_the_timer()
    {
        await DisposeAsync();
        await StartAsync(autoPublish: true);
        foreach (var message in await FireAsync()) await DeliverAsync(message);
        var publication = await Store.GetPublicationAsync(Period.OfQuarter(2025, 3), UnitLevel.County);
        Assert.NotNull(publication);
        Assert.Equal("timer", publication.Actor);
        Assert.Equal(1, publication.Revision);
        var rankings = await (await _office.GetAsync("/api/periods/2025Q3/rankings?level=county")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(ScoredCounties, rankings.GetProperty("units").GetArrayLength());
        // The published run's scorecards download as one ZIP.
        var zipped = await _office.GetByteArrayAsync("/api/periods/2025Q3/scorecards.zip?level=county");
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(zipped));
        Assert.Equal(ScoredCounties, zip.Entries.Count);
    }

    [Fact]
    public async Task A_batch_the_renderer_fails_on_fails_the_invocation_and_the_run_and_its_redelivery_is_acknowledged()
    {
        var yaml = SampleRulesets.County.Replace("id: county-2025", "id: county-renderfails");
        await (await _office.PutAsync("/api/rulesets/county-renderfails", Api.Yaml(yaml))).JsonAsync(HttpStatusCode.Created);
        // One active ruleset per level: the office replaces county-2025 explicitly, so the timer runs this one alone.
        await (await _office.PostAsync("/api/rulesets/county-renderfails/versions/1/activate?replace=true", null)).JsonAsync(HttpStatusCode.OK);
        var messages = await FireAsync();
        var runId = (await Store.ListRunsAsync(Period.OfQuarter(2025, 3))).Single(r => r.RulesetId == "county-renderfails").Id;
        var message = messages.First(m => Parse(m).GetProperty("runId").GetString() == runId);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DeliverAsync(message));
        Assert.Equal(TestRenderer.Failure, failure.Message);
        Assert.Equal(RunStatus.Failed, (await Store.GetRunAsync(runId))!.Status);
        // The platform delivers it again: acknowledged, the run stays failed.
        await DeliverAsync(message, dequeueCount: 2);
        Assert.Equal(RunStatus.Failed, (await Store.GetRunAsync(runId))!.Status);
    }

    [Theory]
    [InlineData("render everything please", "渲染批次消息不是 JSON")]
    [InlineData("""{"runId":"run-000001","batch":1,"batches":1,"units":[]}""", "渲染批次消息应为")]
    [InlineData("""{"runId":"run-999999","batch":1,"batches":1,"units":["440825"]}""", "没有运行 run-999999")]
    public async Task A_message_that_is_not_a_batch_of_a_known_run_fails_the_invocation_with_the_reason(string message, string reason)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DeliverAsync(message));
        Assert.Contains(reason, failure.Message);
    }

    [Theory]
    [InlineData("2025-10-05T02:00:00Z", "2025Q3")]
    [InlineData("2026-01-05T02:00:00Z", "2025Q4")]
    [InlineData("2025-04-05T02:00:00Z", "2025Q1")]
    [InlineData("2025-07-05T02:00:00Z", "2025Q2")]
    [InlineData("2025-12-31T23:59:59Z", "2025Q3")]
    [InlineData("2026-01-01T00:00:00+08:00", "2025Q3")]
    public void The_quarter_just_ended_is_the_one_before_the_firing_in_utc(string at, string period) =>
        Assert.Equal(period, QuarterlyEvaluation.QuarterJustEnded(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)).ToString());

    [Theory]
    [InlineData("2025-10-08T01:00:00Z", "2026-01-05T02:00:00Z")]
    [InlineData("2025-10-05T01:59:59Z", "2025-10-05T02:00:00Z")]
    [InlineData("2025-10-05T02:00:00Z", "2026-01-05T02:00:00Z")]
    [InlineData("2026-02-01T00:00:00Z", "2026-04-05T02:00:00Z")]
    [InlineData("2026-06-30T23:00:00Z", "2026-07-05T02:00:00Z")]
    public void On_its_own_the_schedule_is_read_as_the_host_reads_it(string after, string next) =>
        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture),
            QuarterlySchedule.Expression.GetNextOccurrence(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.Utc));

    [Fact]
    public async Task On_its_own_the_schedule_fires_the_timer_function_and_renders_its_batches_in_process()
    {
        await DisposeAsync();
        // Half a second before the Q3 firing, with the schedule on.
        Directory.CreateDirectory(_directory);
        _app = new AssessAppFactory("sqlite", Path.Combine(_directory, "scheduled.db"), new Dictionary<string, string?> { ["Timer:Enabled"] = "true" });
        _app.Clock.Now = new DateTimeOffset(2025, 10, 5, 1, 59, 59, TimeSpan.Zero);
        _office = _app.Client(_app.Token("office"));
        await (await _office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/periods/2025Q3/observations?file=observations.csv", Api.Csv(TestProvince.ObservationsCsv()))).JsonAsync(HttpStatusCode.OK);
        await (await _office.PutAsync("/api/rulesets/county-2025", Api.Yaml(SampleRulesets.County))).JsonAsync(HttpStatusCode.Created);
        await (await _office.PostAsync("/api/rulesets/county-2025/versions/1/activate", null)).JsonAsync(HttpStatusCode.OK);
        // The schedule waits on this clock: moving it to the occurrence lets the wait end.
        _app.Clock.Now = new DateTimeOffset(2025, 10, 5, 2, 0, 0, TimeSpan.Zero);
        EvaluationRun? run = null;
        for (var i = 0; i < 1200 && run is not { Status: RunStatus.Succeeded or RunStatus.Failed }; i++)
        {
            await Task.Delay(100);
            run = (await Store.ListRunsAsync(Period.OfQuarter(2025, 3))).SingleOrDefault();
        }
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("timer", run.Actor);
        Assert.Equal(ScoredCounties, (await Store.ListDocumentsAsync(run.Id)).Count(d => d.Kind == DocumentKind.Scorecard));
    }
}
