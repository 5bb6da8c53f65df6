using System.Diagnostics;
using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// <c>bench -- monitor</c>: month 2025-09 of the sample monitors (county-monthly on the 122 counties, town-monthly on
/// the 1,609 towns: 1,731 units × 6 indicators × 9 months, escalations and streaks included) by the NRules engine,
/// against a hand loop written for those two monitors (figures, class and level ranks and averages, the sample
/// lights' formulas as C#, escalations, streaks, an explanation per cell) that shares nothing with the engine. The
/// loop's lights and streaks are checked against the engine's for every unit and indicator before timing.
/// Month data: generated here, deterministically (seed 2025), for the generated province's units.
/// </summary>
internal static class MonitorBench
{
    private static readonly Period Month = Period.OfMonth(2025, 9);

    public static int Run(TextWriter output)
    {
        var province = ProvinceGenerator.Generate(new ProvinceOptions());
        var monitors = new[] { Load("county-monthly.yaml"), Load("town-monthly.yaml") };
        var rows = monitors.SelectMany(m => MonthRows(province.Units, m.Monitor)).ToList();
        var data = new Dataset(province.Units, rows);
        var units = monitors.Sum(m => province.Units.Count(u => u.Level == m.Monitor.Level));
        output.WriteLine($"workload: {units} units ({string.Join(" + ", monitors.Select(m => m.Monitor.Id))}), {rows.Count} month rows, months 1–{Month.Month}");
        var loops = monitors.Select(m => new MonitorHandLoop(m.Monitor)).ToArray();
        for (var i = 0; i < monitors.Length; i++)
            if (!Agree(monitors[i], loops[i], data, output)) return 1;
        var (engine, loop) = QuickRun.Interleaved(
            () => { foreach (var m in monitors) MonitorEvaluator.Evaluate(m, data, Month); },
            () => { foreach (var l in loops) l.Run(data, Month.Year, Month.Month); },
            15);
        QuickRun.Report(output, "monitor.province.evaluate_ms", engine);
        QuickRun.Report(output, "monitor.baseline.loop_ms", loop);
        QuickRun.Report(output, "monitor.ratio", engine / loop);
        QuickRun.Report(output, "monitor.compile_ms.county", QuickRun.Median(() => CompiledMonitorFresh("county-monthly.yaml"), 5));
        return 0;
    }

    private static CompiledMonitor Load(string file)
    {
        var loaded = MonitorLoader.Load(SampleText(file));
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("\n", loaded.Diagnostics));
        return CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256);
    }

    private static void CompiledMonitorFresh(string file)
    {
        // a different text (a comment) compiles anew
        var text = SampleText(file) + "\n# " + Guid.NewGuid().ToString("N") + "\n";
        var loaded = MonitorLoader.Load(text);
        CompiledMonitor.Compile(loaded.Monitor!, loaded.Sha256);
    }

    private static string SampleText(string file)
    {
        using var stream = typeof(SampleRulesets).Assembly.GetManifestResourceStream("rulesets/" + file)
            ?? throw new InvalidOperationException($"sample monitor {file} not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Cumulative month rows 1–9 for every unit of the monitor's level: annual targets repeated on each row, baselines
    /// (same months last year), plans for plan-paced indicators, a tenth of units lagging, 2% missing a month.
    /// </summary>
    internal static IEnumerable<Observation> MonthRows(IReadOnlyList<Unit> units, MonitorDefinition monitor)
    {
        var rng = new Random(monitor.Id.Length * 7919 + 2025);
        foreach (var unit in units.Where(u => u.Level == monitor.Level))
        {
            var pace = rng.Next(10) == 0 ? 0.55m + rng.Next(0, 30) / 100m : 0.85m + rng.Next(0, 35) / 100m;
            var missingMonth = rng.Next(50) == 0 ? rng.Next(1, 10) : 0;
            foreach (var ind in monitor.Indicators)
            {
                var annual = 20m + rng.Next(0, 4000) / 10m;
                var lastYear = annual / (1.03m + rng.Next(0, 10) / 100m);
                var growthTarget = 4m + rng.Next(0, 40) / 10m;
                var valueTarget = 80m + rng.Next(0, 150) / 10m;
                for (var m = 1; m <= Month.Month; m++)
                {
                    if (m == missingMonth) continue;
                    var share = m / 12m;
                    var noise = 0.96m + rng.Next(0, 9) / 100m;
                    var period = Period.OfMonth(2025, m);
                    switch (ind.Metric)
                    {
                        case MonitorMetric.Growth:
                        {
                            var b = decimal.Round(lastYear * share, 2);
                            var a = decimal.Round(b * (1m + (growthTarget - 3m + rng.Next(0, 60) / 10m) / 100m * pace), 2);
                            yield return new Observation(unit.Code, ind.Id, period, a, growthTarget, b);
                            break;
                        }
                        case MonitorMetric.Value:
                            yield return new Observation(unit.Code, ind.Id, period, decimal.Round(valueTarget * pace * noise, 1), valueTarget, null);
                            break;
                        default:
                        {
                            var a = decimal.Round(annual * share * pace * noise, 2);
                            var b = decimal.Round(lastYear * share, 2);
                            decimal? plan = ind.Pace == PaceKind.Plan ? decimal.Round(annual * share * (0.9m + rng.Next(0, 20) / 100m), 2) : null;
                            yield return new Observation(unit.Code, ind.Id, period, a, annual, b, plan);
                            break;
                        }
                    }
                }
            }
        }
    }

    private static bool Agree(CompiledMonitor monitor, MonitorHandLoop loop, Dataset data, TextWriter output)
    {
        var engine = MonitorEvaluator.Evaluate(monitor, data, Month);
        var cells = loop.Run(data, Month.Year, Month.Month);
        var lit = 0;
        foreach (var unit in engine.Units)
        {
            for (var k = 0; k < unit.Indicators.Length; k++)
            {
                var e = unit.Indicators[k];
                var l = cells[(unit.Code, k)];
                if (e.Light != l.Light || e.PlainLight != l.PlainLight || e.Streak != l.Streak || e.Rank != l.Rank || e.LevelRank != l.LevelRank || e.Gap != l.Gap)
                {
                    output.WriteLine($"hand loop disagrees with the engine: {monitor.Monitor.Id} {unit.Code}/{e.Id}: " +
                                     $"engine {e.Light}/{e.PlainLight}/{e.Streak}/{e.Rank}/{e.LevelRank}/{e.Gap}, loop {l.Light}/{l.PlainLight}/{l.Streak}/{l.Rank}/{l.LevelRank}/{l.Gap}");
                    return false;
                }
                if (e.Light is not null) lit++;
            }
        }
        var counts = engine.Totals();
        output.WriteLine($"hand loop agrees with the engine on {monitor.Monitor.Id}: {engine.Units.Length} units, {lit} lit cells " +
                         $"({string.Join(", ", counts.Select(c => $"{c.Light} {c.Count}"))}), escalated {engine.Units.Sum(u => u.Indicators.Count(i => i.Escalation is not null))}");
        return true;
    }
}

/// <summary>
/// The floor for <c>monitor.ratio</c>: plain loops over arrays for the two sample monitors. Parameters (metrics, paces,
/// curves, directions, escalations) are read from the model; the sample lights' formulas are written here as C#.
/// </summary>
internal sealed class MonitorHandLoop(MonitorDefinition monitor)
{
    internal readonly record struct Cell(string? Light, string? PlainLight, int? Streak, int? Rank, int? LevelRank, decimal? Gap, string Explain);

    private static decimal R(decimal x, int d) => Math.Round(x, d, MidpointRounding.AwayFromZero);

    /// <summary>The sample formulas, by their text.</summary>
    private static Func<decimal, int, int, bool> Formula(string text) => text switch
    {
        "gap <= -10" => (gap, _, _) => gap <= -10m,
        "gap < 0" => (gap, _, _) => gap < 0m,
        "gap <= -2" => (gap, _, _) => gap <= -2m,
        "gap <= -1" => (gap, _, _) => gap <= -1m,
        "gap <= -5" => (gap, _, _) => gap <= -5m,
        "OR(gap <= -15, AND(rank = peers, peers > 1, gap < 0))" => (gap, rank, peers) => gap <= -15m || (rank == peers && peers > 1 && gap < 0m),
        _ => throw new InvalidOperationException($"the hand loop does not know the formula '{text}'"),
    };

    public Dictionary<(string Unit, int Indicator), Cell> Run(Dataset data, int year, int month)
    {
        var d = monitor.Decimals;
        var units = data.Units.Where(u => u.Level == monitor.Level && monitor.Classes.Contains(u.Class)).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var j = 0; j < units.Length; j++) index[units[j].Code] = j;
        var classOf = units.Select(u => monitor.Classes.IndexOf(u.Class)).ToArray();
        var indicators = monitor.Indicators.Length;
        var indicatorOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < indicators; k++) indicatorOf[monitor.Indicators[k].Id] = k;
        var rows = new Observation?[indicators, month, units.Length];
        foreach (var o in data.Observations)
            if (o.Period.IsMonth && o.Period.Year == year && o.Period.Month <= month && index.TryGetValue(o.Unit, out var j) && indicatorOf.TryGetValue(o.Indicator, out var k))
                rows[k, o.Period.Month - 1, j] = o;
        var lights = monitor.Lights.Length;
        var formulas = new Func<decimal, int, int, bool>?[indicators, lights];
        for (var k = 0; k < indicators; k++)
            for (var i = 0; i < lights - 1; i++) formulas[k, i] = Formula(monitor.Indicators[k].FormulaFor(monitor.Lights[i])!);
        var result = new Dictionary<(string, int), Cell>(units.Length * indicators);
        var gap = new decimal?[month, units.Length];
        var figure = new decimal[units.Length];
        var plain = new int[month, units.Length];
        var rank = new int[units.Length];
        var levelRank = new int[units.Length];
        var order = new int[units.Length];
        for (var k = 0; k < indicators; k++)
        {
            var ind = monitor.Indicators[k];
            var higher = ind.Better == BaiQianWan.Assess.Rules.Model.Better.Higher;
            for (var m = 0; m < month; m++)
            {
                var n = 0;
                for (var j = 0; j < units.Length; j++)
                {
                    gap[m, j] = null;
                    plain[m, j] = -1;
                    if (rows[k, m, j] is not { } o) continue;
                    decimal? g = null;
                    switch (ind.Metric)
                    {
                        case MonitorMetric.Progress when o.Target is { } t && t > 0m:
                            var progress = R(o.Actual * 100m / t, d);
                            decimal? pace = ind.Pace switch
                            {
                                PaceKind.Linear => R((m + 1) * 100m / 12m, d),
                                PaceKind.Curve => ind.Curve[m],
                                _ => o.Plan is { } p ? R(p * 100m / t, d) : null,
                            };
                            if (pace is { } pc) g = higher ? progress - pc : pc - progress;
                            figure[j] = progress;
                            break;
                        case MonitorMetric.Growth when o.Target is { } t && o.Baseline is { } b && b != 0m:
                            var growth = R((o.Actual - b) * 100m / Math.Abs(b), d);
                            g = higher ? growth - t : t - growth;
                            figure[j] = growth;
                            break;
                        case MonitorMetric.Value when o.Target is { } t:
                            g = higher ? o.Actual - t : t - o.Actual;
                            figure[j] = o.Actual;
                            break;
                    }
                    gap[m, j] = g;
                    if (g is not null) order[n++] = j;
                }
                // level ranks, then class ranks, competition style
                Array.Sort(order, 0, n, Comparer<int>.Create((x, y) => higher ? figure[y].CompareTo(figure[x]) : figure[x].CompareTo(figure[y])));
                var classPeers = new int[monitor.Classes.Length];
                var classSeen = new int[monitor.Classes.Length];
                var classLast = new int[monitor.Classes.Length];
                Array.Fill(classLast, -1);
                for (var x = 0; x < n; x++) classPeers[classOf[order[x]]]++;
                for (var x = 0; x < n; x++)
                {
                    var j = order[x];
                    var c = classOf[j];
                    levelRank[j] = x > 0 && figure[order[x - 1]] == figure[j] ? levelRank[order[x - 1]] : x + 1;
                    rank[j] = classLast[c] >= 0 && figure[classLast[c]] == figure[j] ? rank[classLast[c]] : classSeen[c] + 1;
                    classSeen[c]++;
                    classLast[c] = j;
                    var lit = lights - 1;
                    for (var i = 0; i < lights - 1; i++)
                        if (formulas[k, i]!(gap[m, j]!.Value, rank[j], classPeers[c])) { lit = i; break; }
                    plain[m, j] = lit;
                }
            }
            for (var j = 0; j < units.Length; j++)
            {
                var final = new int[month];
                for (var m = 0; m < month; m++)
                {
                    final[m] = plain[m, j];
                    if (final[m] < 0) continue;
                    foreach (var e in monitor.Escalations)
                    {
                        var watched = monitor.LightIndex(e.Light);
                        var to = monitor.LightIndex(e.To);
                        if (m - e.Months + 1 < 0) continue;
                        var held = true;
                        for (var x = m - e.Months + 1; x <= m && held; x++) held = plain[x, j] >= 0 && plain[x, j] <= watched;
                        if (held && to < final[m]) final[m] = to;
                    }
                }
                var last = month - 1;
                if (final[last] < 0)
                {
                    result[(units[j].Code, k)] = new Cell(null, null, null, null, null, null, $"{units[j].Name}：缺数");
                    continue;
                }
                var streak = 0;
                for (var m = last; m >= 0 && final[m] == final[last]; m--) streak++;
                var name = monitor.Lights[final[last]].Name;
                result[(units[j].Code, k)] = new Cell(monitor.Lights[final[last]].Id, monitor.Lights[plain[last, j]].Id, streak, rank[j], levelRank[j], gap[last, j],
                    $"1–{month}月 {gap[last, j]!.Value.ToString(CultureInfo.InvariantCulture)} 个百分点；{name}（连续 {streak} 个月）");
            }
        }
        return result;
    }
}
