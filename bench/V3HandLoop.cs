using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// The floor for <c>nrules.v3.ratio</c>: the sample ruleset <c>town-v3.yaml</c> computed by a plain loop written
/// for that one ruleset. Its parameters (steps, formulas, caps, factor, adjustments, grade shares) are written
/// here by hand from the YAML; only the per-class weights are read from the loaded model. It calls nothing of
/// the engine's scoring (no formula compiler, no scorers): the formulas are C# arithmetic on the same decimals.
/// The quick run checks that every unit's total, rank and grade equal the engine's before timing it.
/// </summary>
internal sealed class V3HandLoop
{
    private static readonly string[] Ids =
    [
        "t_fai", "t_tax", "t_industry", "t_entities", "t_collective", "t_idle_land", "t_farm_income", "t_hotline", "t_employment", "t_safety",
        "t_honor", "t_inspection_issue", "t_safety_major", "t_ecology_case",
    ];

    private const int Fai = 0, Tax = 1, Industry = 2, Entities = 3, Collective = 4, Idle = 5, FarmIncome = 6, Hotline = 7,
        Employment = 8, Safety = 9, Honor = 10, Inspection = 11, SafetyMajor = 12, EcologyCase = 13, Width = 14, Scored = 10;

    private static readonly string[] Grades = ["优秀", "良好", "一般"];

    private readonly string[] _classes;
    private readonly decimal?[] _weights; // [class * Scored + indicator]; null: the class does not carry it

    public V3HandLoop(Ruleset ruleset)
    {
        _classes = [.. ruleset.Classes];
        var indicators = ruleset.Indicators.ToDictionary(i => i.Id);
        _weights = new decimal?[_classes.Length * Scored];
        for (var c = 0; c < _classes.Length; c++)
            for (var k = 0; k < Scored; k++)
                if (indicators[Ids[k]].Weight.TryGetFor(_classes[c], out var w)) _weights[c * Scored + k] = w;
    }

    /// <summary>Each unit's total, rank in its class (0 when excluded) and grade ("" when excluded), by unit code.</summary>
    public Dictionary<string, (decimal Total, int Rank, string Grade)> Run(Dataset data, Period period)
    {
        var column = new Dictionary<string, int>(Width);
        for (var k = 0; k < Width; k++) column[Ids[k]] = k;
        var classOf = new Dictionary<string, int>(_classes.Length);
        for (var c = 0; c < _classes.Length; c++) classOf[_classes[c]] = c;

        var units = new List<Unit>();
        var cls = new List<int>();
        var index = new Dictionary<string, int>();
        var parents = new Dictionary<string, int>();
        var parent = new List<int>();
        foreach (var u in data.Units)
        {
            if (u.Level != UnitLevel.Town || !classOf.TryGetValue(u.Class, out var c)) continue;
            index[u.Code] = units.Count;
            units.Add(u);
            cls.Add(c);
            if (u.Parent is null) parent.Add(-1);
            else
            {
                if (!parents.TryGetValue(u.Parent, out var p)) parents[u.Parent] = p = parents.Count;
                parent.Add(p);
            }
        }
        var n = units.Count;
        var grid = new Observation?[n * Width];
        foreach (var o in data.Observations)
            if (o.Period == period && column.TryGetValue(o.Indicator, out var k) && index.TryGetValue(o.Unit, out var j)) grid[j * Width + k] = o;

        // Averages: tax growth and hotline value by parent, industry and farm income growth over the level.
        var taxSum = new decimal[parents.Count];
        var taxCount = new int[parents.Count];
        var hotSum = new decimal[parents.Count];
        var hotCount = new int[parents.Count];
        decimal industrySum = 0, farmSum = 0;
        int industryCount = 0, farmCount = 0;
        var growth = new decimal?[n * Scored];
        for (var j = 0; j < n; j++)
        {
            foreach (var k in (ReadOnlySpan<int>)[Tax, Industry, Collective, FarmIncome])
                if (grid[j * Width + k] is { Baseline: { } b } o && b != 0) growth[j * Scored + k] = (o.Actual - b) / Math.Abs(b) * 100;
            var carries = cls[j] * Scored;
            if (parent[j] >= 0 && _weights[carries + Tax] is not null && growth[j * Scored + Tax] is { } gt) { taxSum[parent[j]] += gt; taxCount[parent[j]]++; }
            if (parent[j] >= 0 && _weights[carries + Hotline] is not null && grid[j * Width + Hotline] is { } h) { hotSum[parent[j]] += h.Actual; hotCount[parent[j]]++; }
            if (_weights[carries + Industry] is not null && growth[j * Scored + Industry] is { } gi) { industrySum += gi; industryCount++; }
            if (_weights[carries + FarmIncome] is not null && growth[j * Scored + FarmIncome] is { } gf) { farmSum += gf; farmCount++; }
        }
        decimal? industryAvg = industryCount > 0 ? industrySum / industryCount : null;
        decimal? farmAvg = farmCount > 0 ? farmSum / farmCount : null;

        var totals = new decimal[n];
        var excluded = new bool[n];
        var vetoed = new bool[n];
        for (var j = 0; j < n; j++)
        {
            var row = j * Width;
            var wrow = cls[j] * Scored;
            decimal economy = 0, rural = 0, governance = 0;
            for (var k = 0; k < Scored; k++)
            {
                if (_weights[wrow + k] is not { } w || grid[row + k] is not { } o) continue;
                decimal? s = null;
                switch (k)
                {
                    case Fai: // steps on completion: up 0.1 → +1 (max 3), down 0.1 → −1.5, zero below 0.5
                        if (o.Target is { } ft && ft != 0)
                        {
                            var m = o.Actual / ft;
                            s = m < 0.5m ? 0 : Clamp(Steps(w, m - 1, 0.1m, 1, 3, 0.1m, 1.5m, null), w + 3);
                        }
                        break;
                    case Entities: // steps on completion: up 0.05 → +0.5 (max 1), down 0.1 → −1 (max 3)
                        if (o.Target is { } et && et != 0) s = Clamp(Steps(w, o.Actual / et - 1, 0.05m, 0.5m, 1, 0.1m, 1, 3), w + 1);
                        break;
                    case Collective: // steps on growth from 10, base 0.8: up 2 → +0.5 (max 3), down 2 → −1
                        if (growth[j * Scored + k] is { } gc) s = Clamp(Steps(w * 0.8m, gc - 10, 2, 0.5m, 3, 2, 1, null), w * 0.8m + 3);
                        break;
                    case Idle: // steps on value, lower is better, from the target: up 20 → +0.5 (max 2), down 20 → −1 (max 5)
                        if (o.Target is { } it) s = Clamp(Steps(w, it - o.Actual, 20, 0.5m, 2, 20, 1, 5), w + 2);
                        break;
                    case Tax: // weight * CLAMP(0.8 + (growth - parentAvg) * 0.05, 0.4, 1.2), cap 1.2
                        if (growth[j * Scored + k] is { } gt && parent[j] >= 0 && taxCount[parent[j]] > 0)
                            s = Math.Clamp(w * Math.Clamp(0.8m + (gt - taxSum[parent[j]] / taxCount[parent[j]]) * 0.05m, 0.4m, 1.2m), 0, w * 1.2m);
                        break;
                    case Industry: // weight * CLAMP(0.9 + (growth - levelAvg) * 0.02, 0.5, 1.1), cap 1.1
                        if (growth[j * Scored + k] is { } gi && industryAvg is { } ia)
                            s = Math.Clamp(w * Math.Clamp(0.9m + (gi - ia) * 0.02m, 0.5m, 1.1m), 0, w * 1.1m);
                        break;
                    case FarmIncome: // weight * CLAMP(1 + (growth - levelAvg) * 0.1, 0.6, 1.2), cap 1.2
                        if (growth[j * Scored + k] is { } gf && farmAvg is { } fa)
                            s = Math.Clamp(w * Math.Clamp(1 + (gf - fa) * 0.1m, 0.6m, 1.2m), 0, w * 1.2m);
                        break;
                    case Hotline: // weight + 1.5 * MIN(FLOOR((actual / parentAvg - 1) * 10), 0), cap 1
                        if (parent[j] >= 0 && hotCount[parent[j]] > 0 && hotSum[parent[j]] is var hs && hs != 0)
                            s = Math.Clamp(w + 1.5m * Math.Min(Math.Floor((o.Actual / (hs / hotCount[parent[j]]) - 1) * 10), 0), 0, w);
                        break;
                    case Employment: // completion, cap none
                        if (o.Target is { } mt && mt != 0) s = o.Actual / mt is var r && r < 0 ? 0 : w * r;
                        break;
                    case Safety: // bands on value, lower is better: ≤0 → 1, ≤1 → 0.6, ≤2 → 0.3
                        s = w * (o.Actual <= 0 ? 1 : o.Actual <= 1 ? 0.6m : o.Actual <= 2 ? 0.3m : 0);
                        break;
                }
                if (s is not { } score) continue;
                score = Round(score);
                if (k <= Entities) economy += score;
                else if (k <= FarmIncome) rural += score;
                else governance += score;
            }
            var dimensions = Round(Math.Min(economy, 40)) + Round(rural * 0.8m) + Round(Math.Min(governance, 30));
            var bonus = Round(Math.Clamp(grid[row + Honor]?.Actual ?? 0, 0, 2));
            var penalty = Round(Math.Clamp(0.5m * (grid[row + Inspection]?.Actual ?? 0), 0, 3));
            totals[j] = Round(Math.Min(dimensions + Math.Min(bonus, 3) - penalty, 100));
            excluded[j] = (grid[row + SafetyMajor]?.Actual ?? 0) > 0;
            vetoed[j] = (grid[row + EcologyCase]?.Actual ?? 0) >= 2;
        }

        // Ranks: in the class and over the level, excluded units left out; grades by level rank.
        var ranked = Enumerable.Range(0, n).Where(j => !excluded[j]).ToArray();
        Array.Sort(ranked, (a, b) => totals[b].CompareTo(totals[a]));
        var levelRank = new int[n];
        for (var q = 0; q < ranked.Length; q++)
            levelRank[ranked[q]] = q > 0 && totals[ranked[q]] == totals[ranked[q - 1]] ? levelRank[ranked[q - 1]] : q + 1;
        var rank = new int[n];
        var position = new int[_classes.Length];
        var last = new int[_classes.Length];
        for (var q = 0; q < ranked.Length; q++)
        {
            var j = ranked[q];
            var c = cls[j];
            position[c]++;
            rank[j] = position[c] > 1 && totals[j] == totals[last[c]] ? rank[last[c]] : position[c];
            last[c] = j;
        }
        var excellent = (int)Math.Round(ranked.Length * 0.2m, MidpointRounding.AwayFromZero);
        var good = (int)Math.Round(ranked.Length * 0.6m, MidpointRounding.AwayFromZero);
        var result = new Dictionary<string, (decimal, int, string)>(n);
        for (var j = 0; j < n; j++)
        {
            if (excluded[j]) { result[units[j].Code] = (totals[j], 0, ""); continue; }
            var g = levelRank[j] <= excellent ? 0 : levelRank[j] <= good ? 1 : 2;
            if (vetoed[j]) g = Math.Max(g, 1);
            result[units[j].Code] = (totals[j], rank[j], Grades[g]);
        }
        return result;
    }

    /// <summary>Method <c>steps</c>: whole steps from the reference point (d > 0 up, d &lt; 0 down); never below 0 is the caller's clamp.</summary>
    private static decimal Steps(decimal atReference, decimal d, decimal upEvery, decimal upPoints, decimal upMax, decimal downEvery, decimal downPoints, decimal? downMax)
    {
        if (d > 0) return atReference + Math.Min(Math.Floor(d / upEvery) * upPoints, upMax);
        if (d < 0)
        {
            var v = Math.Floor(-d / downEvery) * downPoints;
            return atReference - (downMax is { } max ? Math.Min(v, max) : v);
        }
        return atReference;
    }

    private static decimal Clamp(decimal s, decimal max) => Math.Clamp(s, 0, max);

    private static decimal Round(decimal x) => Math.Round(x, 2, MidpointRounding.AwayFromZero);
}
