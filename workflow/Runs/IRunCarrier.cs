using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Runs;

/// <summary>
/// The one host-specific part of a run: how a queued run is carried through <see cref="RunService"/>'s steps (evaluate,
/// render batches, finish) — in this process now, on a background worker, or through a queue.
/// </summary>
public interface IRunCarrier
{
    /// <summary>
    /// Carries a run just requested on. Returns the run as this call left it, or null when it goes on elsewhere or later.
    /// May throw when a step fails during the call (the run is then marked failed with the reason).
    /// </summary>
    Task<EvaluationRun?> CarryAsync(RunService runs, QueuedRun run, CancellationToken cancellationToken);
}

/// <summary>Carries a run to its end in this call, one batch after another (the CLI, the demo, the standalone timer).</summary>
/// <param name="progress">Where the steps are reported, or null.</param>
public sealed class InProcessCarrier(IProgress<RunProgress>? progress = null) : IRunCarrier
{
    /// <inheritdoc />
    public async Task<EvaluationRun?> CarryAsync(RunService runs, QueuedRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return await runs.CarryAsync(run, progress, cancellationToken);
    }
}

/// <summary>
/// Evaluates a run in this call and keeps its render batches for someone else to render (<see cref="RunService.RenderAsync"/>):
/// the hosted timer returns them to the Functions host, which puts them on the render queue.
/// </summary>
public sealed class BatchCarrier : IRunCarrier
{
    private readonly List<RenderBatch> _batches = [];

    /// <summary>The batches of every run carried so far, in order.</summary>
    public IReadOnlyList<RenderBatch> Batches => _batches;

    /// <inheritdoc />
    public async Task<EvaluationRun?> CarryAsync(RunService runs, QueuedRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        _batches.AddRange(await runs.EvaluateAsync(run, cancellationToken));
        return null;
    }
}
