namespace BaiQianWan.Assess.Rules.Ledger;

/// <summary>
/// The state of a task on a date, replayed from its history (contract §4): the task as the tasks file loaded it
/// (a loaded 已销号 counts from its <c>done</c> date, a loaded 中止 always), then every change recorded on or before
/// that date (its China date), in order. The figures of a past period therefore never change when the ledger moves on.
/// </summary>
public static class LedgerHistory
{
    /// <summary>
    /// The task as it stood at the end of the China date <paramref name="on"/>.
    /// </summary>
    /// <param name="task">The task (its loaded columns are what the replay starts from).</param>
    /// <param name="events">The task's history, in order of <see cref="LedgerEvent.Sequence"/> (other tasks' entries are not allowed).</param>
    /// <param name="on">The date E.</param>
    public static LedgerTask On(LedgerTask task, IEnumerable<LedgerEvent> events, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(events);
        var state = task.AsLoaded();
        if (state.State == TaskState.Closed && state.Done > on)
            state = state with { State = TaskState.InProgress, Done = null, DueWhenDone = null };
        foreach (var e in events)
        {
            if (e.On > on) continue;
            if (e.Change.IsStateChange()) state = LedgerMachine.Apply(state, e);
        }
        return state;
    }

    /// <summary>The task now: every recorded change applied to the loaded task.</summary>
    public static LedgerTask Current(LedgerTask task, IEnumerable<LedgerEvent> events)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(events);
        var state = task.AsLoaded();
        foreach (var e in events) state = LedgerMachine.Apply(state, e);
        return state;
    }
}
