using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Store;

/// <summary>What to evaluate.</summary>
/// <param name="Period">Period evaluated.</param>
/// <param name="Level">Level evaluated (the ruleset's level).</param>
/// <param name="RulesetId">Ruleset id.</param>
/// <param name="RulesetVersion">Ruleset version (resolved by the caller, never "active").</param>
/// <param name="Actor">Who asked (a user, or <c>timer</c>).</param>
/// <param name="RequestedAt">When.</param>
/// <param name="IdempotencyKey">At most one run exists per key, e.g. <c>timer:2025Q3:county:county-2025:3</c>.</param>
/// <param name="Sample">The data is sample data: documents carry a visible 示例数据 mark.</param>
public sealed record RunRequest(Period Period, UnitLevel Level, string RulesetId, int RulesetVersion, string Actor, DateTimeOffset RequestedAt, string? IdempotencyKey = null, bool Sample = false);

/// <summary>An evaluation run and its state.</summary>
/// <param name="Id">Run id assigned by the store.</param>
/// <param name="Period">Period evaluated.</param>
/// <param name="Level">Level evaluated.</param>
/// <param name="RulesetId">Ruleset id.</param>
/// <param name="RulesetVersion">Ruleset version.</param>
/// <param name="Status">Queued, running, succeeded or failed.</param>
/// <param name="Reason">Why it failed, when it did.</param>
/// <param name="DataSha256">SHA-256 of the data evaluated, once results are saved.</param>
/// <param name="Actor">Who asked.</param>
/// <param name="RequestedAt">When it was queued.</param>
/// <param name="StartedAt">When it started running.</param>
/// <param name="CompletedAt">When it succeeded or failed.</param>
/// <param name="IdempotencyKey">The key it was created with, if any.</param>
/// <param name="Sample">The data is sample data.</param>
public sealed partial record EvaluationRun(
    string Id, Period Period, UnitLevel Level, string RulesetId, int RulesetVersion,
    RunStatus Status, string? Reason, string? DataSha256, string Actor,
    DateTimeOffset RequestedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt, string? IdempotencyKey, bool Sample)
{
    /// <summary>
    /// The published run of the previous period (same level) that the run's documents compare against for rank
    /// changes, fixed when the results are saved; null when there was none. Added to the contract so that a run
    /// re-renders byte-identically even after the previous period is re-published.
    /// </summary>
    public string? PreviousRunId { get; init; }

    /// <summary>
    /// How many scorecards the run must have: one per unit of its results. Fixed when the results are saved, so
    /// progress and completion compare stored documents with it without reading the results; null before that, and
    /// for a run saved before the count was kept (then it is computed from the results).
    /// </summary>
    public int? ScorecardsExpected { get; init; }

    /// <summary>How many bulletins the run must have: one per class of its results. As <see cref="ScorecardsExpected"/>.</summary>
    public int? BulletinsExpected { get; init; }

    /// <summary>
    /// When the run's worker last said it is still at work (<see cref="IRunStore.RenewRunAsync"/>: after evaluating and
    /// after each render batch), or null. A run silent longer than the lease counts as stranded.
    /// </summary>
    public DateTimeOffset? HeartbeatAt { get; init; }
}

/// <summary>Where a run is.</summary>
public enum RunStatus
{
    /// <summary>Created, not started.</summary>
    Queued,
    /// <summary>Evaluating or rendering.</summary>
    Running,
    /// <summary>Results and documents stored.</summary>
    Succeeded,
    /// <summary>Stopped with a reason; nothing of it can be published.</summary>
    Failed,
}

/// <summary>How a run ended.</summary>
/// <param name="Succeeded">True for success.</param>
/// <param name="Reason">Failure reason (null on success).</param>
public sealed record RunOutcome(bool Succeeded, string? Reason)
{
    /// <summary>Success.</summary>
    public static RunOutcome Success { get; } = new(true, null);

    /// <summary>Failure with a reason.</summary>
    public static RunOutcome Failure(string reason) => new(false, reason);

    /// <summary>
    /// For a failure: only if the run has shown no sign of life (<see cref="EvaluationRun.LastSeenAt"/>) after this time,
    /// checked inside the store's compare-and-swap, so a run that renewed its lease meanwhile is not failed. Null: always.
    /// </summary>
    public DateTimeOffset? UnlessSeenAfter { get; init; }

    /// <summary>Failure of a stranded run last seen at <paramref name="lastSeen"/>: refused (conflict) if it has been seen since.</summary>
    public static RunOutcome Stranded(string reason, DateTimeOffset lastSeen) => new(false, reason) { UnlessSeenAfter = lastSeen };
}
