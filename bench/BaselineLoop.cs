using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// The floor we measure the engine against: the same scores computed by a plain loop over arrays with the
/// same decimal arithmetic — no explanations, no result objects, no abstraction. Formula indicators call
/// the same compiled delegates (the formula language's own cost is measured separately in its tests).
/// Totals and ranks are checked against the engine by the quick run.
/// </summary>
internal sealed class BaselineLoop(Ruleset ruleset)
{
    private readonly Indicator[] _indicators = ruleset.Indicators.ToArray();
    private readonly CompiledFormula?[] _formulas = ruleset.Indicators
        .Select(i => i.Method is FormulaMethod f ? Compile(f.Formula, FormulaContext.Indicator) : null).ToArray();
    private readonly CompiledFormula?[] _adjustmentFormulas = ruleset.Adjustments
        .Select(a => a.Formula ?? a.When).Select(t => t is null ? null : Compile(t, FormulaContext.Adjustment)).ToArray();

    /// <summary>A formula as the engine compiles it (its expression tree), outside NRules.</summary>
    private static CompiledFormula Compile(string text, FormulaContext context)
    {
        var (tree, uses) = FormulaCompiler.CompileExpression(text, context);
        return new CompiledFormula(text, uses, tree.Compile());
    }

    /// <summary>Returns each unit's total and rank, by unit code.</summary>
    public Dictionary<string, (decimal Total, int Rank)> Run(Dataset data, Period period)
    {
        var ids = new Dictionary<string, int>();
        foreach (var i in _indicators) ids[i.Id] = ids.Count;
        foreach (var a in ruleset.Adjustments) ids[a.Id] = ids.Count;
        var units = new List<Unit>();
        var index = new Dictionary<string, int>();
        foreach (var u in data.Units)
            if (u.Level == ruleset.Level && ruleset.Classes.Contains(u.Class)) { index[u.Code] = units.Count; units.Add(u); }
        var width = ids.Count;
        var grid = new Observation?[units.Count * width];
        foreach (var o in data.Observations)
            if (o.Period == period && ids.TryGetValue(o.Indicator, out var k) && index.TryGetValue(o.Unit, out var u)) grid[u * width + k] = o;

        var totals = new decimal[units.Count];
        var scope = new FormulaScope();
        var result = new Dictionary<string, (decimal, int)>();
        foreach (var cls in ruleset.Classes)
        {
            var members = Enumerable.Range(0, units.Count).Where(u => units[u].Class == cls).ToArray();
            var n = members.Length;
            var m = new decimal[n];
            var ok = new bool[n];
            var rank = new int[n];
            for (var k = 0; k < _indicators.Length; k++)
            {
                var ind = _indicators[k];
                if (!ind.Weight.TryGetFor(cls, out var w)) continue;
                var higher = ind.Method.Metric == Metric.Completion || ind.Better == Better.Higher;
                decimal worst = 0, best = 0, sum = 0;
                var peers = 0;
                for (var j = 0; j < n; j++)
                {
                    var o = grid[members[j] * width + k];
                    ok[j] = false;
                    if (o is null) continue;
                    switch (ind.Method.Metric)
                    {
                        case Metric.Completion:
                            if (o.Target is not { } t || t == 0) continue;
                            m[j] = ind.Better == Better.Lower ? Math.Max(0, 2 - o.Actual / t) : o.Actual / t;
                            break;
                        case Metric.Growth:
                            if (o.Baseline is not { } b || b == 0) continue;
                            m[j] = (o.Actual - b) / Math.Abs(b) * 100;
                            break;
                        default:
                            m[j] = o.Actual;
                            break;
                    }
                    ok[j] = true;
                    if (peers == 0) worst = best = m[j];
                    else if (higher) { worst = Math.Min(worst, m[j]); best = Math.Max(best, m[j]); }
                    else { worst = Math.Max(worst, m[j]); best = Math.Min(best, m[j]); }
                    sum += m[j];
                    peers++;
                }
                if (ind.Method is RankMethod || _formulas[k] is not null)
                {
                    var order = Enumerable.Range(0, n).Where(j => ok[j]).ToArray();
                    Array.Sort(order, (a, b) => higher ? m[b].CompareTo(m[a]) : m[a].CompareTo(m[b]));
                    for (var q = 0; q < order.Length; q++)
                        rank[order[q]] = q > 0 && m[order[q]] == m[order[q - 1]] ? rank[order[q - 1]] : q + 1;
                }
                for (var j = 0; j < n; j++)
                {
                    if (!ok[j]) continue;
                    var o = grid[members[j] * width + k]!;
                    decimal s;
                    switch (ind.Method)
                    {
                        case CompletionMethod c:
                            s = m[j] < c.ZeroBelow ? 0 : w * Math.Min(m[j], c.Cap);
                            break;
                        case BandsMethod bm:
                            s = 0;
                            decimal? bound = null;
                            foreach (var band in bm.Bands)
                                if ((bm.UsesMax ? band.Bound >= m[j] && (bound is null || band.Bound < bound) : band.Bound <= m[j] && (bound is null || band.Bound > bound)))
                                { bound = band.Bound; s = w * band.Score; }
                            break;
                        case RankMethod rm:
                            s = w * Math.Max(rm.Floor, 1 - rm.Step * (rank[j] - 1));
                            break;
                        case EfficacyMethod em:
                            s = best == worst ? w : w * (em.Floor + (1 - em.Floor) * (m[j] - worst) / (best - worst));
                            break;
                        case IncrementMethod im:
                            if (o.Target is not { } target) continue;
                            s = Math.Clamp(w * im.Base + im.Per * (ind.Better == Better.Lower ? target - m[j] : m[j] - target), 0, w * im.Cap);
                            break;
                        case FormulaMethod fm:
                            scope.Actual = o.Actual; scope.Weight = w; scope.Rank = rank[j]; scope.Peers = peers;
                            scope.ClassAvg = peers > 0 ? sum / peers : 0;
                            scope.Target = o.Target ?? 0; scope.Baseline = o.Baseline ?? 0;
                            if (o.Target is { } ft && ft != 0) scope.Completion = ind.Better == Better.Lower ? Math.Max(0, 2 - o.Actual / ft) : o.Actual / ft;
                            if (o.Baseline is { } fb && fb != 0) scope.Growth = (o.Actual - fb) / Math.Abs(fb) * 100;
                            var uses = _formulas[k]!.Uses;
                            if ((uses & (FormulaVariables.Target | FormulaVariables.Completion)) != 0 && (o.Target is null || ((uses & FormulaVariables.Completion) != 0 && o.Target == 0))) continue;
                            if ((uses & (FormulaVariables.Baseline | FormulaVariables.Growth)) != 0 && (o.Baseline is null || ((uses & FormulaVariables.Growth) != 0 && o.Baseline == 0))) continue;
                            if (!_formulas[k]!.TryEvaluate(scope, out var v, out _)) continue;
                            s = Math.Clamp(v, 0, w * fm.Cap);
                            break;
                        default:
                            continue;
                    }
                    totals[members[j]] += Math.Round(s, ruleset.Decimals, MidpointRounding.AwayFromZero);
                }
            }
            for (var j = 0; j < n; j++)
            {
                var u = members[j];
                decimal bonus = 0, penalty = 0;
                for (var a = 0; a < ruleset.Adjustments.Length; a++)
                {
                    var adj = ruleset.Adjustments[a];
                    if (adj.Kind == AdjustmentKind.Veto) continue;
                    var count = grid[u * width + _indicators.Length + a]?.Actual ?? 0;
                    decimal amount;
                    if (_adjustmentFormulas[a] is { } f) { scope.Count = count; amount = f.TryEvaluate(scope, out var v, out _) ? v : 0; }
                    else amount = adj.Per!.Value * count;
                    var points = Math.Round(Math.Max(0, Math.Min(amount, adj.Max ?? decimal.MaxValue)), ruleset.Decimals, MidpointRounding.AwayFromZero);
                    if (adj.Kind == AdjustmentKind.Bonus) bonus += points; else penalty -= points;
                }
                totals[u] = Math.Round(totals[u] + Math.Min(bonus, ruleset.BonusCap ?? decimal.MaxValue) + penalty, ruleset.Decimals, MidpointRounding.AwayFromZero);
            }
            var byTotal = members.OrderByDescending(u => totals[u]).ToArray();
            for (var q = 0; q < byTotal.Length; q++)
            {
                var r = q > 0 && totals[byTotal[q]] == totals[byTotal[q - 1]] ? result[units[byTotal[q - 1]].Code].Item2 : q + 1;
                result[units[byTotal[q]].Code] = (totals[byTotal[q]], r);
            }
        }
        return result;
    }
}
