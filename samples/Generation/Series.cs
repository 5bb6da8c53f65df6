namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// Shapes of four-quarter, year-to-date series shared by many indicators. Each returns the figures
/// for Q1–Q4 (index 0–3), rounded to the given number of decimals; cumulative amounts never fall
/// from one quarter to the next.
/// </summary>
internal static class Series
{
    /// <summary>Periods per year: the samples report four year-to-date quarters.</summary>
    public const int Quarters = 4;

    /// <summary>
    /// An amount against a target: the target is the annual target times the schedule's share, and
    /// the actual is the target times the unit's completion rate, which wobbles a little by quarter.
    /// No baseline: completion does not need one.
    /// </summary>
    public static Figures?[] Completion(SplitMix64 rng, decimal annualTarget, Schedule schedule, decimal completion,
        decimal wobble, int decimals, decimal minimumTarget = 0m)
    {
        var figures = new Figures?[Quarters];
        var previous = 0m;
        for (var q = 1; q <= Quarters; q++)
        {
            var target = Math.Max(minimumTarget, Round(annualTarget * schedule.Share(q), decimals));
            var rate = Math.Max(0m, completion + rng.Spread(wobble));
            var actual = Math.Max(previous, Round(target * rate, decimals));
            figures[q - 1] = new Figures(actual, target, null);
            previous = actual;
        }
        return figures;
    }

    /// <summary>
    /// An amount judged by its growth on the same period of last year: the baseline is last year's
    /// annual amount times the schedule's share, the actual grows on it by the unit's growth rate
    /// (percent, wobbling by quarter), and the target is the growth target in percent.
    /// </summary>
    public static Figures?[] Growth(SplitMix64 rng, decimal lastYear, Schedule schedule, decimal growth,
        decimal wobble, decimal targetGrowth, int decimals)
    {
        var figures = new Figures?[Quarters];
        var previousBase = 0m;
        var previous = 0m;
        for (var q = 1; q <= Quarters; q++)
        {
            var baseline = Math.Max(previousBase, Round(lastYear * schedule.Share(q) * (1m + rng.Spread(0.01m)), decimals));
            var rate = growth + rng.Spread(wobble);
            var actual = Math.Max(previous, Round(baseline * (1m + rate / 100m), decimals));
            figures[q - 1] = new Figures(actual, targetGrowth, baseline);
            previousBase = baseline;
            previous = actual;
        }
        return figures;
    }

    /// <summary>A series built quarter by quarter; a null quarter has no row.</summary>
    public static Figures?[] Quarterly(Func<int, Figures?> quarter)
    {
        var figures = new Figures?[Quarters];
        for (var q = 1; q <= Quarters; q++)
            figures[q - 1] = quarter(q);
        return figures;
    }

    /// <summary>
    /// Adjustment rows for <paramref name="total"/> items over the year: the count so far, one row per
    /// quarter from the first item on (none at all when the total is 0).
    /// </summary>
    public static Figures?[] Counts(SplitMix64 rng, int total, int firstQuarter = 1, int lastQuarter = Quarters) =>
        total == 0 ? new Figures?[Quarters]
        : Events(rng, total, firstQuarter, lastQuarter).Select(c => c is { } n ? new Figures(n, null, null) : (Figures?)null).ToArray();

    /// <summary>
    /// Count of events so far, for <paramref name="total"/> events each falling in a random quarter
    /// between the first and last given; null before the first event.
    /// </summary>
    public static decimal?[] Events(SplitMix64 rng, int total, int firstQuarter = 1, int lastQuarter = Quarters)
    {
        var perQuarter = new int[Quarters];
        for (var i = 0; i < total; i++)
            perQuarter[rng.Between(firstQuarter, lastQuarter) - 1]++;
        var counts = new decimal?[Quarters];
        var sum = 0;
        for (var q = 0; q < Quarters; q++)
        {
            sum += perQuarter[q];
            counts[q] = sum > 0 ? sum : null;
        }
        return counts;
    }

    /// <summary>Rounds half away from zero, as the contract does.</summary>
    public static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);

    /// <summary>Rounds to whole hundreds (areas in mu are planned in hundreds).</summary>
    public static decimal RoundToHundreds(decimal value) => Math.Round(value / 100m, 0, MidpointRounding.AwayFromZero) * 100m;
}
