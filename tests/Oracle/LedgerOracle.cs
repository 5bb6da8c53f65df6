using BaiQianWan.Assess.Rules.Ledger;

namespace BaiQianWan.Assess.Tests.Oracle;

/// <summary>
/// An independent reading of the ledger contract's §4, written from the contract alone and sharing no code with the
/// engine (no <c>LedgerMachine</c>, <c>LedgerHistory</c> or <c>LedgerFigures</c>): for each task it walks the raw
/// history entries recorded on or before E, keeping its own state word, deadline, done date and count of reopenings,
/// and counts the five figures. Only the data records (tasks as loaded, history entries) are shared, as input.
/// </summary>
public static class LedgerOracle
{
    /// <summary>The figures by (unit, indicator): (actual, target or null).</summary>
    public static Dictionary<(string Unit, string Indicator), (decimal Actual, decimal? Target)> Figures(
        IEnumerable<LedgerTask> tasks, IEnumerable<LedgerEvent> history, int year, DateOnly end)
    {
        var byTask = history.GroupBy(e => e.TaskId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.Sequence).ToList());
        var result = new Dictionary<(string, string), (decimal, decimal?)>();
        foreach (var unitTasks in tasks.Where(t => t.Year == year && !string.IsNullOrEmpty(t.Unit)).GroupBy(t => t.Unit!))
        {
            int due = 0, onTime = 0, closed = 0, overdue = 0, reopened = 0;
            foreach (var t in unitTasks)
            {
                var (state, deadline, done, deadlineWhenDone, reopenings) = Replay(t, byTask.GetValueOrDefault(t.Id) ?? [], end);
                if (state == "cancelled") continue;
                reopened += reopenings;
                if (deadline <= end)
                {
                    due++;
                    if (state == "closed")
                    {
                        closed++;
                        if (done!.Value <= deadlineWhenDone!.Value) onTime++;
                    }
                }
                if ((state == "open" || state == "waiting") && deadline < end) overdue++;
            }
            result[(unitTasks.Key, "ledger_due")] = (due, null);
            result[(unitTasks.Key, "ledger_closed_on_time")] = (onTime, due);
            result[(unitTasks.Key, "ledger_closed")] = (closed, due);
            result[(unitTasks.Key, "ledger_overdue")] = (overdue, null);
            result[(unitTasks.Key, "ledger_reopened")] = (reopened, null);
        }
        return result;
    }

    private static (string State, DateOnly Deadline, DateOnly? Done, DateOnly? DeadlineWhenDone, int Reopenings) Replay(LedgerTask t, List<LedgerEvent> entries, DateOnly end)
    {
        // The loaded state: 已销号 from its done date, 中止 always.
        var state = t.LoadedState switch
        {
            TaskState.Closed when t.LoadedDone!.Value <= end => "closed",
            TaskState.Cancelled => "cancelled",
            _ => "open",
        };
        var deadline = t.LoadedDue!.Value;
        DateOnly? done = state == "closed" ? t.LoadedDone : null;
        DateOnly? deadlineWhenDone = state == "closed" ? t.LoadedDue : null;
        DateOnly? submittedOn = null, deadlineAtSubmission = null;
        var reopenings = 0;
        foreach (var e in entries)
        {
            if (e.On > end) continue;
            switch (e.Change)
            {
                case LedgerChange.Submit:
                    state = "waiting";
                    submittedOn = e.On;
                    deadlineAtSubmission = deadline;
                    break;
                case LedgerChange.Close:
                    state = "closed";
                    done = submittedOn;
                    deadlineWhenDone = deadlineAtSubmission;
                    break;
                case LedgerChange.Return:
                case LedgerChange.Resume:
                    state = "open";
                    break;
                case LedgerChange.Cancel:
                    state = "cancelled";
                    break;
                case LedgerChange.Reopen:
                    state = "open";
                    done = null;
                    deadlineWhenDone = null;
                    reopenings++;
                    if (e.Date is { } moved) deadline = moved;
                    break;
                case LedgerChange.Approve:
                case LedgerChange.Deadline:
                    deadline = e.Date!.Value;
                    break;
            }
        }
        return (state, deadline, done, deadlineWhenDone, reopenings);
    }
}
