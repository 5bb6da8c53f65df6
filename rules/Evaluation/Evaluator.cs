using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Evaluation;

/// <summary>Evaluates a compiled ruleset over a dataset for one period (spec §2–3). Pure and deterministic.</summary>
public static class Evaluator
{
    /// <summary>Evaluates every unit of the ruleset's level for <paramref name="period"/>.</summary>
    /// <param name="ruleset">The compiled ruleset.</param>
    /// <param name="data">Units and observations (already validated).</param>
    /// <param name="period">The period evaluated; observations of other periods are ignored.</param>
    /// <param name="rulesetVersion">The stored version, or null when evaluating from a file.</param>
    public static EvaluationResult Evaluate(CompiledRuleset ruleset, Dataset data, Period period, int? rulesetVersion = null)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        ArgumentNullException.ThrowIfNull(data);
        var legacy = new Run(ruleset, data, period).Execute(rulesetVersion);
        // During the port to NRules every evaluation runs both engines and compares the results JSON byte for byte.
        var nrules = Engine.RuleEngine.Evaluate(ruleset, data, period, rulesetVersion, null, out _);
        var a = ResultsJson.Serialize(legacy);
        var b = ResultsJson.Serialize(nrules);
        if (!a.AsSpan().SequenceEqual(b))
        {
            var at = 0;
            while (at < a.Length && at < b.Length && a[at] == b[at]) at++;
            string Around(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes, Math.Max(0, at - 300), Math.Min(bytes.Length, at + 200) - Math.Max(0, at - 300));
            throw new InvalidOperationException($"NRULES-DIFF at byte {at}:\n--- legacy\n{Around(a)}\n--- nrules\n{Around(b)}");
        }
        return legacy;
    }

    /// <summary>The state of one evaluation. Not shared between threads.</summary>
    private sealed class Run
    {
        private readonly CompiledRuleset _rs;
        private readonly Ruleset _model;
        private readonly Dataset _data;
        private readonly Period _period;
        private readonly List<Unit> _units = [];
        private readonly List<int>[] _members;
        private readonly List<SkippedUnit> _skipped = [];
        private readonly List<Unit> _levelUnits = [];
        private readonly List<Observation> _levelObservations = [];
        private readonly List<int> _levelObservationUnit = [];
        private readonly int _items;
        private readonly int _pointItems; // bonus and penalty items: each unit lists every one
        private Observation?[] _grid = [];
        private readonly FormulaScope _scope = new();

        public Run(CompiledRuleset rs, Dataset data, Period period)
        {
            _rs = rs;
            _model = rs.Ruleset;
            _data = data;
            _period = period;
            _items = rs.ItemIndex.Count;
            _pointItems = _model.Adjustments.Count(a => a.Kind != AdjustmentKind.Veto);
            _members = new List<int>[_model.Classes.Length];
            for (var c = 0; c < _members.Length; c++) _members[c] = [];
        }

        public EvaluationResult Execute(int? version)
        {
            var unknown = PlaceUnitsAndObservations();
            // The data hash reads only what placement collected, so on a large level it runs on another core
            // while the classes are scored; the result is the same either way.
            var hash = _levelObservations.Count >= ParallelHashRows
                ? Task.Run(ComputeHash)
                : Task.FromResult(ComputeHash());
            // One slot per unit × indicator, filled class by class; a unit's indicators are then read in ruleset order.
            var indicatorResults = new IndicatorResult?[_units.Count * _rs.Scorers.Length];
            var targetsMet = new bool[_units.Count];
            Array.Fill(targetsMet, true);
            for (var c = 0; c < _members.Length; c++)
            {
                var className = _model.Classes[c];
                var members = _members[c];
                for (var i = 0; i < _rs.Scorers.Length; i++)
                {
                    var scorer = _rs.Scorers[i];
                    if (!scorer.Indicator.Weight.TryGetFor(className, out var weight)) continue;
                    ScoreIndicator(scorer, i, weight, members, indicatorResults, targetsMet);
                }
            }

            var units = new List<UnitResult>(_units.Count);
            for (var c = 0; c < _members.Length; c++)
                units.AddRange(RankClass(_members[c], indicatorResults, targetsMet));

            _skipped.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
            return new EvaluationResult(
                _period,
                version is null ? _rs.Info : _rs.Info with { Version = version },
                hash.GetAwaiter().GetResult(),
                [.. units],
                [.. _skipped],
                unknown);
        }

        /// <summary>Below this many observations the hash is computed inline (a thread hop would cost more).</summary>
        private const int ParallelHashRows = 4096;

        private string ComputeHash() => DataHash.Compute(_levelUnits, _levelObservations, _levelObservationUnit, _model.Level, _period);

        /// <summary>
        /// Assigns units of the level to classes, lays the period's observations in a unit × item grid, and keeps
        /// the level's observations (with their unit's position) for the data hash.
        /// </summary>
        private ImmutableArray<string> PlaceUnitsAndObservations()
        {
            // Per code: the unit's position among the level's units, and its scored index (−1 when skipped).
            var indexOf = new Dictionary<string, (int Level, int Scored)>(StringComparer.Ordinal);
            foreach (var unit in _data.Units)
            {
                if (unit.Level != _model.Level) continue;
                var level = _levelUnits.Count;
                _levelUnits.Add(unit);
                if (!_rs.ClassIndex.TryGetValue(unit.Class, out var c))
                {
                    _skipped.Add(new SkippedUnit(unit.Code, $"类别“{unit.Class}”不在规则集 {_model.Id} 的类别中"));
                    indexOf[unit.Code] = (level, -1);
                    continue;
                }
                indexOf[unit.Code] = (level, _units.Count);
                _members[c].Add(_units.Count);
                _units.Add(unit);
            }
            _grid = new Observation?[_units.Count * _items];
            // The ruleset's items, and each unknown id as −1 once met: one lookup per row, known or not.
            var itemOf = new Dictionary<string, int>(_rs.ItemIndex, StringComparer.Ordinal);
            var unknown = new List<string>();
            foreach (var o in _data.Observations)
            {
                if (o.Period != _period) continue;
                if (!itemOf.TryGetValue(o.Indicator, out var item))
                {
                    item = -1;
                    itemOf.Add(o.Indicator, item);
                    unknown.Add(o.Indicator);
                }
                if (!indexOf.TryGetValue(o.Unit, out var at)) continue;
                _levelObservations.Add(o);
                _levelObservationUnit.Add(at.Level);
                if (item >= 0 && at.Scored >= 0) _grid[at.Scored * _items + item] = o;
            }
            unknown.Sort(StringComparer.Ordinal);
            return [.. unknown];
        }

        private void ScoreIndicator(IndicatorScorer scorer, int item, decimal weight, List<int> members,
            IndicatorResult?[] results, bool[] targetsMet)
        {
            var indicator = scorer.Indicator;
            var n = members.Count;
            var values = new decimal[n];
            var reasons = new string?[n];
            var peers = 0;
            var sum = 0m;
            decimal worst = 0m, best = 0m;
            var higher = indicator.ReadDirection == Better.Higher;
            for (var j = 0; j < n; j++)
            {
                var o = _grid[members[j] * _items + item];
                if (o is null)
                {
                    reasons[j] = "未报送数据";
                    continue;
                }
                decimal m;
                string? reason;
                try
                {
                    Metrics.TryMetric(indicator, o, out m, out reason);
                }
                catch (OverflowException)
                {
                    m = 0m;
                    reason = "数值超出范围";
                }
                if (reason is not null)
                {
                    reasons[j] = reason;
                    continue;
                }
                values[j] = m;
                if (scorer.NeedsStats)
                {
                    if (peers == 0) worst = best = m;
                    else if (higher)
                    {
                        worst = Math.Min(worst, m);
                        best = Math.Max(best, m);
                    }
                    else
                    {
                        worst = Math.Max(worst, m);
                        best = Math.Min(best, m);
                    }
                    sum += m;
                }
                peers++;
            }
            var ranks = scorer.NeedsRanks ? CompetitionRanks(values, reasons, higher) : null;
            var average = scorer.NeedsStats && peers > 0 ? sum / peers : 0m;
            var cls = new ClassIndicator(indicator, weight, new PeerStats(peers, worst, best, average), _model.Decimals);
            // max is reported like every score: rounded to the ruleset's decimals.
            var max = Numbers.Round(scorer.Max(weight), _model.Decimals);
            var growthMetric = indicator.Method.Metric == Metric.Growth;
            var width = _rs.Scorers.Length;

            for (var j = 0; j < n; j++)
            {
                var u = members[j];
                var o = _grid[u * _items + item];
                Scored scored;
                if (reasons[j] is { } reason) scored = Scored.Missed(reason);
                else
                {
                    try
                    {
                        scored = scorer.Score(new UnitFacts(o!, values[j], ranks?[j] ?? 0), cls, _scope);
                    }
                    catch (OverflowException)
                    {
                        scored = Scored.Missed("数值超出范围");
                    }
                }
                var metric = reasons[j] is null ? values[j] : (decimal?)null;
                var met = Metrics.TargetMet(indicator, o, growthMetric ? metric : null);
                if (indicator.Core && !met) targetsMet[u] = false;
                results[u * width + item] = new IndicatorResult(
                    indicator.Id, scored.Score, max, scored.Missing, scored.Explanation, o, metric, met);
            }
        }

        /// <summary>Competition ranks (1, 2, 2, 4) among the peers, best first; 0 for non-peers.</summary>
        private static int[] CompetitionRanks(decimal[] values, string?[] reasons, bool higher)
        {
            var order = new List<int>(values.Length);
            for (var j = 0; j < values.Length; j++)
                if (reasons[j] is null) order.Add(j);
            order.Sort((a, b) => higher ? values[b].CompareTo(values[a]) : values[a].CompareTo(values[b]));
            var ranks = new int[values.Length];
            for (var k = 0; k < order.Count; k++)
            {
                ranks[order[k]] = k > 0 && values[order[k]] == values[order[k - 1]] ? ranks[order[k - 1]] : k + 1;
            }
            return ranks;
        }

        private IEnumerable<UnitResult> RankClass(List<int> members, IndicatorResult?[] indicatorResults, bool[] targetsMet)
        {
            var n = members.Count;
            var totals = new decimal[n];
            var partial = new UnitResult[n];
            for (var j = 0; j < n; j++)
            {
                var u = members[j];
                partial[j] = Score(u, indicatorResults, targetsMet[u]);
                totals[j] = partial[j].Total;
            }
            var order = Enumerable.Range(0, n).ToArray();
            Array.Sort(order, (a, b) =>
            {
                var byTotal = totals[b].CompareTo(totals[a]);
                return byTotal != 0 ? byTotal : string.CompareOrdinal(partial[a].Code, partial[b].Code);
            });
            var ranks = new int[n];
            for (var k = 0; k < n; k++)
                ranks[order[k]] = k > 0 && totals[order[k]] == totals[order[k - 1]] ? ranks[order[k - 1]] : k + 1;

            var cutoffs = GradeCutoffs(n);
            foreach (var j in order)
            {
                var r = partial[j];
                var rank = ranks[j];
                var grade = Grade(rank, r.Total, cutoffs);
                foreach (var veto in r.Vetoes)
                {
                    var cap = _rs.VetoGradeCaps[veto];
                    if (cap > grade) grade = cap;
                }
                yield return r with
                {
                    Rank = rank,
                    Peers = n,
                    Grade = _model.Grades.Levels[grade].Name,
                    Lists = Lists(rank, n, r.TargetsMet, !r.Vetoes.IsEmpty),
                };
            }
        }

        /// <summary>Indicator, dimension and adjustment scores and the total; rank, grade and lists come later.</summary>
        private UnitResult Score(int u, IndicatorResult?[] results, bool targetsMet)
        {
            var width = _rs.Scorers.Length;
            var applicable = 0;
            for (var item = 0; item < width; item++)
                if (results[u * width + item] is not null) applicable++;
            // Sized exactly, so the array is handed over rather than copied.
            var indicators = ImmutableArray.CreateBuilder<IndicatorResult>(applicable);
            var unit = _units[u];
            var decimals = _model.Decimals;
            var dimScore = new decimal[_model.Dimensions.Length];
            var dimMax = new decimal[_model.Dimensions.Length];
            var dimUsed = new bool[_model.Dimensions.Length];
            var sum = 0m;
            var incomplete = false;
            for (var item = 0; item < width; item++)
            {
                if (results[u * width + item] is not { } r) continue;
                indicators.Add(r);
                var d = _rs.DimensionOf[item];
                dimScore[d] += r.Score;
                dimMax[d] += r.Max;
                dimUsed[d] = true;
                sum += r.Score;
                incomplete |= r.Missing is not null;
            }
            var dimensions = ImmutableArray.CreateBuilder<DimensionScore>(dimUsed.Count(used => used));
            for (var d = 0; d < dimScore.Length; d++)
                if (dimUsed[d]) dimensions.Add(new DimensionScore(_model.Dimensions[d].Id, dimScore[d], dimMax[d]));

            var adjustments = ImmutableArray.CreateBuilder<AdjustmentResult>(_pointItems);
            ImmutableArray<string>.Builder? vetoes = null; // most units have none
            decimal bonus = 0m, penalty = 0m;
            var offset = _rs.Scorers.Length;
            for (var a = 0; a < _model.Adjustments.Length; a++)
            {
                var item = _model.Adjustments[a];
                var count = _grid[u * _items + offset + a]?.Actual ?? 0m;
                var formula = _rs.AdjustmentFormulas[a];
                if (item.Kind == AdjustmentKind.Veto)
                {
                    if (Vetoed(count, formula)) (vetoes ??= ImmutableArray.CreateBuilder<string>()).Add(item.Id);
                    continue;
                }
                var amount = formula is null ? item.Per!.Value * count : AdjustmentAmount(count, formula);
                var points = Numbers.Round(Numbers.Clamp(amount, 0m, item.Max ?? decimal.MaxValue), decimals);
                if (item.Kind == AdjustmentKind.Penalty)
                {
                    points = -points;
                    penalty += points;
                }
                else bonus += points;
                adjustments.Add(new AdjustmentResult(item.Id, count, points));
            }
            if (_model.BonusCap is { } bonusCap) bonus = Math.Min(bonus, bonusCap);
            var total = Numbers.Round(sum + bonus + penalty, decimals);
            return new UnitResult(unit.Code, unit.Name, unit.Class, unit.Parent, total, 0, 0, "", [], vetoes?.ToImmutable() ?? [],
                incomplete, targetsMet, dimensions.MoveToImmutable(), indicators.MoveToImmutable(), adjustments.MoveToImmutable(), bonus, penalty);
        }

        private decimal AdjustmentAmount(decimal count, CompiledFormula formula)
        {
            _scope.Count = count;
            // A failing adjustment formula (division by zero…) earns no points (spec 2.2).
            return formula.TryEvaluate(_scope, out var value, out _) ? value : 0m;
        }

        private bool Vetoed(decimal count, CompiledFormula? when)
        {
            if (when is null) return count > 0m;
            _scope.Count = count;
            return when.TryEvaluate(_scope, out var value, out _) && value != 0m;
        }

        /// <summary>For rankShare grades, the last rank each level takes: round(n × cumulative share).</summary>
        private int[] GradeCutoffs(int n)
        {
            var levels = _model.Grades.Levels;
            var cutoffs = new int[levels.Length];
            var cumulative = 0m;
            for (var i = 0; i < levels.Length - 1; i++)
            {
                cumulative += levels[i].Share ?? 0m;
                cutoffs[i] = (int)Numbers.Round(n * cumulative, 0);
            }
            cutoffs[^1] = int.MaxValue;
            return cutoffs;
        }

        private int Grade(int rank, decimal total, int[] cutoffs)
        {
            var levels = _model.Grades.Levels;
            for (var i = 0; i < levels.Length - 1; i++)
            {
                if (_model.Grades.By == GradeBasis.RankShare ? rank <= cutoffs[i] : levels[i].Min <= total) return i;
            }
            return levels.Length - 1;
        }

        private ImmutableArray<string> Lists(int rank, int n, bool targetsMet, bool vetoed)
        {
            var red = _model.Lists.Red is { } r && rank <= r.Top && (!r.RequireTargetsMet || targetsMet) && !vetoed;
            var black = _model.Lists.Black is { } b && rank > n - b.Bottom && (!b.RequireTargetsMissed || !targetsMet);
            return (red, black) switch
            {
                (true, true) => ["red", "black"],
                (true, false) => ["red"],
                (false, true) => ["black"],
                _ => [],
            };
        }
    }
}
