using System.Globalization;

namespace BaiQianWan.Assess.Tests.Oracle;

/// <summary>
/// An independent implementation of the monitor contract (monitor.md §2.1–2.4), written from the contract alone and
/// sharing no code with the engine: its own line parser for the block-style monitor YAML the cross-check generates
/// (one key per line), its own CSV split, its own arithmetic, ranks, lights, escalations and streaks. Formulas are
/// read by the scoring oracle's interpreter (tests code, no engine code).
/// </summary>
internal static class MonitorOracle
{
    internal sealed class Ind
    {
        public string Id = "";
        public string Metric = "progress";
        public string Better = "higher";
        public string Pace = "linear";
        public List<decimal> Curve = [];
        public Dictionary<string, string> When = [];
    }

    internal sealed record Light(string Id, string? When);

    internal sealed record Esc(string Light, int Months, string To);

    internal sealed class Model
    {
        public string Level = "";
        public List<string> Classes = [];
        public int Decimals = 2;
        public List<Ind> Indicators = [];
        public List<Light> Lights = [];
        public List<Esc> Escalations = [];
    }

    /// <summary>One unit's indicator in month m, as the contract defines it.</summary>
    internal sealed record Cell(decimal? Progress, decimal? Pace, decimal? Gap, decimal? Growth, int? Rank, int Peers, int? LevelRank, int LevelPeers,
        string? Light, string? PlainLight, int? Streak, string? Missing);

    internal sealed record UnitOut(string Code, string Class, List<Cell> Cells);

    /// <summary>Parses the block-style YAML that <c>MonitorCrossCheckTests</c> writes.</summary>
    public static Model Parse(string yaml)
    {
        var model = new Model();
        string section = "";
        Ind? ind = null;
        Dictionary<string, string>? light = null;
        Dictionary<string, string>? esc = null;
        var inWhen = false;
        void Close()
        {
            if (light is not null) model.Lights.Add(new Light(light["id"], light.GetValueOrDefault("when")));
            if (esc is not null) model.Escalations.Add(new Esc(esc["light"], int.Parse(esc["months"], CultureInfo.InvariantCulture), esc["to"]));
            light = null;
            esc = null;
            ind = null;
            inWhen = false;
        }
        foreach (var raw in yaml.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            var indent = line.Length - line.TrimStart().Length;
            var text = line.Trim();
            if (indent == 0)
            {
                Close();
                var (k, v) = Split(text);
                section = k;
                if (k == "level") model.Level = v;
                if (k == "decimals") model.Decimals = int.Parse(v, CultureInfo.InvariantCulture);
                if (k == "classes") model.Classes = [.. v.Trim('[', ']').Split(',').Select(s => s.Trim())];
                continue;
            }
            if (text.StartsWith("- ", StringComparison.Ordinal))
            {
                Close();
                if (section == "indicators") model.Indicators.Add(ind = new Ind());
                if (section == "lights") light = [];
                if (section == "escalate") esc = [];
                text = text[2..];
                indent += 2;
            }
            var (key, value) = Split(text);
            if (section == "indicators" && ind is not null)
            {
                if (indent >= 6 && inWhen) { ind.When[key] = value; continue; }
                inWhen = false;
                switch (key)
                {
                    case "id": ind.Id = value; break;
                    case "metric": ind.Metric = value; break;
                    case "better": ind.Better = value; break;
                    case "pace": ind.Pace = value; break;
                    case "curve": ind.Curve = [.. value.Trim('[', ']').Split(',').Select(s => decimal.Parse(s.Trim(), CultureInfo.InvariantCulture))]; break;
                    case "when": inWhen = true; break;
                }
            }
            else if (light is not null) light[key] = value;
            else if (esc is not null) esc[key] = value;
        }
        Close();
        return model;
    }

    private static (string Key, string Value) Split(string text)
    {
        var i = text.IndexOf(':');
        var value = text[(i + 1)..].Trim();
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
        return (text[..i].Trim(), value);
    }

    private static decimal R(decimal x, int d) => decimal.Round(x, d, MidpointRounding.AwayFromZero);

    private static decimal? Dec(string s) => s.Length == 0 ? null : decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Evaluates month <paramref name="month"/> of <paramref name="year"/>; units ordered by class (monitor order), then code.</summary>
    public static List<UnitOut> Evaluate(string yaml, string unitsCsv, string observationsCsv, int year, int month)
    {
        var model = Parse(yaml);
        var units = unitsCsv.Split('\n').Skip(1).Where(l => l.Trim().Length > 0).Select(l => l.TrimEnd('\r').Split(','))
            .Where(f => f[2] == model.Level && model.Classes.Contains(f[4]))
            .Select(f => (Code: f[0], Class: f[4])).ToList();
        var lines = observationsCsv.Split('\n').Where(l => l.Trim().Length > 0).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var header = lines[0];
        int Col(string name) => Array.IndexOf(header, name);
        var rows = new Dictionary<(string Unit, string Ind, int Month), (decimal A, decimal? T, decimal? B, decimal? P)>();
        foreach (var f in lines.Skip(1))
        {
            var period = f[Col("period")];
            if (period.Length != 7 || period[4] != '-' || int.Parse(period[..4], CultureInfo.InvariantCulture) != year) continue;
            var m = int.Parse(period[5..], CultureInfo.InvariantCulture);
            rows[(f[Col("unit")], f[Col("indicator")], m)] = (Dec(f[Col("actual")])!.Value, Dec(f[Col("target")]), Dec(f[Col("baseline")]),
                Col("plan") >= 0 ? Dec(f[Col("plan")]) : null);
        }
        var d = model.Decimals;
        var formulas = new Dictionary<string, OracleFormula>();
        OracleFormula Formula(string text) => formulas.TryGetValue(text, out var f) ? f : formulas[text] = OracleFormula.Parse(text);
        var nLights = model.Lights.Count;
        // per indicator, month, unit: figures; then lights
        var cells = new Dictionary<(int K, int M, string U), (decimal? A, decimal? T, decimal? B, decimal? P, decimal? Progress, decimal? Pace, decimal? Gap, decimal? Growth, string? Missing, decimal Fig)>();
        var plain = new Dictionary<(int K, int M, string U), int>();
        var rankOf = new Dictionary<(int K, int M, string U), (int Rank, int Peers, int LevelRank, int LevelPeers)>();
        for (var k = 0; k < model.Indicators.Count; k++)
        {
            var ind = model.Indicators[k];
            var higher = ind.Better == "higher";
            for (var m = 1; m <= month; m++)
            {
                foreach (var u in units)
                {
                    if (!rows.TryGetValue((u.Code, ind.Id, m), out var r))
                    {
                        cells[(k, m, u.Code)] = (null, null, null, null, null, null, null, null, "no row", 0m);
                        continue;
                    }
                    decimal? growth = r.B is { } b && b != 0 ? R((r.A - b) / Math.Abs(b) * 100, d) : null;
                    decimal? progress = null, pace = null, gap = null;
                    string? missing = null;
                    decimal fig;
                    if (ind.Metric == "progress")
                    {
                        if (r.T is { } t && t > 0) progress = R(r.A / t * 100, d);
                        pace = ind.Pace switch
                        {
                            "linear" => R(m / 12m * 100, d),
                            "curve" => ind.Curve[m - 1],
                            _ => r.T is { } t2 && t2 > 0 && r.P is { } p ? R(p / t2 * 100, d) : null,
                        };
                        if (r.T is null) missing = "no target";
                        else if (r.T <= 0) missing = "target 0";
                        else if (ind.Pace == "plan" && r.P is null) missing = "no plan";
                        if (missing is null) gap = higher ? progress - pace : pace - progress;
                        fig = progress ?? 0;
                    }
                    else if (ind.Metric == "growth")
                    {
                        if (r.T is null) missing = "no target";
                        else if (r.B is null) missing = "no baseline";
                        else if (r.B == 0) missing = "baseline 0";
                        if (missing is null) gap = higher ? growth - r.T : r.T - growth;
                        fig = growth ?? 0;
                    }
                    else
                    {
                        if (r.T is null) missing = "no target";
                        else gap = higher ? r.A - r.T : r.T - r.A;
                        fig = r.A;
                    }
                    cells[(k, m, u.Code)] = (r.A, r.T, r.B, r.P, progress, pace, gap, growth, missing, fig);
                }
                // ranks: class then level (1 + the number of peers with a strictly better figure), and the averages; each
                // class's and the level's figures gathered once for the month
                var level = units.Where(u => cells[(k, m, u.Code)].Missing is null).ToList();
                var classes = level.GroupBy(u => u.Class).ToDictionary(g => g.Key, g => g.Select(p => cells[(k, m, p.Code)].Fig).ToArray());
                var levelFigs = level.Select(p => cells[(k, m, p.Code)].Fig).ToArray();
                int RankIn(decimal[] peers, string code)
                {
                    var mine = cells[(k, m, code)].Fig;
                    return 1 + peers.Count(fig => higher ? fig > mine : fig < mine);
                }
                foreach (var u in level)
                {
                    var cls = classes[u.Class];
                    rankOf[(k, m, u.Code)] = (RankIn(cls, u.Code), cls.Length, RankIn(levelFigs, u.Code), levelFigs.Length);
                }
                var classAvgs = classes.ToDictionary(c => c.Key, c => R(c.Value.Sum() / c.Value.Length, d));
                var levelAvgAll = levelFigs.Length == 0 ? 0m : R(levelFigs.Sum() / levelFigs.Length, d);
                foreach (var u in units)
                {
                    var c = cells[(k, m, u.Code)];
                    if (c.Missing is not null) continue;
                    var (rank, peers, levelRank, levelPeers) = rankOf[(k, m, u.Code)];
                    var classAvg = classAvgs[u.Class];
                    var levelAvg = levelAvgAll;
                    var vars = new Dictionary<string, Func<decimal>>
                    {
                        ["actual"] = () => c.A!.Value, ["value"] = () => c.A!.Value, ["month"] = () => m,
                        ["rank"] = () => rank, ["peers"] = () => peers, ["levelrank"] = () => levelRank, ["levelpeers"] = () => levelPeers,
                        ["classavg"] = () => classAvg, ["levelavg"] = () => levelAvg,
                    };
                    if (c.T is { } tv) vars["target"] = () => tv;
                    if (c.B is { } bv) vars["baseline"] = () => bv;
                    if (c.P is { } pv) vars["plan"] = () => pv;
                    if (c.Progress is { } prv) vars["progress"] = () => prv;
                    if (c.Pace is { } pav) vars["pace"] = () => pav;
                    if (c.Gap is { } gv) vars["gap"] = () => gv;
                    if (c.Growth is { } grv) vars["growth"] = () => grv;
                    var lit = nLights - 1;
                    for (var i = 0; i < nLights - 1; i++)
                    {
                        var text = ind.When.TryGetValue(model.Lights[i].Id, out var own) ? own : model.Lights[i].When!;
                        if (Formula(text).TryEval(vars) is { } v && v != 0) { lit = i; break; }
                    }
                    plain[(k, m, u.Code)] = lit;
                }
            }
        }
        var result = new List<UnitOut>();
        foreach (var cls in model.Classes)
        {
            foreach (var u in units.Where(u => u.Class == cls).OrderBy(u => u.Code, StringComparer.Ordinal))
            {
                var outCells = new List<Cell>();
                for (var k = 0; k < model.Indicators.Count; k++)
                {
                    // final lights month by month, with the escalations in order
                    var final = new int?[month + 1];
                    for (var m = 1; m <= month; m++)
                    {
                        if (!plain.TryGetValue((k, m, u.Code), out var light)) continue;
                        foreach (var e in model.Escalations)
                        {
                            var watched = model.Lights.FindIndex(l => l.Id == e.Light);
                            var to = model.Lights.FindIndex(l => l.Id == e.To);
                            if (m - e.Months + 1 < 1) continue;
                            var all = Enumerable.Range(m - e.Months + 1, e.Months).All(x => plain.TryGetValue((k, x, u.Code), out var px) && px <= watched);
                            if (all && to < light) light = to;
                        }
                        final[m] = light;
                    }
                    var c = cells[(k, month, u.Code)];
                    if (c.Missing is not null)
                    {
                        var peersHere = units.Count(p => p.Class == u.Class && cells[(k, month, p.Code)].Missing is null);
                        var levelHere = units.Count(p => cells[(k, month, p.Code)].Missing is null);
                        outCells.Add(new Cell(c.Progress, c.Pace, c.Gap, c.Growth, null, peersHere, null, levelHere, null, null, null, c.Missing));
                        continue;
                    }
                    var streak = 0;
                    for (var m = month; m >= 1 && final[m] == final[month]; m--) streak++;
                    var rk = rankOf[(k, month, u.Code)];
                    outCells.Add(new Cell(c.Progress, c.Pace, c.Gap, c.Growth, rk.Rank, rk.Peers, rk.LevelRank, rk.LevelPeers,
                        model.Lights[final[month]!.Value].Id, model.Lights[plain[(k, month, u.Code)]].Id, streak, null));
                }
                result.Add(new UnitOut(u.Code, u.Class, outCells));
            }
        }
        return result;
    }
}
