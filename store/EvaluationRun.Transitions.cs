using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Store;

// A run's lifecycle, defined once: Queued → Running → Succeeded, and Queued or Running → Failed. Each adapter
// reads the run, asks it for its next state here, and writes that state with its own compare-and-swap (a SQLite
// transaction, an ETag-checked table change); neither decides a transition itself.
public sealed partial record EvaluationRun
{
    /// <summary>True when the run has ended (succeeded or failed); an ended run never changes again.</summary>
    public bool IsOver => Status is RunStatus.Succeeded or RunStatus.Failed;

    /// <summary>The run started at <paramref name="at"/>: only a queued run may start.</summary>
    /// <exception cref="StoreException">Conflict: the run is not queued.</exception>
    public EvaluationRun Start(DateTimeOffset at)
    {
        if (Status != RunStatus.Queued)
            throw new StoreException(StoreError.Conflict, $"运行 {Id} 的状态是 {Internal.StoreText.Status(Status)}，不能开始");
        return this with { Status = RunStatus.Running, StartedAt = at };
    }

    /// <summary>
    /// The run ended with <paramref name="outcome"/> at <paramref name="at"/>: a run that has not ended may fail; only a
    /// running run whose results are saved (<paramref name="resultsSaved"/>) may succeed.
    /// </summary>
    /// <exception cref="StoreException">Conflict: the run has ended, or may not succeed yet.</exception>
    public EvaluationRun Complete(RunOutcome outcome, DateTimeOffset at, bool resultsSaved)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (IsOver)
            throw new StoreException(StoreError.Conflict, $"运行 {Id} 已经结束（{Internal.StoreText.Status(Status)}）");
        if (outcome.UnlessSeenAfter is { } seen && LastSeenAt > seen)
            throw new StoreException(StoreError.Conflict,
                $"运行 {Id} 在 {LastSeenAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC 还报告过进度，不按中断处理");
        if (outcome.Succeeded)
        {
            if (Status != RunStatus.Running)
                throw new StoreException(StoreError.Conflict, $"运行 {Id} 还没有开始，不能标记为成功");
            if (!resultsSaved)
                throw new StoreException(StoreError.Conflict, $"运行 {Id} 没有保存结果，不能标记为成功");
        }
        return this with { Status = outcome.Succeeded ? RunStatus.Succeeded : RunStatus.Failed, Reason = outcome.Reason, CompletedAt = at };
    }

    /// <summary>The last sign of life of the run: its last heartbeat, else when it started, else when it was queued.</summary>
    public DateTimeOffset LastSeenAt => HeartbeatAt ?? StartedAt ?? RequestedAt;

    /// <summary>
    /// The run's worker is still at work at <paramref name="at"/> (a heartbeat): only a running run may renew; the
    /// heartbeat never moves back.
    /// </summary>
    /// <exception cref="StoreException">Conflict: the run is not running (queued, or ended).</exception>
    public EvaluationRun Renew(DateTimeOffset at)
    {
        RequireRunning("不能续期");
        return this with { HeartbeatAt = HeartbeatAt is { } h && h > at ? h : at };
    }

    /// <summary>
    /// The run with its results saved: their data SHA-256, the previous run compared against, and the documents the
    /// results call for (<see cref="ExpectedDocuments(EvaluationResult)"/>). Only a running run may save results.
    /// </summary>
    /// <exception cref="StoreException">Conflict: the run is not running.</exception>
    public EvaluationRun WithResults(EvaluationResult result, string? previousRunId)
    {
        ArgumentNullException.ThrowIfNull(result);
        RequireRunning("不能保存结果");
        var (scorecards, bulletins) = ExpectedDocuments(result);
        return this with { DataSha256 = result.DataSha256, PreviousRunId = previousRunId, ScorecardsExpected = scorecards, BulletinsExpected = bulletins };
    }

    /// <summary>
    /// The run with a month's results saved (a monitor's run): their data hash, no previous run (a month's result carries
    /// its own history), and the documents they call for (<see cref="ExpectedDocuments(MonthResult)"/>). Only a running run may save results.
    /// </summary>
    /// <exception cref="StoreException">Conflict: the run is not running.</exception>
    public EvaluationRun WithResults(MonthResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        RequireRunning("不能保存结果");
        var (units, bulletins) = ExpectedDocuments(result);
        return this with { DataSha256 = result.DataSha256, PreviousRunId = null, ScorecardsExpected = units, BulletinsExpected = bulletins };
    }

    /// <summary>
    /// The documents a month's result calls for: one unit page per unit (stored as <see cref="DocumentKind.Scorecard"/>, key
    /// the unit's code) and the level's bulletin (<see cref="DocumentKind.Bulletin"/>, key the level, e.g. <c>county</c>).
    /// </summary>
    public static (int Units, int Bulletins) ExpectedDocuments(MonthResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return (result.Units.Select(u => u.Code).Distinct(StringComparer.Ordinal).Count(), 1);
    }

    /// <summary>
    /// The documents a result calls for: one scorecard per unit, one bulletin per class with units, and for a year's result
    /// whose units carry a level-wide rank (a level scope) one more bulletin, the level-wide ranking (全省排名).
    /// </summary>
    public static (int Scorecards, int Bulletins) ExpectedDocuments(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var levelRanking = result.Period.IsWholeYear && result.Units.Any(u => u.LevelPeers is not null) ? 1 : 0;
        return (result.Units.Select(u => u.Code).Distinct(StringComparer.Ordinal).Count(),
            result.Units.Select(u => u.Class).Distinct(StringComparer.Ordinal).Count() + levelRanking);
    }

    /// <summary>Refuses work on a run that is not running (<paramref name="work"/>: what was to be done, e.g. 保存结果).</summary>
    /// <exception cref="StoreException">Conflict: the run is not running.</exception>
    public void RequireRunning(string work)
    {
        if (Status != RunStatus.Running)
            throw new StoreException(StoreError.Conflict, $"运行 {Id} 的状态是 {Internal.StoreText.Status(Status)}，{work}");
    }

    /// <summary>The audit action of the run's last transition: <c>run.start</c>, <c>run.succeeded</c> or <c>run.failed</c>.</summary>
    public string TransitionAction => Status switch
    {
        RunStatus.Running => "run.start",
        RunStatus.Succeeded => "run.succeeded",
        RunStatus.Failed => "run.failed",
        _ => "run.queue",
    };
}
