using System.Collections.Immutable;

namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// The indicators of the sample county ruleset (rulesets/county.yaml) and how each unit's figures are
/// drawn. Magnitudes follow the county's annual GDP (<see cref="UnitProfile.Size"/>, 亿元); completion
/// and growth follow its <see cref="UnitProfile.Drive"/>, so a unit tends to rank alike everywhere.
/// </summary>
internal static class CountySeries
{
    private static readonly Schedule Gdp = new(0.23m, 0.48m, 0.73m);
    private static readonly Schedule Investment = new(0.2m, 0.45m, 0.7m);
    private static readonly Schedule Industry = new(0.24m, 0.49m, 0.74m);
    private static readonly Schedule Revenue = new(0.3m, 0.55m, 0.78m);
    private static readonly Schedule NewFirms = new(0.15m, 0.4m, 0.65m);
    private static readonly Schedule Retail = new(0.25m, 0.5m, 0.74m);
    private static readonly Schedule CountySeat = new(0.18m, 0.42m, 0.68m);
    private static readonly Schedule Income = new(0.28m, 0.52m, 0.76m);
    private static readonly Schedule Farmland = new(0.1m, 0.35m, 0.7m);
    private static readonly Schedule Farming = new(0.2m, 0.45m, 0.72m);
    private static readonly Schedule Jobs = new(0.27m, 0.53m, 0.78m);

    /// <summary>Every indicator of the county ruleset.</summary>
    public static ImmutableArray<IndicatorSeries> Indicators { get; } =
    [
        // 地区生产总值 (亿元), increment on growth: target is the growth target in percent.
        new("gdp", (u, r) =>
        {
            var target = By(u, 5.0m, 5.5m, 6.0m);
            var growth = target + 0.4m + u.Drive * 2.5m + r.Spread(1.2m);
            return Series.Growth(r, u.Size / 1.05m, Gdp, growth, 0.4m, target, 2);
        }),
        // 固定资产投资 (亿元), completion: poorer counties invest a larger share of GDP.
        new("fai", (u, r) =>
        {
            var annual = u.Size * By(u, 0.28m, 0.32m, 0.38m) * r.Uniform(0.85m, 1.15m);
            return Series.Completion(r, annual, Investment, 1.02m + u.Drive * 0.22m + r.Spread(0.12m), 0.04m, 2);
        }),
        // 规上工业增加值 (亿元), rank on growth; industry is volatile, so the spread is wide.
        new("industry", (u, r) =>
        {
            var lastYear = u.Size * By(u, 0.32m, 0.28m, 0.2m) * r.Uniform(0.8m, 1.2m);
            return Series.Growth(r, lastYear, Industry, 5.5m + u.Drive * 4m + r.Spread(4m), 1m, 6.0m, 2);
        }),
        // 一般公共预算收入 (亿元), efficacy on growth.
        new("revenue", (u, r) =>
        {
            var lastYear = u.Size * 0.055m * r.Uniform(0.8m, 1.2m);
            return Series.Growth(r, lastYear, Revenue, 3m + u.Drive * 4m + r.Spread(5m), 1.5m, 4.0m, 2);
        }),
        // 新增规上工业企业 (家), bands on completion: whole firms, at least one a quarter.
        new("new_firms", (u, r) =>
        {
            var annual = Math.Max(3m, Series.Round(u.Size / 35m, 0));
            return Series.Completion(r, annual, NewFirms, 0.95m + u.Drive * 0.3m + r.Spread(0.2m), 0.08m, 0, 1m);
        }),
        // 社会消费品零售总额 (亿元), rank on growth.
        new("retail", (u, r) =>
        {
            var lastYear = u.Size * 0.38m * r.Uniform(0.8m, 1.2m);
            return Series.Growth(r, lastYear, Retail, 4.5m + u.Drive * 3m + r.Spread(3m), 0.8m, 5.0m, 2);
        }),
        // 常住人口城镇化率 (%), increment on value: the plan raises the rate 1 point a year, spread evenly.
        new("urbanization", (u, r) =>
        {
            var start = By(u, r.Uniform(68m, 92m), r.Uniform(45m, 68m), r.Uniform(33m, 52m));
            var rise = 1.0m + u.Drive * 0.6m + r.Spread(0.5m);
            return Series.Quarterly(q => new Figures(
                Series.Round(Math.Min(99.5m, start + rise * q / 4m + r.Spread(0.05m)), 2),
                Series.Round(Math.Min(99.5m, start + 1.0m * q / 4m), 2),
                null));
        }),
        // 县城生活污水集中收集率 (%), bands on value; rises slowly as networks are laid.
        new("sewage", (u, r) =>
        {
            var start = By(u, r.Uniform(62m, 88m), r.Uniform(50m, 80m), r.Uniform(40m, 72m)) + u.Drive * 4m;
            return Series.Quarterly(q => new Figures(Series.Round(Math.Min(99m, start + 0.6m * q + r.Spread(1.5m)), 1), 70m, null));
        }),
        // 县城品质提升项目完成投资 (亿元), completion.
        new("county_seat", (u, r) =>
        {
            var annual = u.Size * 0.02m * r.Uniform(0.7m, 1.3m);
            return Series.Completion(r, annual, CountySeat, 0.92m + u.Drive * 0.25m + r.Spread(0.15m), 0.05m, 2);
        }),
        // 农村居民人均可支配收入 (元), formula on growth against the class average; weaker classes get higher growth targets.
        new("rural_income", (u, r) =>
        {
            var lastYear = By(u, r.Uniform(30000m, 42000m), r.Uniform(22000m, 30000m), r.Uniform(17500m, 23000m));
            var target = By(u, 6.5m, 7.0m, 7.5m);
            return Series.Growth(r, lastYear, Income, target + 0.2m + u.Drive * 1.2m + r.Spread(1.2m), 0.3m, target, 0);
        }),
        // 高标准农田建设 (亩), completion capped at 100%: mostly built in the dry season, late in the year.
        new("farmland", (u, r) =>
        {
            var annual = Series.RoundToHundreds(By(u, r.Uniform(1000m, 5000m), r.Uniform(8000m, 25000m), r.Uniform(15000m, 40000m)));
            return Series.Completion(r, annual, Farmland, 0.95m + u.Drive * 0.15m + r.Spread(0.12m), 0.05m, 0);
        }),
        // 集体经济收入低于 10 万元的村 (个), lower is better: the year's target is to clear them all.
        new("weak_villages", (u, r) =>
        {
            var start = By(u, r.Between(0, 1), r.Between(0, 8), r.Between(4, 25));
            var cleared = Math.Clamp(0.6m + u.Drive * 0.3m + r.Spread(0.2m), 0m, 1m);
            return Series.Quarterly(q => new Figures(
                Series.Round(start * (1m - cleared * q / 4m), 0),
                Series.Round(start * (1m - q / 4m), 0),
                null));
        }),
        // 农林牧渔业总产值 (亿元), increment on growth; farming weighs more in poorer counties.
        new("agriculture", (u, r) =>
        {
            var lastYear = u.Size * By(u, 0.02m, 0.08m, 0.18m) * r.Uniform(0.8m, 1.2m);
            var target = By(u, 3.5m, 4.0m, 4.5m);
            return Series.Growth(r, lastYear, Farming, target - 0.2m + u.Drive * 1.5m + r.Spread(1.5m), 0.4m, target, 2);
        }),
        // 单位地区生产总值能耗 (千克标准煤/万元), lower is better: the target is a 3% cut on the same period last year.
        new("energy", (u, r) =>
        {
            var level = By(u, r.Uniform(220m, 340m), r.Uniform(300m, 480m), r.Uniform(340m, 620m));
            var cut = 3m + u.Drive * 2m + r.Spread(2.5m);
            return Series.Quarterly(q =>
            {
                var baseline = Series.Round(level * (1m + r.Spread(0.03m)), 2);
                var actual = Series.Round(baseline * (1m - (cut + r.Spread(0.8m)) / 100m), 2);
                return new Figures(actual, Series.Round(baseline * 0.97m, 2), baseline);
            });
        }),
        // 空气质量优良天数比例 (%), bands on value: mountain cities breathe cleaner air than the bay.
        new("air_quality", (u, r) =>
        {
            var level = u.Tier switch { 1 => r.Uniform(86m, 93m), 2 => r.Uniform(89m, 96m), _ => r.Uniform(93m, 99m) };
            return Series.Quarterly(q => new Figures(Series.Round(Math.Min(100m, level + r.Spread(1.5m)), 1), 92m, null));
        }),
        // 生产安全事故死亡人数 (人), lower is better: industrial counties have more accidents;
        // the target is the year's control figure spread over the quarters (rounded up).
        new("safety", (u, r) =>
        {
            var control = (int)By(u, 4m, 3m, 2m);
            var none = (int)By(u, 550m, 650m, 750m) + (int)(u.Drive * 100m);
            var deaths = 0;
            return Series.Quarterly(q =>
            {
                var roll = r.Below(1000);
                deaths += roll < none ? 0 : roll < none + (1000 - none) * 6 / 10 ? 1 : roll < 980 ? 2 : 3;
                return new Figures(deaths, (control * q + 3) / 4, null);
            });
        }),
        // 城镇新增就业 (人), completion: job targets are usually beaten.
        new("employment", (u, r) =>
        {
            var annual = Series.Round((u.Size * 5m + 1500m) * r.Uniform(0.85m, 1.15m) / 10m, 0) * 10m;
            return Series.Completion(r, annual, Jobs, 1.05m + u.Drive * 0.15m + r.Spread(0.1m), 0.04m, 0);
        }),
        // 民生实事项目完成数 (项), formula on completion: ten projects a year, most finished late.
        new("livelihood", (u, r) =>
        {
            var rate = 0.95m + u.Drive * 0.15m + r.Spread(0.12m);
            var done = 0m;
            return Series.Quarterly(q =>
            {
                var target = q switch { 1 => 2m, 2 => 4m, 3 => 7m, _ => 10m };
                done = Math.Max(done, Math.Min(10m, Series.Round(target * (rate + r.Spread(0.05m)), 0)));
                return new Figures(done, target, null);
            });
        }),
    ];

    /// <summary>Adjustment items of the county ruleset: the actual is the count (or, for farmland, the area in mu).</summary>
    public static ImmutableArray<IndicatorSeries> Adjustments { get; } =
    [
        new("national_honor", (u, r) => Series.Counts(r, r.Chance(120) ? (r.Chance(200) ? 2 : 1) : 0)),
        new("provincial_honor", (u, r) => Series.Counts(r, r.Chance(250) ? r.Between(1, 3) : 0)),
        new("inspection_issue", (u, r) => Series.Counts(r, r.Chance(200) ? r.Between(1, 6) : 0)),
        new("eco_issue", (u, r) => Series.Counts(r, r.Chance(100) ? r.Between(1, 5) : 0)),
        // The planted accident happens in Q2 or Q3, so that Q3 and Q4 evaluations both see the veto.
        new("safety_major", (u, r) => Series.Counts(r, u.Quirks.HasFlag(Quirks.MajorAccident) ? 1 : 0, firstQuarter: 2, lastQuarter: 3)),
        // Small illegal occupations are common and stay under the 30 mu veto line; the planted one crosses it.
        new("farmland_violation", (u, r) =>
        {
            var veto = u.Quirks.HasFlag(Quirks.FarmlandVeto);
            if (!veto && !r.Chance(80)) return new Figures?[Series.Quarters];
            var from = veto ? r.Between(2, 3) : r.Between(1, 4);
            var area = veto ? r.Uniform(31m, 40m) : r.Uniform(1m, 20m);
            return Series.Quarterly(q =>
            {
                if (q < from) return null;
                area += q == from ? 0m : r.Uniform(0m, veto ? 5m : 2m);
                return new Figures(Series.Round(area, 1), null, null);
            });
        }),
    ];

    // Picks the figure for the unit's class; units outside the three classes are drawn like 进位.
    private static decimal By(UnitProfile u, decimal lead, decimal advance, decimal uplift) => u.Class switch
    {
        CountyClasses.Lead => lead,
        CountyClasses.Uplift => uplift,
        _ => advance,
    };
}
