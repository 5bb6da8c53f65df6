using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;

namespace BaiQianWan.Assess.Tests.Oracle;

/// <summary>
/// The engine's derived observations (<see cref="LedgerFigures"/>) against <see cref="LedgerOracle"/> on 300 generated
/// ledgers (loaded states, and histories of submissions, verifications, returns, extensions, deadlines, reopenings,
/// cancellations and resumptions), for every month, quarter and the year.
/// </summary>
public sealed class LedgerOracleTests
{
    private static readonly string[] Units = ["U1", "U2", "U3", "U4", "U5"];

    [Fact]
    public void The_engine_agrees_with_the_oracle_on_300_generated_ledgers_for_every_period()
    {
        var periods = Enumerable.Range(1, 12).Select(m => Period.OfMonth(2025, m))
            .Concat(Enumerable.Range(1, 4).Select(q => Period.OfQuarter(2025, q))).Append(Period.OfYear(2025)).ToList();
        int compared = 0, reopenings = 0, onTime = 0, late = 0, overdue = 0;
        for (var seed = 1; seed <= 300; seed++)
        {
            var (tasks, history) = Generate(seed);
            var byTask = history.GroupBy(e => e.TaskId).ToDictionary(g => g.Key, g => (IReadOnlyList<LedgerEvent>)[.. g.OrderBy(e => e.Sequence)]);
            foreach (var period in periods)
            {
                var engine = LedgerFigures.For(tasks, byTask, period).ToDictionary(o => (o.Unit, o.Indicator), o => (o.Actual, o.Target));
                var oracle = LedgerOracle.Figures(tasks, history, 2025, period.EndDate);
                Assert.True(oracle.Count == engine.Count && oracle.All(p => engine.TryGetValue(p.Key, out var v) && v == p.Value),
                    $"seed {seed}, {period}: engine {Show(engine)} oracle {Show(oracle)}");
                foreach (var ((_, indicator), (actual, target)) in oracle)
                {
                    if (target is { } t) Assert.True(actual <= t);
                    if (period.IsWholeYear && indicator == "ledger_reopened") reopenings += (int)actual;
                    if (period.IsWholeYear && indicator == "ledger_closed_on_time") onTime += (int)actual;
                    if (period.IsWholeYear && indicator == "ledger_closed") late += (int)actual;
                    if (indicator == "ledger_overdue") overdue += (int)actual;
                }
                compared += oracle.Count;
            }
        }
        // The generated ledgers exercise every figure.
        Assert.True(compared > 50_000, $"{compared}");
        Assert.True(reopenings > 100 && onTime > 100 && late - onTime > 100 && overdue > 100, $"{reopenings} {onTime} {late} {overdue}");
    }

    private static string Show(Dictionary<(string Unit, string Indicator), (decimal Actual, decimal? Target)> d) =>
        string.Join("; ", d.OrderBy(p => p.Key.Unit).ThenBy(p => p.Key.Indicator).Select(p => $"{p.Key.Unit}.{p.Key.Indicator}={p.Value.Actual}/{p.Value.Target}"));

    /// <summary>A ledger of 2025 with a random history; the generator tracks its own state to make plausible changes.</summary>
    private static (List<LedgerTask> Tasks, List<LedgerEvent> History) Generate(int seed)
    {
        var random = new Random(seed);
        var start = new DateOnly(2025, 1, 1);
        DateOnly Day(int from, int span) => start.AddDays(from + random.Next(span));
        var tasks = new List<LedgerTask>();
        var history = new List<LedgerEvent>();
        var count = 5 + random.Next(36);
        for (var i = 0; i < count; i++)
        {
            var id = "T" + i;
            var unit = Units[random.Next(random.Next(2) == 0 ? 2 : Units.Length)];
            var due = Day(0, 365);
            var roll = random.Next(10);
            var loaded = roll < 7 ? TaskState.InProgress : roll < 9 ? TaskState.Closed : TaskState.Cancelled;
            DateOnly? done = loaded == TaskState.Closed ? due.AddDays(random.Next(-40, 40)) : null;
            tasks.Add(new LedgerTask
            {
                Year = 2025, Id = id, Unit = unit, Title = id, LoadedDue = due, LoadedState = loaded, LoadedDone = done,
                State = loaded, Due = due, Done = done,
            });
            long seq = 1;
            LedgerEvent Entry(LedgerChange change, DateOnly on, DateOnly? date) =>
                new(2025, id, seq++, change, new DateTimeOffset(on.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero), on, "x", "office", null, null, date, []);
            history.Add(Entry(LedgerChange.Imported, start, null));
            var state = loaded switch { TaskState.Closed => "closed", TaskState.Cancelled => "cancelled", _ => "open" };
            var pending = false;
            var today = done is { } d && d > start ? d : start;
            var current = due;
            for (var n = random.Next(9); n > 0; n--)
            {
                today = today.AddDays(random.Next(0, 45));
                var pick = random.Next(100);
                switch (state)
                {
                    case "open" when pending:
                        history.Add(Entry(pick < 60 ? LedgerChange.Approve : LedgerChange.Refuse, today, pick < 60 ? current.AddDays(10 + random.Next(60)) : null));
                        if (pick < 60) current = history[^1].Date!.Value;
                        pending = false;
                        break;
                    case "open" when pick < 55:
                        history.Add(Entry(LedgerChange.Submit, today, null));
                        state = "waiting";
                        break;
                    case "open" when pick < 70 && today <= current:
                        history.Add(Entry(LedgerChange.Extend, today, current.AddDays(10 + random.Next(60))));
                        pending = true;
                        break;
                    case "open" when pick < 85:
                        history.Add(Entry(LedgerChange.Deadline, today, current = Day(0, 400)));
                        break;
                    case "open":
                        history.Add(Entry(LedgerChange.Cancel, today, null));
                        state = "cancelled";
                        break;
                    case "waiting" when pick < 60:
                        history.Add(Entry(LedgerChange.Close, today, null));
                        state = "closed";
                        break;
                    case "waiting" when pick < 85:
                        history.Add(Entry(LedgerChange.Return, today, null));
                        state = "open";
                        break;
                    case "waiting" when pick < 93:
                        history.Add(Entry(LedgerChange.Deadline, today, current = Day(0, 400)));
                        break;
                    case "waiting":
                        history.Add(Entry(LedgerChange.Cancel, today, null));
                        state = "cancelled";
                        break;
                    case "closed" when pick < 50:
                        DateOnly? moved = random.Next(2) == 0 ? today.AddDays(random.Next(1, 90)) : null;
                        history.Add(Entry(LedgerChange.Reopen, today, moved));
                        if (moved is { } m) current = m;
                        state = "open";
                        break;
                    case "cancelled" when pick < 50:
                        history.Add(Entry(LedgerChange.Resume, today, null));
                        state = "open";
                        break;
                }
            }
        }
        return (tasks, history);
    }
}
