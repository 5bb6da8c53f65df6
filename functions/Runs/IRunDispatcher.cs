using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Functions.Runs;

/// <summary>Carries an HTTP-started run on after the request is answered: evaluation, rendering, completion.</summary>
public interface IRunDispatcher
{
    /// <summary>Hands a queued run over; returns once it is safely handed over (not when it is done).</summary>
    Task DispatchAsync(EvaluationRun run, CancellationToken cancellationToken);
}
