namespace BaiQianWan.Assess.Rules.Ledger;

/// <summary>The kinds of entries in a task's history: the changes of the ledger contract (§2) and the imports.</summary>
public enum LedgerChange
{
    /// <summary>The task was added by an import of the tasks file (its loaded state and dates are the task's own).</summary>
    Imported,

    /// <summary>A re-import changed the task's text (or, before any change of state, its loaded state and dates).</summary>
    Updated,

    /// <summary>申请销号: 推进中 → 待核验, with a note and evidence files; drops a pending extension request.</summary>
    Submit,

    /// <summary>核验通过: 待核验 → 已销号; done = the date of the submission verified.</summary>
    Close,

    /// <summary>退回: 待核验 → 推进中, with a reason.</summary>
    Return,

    /// <summary>申请延期: a pending extension request (reason and proposed date), on or before the deadline.</summary>
    Extend,

    /// <summary>批准延期: the deadline becomes the proposed date (the first deadline is kept as originalDue).</summary>
    Approve,

    /// <summary>不批准延期: the request is dropped, the deadline unchanged.</summary>
    Refuse,

    /// <summary>重新挂账: 已销号 → 推进中 (done cleared, counted as reopened), optionally with a new deadline.</summary>
    Reopen,

    /// <summary>中止: any state but 已销号 → 中止.</summary>
    Cancel,

    /// <summary>恢复: 中止 → 推进中.</summary>
    Resume,

    /// <summary>调整时限: a new deadline for a task 推进中 or 待核验 (the first deadline is kept as originalDue).</summary>
    Deadline,
}

/// <summary>Names of <see cref="LedgerChange"/>.</summary>
public static class LedgerChanges
{
    /// <summary>True for the changes of §2 (every kind but the imports): once one is recorded, a re-import no longer changes the task's state or dates.</summary>
    public static bool IsStateChange(this LedgerChange change) => change is not (LedgerChange.Imported or LedgerChange.Updated);

    /// <summary>The change in Chinese, as the history shows it.</summary>
    public static string ToChinese(this LedgerChange change) => change switch
    {
        LedgerChange.Imported => "导入",
        LedgerChange.Updated => "重新导入更新",
        LedgerChange.Submit => "申请销号",
        LedgerChange.Close => "核验通过",
        LedgerChange.Return => "退回",
        LedgerChange.Extend => "申请延期",
        LedgerChange.Approve => "批准延期",
        LedgerChange.Refuse => "不批准延期",
        LedgerChange.Reopen => "重新挂账",
        LedgerChange.Cancel => "中止",
        LedgerChange.Resume => "恢复",
        _ => "调整时限",
    };

    /// <summary>The word stored and used on the command line: <c>imported</c>, <c>submit</c>, <c>close</c> …</summary>
    public static string ToWord(this LedgerChange change) => change.ToString().ToLowerInvariant();

    /// <summary>Reads <see cref="ToWord"/>.</summary>
    public static bool TryParse(string? word, out LedgerChange change)
    {
        foreach (var c in Enum.GetValues<LedgerChange>())
            if (string.Equals(c.ToWord(), word, StringComparison.Ordinal))
            {
                change = c;
                return true;
            }
        change = default;
        return false;
    }
}
