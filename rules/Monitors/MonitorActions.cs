using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;
using NRules.RuleModel;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// The right-hand sides of a monitor's rules: each reads the facts its rule matched and inserts the facts it derives
/// (forward chaining). Called from the action expression trees <see cref="MonitorRuleBuilder"/> builds.
/// </summary>
internal static class MonitorActions
{
    /// <summary><c>figures:&lt;id&gt;</c>: each unit's figures of the month (§2.1).</summary>
    public static void Figures(IContext context, MonthRows rows, MonitorRuleSet rules)
    {
        var indicator = rules.Monitor.Indicators[rows.Indicator];
        var figures = new Figures[rows.Rows.Length];
        var pace = Monitors.Figures.MonitorPace(indicator, rows.Month, rules.Decimals);
        for (var j = 0; j < figures.Length; j++) figures[j] = Monitors.Figures.Of(indicator, rows.Rows[j], rules.Decimals, pace);
        context.Insert(new MonthFigureColumn(rows, figures));
    }

    /// <summary><c>rank:&lt;id&gt;</c>: competition ranks among the class peers, their number and r(mean).</summary>
    public static void Rank(IContext context, MonthFigureColumn figures, MonitorRuleSet rules)
    {
        var f = figures.Figures;
        var values = new decimal[f.Length];
        var peer = new bool[f.Length];
        var peers = 0;
        for (var j = 0; j < f.Length; j++)
        {
            values[j] = f[j].Figure;
            peer[j] = f[j].IsPeer;
            if (peer[j]) peers++;
        }
        var higher = rules.Monitor.Indicators[figures.Indicator].Better == Better.Higher;
        context.Insert(new ClassStanding(figures, Standing.Ranks(values, peer, higher), peers, Standing.Average(values, peer, rules.Decimals)));
    }

    /// <summary>
    /// <c>rank:&lt;id&gt;:level</c>: per month, ranks over every listed class together, the level peers and r(mean); then,
    /// per class and month, the facts the first light reads (every unit not lit yet, or missing).
    /// </summary>
    public static void LevelRank(IContext context, MonthRun run, IEnumerable<ClassStanding> standings, MonitorRuleSet rules, int k)
    {
        var higher = rules.Monitor.Indicators[k].Better == Better.Higher;
        var byMonth = new ClassStanding[run.Month][];
        for (var m = 0; m < run.Month; m++) byMonth[m] = new ClassStanding[run.Classes];
        foreach (var s in standings) byMonth[s.Month - 1][s.Class] = s;
        var facts = new List<object>(run.Month * (run.Classes + 1));
        for (var m = 0; m < run.Month; m++)
        {
            var values = new List<decimal>();
            var peer = new List<bool>();
            foreach (var c in byMonth[m])
                foreach (var f in c.Figures.Figures)
                {
                    values.Add(f.Figure);
                    peer.Add(f.IsPeer);
                }
            var ranks = Standing.Ranks(values, peer, higher);
            var perClass = new int[run.Classes][];
            var at = 0;
            for (var c = 0; c < run.Classes; c++)
            {
                perClass[c] = ranks[at..(at + byMonth[m][c].Figures.Figures.Length)];
                at += perClass[c].Length;
            }
            var level = new LevelStanding(k, rules.Monitor.Indicators[k].Id, m + 1, perClass, peer.Count(p => p), Standing.Average(values, peer, rules.Decimals));
            facts.Add(level);
            foreach (var standing in byMonth[m])
            {
                var figures = standing.Figures.Figures;
                var unlit = new int[figures.Length];
                for (var j = 0; j < unlit.Length; j++) unlit[j] = figures[j].IsPeer ? -1 : LightStep.Missing;
                facts.Add(new LightStep(standing, level, -1, unlit, "none"));
            }
        }
        context.InsertAll(facts);
    }

    /// <summary>
    /// <c>light:&lt;id&gt;</c>: the units not lit by an earlier light whose formula for this light holds get it; a formula
    /// naming a variable undefined for the unit, or failing (a division by zero, a non-whole exponent), is false.
    /// </summary>
    public static void Light(IContext context, LightStep previous, MonitorRuleSet rules, int step, Func<FormulaScope, decimal>[]? formulas)
    {
        var standing = previous.Standing;
        var level = previous.Level;
        var figures = standing.Figures.Figures;
        var n = figures.Length;
        var lit = (int[])previous.Lit.Clone();
        var k = standing.Indicator;
        if (formulas is null)
        {
            for (var j = 0; j < n; j++)
                if (lit[j] == -1) lit[j] = step;
        }
        else
        {
            var formula = formulas[k];
            var uses = rules.Uses[k, step];
            var scope = new FormulaScope();
            var levelRanks = level.Ranks[standing.Class];
            var classAvg = standing.Average ?? 0m;
            var levelAvg = level.Average ?? 0m;
            for (var j = 0; j < n; j++)
            {
                if (lit[j] != -1 || (uses & ~figures[j].Defined) != 0) continue;
                figures[j].Fill(scope, standing.Month, standing.Ranks[j], standing.Peers, levelRanks[j], level.Peers, classAvg, levelAvg);
                try
                {
                    if (formula(scope) != 0m) lit[j] = step;
                }
                catch (Exception e) when (e is ArithmeticException or FormulaEvaluationException)
                {
                    // a failing formula is false: the next light is tried
                }
            }
        }
        context.Insert(new LightStep(standing, level, step, lit, rules.Monitor.Lights[step].Id));
    }

    /// <summary><c>lights:plain</c>: a class's plain lights, month by month, per indicator (stage 0 of the escalations).</summary>
    public static void Plain(IContext context, MonthRun run, MonthRoster roster, IEnumerable<LightStep> steps, MonitorRuleSet rules)
    {
        var indicators = rules.Monitor.Indicators.Length;
        var plain = new int[indicators][][];
        for (var k = 0; k < indicators; k++) plain[k] = new int[run.Month][];
        foreach (var s in steps) plain[s.Indicator][s.Month - 1] = s.Lit;
        var facts = new List<object>(indicators);
        for (var k = 0; k < indicators; k++)
        {
            var lights = plain[k].Select(m => (int[])m.Clone()).ToArray();
            var by = plain[k].Select(m => Enumerable.Repeat(-1, m.Length).ToArray()).ToArray();
            facts.Add(new LightHistory(roster, k, rules.Monitor.Indicators[k].Id, 0, plain[k], lights, by));
        }
        context.InsertAll(facts);
    }

    /// <summary>
    /// <c>escalate:…</c>: in each month m whose k months m − k + 1 … m (same year, none missing) all had a plain light
    /// of L or worse, the light becomes T if T is worse than the light so far.
    /// </summary>
    public static void Escalate(IContext context, LightHistory history, MonitorRuleSet rules, int e)
    {
        var (watched, months, to) = rules.Escalations[e];
        var plain = history.Plain;
        var lights = history.Lights.Select(m => (int[])m.Clone()).ToArray();
        var by = history.EscalatedBy.Select(m => (int[])m.Clone()).ToArray();
        for (var m = months - 1; m < plain.Length; m++)
        {
            for (var j = 0; j < lights[m].Length; j++)
            {
                var held = true;
                for (var x = m - months + 1; x <= m && held; x++) held = plain[x][j] >= 0 && plain[x][j] <= watched;
                if (held && to < lights[m][j])
                {
                    lights[m][j] = to;
                    by[m][j] = e;
                }
            }
        }
        context.Insert(new LightHistory(history.Roster, history.Indicator, history.IndicatorId, history.Stage + 1, plain, lights, by));
    }

    /// <summary><c>streak</c>: the months in a row ending with m whose (final) light is month m's; a missing month ends it.</summary>
    public static void Streak(IContext context, LightHistory history)
    {
        var lights = history.Lights;
        var last = lights.Length - 1;
        var streaks = new int[history.Roster.Members.Length];
        for (var j = 0; j < streaks.Length; j++)
        {
            var light = lights[last][j];
            if (light < 0) continue;
            var count = 0;
            for (var m = last; m >= 0 && lights[m][j] == light; m--) count++;
            streaks[j] = count;
        }
        context.Insert(new IndicatorOutcome(history, streaks));
    }

    /// <summary><c>result</c>: each unit of a class with its indicators' figures, ranks, lights, streaks and explanations.</summary>
    public static void Result(IContext context, MonthRun run, MonthRoster roster, IEnumerable<IndicatorOutcome> outcomes,
        IEnumerable<ClassStanding> standings, IEnumerable<LevelStanding> levels, MonitorRuleSet rules)
    {
        var monitor = rules.Monitor;
        var indicators = monitor.Indicators.Length;
        var outcome = new IndicatorOutcome[indicators];
        foreach (var o in outcomes) outcome[o.Indicator] = o;
        var standing = new ClassStanding[indicators][];
        for (var k = 0; k < indicators; k++) standing[k] = new ClassStanding[run.Month];
        foreach (var s in standings) standing[s.Indicator][s.Month - 1] = s;
        var level = new LevelStanding[indicators];
        foreach (var l in levels) level[l.Indicator] = l;
        var last = run.Month - 1;
        var units = new MonthUnitResult[roster.Members.Length];
        for (var j = 0; j < units.Length; j++)
        {
            var member = roster.Members[j];
            var results = ImmutableArray.CreateBuilder<MonthIndicatorResult>(indicators);
            var counts = new int[monitor.Lights.Length + 1];
            for (var k = 0; k < indicators; k++)
            {
                var indicator = monitor.Indicators[k];
                var history = outcome[k].History;
                var s = standing[k][last];
                var f = s.Figures.Figures[j];
                var lightIndex = history.Lights[last][j];
                var plainIndex = history.Plain[last][j];
                var lit = lightIndex >= 0;
                var escalation = lit && history.EscalatedBy[last][j] is var e and >= 0 ? monitor.Escalations[e] : null;
                var streak = outcome[k].Streaks[j];
                if (lit) counts[lightIndex]++;
                else counts[^1]++;
                var points = ImmutableArray.CreateBuilder<MonthPoint>(run.Month);
                for (var m = 0; m < run.Month; m++)
                {
                    var fm = standing[k][m].Figures.Figures[j];
                    points.Add(new MonthPoint(m + 1, FigureOf(indicator, fm),
                        fm.Pace, fm.Gap, history.Plain[m][j] >= 0 ? monitor.Lights[history.Plain[m][j]].Id : null,
                        history.Lights[m][j] >= 0 ? monitor.Lights[history.Lights[m][j]].Id : null));
                }
                results.Add(new MonthIndicatorResult(
                    indicator.Id, f.Actual, f.Target, f.Baseline, f.Plan, f.Progress, f.Pace, f.Gap, f.Growth, f.Value,
                    lit ? s.Ranks[j] : null, s.Peers, lit ? level[k].Ranks[roster.Class][j] : null, level[k].Peers,
                    lit ? monitor.Lights[lightIndex].Id : null, lit ? monitor.Lights[plainIndex].Id : null, lit ? streak : null, f.Missing,
                    MonitorExplain.Explain(indicator, f, run.Month, rules.Decimals, lit ? monitor.Lights[lightIndex] : null, streak, escalation, monitor),
                    escalation is null ? null : new EscalationInfo(escalation.Light, escalation.Months, escalation.To),
                    points.MoveToImmutable()));
            }
            var countList = ImmutableArray.CreateBuilder<LightCount>(monitor.Lights.Length + 1);
            for (var i = 0; i < monitor.Lights.Length; i++) countList.Add(new LightCount(monitor.Lights[i].Id, counts[i]));
            countList.Add(new LightCount("missing", counts[^1]));
            units[j] = new MonthUnitResult(member.Code, member.Name, roster.Name, member.Parent, results.MoveToImmutable(), countList.MoveToImmutable());
        }
        Array.Sort(units, (a, b) => string.CompareOrdinal(a.Code, b.Code));
        context.Insert(new MonthClassResult(roster.Class, units));
    }

    /// <summary>The metric's figure when it is defined (a missing unit may still have it: progress without a plan).</summary>
    private static decimal? FigureOf(MonitorIndicator indicator, in Figures f) => indicator.Metric switch
    {
        MonitorMetric.Progress => f.Progress,
        MonitorMetric.Growth => f.Growth,
        _ => f.Value,
    };
}
