using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// The one run use case (<see cref="RunService"/>) on a real SQLite file: every entry point's one call sweeps stranded
/// runs first (the demo's too), and a stored ruleset text is parsed once per process however many runs, previews and
/// templates use it.
/// </summary>
public sealed class RunServiceTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private IAssessStore _store = null!;
    private readonly TestClock _clock = new();

    public async Task InitializeAsync() => _store = await _file.OpenAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    private async Task<AssessmentService> SeededAsync()
    {
        var service = new AssessmentService(_store, _clock, new TestRenderer());
        await service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        var v = await service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await service.ActivateRulesetAsync("mini", v.Version, "chief");
        return service;
    }

    [Fact]
    public async Task The_demo_fails_stranded_runs_before_its_run_as_every_entry_point_does()
    {
        var service = await SeededAsync();
        // A run queued at 01:00 UTC whose process died before it was carried.
        var stranded = await _store.CreateRunAsync(new RunRequest(Mini.Q3, UnitLevel.County, "mini", 1, "office", _clock.GetUtcNow(), null, false));
        _clock.Advance(TimeSpan.FromMinutes(61));
        var stderr = new StringWriter();

        var run = await DemoCommand.RunAndPublishAsync(service, Mini.Q2, UnitLevel.County, "mini", stderr);

        var failed = (await _store.GetRunAsync(stranded.Id))!;
        const string reason = "运行中断：2025-10-08 01:00 UTC 排队后超过 60 分钟没有完成（进程可能已退出或消息丢失），已标记为失败，请重新运行";
        Assert.Equal((RunStatus.Failed, reason), (failed.Status, failed.Reason));
        Assert.Equal($"运行 {stranded.Id} 已标记为失败：{reason}{Environment.NewLine}", stderr.ToString());
        Assert.Equal((RunStatus.Succeeded, "demo", true), (run!.Status, run.Actor, run.Sample));
        Assert.Equal(run.Id, (await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County))!.RunId);
    }

    [Fact]
    public async Task A_stored_ruleset_text_is_parsed_once_for_all_its_runs_previews_and_templates()
    {
        var service = await SeededAsync();
        Assert.Equal(1, service.Rulesets.Catalog.Parses); // stored: parsed, checked and compiled once

        var q2 = await service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");
        var q3 = await service.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        await service.PreviewAsync("mini", 1, Mini.Q3);
        await service.TemplateAsync(Mini.Q3, "mini", null);
        Assert.Equal((RunStatus.Succeeded, RunStatus.Succeeded), (q2.Status, q3.Status));
        Assert.Equal(1, service.Rulesets.Catalog.Parses);

        // Another text is another entry; the first is still compiled.
        var v2 = await service.AddRulesetAsync(Mini.RulesetV2, "mini.yaml", "author");
        await service.PreviewAsync("mini", v2.Version, Mini.Q3);
        await service.RunAsync(Mini.Q3, UnitLevel.County, "mini", 1, "office");
        Assert.Equal(2, service.Rulesets.Catalog.Parses);

        // Another process parses a stored text once, on first use, and evaluates it to the same results.
        var other = new AssessmentService(_store, _clock, new TestRenderer());
        var again = await other.RunAsync(Mini.Q3, UnitLevel.County, "mini", 1, "office");
        await other.RunAsync(Mini.Q2, UnitLevel.County, "mini", 1, "office");
        Assert.Equal(1, other.Rulesets.Catalog.Parses);
        Assert.Equal((await _store.GetResultsAsync(q3.Id))!.Units.Select(u => (u.Code, u.Total, u.Rank)),
            (await _store.GetResultsAsync(again.Id))!.Units.Select(u => (u.Code, u.Total, u.Rank)));
    }

    [Fact]
    public async Task A_render_batch_reads_its_run_once_and_its_results_only_where_they_are_not_in_hand()
    {
        await SeededAsync();
        var counted = CountingStore.Wrap(_store);
        var runs = new AssessmentService(counted, _clock, new TestRenderer(), new RunOptions { BatchSize = 1 }).Runs;
        var (run, batches) = await runs.QueueAsync(Mini.Q2, UnitLevel.County, "office");
        Assert.Equal(4, batches.Count);

        // The process that evaluated the run: one read of the run, no results read.
        ((CountingStore)(object)counted).Calls.Clear();
        Assert.Equal(RunStatus.Running, (await runs.RenderAsync(batches[0])).Status);
        Assert.Equal((1, 0), Reads(counted));

        // Another process: the results once, for its first batch; not for its next.
        var other = CountingStore.Wrap(_store);
        var otherRuns = new AssessmentService(other, _clock, new TestRenderer()).Runs;
        await otherRuns.RenderAsync(batches[1]);
        Assert.Equal((1, 1), Reads(other));
        ((CountingStore)(object)other).Calls.Clear();
        await otherRuns.RenderAsync(batches[2]);
        Assert.Equal((1, 0), Reads(other));

        // The last batch finishes the run (bulletins, completion) still with one read of the run.
        ((CountingStore)(object)other).Calls.Clear();
        Assert.Equal(RunStatus.Succeeded, (await otherRuns.RenderAsync(batches[3])).Status);
        Assert.Equal((1, 0), Reads(other));
    }

    private static (int Runs, int Results) Reads(IAssessStore counted)
    {
        var calls = ((CountingStore)(object)counted).Calls;
        return (calls.GetValueOrDefault(nameof(IAssessStore.GetRunAsync)), calls.GetValueOrDefault(nameof(IAssessStore.GetResultsAsync)));
    }

    /// <summary>A store that counts the calls of each member and passes them on.</summary>
    public class CountingStore : DispatchProxy
    {
        private IAssessStore _inner = null!;

        public ConcurrentDictionary<string, int> Calls { get; } = new();

        public static IAssessStore Wrap(IAssessStore inner)
        {
            var proxy = Create<IAssessStore, CountingStore>();
            ((CountingStore)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            Calls.AddOrUpdate(method!.Name, 1, (_, n) => n + 1);
            try
            {
                return method.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
