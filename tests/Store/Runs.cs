using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Tests;

/// <summary>Tests start runs through the one entry of every host: <see cref="RunService.StartAsync"/>.</summary>
internal static class Runs
{
    /// <summary>What the CLI's <c>run</c> does: start a run and carry it in this process; the run as it ended.</summary>
    public static async Task<EvaluationRun> RunAsync(this AssessmentService service, Period period, UnitLevel level, string rulesetId, int? version,
        string actor, string? idempotencyKey = null, bool sample = false, int? batchSize = null, IProgress<RunProgress>? progress = null)
    {
        var runs = batchSize is { } size ? service.Runs.With(new RunOptions { BatchSize = size }) : service.Runs;
        return (await runs.StartAsync(new RunAsk(period, level, rulesetId, version, actor, idempotencyKey, sample), new InProcessCarrier(progress))).Run;
    }

    /// <summary>What the hosted app does: start a run, evaluate it now and keep its render batches (for the queue); the run and its batches.</summary>
    public static async Task<(EvaluationRun Run, IReadOnlyList<RenderBatch> Batches)> QueueAsync(this RunService runs, Period period, UnitLevel level,
        string actor, string rulesetId = "mini")
    {
        var carrier = new BatchCarrier();
        var started = await runs.StartAsync(new RunAsk(period, level, rulesetId, null, actor), carrier);
        return (started.Run, carrier.Batches);
    }

    /// <summary>
    /// A run requested through the one entry whose carrier is gone before it carries anything (a process that stopped,
    /// a message lost): the run stays queued.
    /// </summary>
    public static async Task<EvaluationRun> RequestRunAsync(this AssessmentService service, Period period, UnitLevel level, string rulesetId,
        int? version, string actor) =>
        (await service.Runs.StartAsync(new RunAsk(period, level, rulesetId, version, actor), new LostCarrier())).Run;

    private sealed class LostCarrier : IRunCarrier
    {
        public Task<EvaluationRun?> CarryAsync(RunService runs, QueuedRun run, CancellationToken cancellationToken) => Task.FromResult<EvaluationRun?>(null);
    }
}
