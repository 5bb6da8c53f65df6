namespace BaiQianWan.Assess.Rules.Ledger;

/// <summary>
/// The state machine of the ledger (contract §2), pure: <see cref="Problem"/> says whether a change may be made to a
/// task as it stands (the state rules; who may make it is the workflow's), and <see cref="Apply"/> gives the task
/// after a recorded change. The same <see cref="Apply"/> makes a change and replays the history.
/// </summary>
public static class LedgerMachine
{
    /// <summary>
    /// Why <paramref name="change"/> cannot be made now to <paramref name="task"/> by <paramref name="actor"/> on the
    /// China date <paramref name="on"/> with <paramref name="date"/> (a proposed or new deadline), or null when it can.
    /// </summary>
    public static string? Problem(LedgerTask task, LedgerChange change, DateOnly on, DateOnly? date, string actor)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsGrouping) return $"{task.Id} 是分组项（没有责任单位），没有状态";
        var state = task.State.ToChinese();
        return change switch
        {
            LedgerChange.Submit when task.State != TaskState.InProgress => $"任务 {task.Id} {state}，只有推进中的任务可以申请销号",
            LedgerChange.Close when task.State != TaskState.Submitted => $"任务 {task.Id} {state}，只有待核验的任务可以核验通过",
            LedgerChange.Close when string.Equals(task.SubmittedBy, actor, StringComparison.Ordinal) =>
                $"账户 {actor} 提交了任务 {task.Id} 的销号申请，不能由同一账户核验（须由考核办的另一个账户核验）",
            LedgerChange.Return when task.State != TaskState.Submitted => $"任务 {task.Id} {state}，只有待核验的任务可以退回",
            LedgerChange.Extend when task.State != TaskState.InProgress => $"任务 {task.Id} {state}，只有推进中的任务可以申请延期",
            LedgerChange.Extend when task.Pending is not null => $"任务 {task.Id} 已有待批准的延期申请（{task.Pending.Proposed:yyyy-MM-dd}）",
            LedgerChange.Extend when on > task.Due => $"任务 {task.Id} 的完成时限 {task.Due:yyyy-MM-dd} 已过，不能再申请延期",
            LedgerChange.Extend when date is null => "申请延期须提出新的完成时限",
            LedgerChange.Extend when date <= task.Due => $"申请的完成时限 {date:yyyy-MM-dd} 应晚于现在的 {task.Due:yyyy-MM-dd}",
            LedgerChange.Approve or LedgerChange.Refuse when task.Pending is null || task.State != TaskState.InProgress =>
                $"任务 {task.Id} 没有待批准的延期申请",
            LedgerChange.Reopen when task.State != TaskState.Closed => $"任务 {task.Id} {state}，只有已销号的任务可以重新挂账",
            LedgerChange.Cancel when task.State is TaskState.Closed or TaskState.Cancelled => $"任务 {task.Id} {state}，不能中止",
            LedgerChange.Resume when task.State != TaskState.Cancelled => $"任务 {task.Id} {state}，只有中止的任务可以恢复",
            LedgerChange.Deadline when task.State is not (TaskState.InProgress or TaskState.Submitted) => $"任务 {task.Id} {state}，不能调整时限",
            LedgerChange.Deadline when date is null => "调整时限须给出新的完成时限",
            LedgerChange.Imported or LedgerChange.Updated => "导入不是状态变更",
            _ => null,
        };
    }

    /// <summary>The task after <paramref name="e"/> (no check: the history is applied as recorded).</summary>
    public static LedgerTask Apply(LedgerTask task, LedgerEvent e)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(e);
        var t = task with { Version = e.Sequence, Changed = task.Changed || e.Change.IsStateChange() };
        return e.Change switch
        {
            LedgerChange.Submit => t with
            {
                State = TaskState.Submitted,
                SubmittedOn = e.On,
                SubmittedBy = e.Actor,
                DueAtSubmission = t.Due,
                Pending = null,
            },
            LedgerChange.Close => t with { State = TaskState.Closed, Done = t.SubmittedOn ?? e.On, DueWhenDone = t.DueAtSubmission ?? t.Due },
            LedgerChange.Return => t with { State = TaskState.InProgress },
            LedgerChange.Extend => t with { Pending = new PendingExtension(e.Date ?? t.Due!.Value, e.Reason ?? "", e.Actor, e.On) },
            LedgerChange.Approve => Moved(t, e.Date ?? t.Pending?.Proposed) with { Pending = null },
            LedgerChange.Refuse => t with { Pending = null },
            LedgerChange.Reopen => Moved(t, e.Date) with { State = TaskState.InProgress, Done = null, DueWhenDone = null, Reopened = t.Reopened + 1 },
            LedgerChange.Cancel => t with { State = TaskState.Cancelled, Pending = null },
            LedgerChange.Resume => t with { State = TaskState.InProgress },
            LedgerChange.Deadline => Moved(t, e.Date),
            _ => t,
        };
    }

    /// <summary>The deadline moved to <paramref name="due"/> (none: unchanged), the first one kept as originalDue.</summary>
    private static LedgerTask Moved(LedgerTask t, DateOnly? due) =>
        due is { } d ? t with { OriginalDue = t.OriginalDue ?? t.Due, Due = d } : t;
}
