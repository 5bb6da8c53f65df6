using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace BaiQianWan.Assess.Tests.Oracle;

/// <summary>
/// Independent reference implementation of the scoring contract (as docs/rules.md states it),
/// written only from the spec, for cross-checking the production engine in tests.
/// Straightforward over fast; exact decimal throughout; rounding half away from zero.
/// </summary>
public static class SpecOracle
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // ====================================================================== model

    private sealed record Band(decimal? Min, decimal? Max, decimal Score);

    private sealed class Indicator
    {
        public required string Id;
        public required string DimensionId;
        public decimal? Weight;                       // scalar weight: applies to every class
        public Dictionary<string, decimal>? WeightMap; // per class: a class left out is "not applicable"
        public bool Lower;                            // better: lower
        public bool Core;
        public required string Method;
        public decimal? Cap, ZeroBelow, Step, Floor, Base, Per;
        public string? MetricOption;
        public List<Band>? Bands;
        public OracleFormula? Formula;
        public bool NoCap;                            // (v3) cap: none
        public decimal? From, ZeroAbove;              // (v3) steps
        public StepSide? Up, Down;                    // (v3) steps

        public bool AppliesTo(string cls) => Weight is not null || WeightMap!.ContainsKey(cls);
        public decimal WeightFor(string cls) => Weight ?? WeightMap![cls];

        /// <summary>The metric the method reads, with the method's default.</summary>
        public string Metric => Method switch
        {
            "completion" => "completion",
            "bands" => MetricOption ?? "completion",
            "rank" => MetricOption ?? "value",
            "efficacy" => MetricOption ?? "value",
            "increment" => MetricOption ?? "growth",
            "formula" => MetricOption ?? "value",
            "steps" => MetricOption ?? "completion",
            _ => throw new NotSupportedException("method " + Method),
        };

        /// <summary>Completion is always higher-is-better; other metrics follow `better`.</summary>
        public bool HigherIsBetter => Metric == "completion" || !Lower;
    }

    /// <summary>(v3) one side of a steps method.</summary>
    private sealed record StepSide(decimal Every, decimal Points, decimal? Max);

    private sealed class Adjustment
    {
        public bool Exclude; // (v3) 取消参评资格
        public required string Id;
        public required string Kind; // bonus | penalty | veto
        public decimal? Per, Max;
        public OracleFormula? Formula, When;
        public string? Grade;
    }

    private sealed record Level(string Name, decimal? Share, decimal? Min);

    private sealed class Ruleset
    {
        public required string Level;
        public required List<string> Classes;
        public int Decimals = 2;
        public required List<(string Id, List<Indicator> Indicators)> Dimensions;
        public required List<Adjustment> Adjustments;
        public decimal? BonusCap;
        public required string GradesBy;
        public required List<Level> Levels;
        public int? RedTop, BlackBottom;
        public bool RequireTargetsMet, RequireTargetsMissed;
        // (v3)
        public decimal? RedPercent, BlackPercent, TotalCap;
        public bool RedLevel, BlackLevel, GradesLevel;
        public List<(string Id, string Name, string? Unit)> Inputs = new();
        public Dictionary<string, (decimal? Cap, decimal? Factor)> DimensionScaling = new(StringComparer.Ordinal);
        public bool HasExclude => Adjustments.Any(a => a.Exclude);
        public bool LevelScope => RedLevel || BlackLevel || GradesLevel;

        public IEnumerable<Indicator> AllIndicators => Dimensions.SelectMany(d => d.Indicators);
    }

    private sealed record Unit(string Code, string Name, string Level, string Class, string Parent);

    private sealed record Obs(decimal A, decimal? T, decimal? B);

    // ====================================================================== entry point

    public static JsonObject Evaluate(string rulesetYaml, string unitsCsv, string observationsCsv, string period)
    {
        var rs = ParseRuleset(rulesetYaml);
        var allUnits = ParseUnits(unitsCsv);
        var periodRows = ParseObservations(observationsCsv).Where(r => r.Period == period).ToList();

        // unknown indicator ids: any unit, evaluated period only
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ind in rs.AllIndicators) known.Add(ind.Id);
        foreach (var adj in rs.Adjustments) known.Add(adj.Id);
        foreach (var input in rs.Inputs) known.Add(input.Id);
        var unknown = periodRows.Select(r => r.Indicator).Where(id => !known.Contains(id))
            .Distinct(StringComparer.Ordinal).OrderBy(x => x, StringComparer.Ordinal).ToList();

        var obs = new Dictionary<(string Unit, string Id), Obs>();
        foreach (var r in periodRows) obs[(r.Unit, r.Indicator)] = new Obs(r.A, r.T, r.B);

        var levelUnits = allUnits.Where(u => u.Level == rs.Level).ToList();
        var scored = levelUnits.Where(u => rs.Classes.Contains(u.Class)).ToList();
        var skipped = levelUnits.Where(u => !rs.Classes.Contains(u.Class))
            .OrderBy(u => u.Code, StringComparer.Ordinal).ToList();

        // ---- indicators, per class
        // results[(unitCode, indicatorId)] = (score, max, missing reason)
        var indResults = new Dictionary<(string, string), (decimal Score, decimal? Max, string? Missing)>();
        foreach (var ind in rs.AllIndicators)
        {
            // (v3) level peers: every listed class carrying the indicator, metric defined (excluded units too).
            var levelPeers = scored.Where(u => ind.AppliesTo(u.Class))
                .Select(u => (u, m: MetricOf(ind, ind.Metric, obs.GetValueOrDefault((u.Code, ind.Id))).Value))
                .Where(x => x.m is not null).ToList();
            foreach (var cls in rs.Classes)
            {
                if (!ind.AppliesTo(cls)) continue;
                var classUnits = scored.Where(u => u.Class == cls).ToList();
                ScoreIndicatorForClass(rs, ind, cls, classUnits, obs, indResults, levelPeers.Select(x => (x.u.Parent, x.m!.Value)).ToList());
            }
        }

        // ---- per unit: adjustments, totals, vetoes, targets met
        var results = new Dictionary<string, UnitResult>(StringComparer.Ordinal);
        foreach (var u in scored)
        {
            var ur = new UnitResult { Unit = u };
            decimal indicatorSum = 0m;
            foreach (var (dimId, inds) in rs.Dimensions)
            {
                decimal dimScore = 0m;
                foreach (var ind in inds)
                {
                    if (!ind.AppliesTo(u.Class)) continue;
                    var (score, max, missing) = indResults[(u.Code, ind.Id)];
                    ur.Indicators.Add((ind.Id, score, max, missing));
                    if (missing is not null) ur.Incomplete = true;
                    dimScore += score;
                }
                // (v3) 2.6: score = round(min(raw, cap) × factor)
                if (rs.DimensionScaling.TryGetValue(dimId, out var scaling))
                    dimScore = R((scaling.Cap is decimal c ? Math.Min(dimScore, c) : dimScore) * (scaling.Factor ?? 1m), rs.Decimals);
                indicatorSum += dimScore;
                ur.Dimensions.Add((dimId, dimScore));
            }

            decimal bonusSum = 0m, penaltySum = 0m;
            foreach (var adj in rs.Adjustments)
            {
                decimal n = obs.TryGetValue((u.Code, adj.Id), out var o) ? o.A : 0m;
                if (adj.Kind == "veto")
                {
                    bool applies;
                    if (adj.When is null) applies = n > 0m;
                    else
                    {
                        var v = adj.When.TryEval(CountVars(n));
                        applies = v is not null && v.Value != 0m;
                    }
                    if (applies) ur.Vetoes.Add(adj);
                    if (applies && adj.Exclude) ur.Excluded = true;
                    continue;
                }
                decimal amount;
                if (adj.Formula is not null) amount = adj.Formula.TryEval(CountVars(n)) ?? 0m;
                else
                {
                    try { amount = adj.Per!.Value * n; }
                    catch (OverflowException) { amount = 0m; }
                }
                decimal clamped = adj.Max is null ? Math.Max(0m, amount) : Math.Max(0m, Math.Min(amount, adj.Max.Value));
                decimal points = R(clamped, rs.Decimals);
                if (adj.Kind == "penalty") points = -points;
                points = Z(points);
                ur.Adjustments.Add((adj.Id, points));
                if (adj.Kind == "bonus") bonusSum += points; else penaltySum += points;
            }
            ur.Bonus = R(rs.BonusCap is null ? bonusSum : Math.Min(bonusSum, rs.BonusCap.Value), rs.Decimals);
            ur.Penalty = R(penaltySum, rs.Decimals);
            ur.Total = R(indicatorSum + ur.Bonus + ur.Penalty, rs.Decimals);
            if (rs.TotalCap is decimal totalCap)
            {
                ur.RawTotal = ur.Total;
                ur.Total = R(Math.Min(ur.Total, totalCap), rs.Decimals);
            }

            ur.TargetsMet = true;
            foreach (var ind in rs.AllIndicators)
            {
                if (!ind.Core || !ind.AppliesTo(u.Class)) continue;
                if (!TargetMet(ind, obs.GetValueOrDefault((u.Code, ind.Id)))) ur.TargetsMet = false;
            }
            results[u.Code] = ur;
        }

        // ---- ranks, grades, lists per class
        // (v3) level-wide ranks among every ranked unit of the level (excluded units left out)
        var ranked = scored.Select(u => results[u.Code]).Where(m => !m.Excluded).ToList();
        int levelN = ranked.Count;
        var levelRanks = CompetitionRanks(ranked.Select(m => m.Total).ToList(), (x, y) => x > y);
        foreach (var m in ranked) m.LevelRank = levelRanks[m.Total];

        foreach (var cls in rs.Classes)
        {
            var all = scored.Where(u => u.Class == cls).Select(u => results[u.Code]).ToList();
            var members = all.Where(m => !m.Excluded).ToList();
            int n = members.Count;
            var totalRanks = CompetitionRanks(members.Select(m => m.Total).ToList(), (x, y) => x > y);
            foreach (var m in all) m.Peers = n;
            foreach (var m in members) m.Rank = totalRanks[m.Total];
            foreach (var m in members)
            {
                if (rs.Levels.Count > 0)
                {
                    int levelIndex = rs.GradesLevel ? GradeIndex(rs, m.LevelRank, m.Total, levelN) : GradeIndex(rs, m.Rank, m.Total, n);
                    foreach (var veto in m.Vetoes)
                    {
                        if (veto.Exclude) continue;
                        int vetoIndex = veto.Grade is null ? rs.Levels.Count - 1 : rs.Levels.FindIndex(l => l.Name == veto.Grade);
                        levelIndex = Math.Max(levelIndex, vetoIndex); // later level = worse grade
                    }
                    m.Grade = rs.Levels[levelIndex].Name;
                }
                else m.Grade = null;

                int redRank = rs.RedLevel ? m.LevelRank : m.Rank, redN = rs.RedLevel ? levelN : n;
                if (rs.RedTop is int top && redRank <= Places(top, rs.RedPercent, redN) && (!rs.RequireTargetsMet || m.TargetsMet) && m.Vetoes.Count == 0)
                    m.Lists.Add("red");
                int blackRank = rs.BlackLevel ? m.LevelRank : m.Rank, blackN = rs.BlackLevel ? levelN : n;
                if (rs.BlackBottom is int bottom && blackRank > blackN - Places(bottom, rs.BlackPercent, blackN) && (!rs.RequireTargetsMissed || !m.TargetsMet))
                    m.Lists.Add("black");
            }
            foreach (var m in all.Where(m => m.Excluded))
            {
                m.Rank = 0;
                m.Grade = null;
            }
        }
        foreach (var m in results.Values)
        {
            m.Rs = rs;
            m.LevelN = levelN;
        }

        // ---- output
        var unitsJson = new JsonArray();
        var ordered = scored.Select(u => results[u.Code])
            .OrderBy(r => rs.Classes.IndexOf(r.Unit.Class))
            .ThenBy(r => r.Excluded)
            .ThenBy(r => r.Rank)
            .ThenBy(r => r.Unit.Code, StringComparer.Ordinal);
        foreach (var r in ordered) unitsJson.Add(r.ToJson());

        var skippedJson = new JsonArray();
        foreach (var u in skipped)
            skippedJson.Add(new JsonObject
            {
                ["code"] = u.Code,
                ["reason"] = $"class '{u.Class}' is not in the ruleset's classes",
            });

        var unknownJson = new JsonArray();
        foreach (var id in unknown) unknownJson.Add(id);

        return new JsonObject
        {
            ["period"] = period,
            ["units"] = unitsJson,
            ["skipped"] = skippedJson,
            ["unknownIndicators"] = unknownJson,
        };
    }

    /// <summary>(v3) A list's places: the count, or round(n × P / 100) half away from zero.</summary>
    private static int Places(int count, decimal? percent, int n) =>
        percent is decimal p ? (int)Math.Round(n * p / 100m, 0, MidpointRounding.AwayFromZero) : count;

    private static Dictionary<string, Func<decimal>> CountVars(decimal n) =>
        new(StringComparer.Ordinal) { ["count"] = () => n };

    private sealed class UnitResult
    {
        public required Unit Unit;
        public decimal Total, Bonus, Penalty;
        public int Rank, Peers, LevelRank, LevelN;
        public string? Grade = "";
        public bool Excluded;
        public decimal? RawTotal;
        public Ruleset? Rs;
        public bool Incomplete, TargetsMet;
        public readonly List<string> Lists = new();
        public readonly List<Adjustment> Vetoes = new();
        public readonly List<(string Id, decimal Score)> Dimensions = new();
        public readonly List<(string Id, decimal Score, decimal? Max, string? Missing)> Indicators = new();
        public readonly List<(string Id, decimal Points)> Adjustments = new();

        public JsonObject ToJson()
        {
            var lists = new JsonArray();
            foreach (var l in Lists) lists.Add(l);
            var vetoes = new JsonArray();
            foreach (var v in Vetoes) vetoes.Add(v.Id);
            var dims = new JsonArray();
            foreach (var d in Dimensions) dims.Add(new JsonObject { ["id"] = d.Id, ["score"] = Num(d.Score) });
            var inds = new JsonArray();
            foreach (var i in Indicators)
                inds.Add(new JsonObject
                {
                    ["id"] = i.Id,
                    ["score"] = Num(i.Score),
                    ["max"] = i.Max is decimal max ? Num(max) : null,
                    ["missing"] = i.Missing is null ? null : JsonValue.Create(i.Missing),
                });
            var adjs = new JsonArray();
            foreach (var a in Adjustments) adjs.Add(new JsonObject { ["id"] = a.Id, ["points"] = Num(a.Points) });
            var json = new JsonObject
            {
                ["code"] = Unit.Code,
                ["name"] = Unit.Name,
                ["class"] = Unit.Class,
                ["total"] = Num(Total),
                ["rank"] = Excluded ? null : Rank,
                ["peers"] = Peers,
                ["grade"] = Grade,
                ["lists"] = lists,
                ["vetoes"] = vetoes,
                ["incomplete"] = Incomplete,
                ["dimensions"] = dims,
                ["indicators"] = inds,
                ["adjustments"] = adjs,
                ["bonus"] = Num(Bonus),
                ["penalty"] = Num(Penalty),
            };
            // (v3) fields present only when the ruleset uses their feature
            if (Rs!.LevelScope)
            {
                json["levelRank"] = Excluded ? null : LevelRank;
                json["levelPeers"] = LevelN;
            }
            if (Rs.TotalCap is not null) json["rawTotal"] = Num(RawTotal!.Value);
            if (Rs.HasExclude) json["excluded"] = Excluded;
            return json;
        }
    }

    /// <summary>JSON number from a decimal, written canonically: no trailing zeros (12.00 -> 12, 9.60 -> 9.6), no -0.</summary>
    private static JsonValue Num(decimal d) => JsonValue.Create(Z(d) / 1.0000000000000000000000000000m);

    /// <summary>Round half away from zero to the ruleset's decimals.</summary>
    private static decimal R(decimal x, int decimals) => Z(Math.Round(x, decimals, MidpointRounding.AwayFromZero));

    /// <summary>Normalises a (possibly negative) zero to plain 0.</summary>
    private static decimal Z(decimal x) => x == 0m ? 0m : x;

    // ====================================================================== grades

    private static int GradeIndex(Ruleset rs, int rank, decimal total, int n)
    {
        int last = rs.Levels.Count - 1;
        if (rs.GradesBy == "rankShare")
        {
            decimal cumulative = 0m;
            for (int i = 0; i < last; i++)
            {
                cumulative += rs.Levels[i].Share ?? 0m;
                decimal limit = Math.Round(n * cumulative, 0, MidpointRounding.AwayFromZero);
                if (rank <= limit) return i; // first level whose limit covers the rank = "not taken by an earlier level"
            }
            return last;
        }
        // by score: the first level whose min <= total; the last level (no min) takes the rest
        for (int i = 0; i < last; i++)
            if (rs.Levels[i].Min is decimal min && min <= total) return i;
        return last;
    }

    // ====================================================================== indicators

    /// <summary>Metric value for an observation, or null with the reason it is undefined.</summary>
    private static (decimal? Value, string? Why) MetricOf(Indicator ind, string metric, Obs? o)
    {
        if (o is null) return (null, "no observation");
        try
        {
            switch (metric)
            {
                case "value":
                    return (o.A, null);
                case "completion":
                    if (o.T is null) return (null, "no target (completion undefined)");
                    if (o.T.Value == 0m) return (null, "target is 0 (completion undefined)");
                    return (Completion(ind, o.A, o.T.Value), null);
                case "growth":
                    if (o.B is null) return (null, "no baseline (growth undefined)");
                    if (o.B.Value == 0m) return (null, "baseline is 0 (growth undefined)");
                    return (Growth(o.A, o.B.Value), null);
                case "change":
                    if (o.B is null) return (null, "no baseline (change undefined)");
                    return (o.A - o.B.Value, null);
                default:
                    throw new NotSupportedException("metric " + metric);
            }
        }
        catch (OverflowException) { return (null, "decimal overflow computing the metric"); }
    }

    private static decimal Completion(Indicator ind, decimal a, decimal t)
    {
        decimal q = a / t;
        return ind.Lower ? Math.Max(0m, 2m - q) : q;
    }

    private static decimal Growth(decimal a, decimal b) => (a - b) / Math.Abs(b) * 100m;

    private static bool Better(Indicator ind, decimal x, decimal y) => ind.HigherIsBetter ? x > y : x < y;

    private static void ScoreIndicatorForClass(
        Ruleset rs, Indicator ind, string cls, List<Unit> classUnits,
        Dictionary<(string, string), Obs> obs,
        Dictionary<(string, string), (decimal, decimal?, string?)> results,
        List<(string Parent, decimal M)> levelPeers)
    {
        decimal w = ind.WeightFor(cls);
        decimal? max = MaxOf(ind, w) is decimal mx ? R(mx, rs.Decimals) : null;
        string metric = ind.Metric;

        var metrics = new Dictionary<string, (decimal? Value, string? Why)>(StringComparer.Ordinal);
        foreach (var u in classUnits)
            metrics[u.Code] = MetricOf(ind, metric, obs.GetValueOrDefault((u.Code, ind.Id)));
        // class peers: observation present and metric defined
        var peerValues = classUnits.Where(u => metrics[u.Code].Value is not null)
            .Select(u => metrics[u.Code].Value!.Value).ToList();
        var peers = new Peers(ind, peerValues);

        foreach (var u in classUnits)
        {
            var (m, why) = metrics[u.Code];
            if (m is null)
            {
                results[(u.Code, ind.Id)] = (0m, max, why);
                continue;
            }
            var o = obs[(u.Code, ind.Id)];
            decimal? s;
            string? reason = null;
            try
            {
                var context = new UnitContext(u, levelPeers, rs.Inputs.ToDictionary(i => i.Id.ToLowerInvariant(),
                    i => obs.TryGetValue((u.Code, i.Id), out var io) ? (decimal?)io.A : null));
                s = RawScore(ind, w, m.Value, o, peers, context, out reason);
            }
            catch (DivideByZeroException) { s = null; reason = "division by zero"; }
            catch (OverflowException) { s = null; reason = "decimal overflow"; }
            catch (FormulaFailure e) { s = null; reason = e.Message; }

            if (s is null)
                results[(u.Code, ind.Id)] = (0m, max, reason ?? "missing");
            else
                results[(u.Code, ind.Id)] = (R(s.Value, rs.Decimals), max, null);
        }
    }

    /// <summary>(v3) What a unit's formula may read beyond its own observation: its parent, the level peers, its inputs.</summary>
    private sealed record UnitContext(Unit Unit, List<(string Parent, decimal M)> LevelPeers, Dictionary<string, decimal?> Inputs);

    /// <summary>The method's max; null when it has no upper limit (v3: cap: none, up without max).</summary>
    private static decimal? MaxOf(Indicator ind, decimal w) => ind.Method switch
    {
        "completion" => ind.NoCap ? null : w * (ind.Cap ?? 1m),
        "steps" => ind.Up is null ? w * (ind.Base ?? 1m) : ind.Up.Max is decimal upMax ? w * (ind.Base ?? 1m) + upMax : null,
        "bands" => w * ind.Bands!.Max(b => b.Score),
        "rank" => w,
        "efficacy" => w,
        "increment" => w * (ind.Cap ?? 1.2m),
        "formula" => w * (ind.Cap ?? 1m),
        _ => throw new NotSupportedException(ind.Method),
    };

    private static decimal Clamp(decimal x, decimal lo, decimal hi) => Math.Max(lo, Math.Min(x, hi));

    /// <summary>Raw score s, or null (with a reason) when the indicator is missing for the unit.</summary>
    /// <summary>The class peers' metric values for one indicator, with the statistics methods read.</summary>
    private sealed class Peers
    {
        public readonly List<decimal> Values;
        private readonly Dictionary<decimal, int> _rank;
        public readonly decimal Best, Worst;
        private readonly Lazy<decimal> _avg;

        public Peers(Indicator ind, List<decimal> values)
        {
            Values = values;
            _rank = CompetitionRanks(values, (x, y) => Better(ind, x, y));
            if (values.Count > 0)
            {
                Best = Worst = values[0];
                foreach (var p in values)
                {
                    if (Better(ind, p, Best)) Best = p;
                    if (Better(ind, Worst, p)) Worst = p;
                }
            }
            _avg = new Lazy<decimal>(() =>
            {
                decimal sum = 0m;
                foreach (var p in values) sum += p; // may throw OverflowException: caller's failure
                return sum / values.Count;
            }, LazyThreadSafetyMode.PublicationOnly);
        }

        public int Count => Values.Count;

        public decimal Average => _avg.Value;

        /// <summary>Competition rank of a peer's metric m: 1 + number of peers strictly better.</summary>
        public int RankOf(decimal m) => _rank[m];
    }

    /// <summary>Competition ranking (1, 2, 2, 4): for each distinct value, 1 + how many values are strictly better.
    /// (Decimal keys compare by value, so 1.0 and 1.00 share a rank.)</summary>
    private static Dictionary<decimal, int> CompetitionRanks(List<decimal> values, Func<decimal, decimal, bool> better)
    {
        var sorted = values.ToList();
        sorted.Sort((x, y) => better(x, y) ? -1 : better(y, x) ? 1 : 0); // best first
        var ranks = new Dictionary<decimal, int>();
        for (int i = 0; i < sorted.Count; i++)
            ranks.TryAdd(sorted[i], i + 1); // first position of a value = 1 + number strictly better
        return ranks;
    }

    private static decimal? RawScore(Indicator ind, decimal w, decimal m, Obs o, Peers peers, UnitContext context, out string? reason)
    {
        reason = null;
        switch (ind.Method)
        {
            case "completion":
            {
                decimal cap = ind.Cap ?? 1m, zeroBelow = ind.ZeroBelow ?? 0m;
                if (m < zeroBelow) return 0m;
                return ind.NoCap ? w * m : w * Math.Min(m, cap);
            }
            case "steps":
                return StepsScore(ind, w, o, out reason);
            case "bands":
            {
                var bands = ind.Bands!;
                Band? chosen = null;
                if (bands.Any(b => b.Min is not null))
                {
                    // greatest min <= m
                    foreach (var b in bands.Where(b => b.Min is not null && b.Min.Value <= m))
                        if (chosen is null || b.Min!.Value > chosen.Min!.Value) chosen = b;
                }
                else
                {
                    // smallest max >= m
                    foreach (var b in bands.Where(b => b.Max is not null && b.Max.Value >= m))
                        if (chosen is null || b.Max!.Value < chosen.Max!.Value) chosen = b;
                }
                return chosen is null ? 0m : w * chosen.Score;
            }
            case "rank":
            {
                decimal step = ind.Step ?? 0.05m, floor = ind.Floor ?? 0m;
                int rank = peers.RankOf(m);
                return w * Math.Max(floor, 1m - step * (rank - 1));
            }
            case "efficacy":
            {
                decimal floor = ind.Floor ?? 0.6m;
                decimal hi = peers.Best, lo = peers.Worst;
                if (hi == lo) return w;
                return w * (floor + (1m - floor) * (m - lo) / (hi - lo));
            }
            case "increment":
            {
                if (o.T is null) { reason = "no target"; return null; }
                decimal t = o.T.Value;
                decimal bas = ind.Base ?? 0.8m, per = ind.Per ?? 0m, cap = ind.Cap ?? 1.2m;
                decimal d = ind.Lower ? t - m : m - t;
                return Clamp(w * bas + per * d, 0m, w * cap);
            }
            case "formula":
            {
                var f = ind.Formula!;
                var vars = IndicatorVars(ind, w, m, o, peers, context);
                var undefined = f.Names.Where(n => !vars.ContainsKey(n)).OrderBy(x => x, StringComparer.Ordinal).ToList();
                if (undefined.Count > 0) { reason = "formula names undefined variable(s): " + string.Join(", ", undefined); return null; }
                var v = f.Eval(n => vars[n]()); // exceptions handled by the caller
                return Clamp(v, 0m, w * (ind.Cap ?? 1m));
            }
            default:
                throw new NotSupportedException(ind.Method);
        }
    }

    // ---------------------------------------------------------------- (v3) steps, on exact rationals

    /// <summary>A decimal as an exact fraction n / d (d a power of ten), read from its text.</summary>
    private static (BigInteger N, BigInteger D) Q(decimal x)
    {
        var text = x.ToString(Inv);
        int dot = text.IndexOf('.');
        if (dot < 0) return (BigInteger.Parse(text, Inv), BigInteger.One);
        var digits = text.Length - dot - 1;
        return (BigInteger.Parse(text.Remove(dot, 1), Inv), BigInteger.Pow(10, digits));
    }

    private static (BigInteger N, BigInteger D) Sub((BigInteger N, BigInteger D) a, (BigInteger N, BigInteger D) b) => (a.N * b.D - b.N * a.D, a.D * b.D);

    private static int Cmp((BigInteger N, BigInteger D) a, (BigInteger N, BigInteger D) b) => (a.N * b.D).CompareTo(b.N * a.D); // D > 0

    private static decimal? StepsScore(Indicator ind, decimal w, Obs o, out string? reason)
    {
        reason = null;
        (BigInteger N, BigInteger D) m;
        switch (ind.Metric)
        {
            case "completion":
            {
                var t = Q(o.T!.Value);
                var a = Q(o.A);
                (BigInteger N, BigInteger D) ratio = (a.N * t.D, a.D * t.N);
                if (ratio.D < 0) ratio = (-ratio.N, -ratio.D);
                if (ind.Lower)
                {
                    ratio = Sub((new BigInteger(2), BigInteger.One), ratio);
                    if (ratio.N < 0) ratio = (BigInteger.Zero, BigInteger.One);
                }
                m = ratio;
                break;
            }
            case "growth":
            {
                var d = Sub(Q(o.A), Q(o.B!.Value));
                var b = Q(Math.Abs(o.B!.Value));
                m = (100 * d.N * b.D, d.D * b.N);
                break;
            }
            case "change":
                m = Sub(Q(o.A), Q(o.B!.Value));
                break;
            default:
                m = Q(o.A);
                break;
        }
        decimal refPoint;
        if (ind.From is decimal from) refPoint = from;
        else if (ind.Metric == "completion") refPoint = 1m;
        else if (o.T is decimal target) refPoint = target;
        else { reason = "steps: no target for the reference point"; return null; }

        if (ind.ZeroBelow is decimal zb && Cmp(m, Q(zb)) < 0) return 0m;
        if (ind.ZeroAbove is decimal za && Cmp(m, Q(za)) > 0) return 0m;
        var dist = ind.HigherIsBetter ? Sub(m, Q(refPoint)) : Sub(Q(refPoint), m);
        decimal b0 = w * (ind.Base ?? 1m);
        decimal s = b0;
        int sign = dist.N.Sign;
        var side = sign > 0 ? ind.Up : sign < 0 ? ind.Down : null;
        if (side is not null)
        {
            var e = Q(side.Every);
            // greatest whole k with k × every ≤ |d|: floor(|d| / every), exact
            var k = BigInteger.Divide(BigInteger.Abs(dist.N) * e.D, dist.D * e.N);
            decimal points = (decimal)k * side.Points;
            if (side.Max is decimal limit) points = Math.Min(points, limit);
            s = sign > 0 ? b0 + points : b0 - points;
        }
        var max = MaxOf(ind, w);
        return Math.Max(0m, max is decimal mx ? Math.Min(s, mx) : s);
    }

    private static Dictionary<string, Func<decimal>> IndicatorVars(Indicator ind, decimal w, decimal m, Obs o, Peers peers, UnitContext context)
    {
        var v = new Dictionary<string, Func<decimal>>(StringComparer.Ordinal)
        {
            ["actual"] = () => o.A,
            ["weight"] = () => w,
            ["rank"] = () => peers.RankOf(m),
            ["peers"] = () => peers.Count,
            ["classavg"] = () => peers.Average,
        };
        if (o.T is decimal t)
        {
            v["target"] = () => t;
            if (t != 0m) v["completion"] = () => Completion(ind, o.A, t);
        }
        if (o.B is decimal b)
        {
            v["baseline"] = () => b;
            if (b != 0m) v["growth"] = () => Growth(o.A, b);
            v["change"] = () => o.A - b; // (v3) whatever better says
        }
        // (v3) broader averages: level peers (every class), and those sharing the unit's parent
        if (context.LevelPeers.Count > 0)
        {
            var all = context.LevelPeers;
            v["levelavg"] = () => all.Sum(p => p.M) / all.Count;
        }
        var same = context.LevelPeers.Where(p => context.Unit.Parent.Length > 0 && p.Parent == context.Unit.Parent).ToList();
        if (same.Count > 0) v["parentavg"] = () => same.Sum(p => p.M) / same.Count;
        foreach (var (id, value) in context.Inputs)
            if (value is decimal x) v[id] = () => x;
        return v;
    }

    /// <summary>Spec 2.1 "target met".</summary>
    private static bool TargetMet(Indicator ind, Obs? o)
    {
        if (o is null || o.T is null) return false;
        decimal t = o.T.Value;
        decimal x;
        if (ind.Metric == "growth")
        {
            if (o.B is null || o.B.Value == 0m) return false;
            try { x = Growth(o.A, o.B.Value); }
            catch (OverflowException) { return false; }
        }
        else if (ind.Metric == "change")
        {
            if (o.B is null) return false;
            x = o.A - o.B.Value;
        }
        else x = o.A;
        return ind.Lower ? x <= t : x >= t;
    }

    // ====================================================================== YAML

    private static Ruleset ParseRuleset(string yaml)
    {
        var ys = new YamlStream();
        ys.Load(new StringReader(yaml));
        var root = (YamlMappingNode)ys.Documents[0].RootNode;

        var dims = new List<(string, List<Indicator>)>();
        var dimScaling = new Dictionary<string, (decimal? Cap, decimal? Factor)>(StringComparer.Ordinal);
        foreach (var dn in Seq(root, "dimensions"))
        {
            var dm = (YamlMappingNode)dn;
            string dimId = Str(dm, "id")!;
            if (Dec(dm, "cap") is not null || Dec(dm, "factor") is not null) dimScaling[dimId] = (Dec(dm, "cap"), Dec(dm, "factor"));
            var inds = new List<Indicator>();
            foreach (var inode in Seq(dm, "indicators"))
            {
                var im = (YamlMappingNode)inode;
                var ind = new Indicator
                {
                    Id = Str(im, "id")!,
                    DimensionId = dimId,
                    Method = Str(im, "method")!,
                    Lower = Str(im, "better") == "lower",
                    Core = Str(im, "core") == "true",
                    Cap = Str(im, "cap") == "none" ? null : Dec(im, "cap"),
                    NoCap = Str(im, "cap") == "none",
                    From = Dec(im, "from"),
                    ZeroAbove = Dec(im, "zeroAbove"),
                    Up = Get(im, "up") is YamlMappingNode up ? new StepSide(Dec(up, "every")!.Value, Dec(up, "points")!.Value, Dec(up, "max")) : null,
                    Down = Get(im, "down") is YamlMappingNode down ? new StepSide(Dec(down, "every")!.Value, Dec(down, "points")!.Value, Dec(down, "max")) : null,
                    ZeroBelow = Dec(im, "zeroBelow"),
                    Step = Dec(im, "step"),
                    Floor = Dec(im, "floor"),
                    Base = Dec(im, "base"),
                    Per = Dec(im, "per"),
                    MetricOption = Str(im, "metric"),
                };
                var wn = Get(im, "weight")!;
                if (wn is YamlScalarNode ws) ind.Weight = ParseDec(ws.Value!);
                else
                {
                    ind.WeightMap = new Dictionary<string, decimal>(StringComparer.Ordinal);
                    foreach (var kv in ((YamlMappingNode)wn).Children)
                        ind.WeightMap[((YamlScalarNode)kv.Key).Value!] = ParseDec(((YamlScalarNode)kv.Value).Value!);
                }
                if (Get(im, "bands") is YamlSequenceNode bs)
                {
                    ind.Bands = new List<Band>();
                    foreach (var b in bs)
                    {
                        var bm = (YamlMappingNode)b;
                        ind.Bands.Add(new Band(Dec(bm, "min"), Dec(bm, "max"), Dec(bm, "score")!.Value));
                    }
                }
                if (Str(im, "formula") is string ft) ind.Formula = OracleFormula.Parse(ft);
                inds.Add(ind);
            }
            dims.Add((dimId, inds));
        }

        var adjs = new List<Adjustment>();
        foreach (var an in Seq(root, "adjustments"))
        {
            var am = (YamlMappingNode)an;
            adjs.Add(new Adjustment
            {
                Id = Str(am, "id")!,
                Kind = Str(am, "kind")!,
                Per = Dec(am, "per"),
                Max = Dec(am, "max"),
                Grade = Str(am, "grade"),
                Exclude = Str(am, "exclude") == "true",
                Formula = Str(am, "formula") is string f ? OracleFormula.Parse(f) : null,
                When = Str(am, "when") is string wf ? OracleFormula.Parse(wf) : null,
            });
        }

        // (v3) grades may be left out: no levels, every grade null
        var grades = Get(root, "grades") as YamlMappingNode ?? new YamlMappingNode();
        var levels = new List<Level>();
        foreach (var ln in Seq(grades, "levels"))
        {
            var lm = (YamlMappingNode)ln;
            levels.Add(new Level(Str(lm, "name")!, Dec(lm, "share"), Dec(lm, "min")));
        }

        var rs = new Ruleset
        {
            Level = Str(root, "level")!,
            Classes = Seq(root, "classes").Select(c => ((YamlScalarNode)c).Value!).ToList(),
            Dimensions = dims,
            Adjustments = adjs,
            BonusCap = Dec(root, "bonusCap"),
            GradesBy = Str(grades, "by") ?? "rankShare",
            Levels = levels,
            GradesLevel = Str(grades, "scope") == "level",
            TotalCap = Dec(root, "totalCap"),
            DimensionScaling = dimScaling,
        };
        foreach (var inode in Seq(root, "inputs"))
        {
            var im = (YamlMappingNode)inode;
            rs.Inputs.Add((Str(im, "id")!, Str(im, "name") ?? Str(im, "id")!, Str(im, "unit")));
        }
        if (Str(root, "decimals") is string dec) rs.Decimals = int.Parse(dec, Inv);

        if (Get(root, "lists") is YamlMappingNode lists)
        {
            if (Get(lists, "red") is YamlMappingNode red)
            {
                (rs.RedTop, rs.RedPercent) = Count(Str(red, "top")!);
                rs.RequireTargetsMet = Str(red, "requireTargetsMet") == "true";
                rs.RedLevel = Str(red, "scope") == "level";
            }
            if (Get(lists, "black") is YamlMappingNode black)
            {
                (rs.BlackBottom, rs.BlackPercent) = Count(Str(black, "bottom")!);
                rs.RequireTargetsMissed = Str(black, "requireTargetsMissed") == "true";
                rs.BlackLevel = Str(black, "scope") == "level";
            }
        }
        return rs;
    }

    /// <summary>(v3) top / bottom: a whole number, or "P%".</summary>
    private static (int?, decimal?) Count(string text) =>
        text.EndsWith('%') ? (0, ParseDec(text[..^1])) : ((int)ParseDec(text), null);

    private static YamlNode? Get(YamlMappingNode m, string key)
    {
        foreach (var kv in m.Children)
            if (kv.Key is YamlScalarNode k && k.Value == key) return kv.Value;
        return null;
    }

    private static string? Str(YamlMappingNode m, string key) => (Get(m, key) as YamlScalarNode)?.Value;

    private static decimal? Dec(YamlMappingNode m, string key) => Str(m, key) is string s ? ParseDec(s) : null;

    private static IEnumerable<YamlNode> Seq(YamlMappingNode m, string key) =>
        Get(m, key) is YamlSequenceNode s ? s.Children : Enumerable.Empty<YamlNode>();

    private static decimal ParseDec(string s) => decimal.Parse(s.Trim(), NumberStyles.Float, Inv);

    // ====================================================================== CSV

    /// <summary>Minimal CSV reader: optional BOM, \n or \r\n, double-quoted fields with "" escapes.</summary>
    private static List<Dictionary<string, string>> ReadCsv(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; any = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    row.Add(field.ToString()); field.Clear();
                    if (any || row.Count > 1 || row[0].Length > 0) rows.Add(row);
                    row = new List<string>(); any = false;
                    break;
                default: field.Append(c); any = true; break;
            }
        }
        row.Add(field.ToString());
        if (any || row.Count > 1 || row[0].Length > 0) rows.Add(row);

        var header = rows[0].Select(h => h.Trim()).ToList();
        var result = new List<Dictionary<string, string>>();
        foreach (var r in rows.Skip(1))
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int j = 0; j < header.Count; j++) d[header[j]] = j < r.Count ? r[j] : "";
            result.Add(d);
        }
        return result;
    }

    private static List<Unit> ParseUnits(string csv) =>
        ReadCsv(csv).Select(r => new Unit(r["code"].Trim(), r["name"], r["level"].Trim(), r["class"].Trim(), r.GetValueOrDefault("parent", "").Trim())).ToList();

    private sealed record ObsRow(string Unit, string Indicator, string Period, decimal A, decimal? T, decimal? B);

    private static List<ObsRow> ParseObservations(string csv) =>
        ReadCsv(csv).Select(r => new ObsRow(
            r["unit"].Trim(), r["indicator"].Trim(), r["period"].Trim(),
            ParseDec(r["actual"]),
            OptDec(r.GetValueOrDefault("target")),
            OptDec(r.GetValueOrDefault("baseline")))).ToList();

    private static decimal? OptDec(string? s) => string.IsNullOrWhiteSpace(s) ? null : ParseDec(s);
}
