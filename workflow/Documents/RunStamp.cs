using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow;

/// <summary>What documents print about the run that produced them (never the wall clock).</summary>
/// <param name="RunId">Run id.</param>
/// <param name="At">The run's own time (when it was requested).</param>
/// <param name="Sample">Sample data: print a visible 示例数据 mark.</param>
public sealed record RunStamp(string RunId, DateTimeOffset At, bool Sample)
{
    /// <summary>The stamp of a stored run.</summary>
    public static RunStamp Of(EvaluationRun run) => new(run.Id, run.RequestedAt, run.Sample);
}
