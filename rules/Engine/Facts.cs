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

/// <summary>Input: the units of one class, in the order every column of the class follows.</summary>
internal sealed class ClassRoster(int @class, string name, Unit[] members) : ITracedFact
{
    public int Class { get; } = @class;

    public string Name { get; } = name;

    public Unit[] Members { get; } = members;

    public string Label => $"units[{Name}]";

    public IEnumerable<(string? Unit, string Figure)> Figures() => Members.Select(m => ((string?)m.Code, m.Name));
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

/// <summary>Derived by <c>indicator:&lt;id&gt;:peers</c>: the class peers' figures on one indicator.</summary>
internal sealed class PeerFigures(MetricColumn metrics, PeerStats stats, bool hasStats, int[]? ranks) : ITracedFact
{
    public MetricColumn Metrics { get; } = metrics;

    public int Class => Metrics.Class;

    public int Item => Metrics.Item;

    public PeerStats Stats { get; } = stats;

    /// <summary>Competition ranks among peers (0 for non-peers), when the method reads ranks.</summary>
    public int[]? Ranks { get; } = ranks;

    public string Label => "peers" + Metrics.Source.Label["observations".Length..];

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        // Worst, best and mean are computed only for the methods that read them.
        yield return (null, hasStats
            ? string.Create(CultureInfo.InvariantCulture, $"peers {Stats.Count}, worst {Numbers.Plain(Stats.Worst)}, best {Numbers.Plain(Stats.Best)}, average {Numbers.Brief(Stats.Average)}")
            : string.Create(CultureInfo.InvariantCulture, $"peers {Stats.Count}"));
        if (Ranks is null) yield break;
        for (var j = 0; j < Ranks.Length; j++)
            if (Ranks[j] > 0) yield return (Metrics.Source.Roster.Members[j].Code, "rank " + Ranks[j].ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// (v3) Derived by <c>indicator:&lt;id&gt;:level</c> from the metric columns of every class carrying the indicator: the
/// level peers' mean (levelAvg) and the mean per parent region (parentAvg). A level-wide fact.
/// </summary>
internal sealed class LevelFigures(int item, string itemId, LevelAverages averages) : ITracedFact
{
    public int Item { get; } = item;

    public LevelAverages Averages { get; } = averages;

    public int Class => -1;

    public string Label => $"level[{itemId}]";

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        yield return (null, Averages.Level is { } avg ? "levelAvg " + Numbers.Brief(avg) : "levelAvg undefined");
        foreach (var (parent, value) in Averages.ByParent.OrderBy(p => p.Key, StringComparer.Ordinal))
            yield return (null, $"parentAvg[{parent}] {Numbers.Brief(value)}");
    }
}

/// <summary>Derived by <c>indicator:&lt;id&gt;</c>: each unit's result on one indicator.</summary>
internal sealed class IndicatorScores(ClassRoster roster, int item, string itemId, IndicatorResult[] results) : ITracedFact
{
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public int Item { get; } = item;

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

/// <summary>Derived by <c>total</c>: each unit's indicators, dimensions, adjustments and total (rank and grade still empty).</summary>
internal sealed class ClassTotals(ClassRoster roster, UnitResult[] units) : ITracedFact
{
    public ClassRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public UnitResult[] Units { get; } = units;

    public string Label => $"totals[{Roster.Name}]";

    public IEnumerable<(string? Unit, string Figure)> Figures() => Units.Select(u => ((string?)u.Code, Numbers.Plain(u.Total)));
}

/// <summary>
/// Derived by <c>rank</c>: competition ranks by total, and the order units are reported in. (v3) The ranking knows which
/// units are ranked: an excluded unit has rank 0 and is not counted in <see cref="Ranked"/> (n).
/// </summary>
internal sealed class ClassRanking(ClassTotals totals, int[] ranks, int[] order, int ranked) : ITracedFact
{
    /// <summary>n: the units ranked in the class (excluded units left out).</summary>
    public int Ranked { get; } = ranked;

    public ClassTotals Totals { get; } = totals;

    public int Class => Totals.Class;

    public int[] Ranks { get; } = ranks;

    /// <summary>Positions in the roster, by rank then code.</summary>
    public int[] Order { get; } = order;

    public string Label => $"ranks[{Totals.Roster.Name}]";

    public IEnumerable<(string? Unit, string Figure)> Figures() =>
        Order.Select(j => ((string?)Totals.Units[j].Code, Ranks[j] > 0 ? "rank " + Ranks[j].ToString(CultureInfo.InvariantCulture) : "excluded"));
}

/// <summary>
/// (v3) Derived by <c>rank:level</c> over every class's totals: each ranked unit's competition rank among all ranked
/// units of the evaluated level (levelRank), and their number N. The one fact with a level-wide scope.
/// </summary>
internal sealed class LevelRanking(int[][] ranks, int count) : ITracedFact
{
    /// <summary>Per class position, per roster position: levelRank, or 0 for an excluded unit.</summary>
    public int[][] Ranks { get; } = ranks;

    /// <summary>N: the ranked units of the level.</summary>
    public int Count { get; } = count;

    public int Class => -1;

    public string Label => "ranks[level]";

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        yield return (null, "ranked " + Count.ToString(CultureInfo.InvariantCulture));
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
