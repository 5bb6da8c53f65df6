using System.Collections.Immutable;
using System.Runtime.InteropServices;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Methods;
using BaiQianWan.Assess.Rules.Model;
using BaiQianWan.Assess.Rules.Results;
using NRules.RuleModel;

namespace BaiQianWan.Assess.Rules.Engine;

/// <summary>
/// The right-hand sides of the scoring rules: each reads the facts its rule matched and inserts the facts it
/// derives (forward chaining). Called from the action expression trees that <see cref="RuleModelBuilder"/> builds and
/// NRules compiles. A failure that is not a scoring outcome (missing data, a formula failing) is raised as
/// <see cref="RuleEvaluationException"/> naming the rule, the unit and the YAML position.
/// </summary>
internal static class RuleActions
{
    /// <summary><c>indicator:&lt;id&gt;:metric</c>: each unit's metric (spec 2.1), or why it is undefined.</summary>
    public static void Metric(IContext context, ObservationColumn observations, IndicatorRule rule)
    {
        var indicator = rule.Indicator;
        var rows = observations.Rows;
        var n = rows.Length;
        var values = new decimal[n];
        var reasons = new string?[n];
        var peers = 0;
        for (var j = 0; j < n; j++)
        {
            if (rows[j] is not { } o)
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
            peers++;
        }
        context.Insert(new MetricColumn(observations, values, reasons, peers));
    }

    /// <summary><c>indicator:&lt;id&gt;:peers</c>: the class peers' count, worst, best, mean and competition ranks.</summary>
    public static void Peers(IContext context, MetricColumn metrics, IndicatorRule rule)
    {
        var values = metrics.Values;
        var reasons = metrics.Reasons;
        var higher = rule.Indicator.ReadDirection == Better.Higher;
        var count = 0;
        var sum = 0m;
        decimal worst = 0m, best = 0m;
        if (rule.NeedsStats)
        {
            for (var j = 0; j < values.Length; j++)
            {
                if (reasons[j] is not null) continue;
                var m = values[j];
                if (count == 0) worst = best = m;
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
                try
                {
                    sum += m;
                }
                catch (OverflowException e)
                {
                    throw Failure(rule.Name, metrics.Source.Roster, j, rule.Indicator.Position, e);
                }
                count++;
            }
        }
        var average = count > 0 ? sum / count : 0m;
        var ranks = rule.NeedsRanks ? CompetitionRanks(values, reasons, higher) : null;
        context.Insert(PeerFigures.OfClass(metrics, rule.Indicator.Id, new PeerStats(metrics.Peers, worst, best, average), rule.NeedsStats, ranks));
    }

    /// <summary>
    /// (v3) <c>indicator:&lt;id&gt;:level</c>: the mean of the indicator's metric over its level peers (every class carrying
    /// it; scope level) and over those of each parent region (scope parent) (spec 2.3). Excluded units count: exclusion
    /// changes no indicator score.
    /// </summary>
    public static void LevelPeers(IContext context, IEnumerable<MetricColumn> columns, IndicatorRule rule)
    {
        var sum = 0m;
        var count = 0;
        var byParent = new Dictionary<string, (decimal Sum, int Count)>(StringComparer.Ordinal);
        foreach (var column in columns.OrderBy(c => c.Class))
        {
            var members = column.Source.Roster.Members;
            for (var j = 0; j < column.Values.Length; j++)
            {
                if (column.Reasons[j] is not null) continue;
                var m = column.Values[j];
                sum += m;
                count++;
                if (members[j].Parent is not { } parent) continue;
                byParent[parent] = byParent.TryGetValue(parent, out var p) ? (p.Sum + m, p.Count + 1) : (m, 1);
            }
        }
        context.Insert(PeerFigures.OfLevel(rule.Item, rule.Indicator.Id, count, count > 0 ? sum / count : 0m));
        context.Insert(PeerFigures.OfParents(rule.Item, rule.Indicator.Id,
            byParent.ToDictionary(p => p.Key, p => p.Value.Sum / p.Value.Count, StringComparer.Ordinal)));
    }

    /// <summary>
    /// <c>indicator:&lt;id&gt;</c>: each unit's score, explanation and "target met" on the indicator. Reads the class
    /// peers' figures when the method reads them, and (v3) the level's and the parent regions' figures (levelAvg,
    /// parentAvg) when the formula reads either.
    /// </summary>
    public static void Score(IContext context, MetricColumn metrics, PeerFigures? peers, PeerFigures? level, PeerFigures? parents, ObservationColumn[] inputs,
        IndicatorRule rule, Func<FormulaScope, decimal>? formula)
    {
        var indicator = rule.Indicator;
        var roster = metrics.Source.Roster;
        var weight = rule.Weights[roster.Class]!.Value;
        var scorer = rule.Scorer ?? new FormulaScorer(indicator, rule.Formula!, rule.Decimals,
            new CompiledFormula(rule.Formula!.Formula, rule.Uses, formula!))
        {
            Inputs = rule.Inputs,
            InputsUsed = rule.InputsUsed,
        };
        var cls = new ClassIndicator(indicator, weight, peers?.Stats ?? new PeerStats(metrics.Peers, 0m, 0m, 0m), rule.Decimals)
        {
            Level = level is null ? null : new LevelAverages(level.LevelAverage, parents!.ByParent!),
            ParentWord = rule.ParentWord,
            InputRows = [.. inputs.Select(c => c.Rows)],
        };
        var members = roster.Members;
        var rows = metrics.Source.Rows;
        var values = metrics.Values;
        var reasons = metrics.Reasons;
        var ranks = peers?.Ranks;
        var growthMetric = indicator.Method.Metric is Model.Metric.Growth or Model.Metric.Change;
        var scope = new FormulaScope { Inputs = new decimal[rule.Inputs.Length] };
        var results = new IndicatorResult[rows.Length];
        var unlimited = scorer.Unlimited;
        var max = 0m;
        for (var j = 0; j < rows.Length; j++)
        {
            try
            {
                // max is reported like every score: rounded to the ruleset's decimals.
                if (j == 0) max = Numbers.Round(scorer.Max(weight), rule.Decimals);
                var o = rows[j];
                Scored scored;
                if (reasons[j] is { } reason) scored = Scored.Missed(reason);
                else
                {
                    try
                    {
                        scored = scorer.Score(new UnitFacts(o!, values[j], ranks?[j] ?? 0) { Parent = members[j].Parent, Member = j }, cls, scope);
                    }
                    catch (OverflowException)
                    {
                        scored = Scored.Missed("数值超出范围");
                    }
                }
                var metric = reasons[j] is null ? values[j] : (decimal?)null;
                var met = Metrics.TargetMet(indicator, o, growthMetric ? metric : null);
                results[j] = new IndicatorResult(indicator.Id, scored.Score, max, scored.Missing, scored.Explanation, o, metric, met)
                {
                    Unlimited = unlimited,
                };
            }
            catch (Exception e) when (e is not RuleEvaluationException)
            {
                throw Failure(rule.Name, roster, j, indicator.Position, e);
            }
        }
        context.Insert(new IndicatorScores(roster, rule.Item, rule.Dimension, indicator.Id, results));
    }

    /// <summary><c>bonus:&lt;id&gt;</c> and <c>penalty:&lt;id&gt;</c>: each unit's points on the item (spec 2.2).</summary>
    public static void Points(IContext context, ObservationColumn observations, AdjustmentRule rule, Func<FormulaScope, decimal>? amount)
    {
        var item = rule.Adjustment;
        var formula = amount is null ? null : new CompiledFormula(rule.FormulaText!, rule.Uses, amount);
        var scope = new FormulaScope();
        var rows = observations.Rows;
        var results = new AdjustmentResult[rows.Length];
        for (var j = 0; j < rows.Length; j++)
        {
            try
            {
                var count = rows[j]?.Actual ?? 0m;
                decimal value;
                if (formula is null) value = item.Per!.Value * count;
                else
                {
                    scope.Count = count;
                    // A failing adjustment formula (division by zero…) earns no points (spec 2.2).
                    value = formula.TryEvaluate(scope, out var v, out _) ? v : 0m;
                }
                var points = Numbers.Round(Numbers.Clamp(value, 0m, item.Max ?? decimal.MaxValue), rule.Decimals);
                results[j] = new AdjustmentResult(item.Id, count, item.Kind == AdjustmentKind.Penalty ? -points : points);
            }
            catch (Exception e) when (e is not RuleEvaluationException)
            {
                throw Failure(rule.Name, observations.Roster, j, item.Position, e);
            }
        }
        context.Insert(new AdjustmentPoints(observations.Roster, rule.Index, item.Id, results));
    }

    /// <summary><c>veto:&lt;id&gt;</c>: the units the veto applies to (spec 2.2): n &gt; 0, or its <c>when</c> formula true.</summary>
    public static void Veto(IContext context, ObservationColumn observations, AdjustmentRule rule, Func<FormulaScope, decimal>? when)
    {
        var formula = when is null ? null : new CompiledFormula(rule.FormulaText!, rule.Uses, when);
        var scope = new FormulaScope();
        var rows = observations.Rows;
        var vetoed = new bool[rows.Length];
        for (var j = 0; j < rows.Length; j++)
        {
            var count = rows[j]?.Actual ?? 0m;
            if (formula is null) vetoed[j] = count > 0m;
            else
            {
                // Evaluated with n = 0 for a unit with no row; a failing formula is no veto.
                scope.Count = count;
                vetoed[j] = formula.TryEvaluate(scope, out var value, out _) && value != 0m;
            }
        }
        context.Insert(new VetoFindings(observations.Roster, rule.Index, rule.Adjustment.Id, vetoed));
    }

    /// <summary>
    /// <c>dimension:&lt;id&gt;</c>: per unit, the dimension's subtotal: raw = Σ its indicator scores and max = Σ their maxima;
    /// (v3, spec 2.6) with <c>cap</c> or <c>factor</c>, score = round(min(raw, cap) × factor) with its explanation.
    /// </summary>
    public static void Dimension(IContext context, ClassRoster roster, IEnumerable<IndicatorScores> scores, ClassRules rules, int position)
    {
        var columns = scores.OrderBy(s => s.Item).ToArray();
        var dimension = rules.Ruleset.Dimensions[position];
        var decimals = rules.Ruleset.Decimals;
        var results = new DimensionScore[roster.Members.Length];
        for (var j = 0; j < results.Length; j++)
        {
            try
            {
                decimal raw = 0m, max = 0m;
                var unlimited = false;
                foreach (var column in columns)
                {
                    var r = column.Results[j];
                    raw += r.Score;
                    max += r.Max;
                    unlimited |= r.Unlimited;
                }
                results[j] = dimension.IsV3
                    ? DimensionScaling.Scale(dimension, raw, max, unlimited, decimals)
                    : new DimensionScore(dimension.Id, raw, max) { Unlimited = unlimited };
            }
            catch (Exception e) when (e is not RuleEvaluationException)
            {
                throw Failure("dimension:" + dimension.Id, roster, j, dimension.Position, e);
            }
        }
        context.Insert(new DimensionScores(roster, position, dimension.Id, columns, results));
    }

    /// <summary>
    /// <c>total</c>: per unit, the indicators and dimensions in ruleset order, the adjustments and vetoes, and the total
    /// = Σ dimension scores + min(Σ bonus, bonusCap) + Σ penalty, (v3) capped by <c>totalCap</c> (rawTotal, a note)
    /// (spec 2.2, 2.6). (v3) Applies the excluding vetoes to the roster: the totals carry the roster of the ranking stages.
    /// </summary>
    public static void Total(IContext context, ClassRoster roster, IEnumerable<DimensionScores> dimensions,
        IEnumerable<AdjustmentPoints> points, IEnumerable<VetoFindings> vetoes, ClassRules rules)
    {
        var byDimension = dimensions.OrderBy(d => d.Dimension).ToArray();
        var byAdjustment = points.OrderBy(p => p.Adjustment).ToArray();
        var vetoesInOrder = vetoes.OrderBy(v => v.Adjustment).ToArray();
        var model = rules.Ruleset;
        var decimals = model.Decimals;
        var indicatorCount = 0;
        foreach (var d in byDimension) indicatorCount += d.Indicators.Length;
        var ranking = model.HasExclusions ? roster.Excluding(Excluded(roster, vetoesInOrder, model)) : roster;
        var units = new UnitResult[roster.Members.Length];
        var hasNotes = model.TotalCap is not null || model.HasExclusions;
        for (var j = 0; j < units.Length; j++)
        {
            var unit = roster.Members[j];
            try
            {
                // Each unit's arrays are allocated once at their final length and wrapped, not copied.
                var indicators = new IndicatorResult[indicatorCount];
                var dimensionScores = new DimensionScore[byDimension.Length];
                var at = 0;
                var sum = 0m;
                var incomplete = false;
                var targetsMet = true;
                for (var k = 0; k < byDimension.Length; k++)
                {
                    var dimension = byDimension[k];
                    foreach (var column in dimension.Indicators)
                    {
                        var r = column.Results[j];
                        indicators[at++] = r;
                        incomplete |= r.Missing is not null;
                        if (rules.Indicators[column.Item].Indicator.Core && !r.TargetMet) targetsMet = false;
                    }
                    var score = dimension.Scores[j];
                    dimensionScores[k] = score;
                    sum += score.Score;
                }

                var adjustments = new AdjustmentResult[byAdjustment.Length];
                decimal bonus = 0m, penalty = 0m;
                for (var i = 0; i < byAdjustment.Length; i++)
                {
                    var column = byAdjustment[i];
                    var a = column.Results[j];
                    adjustments[i] = a;
                    if (model.Adjustments[column.Adjustment].Kind == AdjustmentKind.Penalty) penalty += a.Points;
                    else bonus += a.Points;
                }
                ImmutableArray<string>.Builder? vetoed = null; // most units have none
                List<string>? exclusionNotes = null; // likewise
                foreach (var v in vetoesInOrder)
                {
                    if (!v.Vetoed[j]) continue;
                    (vetoed ??= ImmutableArray.CreateBuilder<string>()).Add(v.Id);
                    var veto = model.Adjustments[v.Adjustment];
                    if (veto.Exclude) (exclusionNotes ??= []).Add($"{veto.Name}（取消参评资格）：不参加排名、等次评定和红黑榜");
                }
                if (model.BonusCap is { } bonusCap) bonus = Math.Min(bonus, bonusCap);
                var total = Numbers.Round(sum + bonus + penalty, decimals);
                decimal? rawTotal = null;
                string? capNote = null;
                if (model.TotalCap is { } totalCap)
                {
                    // (v3) bonuses and penalties count before the cap; the note comes before any exclusion's.
                    rawTotal = total;
                    if (total > totalCap)
                    {
                        total = Numbers.Round(totalCap, decimals);
                        capNote = $"总分 {Numbers.Fixed(rawTotal.Value, decimals)}，超过上限 {Numbers.Plain(totalCap)}，按 {Numbers.Fixed(total, decimals)} 计";
                    }
                }
                units[j] = new UnitResult(unit.Code, unit.Name, unit.Class, unit.Parent, total, 0, 0, "", [], vetoed?.ToImmutable() ?? [],
                    incomplete, targetsMet, ImmutableCollectionsMarshal.AsImmutableArray(dimensionScores), ImmutableCollectionsMarshal.AsImmutableArray(indicators),
                    ImmutableCollectionsMarshal.AsImmutableArray(adjustments), bonus, penalty)
                {
                    Excluded = model.HasExclusions ? !ranking.IsRanked(j) : null,
                    RawTotal = rawTotal,
                    Notes = hasNotes ? Notes(capNote, exclusionNotes) : default,
                };
            }
            catch (Exception e) when (e is not RuleEvaluationException)
            {
                throw Failure("total", roster, j, default, e);
            }
        }
        context.Insert(new ClassTotals(ranking, units));
    }

    /// <summary>(v3) Per roster position: true when an excluding veto (<c>exclude: true</c>) applies to the unit.</summary>
    private static bool[] Excluded(ClassRoster roster, VetoFindings[] vetoes, Ruleset model)
    {
        var excluded = new bool[roster.Members.Length];
        foreach (var v in vetoes)
        {
            if (!model.Adjustments[v.Adjustment].Exclude) continue;
            for (var j = 0; j < excluded.Length; j++) excluded[j] |= v.Vetoed[j];
        }
        return excluded;
    }

    /// <summary>A unit's notes: the total cap's first, then each excluding veto's; empty (not default) when there are none.</summary>
    private static ImmutableArray<string> Notes(string? capNote, List<string>? exclusionNotes)
    {
        if (capNote is null) return exclusionNotes is null ? [] : [.. exclusionNotes];
        if (exclusionNotes is null) return [capNote];
        return [capNote, .. exclusionNotes];
    }

    /// <summary>
    /// <c>rank</c>: competition ranks by total within the class, higher first (spec 2.4). (v3) An excluded unit is not
    /// ranked (rank 0) and leaves n; it is reported after the ranked units, by code.
    /// </summary>
    public static void Rank(IContext context, ClassTotals totals)
    {
        var units = totals.Units;
        var roster = totals.Roster;
        var n = units.Length;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var excluded = roster.IsRanked(b).CompareTo(roster.IsRanked(a));
            if (excluded != 0) return excluded;
            var byTotal = roster.IsRanked(a) ? units[b].Total.CompareTo(units[a].Total) : 0;
            return byTotal != 0 ? byTotal : string.CompareOrdinal(units[a].Code, units[b].Code);
        });
        var ranks = new int[n];
        for (var k = 0; k < n; k++)
        {
            var j = order[k];
            if (!roster.IsRanked(j)) continue;
            ranks[j] = k > 0 && units[j].Total == units[order[k - 1]].Total ? ranks[order[k - 1]] : k + 1;
        }
        context.Insert(new Ranking(Scope.Class, totals, ranks, roster.Ranked, order));
    }

    /// <summary>
    /// (v3) <c>rank:level</c>: competition ranks by total among the ranked units of every class together, higher first
    /// (levelRank), and their number N (spec 2.4).
    /// </summary>
    public static void LevelRank(IContext context, IEnumerable<ClassTotals> classes)
    {
        var all = classes.OrderBy(c => c.Class).ToArray();
        var entries = new List<(int Class, int Member, decimal Total)>();
        for (var c = 0; c < all.Length; c++)
            for (var j = 0; j < all[c].Units.Length; j++)
                if (all[c].Roster.IsRanked(j)) entries.Add((c, j, all[c].Units[j].Total));
        entries.Sort((a, b) => b.Total.CompareTo(a.Total));
        var ranks = new int[all.Length][];
        for (var c = 0; c < all.Length; c++) ranks[c] = new int[all[c].Units.Length];
        for (var k = 0; k < entries.Count; k++)
        {
            var e = entries[k];
            ranks[e.Class][e.Member] = k > 0 && e.Total == entries[k - 1].Total ? ranks[entries[k - 1].Class][entries[k - 1].Member] : k + 1;
        }
        for (var c = 0; c < all.Length; c++) context.Insert(new Ranking(Scope.Level, all[c], ranks[c], entries.Count, null));
    }

    /// <summary>
    /// <c>grade:&lt;name&gt;</c>: the units whose rank (rankShare) or total (score) qualifies for the level (spec 2.4).
    /// (v3) Excluded units qualify for none; the ranking is that of the grades' scope (with <c>scope: level</c>,
    /// levelRank and N stand for rank and n).
    /// </summary>
    public static void Grade(IContext context, Ranking ranking, ClassRules rules, int gradeLevel)
    {
        var grades = rules.Ruleset.Grades;
        var units = ranking.Totals.Units;
        var n = ranking.Count;
        var ranks = ranking.Ranks;
        var qualifies = new bool[units.Length];
        var last = gradeLevel == grades.Levels.Length - 1;
        // rankShare: the last rank level i takes is round(n × (share₁ + … + shareᵢ)).
        var cutoff = 0;
        if (!last && grades.By == GradeBasis.RankShare)
        {
            var cumulative = 0m;
            for (var i = 0; i <= gradeLevel; i++) cumulative += grades.Levels[i].Share ?? 0m;
            cutoff = (int)Numbers.Round(n * cumulative, 0);
        }
        for (var j = 0; j < units.Length; j++)
        {
            if (!ranking.Roster.IsRanked(j)) continue;
            qualifies[j] = last || (grades.By == GradeBasis.RankShare
                ? ranks[j] <= cutoff
                : grades.Levels[gradeLevel].Min <= units[j].Total);
        }
        context.Insert(new GradeAward(ranking.Totals.Roster, gradeLevel, grades.Levels[gradeLevel].Name, qualifies));
    }

    /// <summary><c>list:red</c>: rank ≤ top, targets met when required, not vetoed (spec 2.5); (v3) never an excluded unit.</summary>
    public static void RedList(IContext context, Ranking ranking, RedListRule red)
    {
        var units = ranking.Totals.Units;
        var ranks = ranking.Ranks;
        var top = red.CountFor(ranking.Count);
        var on = new bool[units.Length];
        for (var j = 0; j < on.Length; j++)
            on[j] = ranking.Roster.IsRanked(j) && ranks[j] <= top && (!red.RequireTargetsMet || units[j].TargetsMet) && units[j].Vetoes.IsEmpty;
        context.Insert(new ListEntries(ranking.Totals.Roster, "red", on));
    }

    /// <summary><c>list:black</c>: rank &gt; n − bottom, targets missed when required (spec 2.5); (v3) never an excluded unit.</summary>
    public static void BlackList(IContext context, Ranking ranking, BlackListRule black)
    {
        var units = ranking.Totals.Units;
        var ranks = ranking.Ranks;
        var n = ranking.Count;
        var bottom = black.CountFor(n);
        var on = new bool[units.Length];
        for (var j = 0; j < on.Length; j++)
            on[j] = ranking.Roster.IsRanked(j) && ranks[j] > n - bottom && (!black.RequireTargetsMissed || !units[j].TargetsMet);
        context.Insert(new ListEntries(ranking.Totals.Roster, "black", on));
    }

    /// <summary><c>result</c>: each unit's rank, grade (the first level it qualifies for, lowered by its vetoes) and lists.</summary>
    public static void Result(IContext context, Ranking ranking, Ranking? level, IEnumerable<GradeAward> awards,
        IEnumerable<ListEntries> lists, ClassRules rules)
    {
        var levels = awards.OrderBy(a => a.Level).ToArray();
        var red = lists.FirstOrDefault(l => l.List == "red");
        var black = lists.FirstOrDefault(l => l.List == "black");
        var units = ranking.Totals.Units;
        var n = units.Length;
        var names = rules.Ruleset.Grades.Levels;
        var hasGrades = !names.IsEmpty;
        var levelRanks = level?.Ranks;
        var results = new UnitResult[n];
        for (var k = 0; k < n; k++)
        {
            var j = ranking.Order![k];
            var r = units[j];
            var excluded = !ranking.Roster.IsRanked(j);
            var gradeName = "";
            if (hasGrades && !excluded)
            {
                var grade = levels.Length - 1;
                for (var i = 0; i < levels.Length; i++)
                {
                    if (!levels[i].Qualifies[j]) continue;
                    grade = i;
                    break;
                }
                foreach (var veto in r.Vetoes)
                {
                    if (!rules.VetoGradeCaps.TryGetValue(veto, out var cap)) continue; // an excluding veto caps no grade
                    if (cap > grade) grade = cap;
                }
                gradeName = names[grade].Name;
            }
            var onRed = red?.On[j] == true;
            var onBlack = black?.On[j] == true;
            results[k] = r with
            {
                Rank = ranking.Ranks[j],
                Peers = ranking.Count,
                Grade = gradeName,
                Lists = (onRed, onBlack) switch
                {
                    (true, true) => ["red", "black"],
                    (true, false) => ["red"],
                    (false, true) => ["black"],
                    _ => [],
                },
                LevelRank = levelRanks is null || excluded ? null : levelRanks[j],
                LevelPeers = level?.Count,
            };
        }
        context.Insert(new ClassResult(ranking.Totals.Roster, results));
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
            ranks[order[k]] = k > 0 && values[order[k]] == values[order[k - 1]] ? ranks[order[k - 1]] : k + 1;
        return ranks;
    }

    private static RuleEvaluationException Failure(string rule, ClassRoster roster, int member, SourcePosition position, Exception e) =>
        new(rule, roster.Members[member].Code, roster.Name, position, e is OverflowException ? "数值超出范围" : e.Message, e);
}
