using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;

namespace BaiQianWan.Assess.Scorecards;

/// <summary>
/// A year's task ledger as the documents read it (ledger.md): the year's units, its tasks, each task's history, and the
/// lights' settings. The documents replay it to a period's end (<see cref="LedgerHistory"/>), count with
/// <see cref="LedgerFigures"/> and light with <see cref="LedgerLights"/>, so they print exactly what a run reads.
/// </summary>
/// <param name="Year">The ledger's year.</param>
/// <param name="Units">The year's units (names, classes, levels).</param>
/// <param name="Tasks">The year's tasks (grouping items are skipped).</param>
/// <param name="History">Each task's history by task id, in order.</param>
/// <param name="Settings">The lights' settings (<c>remindDays</c>, <c>redAfterDays</c>).</param>
public sealed record LedgerBook(int Year, IReadOnlyList<Unit> Units, IReadOnlyList<LedgerTask> Tasks,
    IReadOnlyDictionary<string, IReadOnlyList<LedgerEvent>> History, LedgerSettings Settings)
{
    /// <summary>True when some unit has a task in the year (a ledger without one prints nothing).</summary>
    public bool HasTasks => Tasks.Any(t => t.Year == Year && !t.IsGrouping);
}
