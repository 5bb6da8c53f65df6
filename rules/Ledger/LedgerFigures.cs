using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Rules.Ledger;

/// <summary>
/// The derived observations of the ledger (contract §4) for a period P with end date E, per unit of P's year that
/// has tasks, over its own tasks not 中止 on E, each replayed to E from its history (<see cref="LedgerHistory"/>):
/// <list type="bullet">
/// <item><c>ledger_due</c>: tasks whose deadline in force on E is ≤ E (no target).</item>
/// <item><c>ledger_closed_on_time</c>: of those, the ones 已销号 on E whose done date is ≤ the deadline in force when
/// the work was reported done (at the submission verified; the file's <c>due</c> for a loaded 已销号); target: the due count.</item>
/// <item><c>ledger_closed</c>: of those, the ones 已销号 on E; target: the due count.</item>
/// <item><c>ledger_overdue</c>: tasks 推进中 or 待核验 on E whose deadline is before E (no target).</item>
/// <item><c>ledger_reopened</c>: reopenings recorded on or before E (no target).</item>
/// </list>
/// </summary>
public static class LedgerFigures
{
    /// <summary>The five indicator ids, in the order each unit's rows are given.</summary>
    public static readonly ImmutableArray<string> Indicators =
        ["ledger_due", "ledger_closed_on_time", "ledger_closed", "ledger_overdue", "ledger_reopened"];

    /// <summary>True for an id the ledger derives (an uploaded observations file may not carry it).</summary>
    public static bool IsDerived(string indicator) => Indicators.Contains(indicator);

    /// <summary>
    /// The rows for <paramref name="period"/>: five per unit with tasks of its year (zeros included), by unit code
    /// (ordinal), then in the order of <see cref="Indicators"/>.
    /// </summary>
    /// <param name="tasks">Tasks of any years (those of the period's year with a unit are read).</param>
    /// <param name="history">Each task's history by task id, in order (a task without an entry here has none).</param>
    /// <param name="period">The period.</param>
    public static ImmutableArray<Observation> For(IEnumerable<LedgerTask> tasks, IReadOnlyDictionary<string, IReadOnlyList<LedgerEvent>> history, Period period)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(history);
        var end = period.EndDate;
        var counts = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (task.Year != period.Year || task.Unit is not { } unit) continue;
            if (!counts.TryGetValue(unit, out var c)) counts[unit] = c = new int[5];
            var s = LedgerHistory.On(task, history.TryGetValue(task.Id, out var events) ? events : [], end);
            if (s.State == TaskState.Cancelled) continue;
            if (s.Due <= end)
            {
                c[0]++;
                if (s.State == TaskState.Closed)
                {
                    c[2]++;
                    if (s.Done <= s.DueWhenDone) c[1]++;
                }
            }
            if (s.State is TaskState.InProgress or TaskState.Submitted && s.Due < end) c[3]++;
            c[4] += s.Reopened;
        }
        var rows = ImmutableArray.CreateBuilder<Observation>(counts.Count * 5);
        foreach (var (unit, c) in counts)
        {
            rows.Add(new Observation(unit, Indicators[0], period, c[0], null, null));
            rows.Add(new Observation(unit, Indicators[1], period, c[1], c[0], null));
            rows.Add(new Observation(unit, Indicators[2], period, c[2], c[0], null));
            rows.Add(new Observation(unit, Indicators[3], period, c[3], null, null));
            rows.Add(new Observation(unit, Indicators[4], period, c[4], null, null));
        }
        return rows.MoveToImmutable();
    }
}
