using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Runs;

/// <summary>What a host asks for when it starts a run.</summary>
/// <param name="Period">The period evaluated.</param>
/// <param name="Level">The level; it must be the ruleset's.</param>
/// <param name="RulesetId">The ruleset id.</param>
/// <param name="Version">The version, or null for the active one.</param>
/// <param name="Actor">Who asks (<see cref="RunOptions.TimerActor"/> for the timer).</param>
/// <param name="IdempotencyKey">With a key, asking again returns the first run.</param>
/// <param name="Sample">Sample data: documents carry a visible mark.</param>
public sealed record RunAsk(Period Period, UnitLevel Level, string RulesetId, int? Version, string Actor,
    string? IdempotencyKey = null, bool Sample = false)
{
    /// <summary>True when <paramref name="run"/> is what this asks for (a key used for another request does not match).</summary>
    public bool Matches(EvaluationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Period == Period && run.Level == Level && run.RulesetId == RulesetId
            && (Version is not { } v || run.RulesetVersion == v) && run.Sample == Sample;
    }
}

/// <summary>What <see cref="RunService.StartAsync"/> did.</summary>
/// <param name="Run">The run as it stands once handed over (ended, when carried in this call).</param>
/// <param name="Stranded">Runs the stranded-run sweep before it marked failed.</param>
public sealed record RunStarted(EvaluationRun Run, IReadOnlyList<EvaluationRun> Stranded);

/// <summary>
/// A queued run handed to a carrier, with what its request already read and checked (the compiled ruleset and the
/// data) when it was requested in this process, so evaluating it neither parses nor checks again.
/// </summary>
/// <param name="Run">The run as requested (queued).</param>
/// <param name="Input">The checked input, or null (a run taken up later): then evaluation reads and checks it.</param>
public sealed record QueuedRun(EvaluationRun Run, RunInput? Input = null);

/// <summary>
/// The checked input of an evaluation: the compiled ruleset (or, for a month, the compiled monitor) and the data it was
/// checked against (for a month, the rows of every month of the year up to it).
/// </summary>
public sealed class RunInput
{
    internal RunInput(CompiledRuleset ruleset, Dataset data)
    {
        _ruleset = ruleset;
        Data = data;
    }

    internal RunInput(CompiledMonitor monitor, Dataset data)
    {
        Monitor = monitor;
        Data = data;
    }

    /// <summary>The scoring ruleset (null for a month run).</summary>
    internal CompiledRuleset Ruleset => _ruleset ?? throw new InvalidOperationException("月度运行没有评分规则集");

    private readonly CompiledRuleset? _ruleset;

    /// <summary>The monitor of a month run, or null.</summary>
    internal CompiledMonitor? Monitor { get; }

    internal Dataset Data { get; }
}
