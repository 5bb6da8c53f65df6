using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Engine;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;
using NRules;
using NRules.Diagnostics;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// Evaluates month m of year Y by a compiled monitor (monitor contract §2–3): an NRules session fires the monitor's
/// rules over the level's units and their rows of months Y-01 … Y-mm, lighting every month from January so that
/// escalations and streaks see the months before. Pure and deterministic.
/// </summary>
public static class MonitorEvaluator
{
    /// <summary>Evaluates every unit of the monitor's level for <paramref name="month"/>.</summary>
    /// <param name="monitor">The compiled monitor.</param>
    /// <param name="data">Units and observations (already validated); rows of other periods are ignored.</param>
    /// <param name="month">A month period (<c>YYYY-MM</c>).</param>
    /// <param name="version">The stored version, or null when evaluating from a file.</param>
    /// <param name="trace">Receives one line per rule firing and figure it produced, when given.</param>
    /// <exception cref="ArgumentException"><paramref name="month"/> is not a month period.</exception>
    public static MonthResult Evaluate(CompiledMonitor monitor, Dataset data, Period month, int? version = null, Action<RuleFiring>? trace = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(data);
        if (!month.IsMonth) throw new ArgumentException($"{month} 不是月份（应为 YYYY-MM）", nameof(month));
        var m = month.Month;
        var model = monitor.Monitor;
        var classes = model.Classes.Length;
        var indicators = model.Indicators.Length;

        var levelUnits = new List<Unit>();
        var members = new List<Unit>[classes];
        for (var c = 0; c < classes; c++) members[c] = [];
        var skipped = new List<SkippedUnit>();
        var indexOf = new Dictionary<string, (int Level, int Class, int Member)>(StringComparer.Ordinal);
        foreach (var unit in data.Units)
        {
            if (unit.Level != model.Level) continue;
            var level = levelUnits.Count;
            levelUnits.Add(unit);
            if (!monitor.ClassIndex.TryGetValue(unit.Class, out var c))
            {
                skipped.Add(new SkippedUnit(unit.Code, $"类别“{unit.Class}”不在通报规则 {model.Id} 的类别中"));
                indexOf[unit.Code] = (level, -1, -1);
                continue;
            }
            indexOf[unit.Code] = (level, c, members[c].Count);
            members[c].Add(unit);
        }
        // columns[class][indicator][month - 1][member]
        var columns = new Observation?[classes][][][];
        for (var c = 0; c < classes; c++)
        {
            columns[c] = new Observation?[indicators][][];
            for (var k = 0; k < indicators; k++)
            {
                columns[c][k] = new Observation?[m][];
                for (var x = 0; x < m; x++) columns[c][k][x] = new Observation?[members[c].Count];
            }
        }
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var hashed = new List<(int Unit, Observation Row)>();
        foreach (var o in data.Observations)
        {
            if (!o.Period.IsMonth || o.Period.Year != month.Year || o.Period.Month > m) continue;
            var known = monitor.IndicatorIndex.TryGetValue(o.Indicator, out var k);
            if (!known && o.Period.Month == m) unknown.Add(o.Indicator);
            if (!indexOf.TryGetValue(o.Unit, out var at)) continue;
            hashed.Add((at.Level, o));
            if (known && at.Class >= 0) columns[at.Class][k][o.Period.Month - 1][at.Member] = o;
        }
        var hash = hashed.Count >= 4096 ? Task.Run(() => Hash(levelUnits, hashed, model.Level, month)) : Task.FromResult(Hash(levelUnits, hashed, model.Level, month));

        var facts = new List<object>(1 + classes * (1 + indicators * m)) { new MonthRun(m, classes, indicators) };
        for (var c = 0; c < classes; c++)
        {
            var roster = new MonthRoster(c, model.Classes[c], [.. members[c]]);
            facts.Add(roster);
            for (var k = 0; k < indicators; k++)
                for (var x = 0; x < m; x++) facts.Add(new MonthRows(roster, k, model.Indicators[k].Id, x + 1, columns[c][k][x]));
        }
        var session = monitor.Rules.Factory.CreateSession();
        using var tracer = trace is null ? null : new SessionTracer(session.Events, model.Classes, trace);
        session.InsertAll(facts);
        session.Fire();
        var results = session.Query<MonthClassResult>().ToList();
        if (results.Count != classes) throw new InvalidOperationException($"通报规则 {model.Id} 的 result 规则只对 {results.Count} 个类别触发（应为 {classes} 个）");
        results.Sort((a, b) => a.Class.CompareTo(b.Class));
        skipped.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return new MonthResult(
            month,
            monitor.Info(version),
            hash.GetAwaiter().GetResult(),
            monitor.LightInfos,
            [.. model.Indicators.Select(i => new MonthIndicatorInfo(i.Id, i.Name, i.UnitOfMeasure, MetricName(i.Metric),
                Figures.MonitorPace(i, m, model.Decimals), i.Better == Better.Lower ? "lower" : "higher",
                i.Metric == MonitorMetric.Progress ? i.Pace.ToString().ToLowerInvariant() : null))],
            [.. results.SelectMany(r => r.Units)],
            [.. skipped],
            [.. unknown]);
    }

    internal static string MetricName(MonitorMetric metric) => metric switch
    {
        MonitorMetric.Growth => "growth",
        MonitorMetric.Value => "value",
        _ => "progress",
    };

    /// <summary>
    /// The SHA-256 of the data a month read, independent of file format and row order (UTF-8, tab-separated lines):
    /// <c>units LEVEL</c>, the level's units by code (code, name, parent, class); <c>months Y-01..Y-mm</c>; then their
    /// rows of those months by unit, period and indicator (unit, period, indicator, actual, target, baseline, plan).
    /// </summary>
    private static string Hash(List<Unit> units, List<(int Unit, Observation Row)> rows, UnitLevel level, Period month)
    {
        var byCode = Enumerable.Range(0, units.Count).ToArray();
        Array.Sort(byCode, (a, b) => string.CompareOrdinal(units[a].Code, units[b].Code));
        var rank = new int[units.Count];
        for (var i = 0; i < byCode.Length; i++) rank[byCode[i]] = i;
        rows.Sort((x, y) =>
        {
            var c = rank[x.Unit].CompareTo(rank[y.Unit]);
            if (c != 0) return c;
            c = x.Row.Period.Month.CompareTo(y.Row.Period.Month);
            return c != 0 ? c : string.CompareOrdinal(x.Row.Indicator, y.Row.Indicator);
        });
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var used = 0;
        void Flush()
        {
            hash.AppendData(buffer, 0, used);
            used = 0;
        }
        void Text(string? text)
        {
            if (string.IsNullOrEmpty(text)) return;
            if (used + Encoding.UTF8.GetMaxByteCount(text.Length) > buffer.Length) Flush();
            if (Encoding.UTF8.GetMaxByteCount(text.Length) > buffer.Length)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(text));
                return;
            }
            used += Encoding.UTF8.GetBytes(text, buffer.AsSpan(used));
        }
        void Byte(char c)
        {
            if (used + 1 > buffer.Length) Flush();
            buffer[used++] = (byte)c;
        }
        void Number(decimal? value)
        {
            if (value is not { } v) return;
            if (used + 48 > buffer.Length) Flush();
            used += DataHash.WritePlain(v, buffer.AsSpan(used));
        }
        Text("units ");
        Text(level.ToText());
        Byte('\n');
        foreach (var i in byCode)
        {
            var u = units[i];
            Text(u.Code); Byte('\t'); Text(u.Name); Byte('\t'); Text(u.Parent); Byte('\t'); Text(u.Class); Byte('\n');
        }
        Text("months " + Period.OfMonth(month.Year, 1) + ".." + month);
        Byte('\n');
        var periods = Enumerable.Range(1, 12).Select(m => Period.OfMonth(month.Year, m).ToString()).ToArray();
        foreach (var (_, o) in rows)
        {
            Text(o.Unit); Byte('\t');
            Text(periods[o.Period.Month - 1]); Byte('\t');
            Text(o.Indicator); Byte('\t');
            Number(o.Actual); Byte('\t');
            Number(o.Target); Byte('\t');
            Number(o.Baseline); Byte('\t');
            Number(o.Plan); Byte('\n');
        }
        Flush();
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
