using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// The month rows of the province (月通报 data): for every county and town, the year-to-date figures of the months
/// 2025-01 … 2025-09 for the indicators of the sample monitors (rulesets/county-monthly.yaml, town-monthly.yaml).
/// Amounts are cumulative and never fall; <c>target</c> is the annual target, repeated each month; one indicator per
/// level (重点项目完成投资, 招商引资到位资金) carries each unit's monthly plan (<c>plan</c>), the planned year-to-date figure.
/// </summary>
/// <remarks>
/// <para>Each unit keeps a pace of its own (its <see cref="UnitProfile.Drive"/> and a draw), wobbling a little from month
/// to month, so most units are ahead of the time-elapsed line, some hover around it and turn yellow one month and green
/// the next. Planted: a few lagging counties (about one in twenty-five) fall well behind from March on, so they are
/// lit red; about one unit in sixty skips one month between March and August (nothing reported that month: its
/// streaks start over); the county whose investment target is missing in Q3 leaves it blank from July on; the new street reports from April and has no baselines; the towns with a zero collective
/// baseline keep it.</para>
/// <para>Every draw comes from its own stream keyed by the seed, the unit's code and the indicator, so month data
/// never move the quarterly figures and the same seed gives the same rows.</para>
/// </remarks>
internal static class MonthSeries
{
    /// <summary>The months generated: 1 … <see cref="Months"/> of <see cref="ObservationFactory.Year"/>.</summary>
    public const int Months = 9;

    /// <summary>The month a lagging county starts falling behind.</summary>
    private const int LagFrom = 3;

    // 工业投资's seasonal curve of the county monitor (序时进度 % at each month's end), and the planned share of the
    // year's key projects (back-loaded: projects start slowly after the Spring Festival).
    private static readonly decimal[] IndustryCurve = [5, 12, 20, 28, 36, 46, 54, 62, 71, 80, 90, 100];
    private static readonly decimal[] ProjectPlan = [4, 9, 17, 25, 34, 44, 53, 62, 72, 81, 90, 100];
    private static readonly decimal[] InvestPlan = [6, 12, 20, 28, 36, 45, 54, 63, 72, 81, 90, 100];

    /// <summary>True for the few counties that fall behind from March on (a draw of their own stream).</summary>
    public static bool IsLagging(int seed, UnitProfile unit) =>
        unit.Unit.Level == UnitLevel.County && SplitMix64.For(seed, unit.Unit.Code, "month-lag").Chance(40);

    /// <summary>The month a unit skips (nothing reported), or 0.</summary>
    public static int SkippedMonth(int seed, UnitProfile unit)
    {
        var rng = SplitMix64.For(seed, unit.Unit.Code, "month-skip");
        return rng.Chance(17) ? rng.Between(LagFrom, Months - 1) : 0;
    }

    /// <summary>All month rows for <paramref name="units"/> (ordered by code), ordered by period, unit and indicator (ordinal).</summary>
    public static IReadOnlyList<Observation> Build(int seed, IReadOnlyList<UnitProfile> units)
    {
        var byMonth = Enumerable.Range(0, Months).Select(_ => new List<Observation>()).ToArray();
        foreach (var unit in units)
        {
            var rows = unit.Unit.Level == UnitLevel.County ? County(seed, unit) : Town(seed, unit);
            var skipped = SkippedMonth(seed, unit);
            var first = unit.Quirks.HasFlag(Quirks.NewStreet) ? 4 : 1;
            for (var m = first; m <= Months; m++)
            {
                if (m == skipped) continue;
                var month = rows.Where(r => r.Period.Month == m).ToList();
                month.Sort((a, b) => string.CompareOrdinal(a.Indicator, b.Indicator));
                byMonth[m - 1].AddRange(month);
            }
        }
        return byMonth.SelectMany(rows => rows).ToList().AsReadOnly();
    }

    private static List<Observation> County(int seed, UnitProfile u)
    {
        var lagging = IsLagging(seed, u);
        var rows = new List<Observation>();
        // 固定资产投资: linear pace; poorer counties invest a larger share of GDP.
        Progress(rows, seed, u, "fai", u.Size * By(u, 0.28m, 0.32m, 0.38m), Linear, 2, lagging ? 0.78m : 1m);
        // 工业投资: paced by the seasonal curve.
        Progress(rows, seed, u, "industry", u.Size * By(u, 0.12m, 0.1m, 0.07m), m => IndustryCurve[m - 1] / 100m, 2, lagging ? 0.8m : 1m);
        // 重点项目完成投资: paced by the county's own monthly plan.
        Planned(rows, seed, u, "key_projects", u.Size * 0.06m, ProjectPlan, 2, lagging ? 0.8m : 1m);
        // 一般公共预算收入: linear pace, steadier than investment.
        Progress(rows, seed, u, "revenue", u.Size * 0.058m, Linear, 2, lagging ? 0.92m : 1m, wobble: 0.02m);
        // 地区生产总值增速: year-to-date growth on the same months of last year against the growth target.
        Growth(rows, seed, u, "gdp", u.Size / 1.05m, By(u, 5.0m, 5.5m, 6.0m), lagging ? -2.5m : 1.1m, 2);
        // 单位GDP能耗下降率 (%): the cut achieved so far against the year's target cut.
        var target = By(u, 3.2m, 3.0m, 2.8m);
        var rng = SplitMix64.For(seed, u.Unit.Code, "energy", "month");
        var level = target + 0.55m + u.Drive * 0.8m + rng.Spread(0.6m) - (lagging ? 1.2m : 0m);
        for (var m = 1; m <= Months; m++)
            rows.Add(new Observation(u.Unit.Code, "energy", Month(m), Series.Round(level + rng.Spread(0.3m), 2), target, null));
        // The county whose investment target went missing in Q3 left it blank from July on: 缺数 (no target) in those months.
        if (u.Quirks.HasFlag(Quirks.NoInvestmentTargetQ3))
            for (var i = 0; i < rows.Count; i++)
                if (rows[i] is { Indicator: "fai", Period.Month: >= 7 } row) rows[i] = row with { Target = null };
        return rows;
    }

    private static List<Observation> Town(int seed, UnitProfile u)
    {
        var rows = new List<Observation>();
        // 固定资产投资 (亿元), 税收收入 (万元), 工业总产值 (亿元): linear pace.
        Progress(rows, seed, u, "t_fai", u.Size * 0.22m, Linear, 2, 1m);
        Progress(rows, seed, u, "t_tax", Series.Round(u.Size * 180m, 0), Linear, 0, 1m, wobble: 0.025m);
        Progress(rows, seed, u, "t_industry", u.Size * (u.IsStreet ? 0.3m : 0.9m), Linear, 2, 1m);
        // 招商引资到位资金 (万元): paced by the town's monthly plan.
        Planned(rows, seed, u, "t_invest_plan", Series.Round(u.Size * 120m, 0), InvestPlan, 0, 1m);
        // 村集体经济收入增速: growth against an 8% target; a new street has no last year, a few towns earned nothing.
        var baselineOf = u.Quirks.HasFlag(Quirks.ZeroCollectiveBaseline) ? 0m : Series.Round(u.Size * 3m + 20m, 2);
        Growth(rows, seed, u, "t_collective", baselineOf, 8m, 2.6m, 2, wobble: 1.2m, spread: 3m);
        // 污水集中收集率 (%): a level against the class's target, rising slowly.
        var rng = SplitMix64.For(seed, u.Unit.Code, "t_sewage", "month");
        var target = u.IsStreet ? 85m : 70m;
        var start = target + 1.5m + u.Drive * 6m + rng.Spread(5m);
        for (var m = 1; m <= Months; m++)
            rows.Add(new Observation(u.Unit.Code, "t_sewage", Month(m), Series.Round(Math.Min(99m, start + 0.4m * m + rng.Spread(0.5m)), 1), target, null));
        if (u.Quirks.HasFlag(Quirks.NewStreet))
            for (var i = 0; i < rows.Count; i++) rows[i] = rows[i] with { Baseline = null };
        return rows;
    }

    private static decimal Linear(int m) => m / 12m;

    // A completion rate around the unit's drive; a lagging unit's rate drops to `lag` of it from LagFrom on.
    private static decimal Rate(UnitProfile u, SplitMix64 rng) => 1.045m + u.Drive * 0.07m + rng.Spread(0.06m);

    private static void Progress(List<Observation> rows, int seed, UnitProfile u, string id, decimal annual, Func<int, decimal> pace,
        int decimals, decimal lag, decimal wobble = 0.035m)
    {
        var rng = SplitMix64.For(seed, u.Unit.Code, id, "month");
        var target = Series.Round(annual * rng.Uniform(0.9m, 1.1m), decimals);
        if (target <= 0m) target = 1m;
        var rate = Rate(u, rng);
        var previous = 0m;
        for (var m = 1; m <= Months; m++)
        {
            var r = (m >= LagFrom ? rate * lag : rate) + rng.Spread(wobble);
            var actual = Math.Max(previous, Series.Round(target * pace(m) * r, decimals));
            rows.Add(new Observation(u.Unit.Code, id, Month(m), actual, target, null));
            previous = actual;
        }
    }

    private static void Planned(List<Observation> rows, int seed, UnitProfile u, string id, decimal annual, decimal[] shares,
        int decimals, decimal lag)
    {
        var rng = SplitMix64.For(seed, u.Unit.Code, id, "month");
        var target = Math.Max(1m, Series.Round(annual * rng.Uniform(0.85m, 1.15m), decimals));
        // Each unit plans its own year: the shared profile, shifted a little earlier or later.
        var shift = rng.Spread(0.08m);
        var rate = Rate(u, rng);
        var previous = 0m;
        var previousPlan = 0m;
        for (var m = 1; m <= Months; m++)
        {
            var share = Math.Clamp(shares[m - 1] / 100m * (1m + shift), 0m, 1m);
            var plan = Math.Max(previousPlan, Series.Round(target * share, decimals));
            var r = (m >= LagFrom ? rate * lag : rate) + rng.Spread(0.04m);
            var actual = Math.Max(previous, Series.Round(plan * r, decimals));
            rows.Add(new Observation(u.Unit.Code, id, Month(m), actual, target, null, plan));
            previous = actual;
            previousPlan = plan;
        }
    }

    private static void Growth(List<Observation> rows, int seed, UnitProfile u, string id, decimal lastYear, decimal target, decimal lead,
        int decimals, decimal wobble = 0.4m, decimal spread = 1.2m)
    {
        var rng = SplitMix64.For(seed, u.Unit.Code, id, "month");
        var growth = target + lead + u.Drive * 1.5m + rng.Spread(spread);
        var previousBase = 0m;
        var previous = 0m;
        for (var m = 1; m <= Months; m++)
        {
            var baseline = Math.Max(previousBase, Series.Round(lastYear * m / 12m * (1m + rng.Spread(0.01m)), decimals));
            var actual = Math.Max(previous, Series.Round((baseline == 0m ? 2m * m : baseline) * (1m + (growth + rng.Spread(wobble)) / 100m), decimals));
            rows.Add(new Observation(u.Unit.Code, id, Month(m), actual, target, baseline));
            previousBase = baseline;
            previous = actual;
        }
    }

    private static Period Month(int m) => Period.OfMonth(ObservationFactory.Year, m);

    private static decimal By(UnitProfile u, decimal lead, decimal advance, decimal uplift) => u.Class switch
    {
        CountyClasses.Lead => lead,
        CountyClasses.Uplift => uplift,
        _ => advance,
    };
}
