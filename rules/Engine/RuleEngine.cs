using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;
using NRules;
using NRules.Diagnostics;

namespace BaiQianWan.Assess.Rules.Engine;

/// <summary>
/// Runs one evaluation as an NRules session: inserts the level's units (a roster per class) and the period's
/// observations (a column per class and ruleset item), fires the ruleset's rules, and reads the results the
/// <c>result</c> rules derived. Pure and deterministic.
/// </summary>
internal static class RuleEngine
{
    /// <summary>Evaluates; <paramref name="trace"/>, when given, receives every rule firing.</summary>
    /// <exception cref="RuleEvaluationException">A rule failed inside its action.</exception>
    public static EvaluationResult Evaluate(CompiledRuleset ruleset, Dataset data, Period period, int? version, Action<RuleFiring>? trace,
        out int firings)
    {
        if (Annual.Cadences.Problem(ruleset.Ruleset, period) is { } problem) throw new ArgumentException(problem, nameof(period));
        var run = new Run(ruleset, data, period);
        return run.Execute(version, trace, out firings);
    }

    /// <summary>The state of one evaluation. Not shared between threads.</summary>
    private sealed class Run(CompiledRuleset rs, Dataset data, Period period)
    {
        private readonly List<SkippedUnit> _skipped = [];
        private readonly List<Unit> _levelUnits = [];
        private readonly List<Observation> _levelObservations = [];
        private readonly List<int> _levelObservationUnit = [];

        public EvaluationResult Execute(int? version, Action<RuleFiring>? trace, out int firings)
        {
            var model = rs.Ruleset;
            var (facts, unknown) = Facts();
            // The data hash reads only what placement collected, so on a large level it runs on another core
            // while the session fires; the result is the same either way.
            var hash = _levelObservations.Count >= ParallelHashRows
                ? Task.Run(ComputeHash)
                : Task.FromResult(ComputeHash());

            var session = rs.Rules.Factory.CreateSession();
            using var tracer = trace is null ? null : new SessionTracer(session.Events, model.Classes, trace);
            session.InsertAll(facts);
            try
            {
                firings = session.Fire();
            }
            catch (RuleExecutionException e) when (Find(e) is { } failure)
            {
                throw failure;
            }
            var results = session.Query<ClassResult>().ToList();
            results.Sort((a, b) => a.Class.CompareTo(b.Class));
            var units = ImmutableArray.CreateBuilder<UnitResult>(results.Sum(r => r.Units.Length));
            foreach (var r in results) units.AddRange(r.Units);

            _skipped.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
            return new EvaluationResult(
                period,
                version is null ? rs.Info : rs.Info with { Version = version },
                hash.GetAwaiter().GetResult(),
                units.MoveToImmutable(),
                [.. _skipped],
                unknown)
            {
                Sources = model.Sources.IsEmpty ? default : data.Publications,
            };
        }

        private static RuleEvaluationException? Find(Exception? e)
        {
            for (; e is not null; e = e.InnerException)
                if (e is RuleEvaluationException failure) return failure;
            return null;
        }

        /// <summary>Below this many observations the hash is computed inline (a thread hop would cost more).</summary>
        private const int ParallelHashRows = 4096;

        private string ComputeHash() => DataHash.Compute(_levelUnits, _levelObservations, _levelObservationUnit, rs.Ruleset.Level, period,
            rs.Ruleset.Sources.IsEmpty ? default : data.Publications);

        /// <summary>
        /// The session's input facts: a roster of units per class, and per class and ruleset item a column of the
        /// period's observations aligned with the roster. Also collects the level's observations for the data hash.
        /// </summary>
        private (List<object> Facts, ImmutableArray<string> Unknown) Facts()
        {
            var model = rs.Ruleset;
            var classes = model.Classes.Length;
            var members = new List<Unit>[classes];
            for (var c = 0; c < classes; c++) members[c] = [];
            // Per code: the unit's position among the level's units, its class and its place in the class (−1 when skipped).
            var indexOf = new Dictionary<string, (int Level, int Class, int Member)>(StringComparer.Ordinal);
            foreach (var unit in data.Units)
            {
                if (unit.Level != model.Level) continue;
                var level = _levelUnits.Count;
                _levelUnits.Add(unit);
                if (!rs.ClassIndex.TryGetValue(unit.Class, out var c))
                {
                    _skipped.Add(new SkippedUnit(unit.Code, $"类别“{unit.Class}”不在规则集 {model.Id} 的类别中"));
                    indexOf[unit.Code] = (level, -1, -1);
                    continue;
                }
                indexOf[unit.Code] = (level, c, members[c].Count);
                members[c].Add(unit);
            }
            var items = rs.ItemIndex.Count;
            var columns = new Observation?[classes][][];
            for (var c = 0; c < classes; c++)
            {
                columns[c] = new Observation?[items][];
                for (var i = 0; i < items; i++) columns[c][i] = new Observation?[members[c].Count];
            }
            // The ruleset's items, and each unknown id as −1 once met: one lookup per row, known or not.
            var itemOf = new Dictionary<string, int>(rs.ItemIndex, StringComparer.Ordinal);
            var unknown = new List<string>();
            // A unit's rows usually come together: the last unit's lookup is reused while the code repeats. One plain
            // loop over a span, its state in locals (a local function's captured state lived on the heap).
            string? lastUnit = null;
            var lastAt = (Level: -1, Class: -1, Member: -1);
            var lastFound = false;
            // An array or a List is read as one span; any other list is copied a chunk at a time into a pooled buffer.
            var source = data.Observations;
            var whole = source switch
            {
                Observation[] array => array,
                List<Observation> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
                _ => default,
            };
            var buffer = source is Observation[] or List<Observation> ? null : System.Buffers.ArrayPool<Observation>.Shared.Rent(Math.Clamp(source.Count, 1, 4096));
            var evaluated = period;
            for (int from = 0, length; from < source.Count; from += length)
            {
                ReadOnlySpan<Observation> rows;
                if (buffer is null)
                {
                    rows = whole;
                    length = whole.Length;
                }
                else
                {
                    length = Math.Min(buffer.Length, source.Count - from);
                    for (var k = 0; k < length; k++) buffer[k] = source[from + k];
                    rows = buffer.AsSpan(0, length);
                }
                foreach (var o in rows)
                {
                    if (o.Period != evaluated) continue;
                    if (!itemOf.TryGetValue(o.Indicator, out var item))
                    {
                        item = -1;
                        itemOf.Add(o.Indicator, item);
                        unknown.Add(o.Indicator);
                    }
                    if (!string.Equals(o.Unit, lastUnit, StringComparison.Ordinal))
                    {
                        lastUnit = o.Unit;
                        lastFound = indexOf.TryGetValue(o.Unit, out lastAt);
                    }
                    if (!lastFound) continue;
                    _levelObservations.Add(o);
                    _levelObservationUnit.Add(lastAt.Level);
                    if (item >= 0 && lastAt.Class >= 0) columns[lastAt.Class][item][lastAt.Member] = o;
                }
            }
            if (buffer is not null) System.Buffers.ArrayPool<Observation>.Shared.Return(buffer, clearArray: true);
            unknown.Sort(StringComparer.Ordinal);

            var ids = new string[items];
            foreach (var (id, i) in rs.ItemIndex) ids[i] = id;
            var facts = new List<object>(classes * (items + 1));
            for (var c = 0; c < classes; c++)
            {
                var roster = new ClassRoster(c, model.Classes[c], [.. members[c]]);
                facts.Add(roster);
                for (var i = 0; i < items; i++) facts.Add(new ObservationColumn(roster, i, ids[i], columns[c][i]));
            }
            return (facts, [.. unknown]);
        }
    }
}
