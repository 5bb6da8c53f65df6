using System.Collections.Immutable;

namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>
/// The indicators of the sample town ruleset (rulesets/town.yaml) and how each town's figures are
/// drawn. Magnitudes follow the town's economic output (<see cref="UnitProfile.Size"/>, 亿元) and
/// its city's tier; completion and growth follow its <see cref="UnitProfile.Drive"/>.
/// </summary>
internal static class TownSeries
{
    private static readonly Schedule Investment = new(0.2m, 0.45m, 0.7m);
    private static readonly Schedule Tax = new(0.26m, 0.51m, 0.76m);
    private static readonly Schedule Industry = new(0.24m, 0.49m, 0.74m);
    private static readonly Schedule Even = new(0.25m, 0.5m, 0.75m);
    private static readonly Schedule Specialty = new(0.23m, 0.48m, 0.73m);
    private static readonly Schedule Works = new(0.15m, 0.4m, 0.7m);
    private static readonly Schedule Collective = new(0.2m, 0.45m, 0.7m);
    private static readonly Schedule Income = new(0.28m, 0.52m, 0.76m);
    private static readonly Schedule Jobs = new(0.27m, 0.53m, 0.78m);

    /// <summary>Every indicator of the town ruleset.</summary>
    public static ImmutableArray<IndicatorSeries> Indicators { get; } =
    [
        // 固定资产投资 (亿元), completion.
        new("t_fai", (u, r) =>
            Series.Completion(r, u.Size * 0.22m * r.Uniform(0.8m, 1.2m), Investment, 1.0m + u.Drive * 0.25m + r.Spread(0.15m), 0.05m, 2)),
        // 税收收入 (万元), increment on growth: richer cities set higher growth targets.
        new("t_tax", (u, r) =>
        {
            var target = u.Tier switch { 1 => 6.0m, 2 => 5.0m, _ => 4.0m };
            return Series.Growth(r, u.Size * 350m * r.Uniform(0.7m, 1.3m), Tax, target + 1.0m + u.Drive * 5m + r.Spread(6m), 1.5m, target, 2);
        }),
        // 规上工业总产值 (亿元), rank on growth: specialised towns make far more than their size suggests.
        new("t_industry", (u, r) =>
        {
            var factor = u.Class switch
            {
                TownClasses.Specialised => 1.6m,
                TownClasses.Centre => 1.0m,
                TownClasses.Featured => 0.6m,
                TownClasses.Consolidating => 0.3m,
                TownClasses.Supported => 0.15m,
                _ => 0.5m,
            };
            return Series.Growth(r, u.Size * factor * r.Uniform(0.7m, 1.3m), Industry, 5m + u.Drive * 5m + r.Spread(6m), 1.5m, 6.0m, 2);
        }),
        // 新增经营主体 (户), efficacy on completion.
        new("t_entities", (u, r) =>
            Series.Completion(r, Series.Round((u.Size * 9m + 40m) * r.Uniform(0.8m, 1.2m), 0), Even,
                1.0m + u.Drive * 0.2m + r.Spread(0.18m), 0.06m, 0, 1m)),
        // 特色产业产值 (亿元), bands on completion; scored only for specialised and featured towns, reported by all.
        new("t_specialty", (u, r) =>
        {
            var share = u.Class switch { TownClasses.Specialised => 0.8m, TownClasses.Featured => 0.5m, _ => 0.15m };
            return Series.Completion(r, u.Size * share * r.Uniform(0.8m, 1.2m), Specialty, 0.95m + u.Drive * 0.2m + r.Spread(0.15m), 0.05m, 2);
        }),
        // 圩镇人居环境整治评估得分 (分), bands on value; improves through the year.
        new("t_town_env", (u, r) =>
        {
            var level = u.Class switch
            {
                TownClasses.Centre => 84m,
                TownClasses.Specialised => 82m,
                TownClasses.Featured => 85m,
                TownClasses.UrbanStreet => 86m,
                TownClasses.Supported => 74m,
                TownClasses.Consolidating => 78m,
                _ => 79m,
            } + u.Drive * 8m + r.Spread(6m);
            return Series.Quarterly(q => new Figures(Series.Round(Math.Clamp(level + q + r.Spread(1.5m), 50m, 99m), 1), 80m, null));
        }),
        // 镇级污水处理设施运行负荷率 (%), bands on value: richer cities run their plants fuller.
        new("t_sewage", (u, r) =>
        {
            var level = u.Tier switch { 1 => 75m, 2 => 68m, _ => 58m } + u.Drive * 12m + r.Spread(15m);
            return Series.Quarterly(q => new Figures(Series.Round(Math.Clamp(level + 0.8m * q + r.Spread(3m), 20m, 98m), 1), 60m, null));
        }),
        // 圩镇建设项目完成投资 (万元), completion capped at 100%.
        new("t_town_invest", (u, r) =>
            Series.Completion(r, (u.Size * 25m + 300m) * r.Uniform(0.7m, 1.3m), Works, 0.92m + u.Drive * 0.2m + r.Spread(0.15m), 0.05m, 2)),
        // 村级集体经济收入 (万元, the town's villages together), formula on growth.
        new("t_collective", (u, r) =>
        {
            var villages = u.IsStreet ? r.Between(2, 8) : r.Between(8, 25);
            var perVillage = u.Tier switch { 1 => r.Uniform(120m, 400m), 2 => r.Uniform(40m, 150m), _ => r.Uniform(15m, 45m) };
            return Series.Growth(r, villages * perVillage, Collective, 8m + u.Drive * 6m + r.Spread(8m), 2m, 10.0m, 2);
        }),
        // 农村居民人均可支配收入 (元), increment on growth; towns under support get a higher target.
        new("t_farm_income", (u, r) =>
        {
            var lastYear = u.Tier switch { 1 => r.Uniform(30000m, 40000m), 2 => r.Uniform(24000m, 32000m), _ => r.Uniform(17000m, 24000m) };
            var target = u.Class == TownClasses.Supported ? 7.5m : 7.0m;
            return Series.Growth(r, lastYear, Income, target - 0.5m + u.Drive * 1.3m + r.Spread(1.3m), 0.3m, target, 0);
        }),
        // 撂荒耕地面积 (亩), lower is better: the plan is to bring 80% back into use within the year.
        new("t_idle_land", (u, r) =>
        {
            var start = u.IsStreet ? r.Uniform(0m, 30m) : u.Class switch
            {
                TownClasses.Supported => r.Uniform(200m, 1200m),
                TownClasses.Consolidating => r.Uniform(100m, 700m),
                _ => r.Uniform(20m, 400m),
            };
            var reclaimed = Math.Clamp(0.5m + u.Drive * 0.3m + r.Spread(0.2m), 0m, 1m);
            return Series.Quarterly(q => new Figures(
                Series.Round(start * (1m - reclaimed * q / 4m), 1),
                Series.Round(start * (1m - 0.8m * q / 4m), 1),
                null));
        }),
        // 典型村培育 (个), increment on value: villages are recognised mostly in the second half.
        new("t_typical", (u, r) =>
        {
            var annual = u.Class switch { TownClasses.Centre => 3, TownClasses.Supported => 1, _ => 2 };
            var done = Math.Max(0, annual + (int)Series.Round(u.Drive * 1.5m + r.Spread(1.2m), 0));
            return Series.Quarterly(q => new Figures(
                Math.Floor(done * q switch { 1 => 0.1m, 2 => 0.4m, 3 => 0.7m, _ => 1m }),
                Math.Floor(annual * q switch { 1 => 0m, 2 => 0.4m, 3 => 0.6m, _ => 1m }),
                null));
        }),
        // 生产安全事故 (起), lower is better: factories and dense streets have more; the control figure is 1 a year.
        new("t_safety", (u, r) =>
        {
            var risk = (u.Class is TownClasses.Specialised or TownClasses.UrbanStreet ? 100 : 60) - (int)(u.Drive * 30m);
            var accidents = 0;
            return Series.Quarterly(q =>
            {
                var roll = r.Below(1000);
                accidents += roll < 10 ? 2 : roll < risk ? 1 : 0;
                return new Figures(accidents, 1m, null);
            });
        }),
        // 信访事项按期办结率 (%), bands on value.
        new("t_petition", (u, r) =>
        {
            var level = 95.5m + u.Drive * 4m + r.Spread(4m);
            return Series.Quarterly(q => new Figures(Series.Round(Math.Clamp(level + r.Spread(1.5m), 80m, 100m), 1), 95m, null));
        }),
        // 12345 热线诉求满意率 (%), efficacy on value.
        new("t_hotline", (u, r) =>
        {
            var level = 91m + u.Drive * 5m + r.Spread(5m);
            return Series.Quarterly(q => new Figures(Series.Round(Math.Clamp(level + r.Spread(1.2m), 75m, 99.9m), 2), 90m, null));
        }),
        // 新增就业人数 (人), completion.
        new("t_employment", (u, r) =>
            Series.Completion(r, Series.Round((u.Size * 20m + 80m) * r.Uniform(0.8m, 1.2m), 0), Jobs,
                1.05m + u.Drive * 0.15m + r.Spread(0.1m), 0.04m, 0, 1m)),
    ];

    /// <summary>Adjustment items of the town ruleset: the actual is the count of items so far.</summary>
    public static ImmutableArray<IndicatorSeries> Adjustments { get; } =
    [
        new("t_honor", (u, r) => Series.Counts(r, r.Chance(50) ? r.Between(1, 2) : 0)),
        new("t_typical_case", (u, r) => Series.Counts(r, r.Chance(80) ? r.Between(1, 4) : 0)),
        new("t_inspection_issue", (u, r) => Series.Counts(r, r.Chance(100) ? r.Between(1, 5) : 0)),
        // Planted vetoes happen by Q3, so that Q3 and Q4 evaluations both see them.
        new("t_safety_major", (u, r) => Series.Counts(r, u.Quirks.HasFlag(Quirks.MajorAccident) ? 1 : 0, lastQuarter: 3)),
        // One flagged case is handled by deductions; the planted towns reach the veto's two.
        new("t_ecology_case", (u, r) => u.Quirks.HasFlag(Quirks.EcologyVeto)
            ? Series.Counts(r, r.Between(2, 3), lastQuarter: 3)
            : Series.Counts(r, r.Chance(30) ? 1 : 0)),
    ];
}
