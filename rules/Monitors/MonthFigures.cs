using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Formulas;
using BaiQianWan.Assess.Rules.Model;

namespace BaiQianWan.Assess.Rules.Monitors;

/// <summary>
/// One unit's figures on one indicator in one month (§2.1): every percentage rounded once to the monitor's places,
/// the gap exact arithmetic on rounded figures, null where not defined, and the first reason that makes the
/// indicator missing. A small struct (the row, four figures, flags): a class's column of them stays off the large
/// object heap.
/// </summary>
internal readonly struct Figures
{
    private const byte HasProgress = 1, HasPace = 2, HasGap = 4, HasGrowth = 8;
    private readonly decimal _progress, _pace, _gap, _growth;
    private readonly byte _has;

    private Figures(Observation? row, decimal? progress, decimal? pace, decimal? gap, decimal? growth, string? missing, decimal figure)
    {
        Row = row;
        Missing = missing;
        Figure = figure;
        if (progress is { } p) { _progress = p; _has |= HasProgress; }
        if (pace is { } pc) { _pace = pc; _has |= HasPace; }
        if (gap is { } g) { _gap = g; _has |= HasGap; }
        if (growth is { } gr) { _growth = gr; _has |= HasGrowth; }
    }

    /// <summary>The row read, null when there is none.</summary>
    public Observation? Row { get; }

    public decimal? Actual => Row?.Actual;

    public decimal? Target => Row?.Target;

    public decimal? Baseline => Row?.Baseline;

    public decimal? Plan => Row?.Plan;

    public decimal? Progress => (_has & HasProgress) != 0 ? _progress : null;

    public decimal? Pace => (_has & HasPace) != 0 ? _pace : null;

    public decimal? Gap => (_has & HasGap) != 0 ? _gap : null;

    public decimal? Growth => (_has & HasGrowth) != 0 ? _growth : null;

    /// <summary>a, whatever the metric.</summary>
    public decimal? Value => Row?.Actual;

    /// <summary>Why the indicator is missing, null when it is not.</summary>
    public string? Missing { get; }

    /// <summary>The metric's figure (progress, growth or value): what ranks and averages read. 0 when missing.</summary>
    public decimal Figure { get; }

    public bool IsPeer => Missing is null;

    /// <summary>The formula variables defined for this unit (only asked of a unit that is not missing).</summary>
    public FormulaVariables Defined
    {
        get
        {
            var d = FormulaVariables.Actual | FormulaVariables.Value | FormulaVariables.Month | FormulaVariables.Rank | FormulaVariables.Peers
                    | FormulaVariables.LevelRank | FormulaVariables.LevelPeers | FormulaVariables.ClassAvg | FormulaVariables.LevelAvg;
            if (Row?.Target is not null) d |= FormulaVariables.Target;
            if (Row?.Baseline is not null) d |= FormulaVariables.Baseline;
            if (Row?.Plan is not null) d |= FormulaVariables.Plan;
            if ((_has & HasProgress) != 0) d |= FormulaVariables.Progress;
            if ((_has & HasPace) != 0) d |= FormulaVariables.Pace;
            if ((_has & HasGap) != 0) d |= FormulaVariables.Gap;
            if ((_has & HasGrowth) != 0) d |= FormulaVariables.Growth;
            return d;
        }
    }

    /// <summary>The reason words of §2.1, in the order the first that applies is chosen.</summary>
    public const string NoRow = "no row", NoTarget = "no target", TargetZero = "target 0", NoPlan = "no plan", NoBaseline = "no baseline", BaselineZero = "baseline 0";

    /// <summary>The monitor-wide pace of month <paramref name="month"/> for a linear or curve indicator; null otherwise.</summary>
    public static decimal? MonitorPace(MonitorIndicator indicator, int month, int decimals) => indicator.Metric != MonitorMetric.Progress ? null : indicator.Pace switch
    {
        PaceKind.Linear => Numbers.Round(month * 100m / 12m, decimals),
        PaceKind.Curve => indicator.Curve[month - 1],
        _ => null,
    };

    /// <summary>The figures of <paramref name="row"/> (null: no row); <paramref name="monitorPace"/> is <see cref="MonitorPace"/> of the month.</summary>
    public static Figures Of(MonitorIndicator indicator, Observation? row, int decimals, decimal? monitorPace)
    {
        if (row is null) return new Figures(null, null, null, null, null, NoRow, 0m);
        var a = row.Actual;
        var t = row.Target;
        var b = row.Baseline;
        var p = row.Plan;
        decimal? growth = b is { } bb && bb != 0m ? Numbers.Round((a - bb) * 100m / Math.Abs(bb), decimals) : null;
        var higher = indicator.Better == Better.Higher;
        switch (indicator.Metric)
        {
            case MonitorMetric.Progress:
            {
                decimal? progress = t is { } tt && tt > 0m ? Numbers.Round(a * 100m / tt, decimals) : null;
                var pace = indicator.Pace == PaceKind.Plan
                    ? (t is { } t2 && t2 > 0m && p is { } pp ? Numbers.Round(pp * 100m / t2, decimals) : null)
                    : monitorPace;
                decimal? gap = progress is { } pr && pace is { } pc ? (higher ? pr - pc : pc - pr) : null;
                var missing = t is null ? NoTarget : t <= 0m ? TargetZero : indicator.Pace == PaceKind.Plan && p is null ? NoPlan : null;
                return new Figures(row, progress, pace, missing is null ? gap : null, growth, missing, progress ?? 0m);
            }
            case MonitorMetric.Growth:
            {
                var missing = t is null ? NoTarget : b is null ? NoBaseline : b == 0m ? BaselineZero : null;
                decimal? gap = missing is null ? (higher ? growth!.Value - t!.Value : t!.Value - growth!.Value) : null;
                return new Figures(row, null, null, gap, growth, missing, growth ?? 0m);
            }
            default:
            {
                var missing = t is null ? NoTarget : null;
                decimal? gap = t is { } tv ? (higher ? a - tv : tv - a) : null;
                return new Figures(row, null, null, gap, growth, missing, a);
            }
        }
    }

    /// <summary>Fills a formula scope with these figures for month m and the unit's standing.</summary>
    public void Fill(FormulaScope s, int month, int rank, int peers, int levelRank, int levelPeers, decimal classAvg, decimal levelAvg)
    {
        s.Actual = Actual ?? 0m;
        s.Target = Target ?? 0m;
        s.Baseline = Baseline ?? 0m;
        s.Plan = Plan ?? 0m;
        s.Progress = Progress ?? 0m;
        s.Pace = Pace ?? 0m;
        s.Gap = Gap ?? 0m;
        s.Growth = Growth ?? 0m;
        s.Value = Value ?? 0m;
        s.Month = month;
        s.Rank = rank;
        s.Peers = peers;
        s.LevelRank = levelRank;
        s.LevelPeers = levelPeers;
        s.ClassAvg = classAvg;
        s.LevelAvg = levelAvg;
    }
}

/// <summary>Competition ranks (1, 2, 2, 4) of peers by figure, better first, and their mean rounded to D places.</summary>
internal static class Standing
{
    /// <summary>Ranks of the entries of <paramref name="figures"/> whose <paramref name="peer"/> is true (0 for the others).</summary>
    public static int[] Ranks(IReadOnlyList<decimal> figures, IReadOnlyList<bool> peer, bool higher)
    {
        var n = 0;
        for (var j = 0; j < figures.Count; j++)
            if (peer[j]) n++;
        var keys = new decimal[n];
        var order = new int[n];
        n = 0;
        for (var j = 0; j < figures.Count; j++)
        {
            if (!peer[j]) continue;
            // better first: higher figures sort first by sorting their negations
            keys[n] = higher ? -figures[j] : figures[j];
            order[n++] = j;
        }
        Array.Sort(keys, order);
        var ranks = new int[figures.Count];
        for (var k = 0; k < n; k++)
            ranks[order[k]] = k > 0 && keys[k] == keys[k - 1] ? ranks[order[k - 1]] : k + 1;
        return ranks;
    }

    /// <summary>r(the mean of the peers' figures), null without peers.</summary>
    public static decimal? Average(IReadOnlyList<decimal> figures, IReadOnlyList<bool> peer, int decimals)
    {
        var sum = 0m;
        var n = 0;
        for (var j = 0; j < figures.Count; j++)
        {
            if (!peer[j]) continue;
            sum += figures[j];
            n++;
        }
        return n == 0 ? null : Numbers.Round(sum / n, decimals);
    }
}
