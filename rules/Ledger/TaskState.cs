namespace BaiQianWan.Assess.Rules.Ledger;

/// <summary>The state of a task of the ledger (a grouping item, one without a unit, has none).</summary>
public enum TaskState
{
    /// <summary>推进中: being worked on (the default; also after a return, a reopen or a resume).</summary>
    InProgress,

    /// <summary>待核验: reported done, waiting for the office's verification.</summary>
    Submitted,

    /// <summary>已销号: verified and closed; <c>done</c> is the date of the submission verified.</summary>
    Closed,

    /// <summary>中止: cancelled by the office; counts nowhere.</summary>
    Cancelled,
}

/// <summary>The Chinese names of <see cref="TaskState"/>, as the tasks file and the hosts write them.</summary>
public static class TaskStates
{
    /// <summary>推进中, 待核验, 已销号 or 中止.</summary>
    public static string ToChinese(this TaskState state) => state switch
    {
        TaskState.InProgress => "推进中",
        TaskState.Submitted => "待核验",
        TaskState.Closed => "已销号",
        _ => "中止",
    };

    /// <summary>Reads a state by its Chinese name, or its English word (<c>in-progress</c>, <c>submitted</c>, <c>closed</c>, <c>cancelled</c>).</summary>
    public static bool TryParse(string? text, out TaskState state)
    {
        state = TaskState.InProgress;
        switch (text?.Trim())
        {
            case "推进中" or "in-progress": state = TaskState.InProgress; return true;
            case "待核验" or "submitted": state = TaskState.Submitted; return true;
            case "已销号" or "closed": state = TaskState.Closed; return true;
            case "中止" or "cancelled": state = TaskState.Cancelled; return true;
            default: return false;
        }
    }
}
