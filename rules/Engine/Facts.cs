using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Rules.Engine;

// The facts of an NRules session. Input facts are the units of each class (a roster) and the observations of each
// class on each ruleset item (a column aligned with the roster); every other fact is inserted by a rule. A fact
// covers one class and one item and carries arrays over the class's units: class-wide figures (ranks, best and
// worst, averages) are then one rule firing over one fact, and a session holds a few hundred facts, not one per
// cell (that encoding ran 15–45× a plain loop here). Facts are immutable once inserted.
//
// The stages, each a named rule whose action does only its stage: metric → peers (scope class, level, parent) →
// score → dimension:<id> → total → rank (class, level) → grade / lists → result. Figures over a set of units carry
// their Scope (PeerFigures); the roster of a class says which of its units are ranked.

/// <summary>A fact that can say, per unit, the figure it holds (for the trace).</summary>
internal interface ITracedFact
{
    /// <summary>The class the fact belongs to (−1 for a level-wide fact).</summary>
    int Class { get; }

    /// <summary>A short label naming the fact, e.g. <c>observations[创先/fai]</c>.</summary>
    string Label { get; }

    /// <summary>Unit code (null for a class-wide figure) and the figure, as text.</summary>
    IEnumerable<(string? Unit, string Figure)> Figures();
}

/// <summary>The set of units a figure is taken over.</summary>
internal enum Scope
{
    /// <summary>The units of one class (class peers, class ranks, n).</summary>
    Class,

    /// <summary>Every unit of the evaluated level in the ruleset's classes (levelAvg, levelRank, N).</summary>
    Level,

    /// <summary>The units of the level under one parent region (parentAvg), one figure per region.</summary>
    Parent,
}

/// <summary>
/// The units of one class, in the order every column of the class follows, and which of them are ranked. The input
/// roster ranks every unit; the <c>total</c> stage, which applies the vetoes, derives the roster the ranking stages
/// read (<see cref="ClassTotals.Roster"/>) without the units an excluding veto (<c>exclude: true</c>) took out. An
/// excluded unit stays a peer of every indicator (the stages before <c>total</c> read the input roster) but leaves
/// n, the ranks, the grades and the lists: those read only <see cref="IsRanked"/> and <see cref="Ranked"/>.
/// </summary>
internal sealed class ClassRoster : ITracedFact
{
    private readonly bool[]? _excluded;

    public ClassRoster(int @class, string name, Unit[] members) : this(@class, name, members, null)
    {
    }

    private ClassRoster(int @class, string name, Unit[] members, bool[]? excluded)
    {
        Class = @class;
        Name = name;
        Members = members;
        _excluded = excluded;
        var ranked = members.Length;
        if (excluded is not null)
            foreach (var e in excluded)
                if (e) ranked--;
        Ranked = ranked;
    }

    public int Class { get; }

    public string Name { get; }

    public Unit[] Members { get; }

    /// <summary>n: how many of the members are ranked.</summary>
    public int Ranked { get; }

    /// <summary>True when the member at this position is ranked (not taken out by an excluding veto).</summary>
    public bool IsRanked(int member) => _excluded is null || !_excluded[member];

    /// <summary>The same members with those flagged taken out of the ranking (the roster of the ranking stages).</summary>
    public ClassRoster Excluding(bool[] excluded) => new(Class, Name, Members, excluded);

    public string Label => $"units[{Name}]";

    public IEnumerable<(string? Unit, string Figure)> Figures() =>
        Members.Select((m, j) => ((string?)m.Code, IsRanked(j) ? m.Name : m.Name + "（不参加排名）"));
}

/// <summary>Input: each unit's observation of one ruleset item (indicator or adjustment), null when it reported none.</summary>
internal sealed class ObservationColumn(ClassRoster roster, int item, string itemId, Observation?[] rows) : ITracedFact
{
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public int Item { get; } = item;

    public Observation?[] Rows { get; } = rows;

    public string Label => $"observations[{Roster.Name}/{itemId}]";

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < Rows.Length; j++)
            if (Rows[j] is { } o) yield return (Roster.Members[j].Code, Trace.Observation(o));
    }
}

/// <summary>Derived by <c>indicator:&lt;id&gt;:metric</c>: each unit's metric, or why it is undefined.</summary>
internal sealed class MetricColumn(ObservationColumn source, decimal[] values, string?[] reasons, int peers) : ITracedFact
{
    public ObservationColumn Source { get; } = source;

    public int Class => Source.Class;

    public int Item => Source.Item;

    public decimal[] Values { get; } = values;

    public string?[] Reasons { get; } = reasons;

    /// <summary>Class peers: units with the metric defined.</summary>
    public int Peers { get; } = peers;

    public string Label => "metrics" + Source.Label["observations".Length..];

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < Values.Length; j++)
            yield return (Source.Roster.Members[j].Code, Reasons[j] ?? Numbers.Plain(Values[j]));
    }
}

/// <summary>
/// Figures over the peers of one indicator in one <see cref="Scope"/>: derived by <c>indicator:&lt;id&gt;:peers</c> for a
/// class (count, worst, best, mean and, when the method reads them, competition ranks), and (v3) by
/// <c>indicator:&lt;id&gt;:level</c> for the level (count and mean: levelAvg) and for the parent regions (the mean per
/// region: parentAvg). Peers are the units with the metric defined; excluded units count (exclusion changes no
/// indicator score).
/// </summary>
internal sealed class PeerFigures : ITracedFact
{
    private readonly bool _hasStats;
    private readonly string _itemId;

    private PeerFigures(Scope scope, int @class, int item, string itemId, MetricColumn? metrics, PeerStats stats, bool hasStats, int[]? ranks,
        IReadOnlyDictionary<string, decimal>? byParent)
    {
        Scope = scope;
        Class = @class;
        Item = item;
        _itemId = itemId;
        Metrics = metrics;
        Stats = stats;
        _hasStats = hasStats;
        Ranks = ranks;
        ByParent = byParent;
    }

    /// <summary>The class peers' figures (worst, best and mean only when <paramref name="hasStats"/>).</summary>
    public static PeerFigures OfClass(MetricColumn metrics, string itemId, PeerStats stats, bool hasStats, int[]? ranks) =>
        new(Scope.Class, metrics.Class, metrics.Item, itemId, metrics, stats, hasStats, ranks, null);

    /// <summary>(v3) The level peers' count and mean (levelAvg).</summary>
    public static PeerFigures OfLevel(int item, string itemId, int count, decimal average) =>
        new(Scope.Level, -1, item, itemId, null, new PeerStats(count, 0m, 0m, average), false, null, null);

    /// <summary>(v3) The mean per parent region (parentAvg), for the regions with a peer.</summary>
    public static PeerFigures OfParents(int item, string itemId, IReadOnlyDictionary<string, decimal> byParent) =>
        new(Scope.Parent, -1, item, itemId, null, new PeerStats(byParent.Count, 0m, 0m, 0m), false, null, byParent);

    public Scope Scope { get; }

    /// <summary>The class of a class-scope figure, −1 for the level and the parent regions.</summary>
    public int Class { get; }

    public int Item { get; }

    /// <summary>The class's metric column the figures are taken over (class scope only).</summary>
    public MetricColumn? Metrics { get; }

    /// <summary>Class: count, worst, best, mean. Level: count and mean. Parent: the number of regions.</summary>
    public PeerStats Stats { get; }

    /// <summary>Class scope: competition ranks among peers (0 for non-peers), when the method reads ranks.</summary>
    public int[]? Ranks { get; }

    /// <summary>Parent scope: the mean per parent code.</summary>
    public IReadOnlyDictionary<string, decimal>? ByParent { get; }

    /// <summary>levelAvg: the level peers' mean, or null without a level peer.</summary>
    public decimal? LevelAverage => Scope == Scope.Level && Stats.Count > 0 ? Stats.Average : null;

    public string Label => Scope switch
    {
        Scope.Class => "peers" + Metrics!.Source.Label["observations".Length..],
        Scope.Level => $"peers[level/{_itemId}]",
        _ => $"peers[parent/{_itemId}]",
    };

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        switch (Scope)
        {
            case Scope.Level:
                yield return (null, LevelAverage is { } avg ? "levelAvg " + Numbers.Brief(avg) : "levelAvg undefined");
                yield break;
            case Scope.Parent:
                foreach (var (parent, value) in ByParent!.OrderBy(p => p.Key, StringComparer.Ordinal))
                    yield return (null, $"parentAvg[{parent}] {Numbers.Brief(value)}");
                yield break;
        }
        // Worst, best and mean are computed only for the methods that read them.
        yield return (null, _hasStats
            ? string.Create(CultureInfo.InvariantCulture, $"peers {Stats.Count}, worst {Numbers.Plain(Stats.Worst)}, best {Numbers.Plain(Stats.Best)}, average {Numbers.Brief(Stats.Average)}")
            : string.Create(CultureInfo.InvariantCulture, $"peers {Stats.Count}"));
        if (Ranks is null) yield break;
        for (var j = 0; j < Ranks.Length; j++)
            if (Ranks[j] > 0) yield return (Metrics!.Source.Roster.Members[j].Code, "rank " + Ranks[j].ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>Derived by <c>indicator:&lt;id&gt;</c>: each unit's result on one indicator.</summary>
internal sealed class IndicatorScores(ClassRoster roster, int item, int dimension, string itemId, IndicatorResult[] results) : ITracedFact
{
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public int Item { get; } = item;

    /// <summary>The position of the indicator's dimension (the <c>dimension:&lt;id&gt;</c> rule collects by it).</summary>
    public int Dimension { get; } = dimension;

    public IndicatorResult[] Results { get; } = results;

    public string Label => $"scores[{Roster.Name}/{itemId}]";

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < Results.Length; j++)
            yield return (Roster.Members[j].Code, Results[j].Missing is { } m ? $"0（{m}）" : Numbers.Plain(Results[j].Score));
    }
}

/// <summary>Derived by <c>bonus:&lt;id&gt;</c> or <c>penalty:&lt;id&gt;</c>: each unit's points on one item.</summary>
internal sealed class AdjustmentPoints(ClassRoster roster, int adjustment, string itemId, AdjustmentResult[] results) : ITracedFact
{
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    /// <summary>Position among the ruleset's adjustments.</summary>
    public int Adjustment { get; } = adjustment;

    public AdjustmentResult[] Results { get; } = results;

    public string Label => $"points[{Roster.Name}/{itemId}]";

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < Results.Length; j++)
            yield return (Roster.Members[j].Code, Numbers.Plain(Results[j].Points));
    }
}

/// <summary>Derived by <c>veto:&lt;id&gt;</c>: which units the veto applies to.</summary>
internal sealed class VetoFindings(ClassRoster roster, int adjustment, string itemId, bool[] vetoed) : ITracedFact
{
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public int Adjustment { get; } = adjustment;

    public string Id { get; } = itemId;

    public bool[] Vetoed { get; } = vetoed;

    public string Label => $"vetoes[{Roster.Name}/{Id}]";

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < Vetoed.Length; j++)
            if (Vetoed[j]) yield return (Roster.Members[j].Code, "vetoed");
    }
}

/// <summary>
/// Derived by <c>dimension:&lt;id&gt;</c>: each unit's subtotal on one dimension (Σ of its indicator scores; (v3) with
/// <c>cap</c> and <c>factor</c> applied, the raw sum and the explanation), with the indicator columns it summed in
/// ruleset order. Only for a class where an indicator of the dimension applies.
/// </summary>
internal sealed class DimensionScores(ClassRoster roster, int dimension, string id, IndicatorScores[] indicators, DimensionScore[] scores) : ITracedFact
{
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    /// <summary>Position among the ruleset's dimensions.</summary>
    public int Dimension { get; } = dimension;

    /// <summary>The dimension's indicator columns of the class, in ruleset order.</summary>
    public IndicatorScores[] Indicators { get; } = indicators;

    /// <summary>Per unit (roster position): the dimension's score.</summary>
    public DimensionScore[] Scores { get; } = scores;

    public string Label => $"dimension[{Roster.Name}/{id}]";

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < Scores.Length; j++)
        {
            var d = Scores[j];
            yield return (Roster.Members[j].Code, d.Explain is { } explain ? $"{Numbers.Plain(d.Score)}（{explain}）" : Numbers.Plain(d.Score));
        }
    }
}

/// <summary>
/// Derived by <c>total</c>: each unit's indicators, dimensions, adjustments and total (rank and grade still empty), and
/// the roster of the ranking stages: the class's units with those an excluding veto took out.
/// </summary>
internal sealed class ClassTotals(ClassRoster roster, UnitResult[] units) : ITracedFact
{
    /// <summary>The class's roster as the ranking stages read it (<see cref="ClassRoster.IsRanked"/>).</summary>
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public UnitResult[] Units { get; } = units;

    public string Label => $"totals[{Roster.Name}]";

    public IEnumerable<(string? Unit, string Figure)> Figures() =>
        Units.Select((u, j) => ((string?)u.Code, Roster.IsRanked(j) ? Numbers.Plain(u.Total) : Numbers.Plain(u.Total) + ", not ranked"));
}

/// <summary>
/// A class's ranks by total in one <see cref="Scope"/>: derived by <c>rank</c> among the class's ranked units (rank, n,
/// and the order units are reported in), and (v3) by <c>rank:level</c> among the ranked units of every class together
/// (levelRank, N; one fact per class). Only the units the totals' roster ranks have a rank; an excluded unit has 0.
/// The grades and lists read the ranking of the scope they use, with no other difference.
/// </summary>
internal sealed class Ranking(Scope scope, ClassTotals totals, int[] ranks, int count, int[]? order) : ITracedFact
{
    public Scope Scope { get; } = scope;

    public ClassTotals Totals { get; } = totals;

    /// <summary>The roster of the ranking stages: which units are ranked.</summary>
    public ClassRoster Roster => Totals.Roster;

    public int Class => Totals.Class;

    /// <summary>Per roster position: the competition rank in the scope, or 0 for an excluded unit.</summary>
    public int[] Ranks { get; } = ranks;

    /// <summary>The ranked units of the scope: n for the class, N for the level.</summary>
    public int Count { get; } = count;

    /// <summary>Class scope: positions in the roster by rank then code (excluded units last); null for the level.</summary>
    public int[]? Order { get; } = order;

    public string Label => Scope == Scope.Class ? $"ranks[{Totals.Roster.Name}]" : $"ranks[level/{Totals.Roster.Name}]";

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        var word = Scope == Scope.Class ? "rank " : "levelRank ";
        var of = " of " + Count.ToString(CultureInfo.InvariantCulture);
        foreach (var j in Order ?? Enumerable.Range(0, Ranks.Length))
            yield return (Totals.Units[j].Code, Ranks[j] > 0 ? word + Ranks[j].ToString(CultureInfo.InvariantCulture) + (Scope == Scope.Class ? "" : of) : "excluded");
    }
}

/// <summary>Derived by <c>grade:&lt;name&gt;</c>: the units that qualify for one grade level (the first level a unit qualifies for is its grade).</summary>
internal sealed class GradeAward(ClassRoster roster, int level, string name, bool[] qualifies) : ITracedFact
{
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public int Level { get; } = level;

    public bool[] Qualifies { get; } = qualifies;

    public string Label => $"grade[{Roster.Name}/{name}]";

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < Qualifies.Length; j++)
            if (Qualifies[j]) yield return (Roster.Members[j].Code, "qualifies for " + name);
    }
}

/// <summary>Derived by <c>list:red</c> or <c>list:black</c>: the units on the list.</summary>
internal sealed class ListEntries(ClassRoster roster, string list, bool[] on) : ITracedFact
{
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public string List { get; } = list;

    public bool[] On { get; } = on;

    public string Label => $"list[{Roster.Name}/{List}]";

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < On.Length; j++)
            if (On[j]) yield return (Roster.Members[j].Code, List);
    }
}

/// <summary>Derived by <c>result</c>: the class's unit results in reporting order.</summary>
internal sealed class ClassResult(ClassRoster roster, UnitResult[] units) : ITracedFact
{
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public UnitResult[] Units { get; } = units;

    public string Label => $"results[{Roster.Name}]";

    public IEnumerable<(string? Unit, string Figure)> Figures() => Units.Select(u =>
        ((string?)u.Code, string.Create(CultureInfo.InvariantCulture, $"total {Numbers.Plain(u.Total)}, rank {u.Rank}, grade {u.Grade}{(u.Lists.IsEmpty ? "" : ", " + string.Join("+", u.Lists))}")));
}
