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
            // A unit's rows usually come together: the last unit's lookup is reused while the code repeats.
            string? lastUnit = null;
            var lastAt = (Level: -1, Class: -1, Member: -1);
            var lastFound = false;
            void Place(Observation o)
            {
                if (o.Period != period) return;
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
                if (!lastFound) return;
                var at = lastAt;
                _levelObservations.Add(o);
                _levelObservationUnit.Add(at.Level);
                if (item >= 0 && at.Class >= 0) columns[at.Class][item][at.Member] = o;
            }
            // Arrays and lists are read as spans (no enumerator calls per row); any other list through its enumerator.
            switch (data.Observations)
            {
                case Observation[] array:
                    foreach (var o in array) Place(o);
                    break;
                case List<Observation> list:
                    foreach (var o in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list)) Place(o);
                    break;
                default:
                    foreach (var o in data.Observations) Place(o);
                    break;
            }
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
