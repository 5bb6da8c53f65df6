using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Engine;
using BaiQianWan.Assess.Rules.Evaluation;

namespace BaiQianWan.Assess.Rules.Monitors;

// The facts of a monitor's NRules session. As for scoring, a fact covers one class (and one indicator and month) and
// carries arrays over the class's units, so a session holds a few thousand facts, not one per cell. Input facts are
// the run (which month), the units of each class (a roster) and the rows of each class on each indicator in each
// month 1…m (a column aligned with the roster); every other fact is inserted by a rule. Facts are immutable once
// inserted.

/// <summary>Input: the month evaluated and how many classes the monitor lists.</summary>
internal sealed class MonthRun(int month, int classes, int indicators)
{
    public int Month { get; } = month;

    public int Classes { get; } = classes;

    public int Indicators { get; } = indicators;

    /// <summary>Class × month columns of one indicator.</summary>
    public int ColumnsPerIndicator => Classes * Month;

    /// <summary>Indicator × month columns of one class.</summary>
    public int ColumnsPerClass => Indicators * Month;
}

/// <summary>Input: the units of one class, in the order every column of the class follows.</summary>
internal sealed class MonthRoster(int @class, string name, Unit[] members) : ITracedFact
{
    public int Class { get; } = @class;

    public string Name { get; } = name;

    public Unit[] Members { get; } = members;

    public string Label => $"units[{Name}]";

    public IEnumerable<(string? Unit, string Figure)> Figures() => Members.Select(m => ((string?)m.Code, m.Name));
}

/// <summary>Input: each unit's row of one indicator in one month (period <c>Y-MM</c>), null when it reported none.</summary>
internal sealed class MonthRows(MonthRoster roster, int indicator, string indicatorId, int month, Observation?[] rows) : ITracedFact
{
    public MonthRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public int Indicator { get; } = indicator;

    public string IndicatorId { get; } = indicatorId;

    public int Month { get; } = month;

    public Observation?[] Rows { get; } = rows;

    public string Label => string.Create(CultureInfo.InvariantCulture, $"rows[{Roster.Name}/{IndicatorId}/{Month}]");

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < Rows.Length; j++)
            if (Rows[j] is { } o) yield return (Roster.Members[j].Code, Trace.Observation(o) + (o.Plan is { } p ? ", plan " + Numbers.Plain(p) : ""));
    }
}

/// <summary>Derived by <c>figures:&lt;id&gt;</c>: each unit's figures of the month (§2.1).</summary>
internal sealed class MonthFigureColumn(MonthRows source, Figures[] figures) : ITracedFact
{
    public MonthRows Source { get; } = source;

    public int Class => Source.Class;

    public int Indicator => Source.Indicator;

    public int Month => Source.Month;

    public Figures[] Figures { get; } = figures;

    public string Label => "figures" + Source.Label["rows".Length..];

    IEnumerable<(string? Unit, string Figure)> ITracedFact.Figures()
    {
        for (var j = 0; j < Figures.Length; j++)
            yield return (Source.Roster.Members[j].Code, Figures[j].Missing is { } m ? "missing: " + m : "figure " + Numbers.Plain(Figures[j].Figure)
                + (Figures[j].Gap is { } g ? ", gap " + Numbers.Plain(g) : ""));
    }
}

/// <summary>Derived by <c>rank:&lt;id&gt;</c>: ranks in the class, the class peers and classAvg (§2.2).</summary>
internal sealed class ClassStanding(MonthFigureColumn figures, int[] ranks, int peers, decimal? average) : ITracedFact
{
    public MonthFigureColumn Figures { get; } = figures;

    public int Class => Figures.Class;

    public int Indicator => Figures.Indicator;

    public int Month => Figures.Month;

    public int[] Ranks { get; } = ranks;

    public int Peers { get; } = peers;

    public decimal? Average { get; } = average;

    public string Label => "standing" + Figures.Source.Label["rows".Length..];

    IEnumerable<(string? Unit, string Figure)> ITracedFact.Figures()
    {
        yield return (null, string.Create(CultureInfo.InvariantCulture, $"peers {Peers}, classAvg {(Average is { } a ? Numbers.Plain(a) : "none")}"));
        for (var j = 0; j < Ranks.Length; j++)
            if (Ranks[j] > 0) yield return (Figures.Source.Roster.Members[j].Code, "rank " + Ranks[j].ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>Derived by <c>rank:&lt;id&gt;:level</c>: ranks over every listed class together, per class and unit, with levelAvg (§2.2).</summary>
internal sealed class LevelStanding(int indicator, string indicatorId, int month, int[][] ranks, int peers, decimal? average) : ITracedFact
{
    public int Class => -1;

    public int Indicator { get; } = indicator;

    public int Month { get; } = month;

    /// <summary>Per class position, per member: the level rank (0 when not a peer).</summary>
    public int[][] Ranks { get; } = ranks;

    public int Peers { get; } = peers;

    public decimal? Average { get; } = average;

    public string Label => string.Create(CultureInfo.InvariantCulture, $"level[{indicatorId}/{Month}]");

    IEnumerable<(string? Unit, string Figure)> ITracedFact.Figures()
    {
        yield return (null, string.Create(CultureInfo.InvariantCulture, $"levelPeers {Peers}, levelAvg {(Average is { } a ? Numbers.Plain(a) : "none")}"));
    }
}

/// <summary>
/// Derived by <c>light:&lt;id&gt;</c> (step k = the light's position): the light of each unit after lights 0…k were
/// tried in order, −1 for a unit not lit yet, <see cref="Missing"/> for a missing one.
/// </summary>
internal sealed class LightStep(ClassStanding standing, LevelStanding level, int step, int[] lit, string lightId) : ITracedFact
{
    public const int Missing = -2;

    public ClassStanding Standing { get; } = standing;

    public LevelStanding Level { get; } = level;

    public int Class => Standing.Class;

    public int Indicator => Standing.Indicator;

    public int Month => Standing.Month;

    public int Step { get; } = step;

    public int[] Lit { get; } = lit;

    public string Label => "light:" + lightId + Standing.Figures.Source.Label["rows".Length..];

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < Lit.Length; j++)
            if (Lit[j] >= 0) yield return (Standing.Figures.Source.Roster.Members[j].Code, "light " + Lit[j].ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Derived by <c>lights:plain</c> and each <c>escalate:…</c> rule: one class's lights on one indicator for every month
/// 1…m (by month, then member; <see cref="LightStep.Missing"/> where missing): the plain lights, and the lights after
/// the first <see cref="Stage"/> escalations with the escalation that last changed each.
/// </summary>
internal sealed class LightHistory(MonthRoster roster, int indicator, string indicatorId, int stage, int[][] plain, int[][] lights, int[][] escalatedBy) : ITracedFact
{
    public MonthRoster Roster { get; } = roster;

    public int Class => Roster.Class;

    public int Indicator { get; } = indicator;

    public string IndicatorId { get; } = indicatorId;

    public int Stage { get; } = stage;

    public int[][] Plain { get; } = plain;

    public int[][] Lights { get; } = lights;

    /// <summary>Per month and member: the index of the escalation that last changed the light, or −1.</summary>
    public int[][] EscalatedBy { get; } = escalatedBy;

    public string Label => string.Create(CultureInfo.InvariantCulture, $"lights[{Roster.Name}/{IndicatorId}/stage {Stage}]");

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        var m = Lights.Length - 1;
        for (var j = 0; j < Roster.Members.Length; j++)
            yield return (Roster.Members[j].Code, string.Join(" ", Lights.Select(month => month[j] < 0 ? "-" : month[j].ToString(CultureInfo.InvariantCulture))));
    }
}

/// <summary>Derived by <c>streak</c>: the final lights of one class and indicator, with each unit's streak ending in month m (§2.4).</summary>
internal sealed class IndicatorOutcome(LightHistory history, int[] streaks) : ITracedFact
{
    public LightHistory History { get; } = history;

    public int Class => History.Class;

    public int Indicator => History.Indicator;

    /// <summary>Per member: the streak ending with month m, 0 when missing.</summary>
    public int[] Streaks { get; } = streaks;

    public string Label => string.Create(CultureInfo.InvariantCulture, $"streaks[{History.Roster.Name}/{History.IndicatorId}]");

    public IEnumerable<(string? Unit, string Figure)> Figures()
    {
        for (var j = 0; j < Streaks.Length; j++)
            if (Streaks[j] > 0) yield return (History.Roster.Members[j].Code, "streak " + Streaks[j].ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>Derived by <c>result</c>: a class's unit results, ordered by code.</summary>
internal sealed class MonthClassResult(int @class, MonthUnitResult[] units)
{
    public int Class { get; } = @class;

    public MonthUnitResult[] Units { get; } = units;
}
