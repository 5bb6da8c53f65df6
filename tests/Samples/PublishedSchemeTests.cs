using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>
/// The published schemes of samples/rulesets/published (issue 21 item 5), each evaluated from its own files
/// through the engine; every expected score is worked out by hand from the scheme's scoring wording (quoted).
/// </summary>
public sealed class PublishedSchemeTests
{
    private static readonly string Published = Path.Combine(Root(), "samples", "rulesets", "published");

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BaiQianWan.Assess.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("BaiQianWan.Assess.sln not found above " + AppContext.BaseDirectory);
    }

    private static EvaluationResult Evaluate(string name)
    {
        var loaded = RulesetLoader.Load(File.ReadAllText(Path.Combine(Published, name + ".yaml")));
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        var units = DataFiles.ReadUnits(File.ReadAllText(Path.Combine(Published, name, "units.csv")), "units.csv");
        Assert.True(units.IsValid, string.Join("\n", units.Errors));
        var observations = DataFiles.ReadObservations(File.ReadAllText(Path.Combine(Published, name, "observations.csv")),
            "observations.csv", units.Rows.Select(u => u.Code).ToHashSet());
        Assert.True(observations.IsValid, string.Join("\n", observations.Errors));
        var result = Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256),
            new Dataset(units.Rows, observations.Rows), Period.Parse("2025"));
        Assert.Empty(result.Skipped);
        Assert.Empty(result.UnknownIndicators);
        return result;
    }

    private static UnitResult Unit(EvaluationResult result, string code) => result.Units.Single(u => u.Code == code);

    private static decimal Score(UnitResult unit, string id) => unit.Indicators.Single(i => i.Id == id).Score;

    private static DimensionScore Dimension(UnitResult unit, string id) => unit.Dimensions.Single(d => d.Id == id);

    [Fact]
    public void Every_published_scheme_names_its_source_and_has_its_data()
    {
        var files = Directory.GetFiles(Published, "*.yaml");
        Assert.True(files.Length >= 2);
        Assert.All(files, f =>
        {
            var text = File.ReadAllText(f);
            Assert.Contains("# 来源：", text, StringComparison.Ordinal);
            Assert.Matches(@"# 发布单位：.*地址：https?://", text);
            Assert.Contains("# v3 写不出", text, StringComparison.Ordinal);
            var data = Path.Combine(Published, Path.GetFileNameWithoutExtension(f));
            Assert.True(File.Exists(Path.Combine(data, "units.csv")) && File.Exists(Path.Combine(data, "observations.csv")), data);
        });
    }

    // 环境卫生（fsou.net 评分表节选）. Per unit, by item (dimension, capped at the item's 分值):
    // （1）“有环卫管理机构和清扫保洁队伍,得10分”“主街道实行14小时以上保洁,得10分”
    // （2）“中心镇…按1座/2500人建设,其它镇…按1座/3000人建设,得10分;未按标准建设不得分;
    //      建成1座生态公厕,得10分;每增加一座加5分” — capped at 20
    // （3）“有1座以上垃圾中转站,得10分;有1座以上压缩式垃圾中转站,得10分”
    // （4）“无暴露垃圾、污水,得10分;发现一处扣2分,扣完为止”
    // T1 中心镇 人口12000: 10 + 10 = 20 | 5×2500 = 12500 ≥ 12000 → 10, 生态3座 → 10 + 2×5 = 20, raw 30 → 20 |
    //    10 + 10 = 20 | 0处 → 10.               Total 70.
    // T2 中心镇 人口15000: 10 + 0 (12小时) = 10 | 12500 < 15000 → 0, 生态1座 → 10 | 10 + 0 = 10 | 3处 → 10 − 6 = 4.  Total 34.
    // T3 其他镇 人口9000: 0 + 10 (14小时, 恰好达到) = 10 | 3×3000 = 9000 ≥ 9000 → 10, 生态2座 → 15, raw 25 → 20 |
    //    0 + 0 = 0 | 7处 → 10 − 14 → 扣完为止 0. Total 30.
    // T4 其他镇 人口10000: 10 + 10 (14.5小时) = 20 | 9000 < 10000 → 0, 生态0座 → 不足1座 0 | 10 + 10 = 20 | 1处 → 8. Total 48.
    [Fact]
    public void Town_sanitation_scores_as_its_wording_says()
    {
        var result = Evaluate("town-sanitation");

        Assert.Equal([70m, 34m, 30m, 48m], new[] { "T1", "T2", "T3", "T4" }.Select(c => Unit(result, c).Total));
        Assert.Equal([1, 2, 2, 1], new[] { "T1", "T2", "T3", "T4" }.Select(c => Unit(result, c).Rank));
        Assert.All(result.Units, u => Assert.False(u.Incomplete));
        Assert.All(result.Units, u => Assert.Equal("", u.Grade)); // the scheme has no grades

        var t1 = Unit(result, "T1");
        Assert.Equal((30m, 20m, 20m), (Dimension(t1, "toilets").Raw, Dimension(t1, "toilets").Score, Dimension(t1, "toilets").Max));
        Assert.Equal(20m, Score(t1, "eco_toilets"));
        Assert.Null(t1.Indicators.Single(i => i.Id == "eco_toilets").Limit); // 每增加一座加5分: unlimited, the item caps it
        Assert.Equal(10m, Score(t1, "toilets_center"));
        Assert.DoesNotContain(t1.Indicators, i => i.Id == "toilets_other"); // a 中心镇 is held to 1座/2500人 only

        var t2 = Unit(result, "T2");
        Assert.Equal((0m, 0m, 10m, 4m), (Score(t2, "street_cleaning_hours"), Score(t2, "toilets_center"), Score(t2, "eco_toilets"), Score(t2, "litter_findings")));

        var t3 = Unit(result, "T3");
        Assert.Equal((10m, 10m, 15m, 0m), (Score(t3, "street_cleaning_hours"), Score(t3, "toilets_other"), Score(t3, "eco_toilets"), Score(t3, "litter_findings")));
        Assert.Equal((25m, 20m), (Dimension(t3, "toilets").Raw, Dimension(t3, "toilets").Score));

        var t4 = Unit(result, "T4");
        Assert.Equal((0m, 0m, 20m, 8m), (Score(t4, "toilets_other"), Score(t4, "eco_toilets"), Dimension(t4, "refuse_transfer").Score, Score(t4, "litter_findings")));
    }

    // 基础设施提升工程（is0817.com 评分表节选）, by 序号 (dimension):
    // 1 “15分钟内…得0.5分,15—30分钟到达得0.3分,30分钟以上不得分”“内部交通组织合理得0.5分”“人均道路面积达15平方米得0.5分”
    // 2 “三级及以上公路连接得0.2分”“撤并建制村…直连道路全部畅通得0.2分”“30户及以上自然村(组)硬化路得0.1分”“路长制得0.5分”
    // 3 “乡镇运输服务站得0.5分”“面积1000平方米以上且正常运营得0.5分”
    // 4 “视情况酌情给分,最高1分”“自来水普及率达95%以上,得0.5分”“污水处理率达70%或…增长10%得0.5分”“雨污分流改造得0.5分”
    // 5 “防洪排涝设施建设完善得0.3分”“应急避难场所人均面积达1.5平方米得0.5分”“消防机制及消防队伍得0.2分”
    // Z1 (人口20000): 1: 12分钟 0.5 + 0.5 + 320000/20000 = 16 ≥ 15 → 0.5 = 1.5 | 2: 0.2 + 0.2 + 0 + 0.5 = 0.9 |
    //    3: 0.5 + (1200 ≥ 1000 且运营) 0.5 = 1 | 4: 0.8 + 96.5% 0.5 + 72% ≥ 70 0.5 + 0.5 = 2.3 | 5: 0.3 + 30000/20000 = 1.5 → 0.5 + 0.2 = 1.
    //    Total 6.7.
    // Z2 (人口8000): 1: 15分钟（“15分钟内”含15）0.5 + 0 + 112000/8000 = 14 → 0 = 0.5 | 2: 0.2 + 0 + 0.1 + 0.5 = 0.8 |
    //    3: 0.5 + 1500 但未运营 0 = 0.5 | 4: 评委 1.5 → 最高1分 1 + 95%（达95%以上，含95）0.5 + 62%，比上年50%提高12个百分点 ≥ 10 → 0.5 + 0 = 2 |
    //    5: 0.3 + 11000/8000 = 1.375 → 0 + 0.2 = 0.5.  Total 4.3.
    // Z3 (人口12000): 1: 25分钟 0.3 + 0.5 + 180000/12000 = 15 → 0.5 = 1.3 | 2: 0 + 0.2 + 0.1 + 0 = 0.3 | 3: 0 | 
    //    4: 0.5 + 90% 0 + 60%，提高5个百分点 0 + 0.5 = 1 | 5: 0 + 18000/12000 = 1.5 → 0.5 + 0 = 0.5.  Total 3.1.
    // Z4 (人口5000) reports a few rows: 31分钟 0 + 0.5 + 80000/5000 = 16 → 0.5 = 1; its sewage rate 75% has no
    //    上年数, so the formula's change is undefined and the item is missing (0), though the wording gives 0.5:
    //    the gap written in the ruleset. Total 1, incomplete.
    [Fact]
    public void Town_infrastructure_scores_as_its_wording_says()
    {
        var result = Evaluate("town-infrastructure");

        Assert.Equal([6.7m, 4.3m, 3.1m, 1m], new[] { "Z1", "Z2", "Z3", "Z4" }.Select(c => Unit(result, c).Total));
        Assert.Equal([1, 2, 3, 4], new[] { "Z1", "Z2", "Z3", "Z4" }.Select(c => Unit(result, c).Rank));

        var z1 = Unit(result, "Z1");
        Assert.Equal([1.5m, 0.9m, 1m, 2.3m, 1m], z1.Dimensions.Select(d => d.Score));
        Assert.Equal(7m, z1.Dimensions.Sum(d => d.Max));

        var z2 = Unit(result, "Z2");
        Assert.Equal([0.5m, 0.8m, 0.5m, 2m, 0.5m], z2.Dimensions.Select(d => d.Score));
        Assert.Equal((0.5m, 0m, 0m, 1m, 0.5m, 0.5m, 0m),
            (Score(z2, "hub_minutes"), Score(z2, "road_area"), Score(z2, "station_area"), Score(z2, "pipes_judged"),
             Score(z2, "tap_water"), Score(z2, "sewage_treatment"), Score(z2, "shelter_area")));

        var z3 = Unit(result, "Z3");
        Assert.Equal([1.3m, 0.3m, 0m, 1m, 0.5m], z3.Dimensions.Select(d => d.Score));
        Assert.Equal((0.3m, 0.5m, 0m, 0.5m), (Score(z3, "hub_minutes"), Score(z3, "road_area"), Score(z3, "sewage_treatment"), Score(z3, "shelter_area")));

        var z4 = Unit(result, "Z4");
        Assert.True(z4.Incomplete);
        Assert.Equal((0m, 0.5m, 0.5m), (Score(z4, "hub_minutes"), Score(z4, "internal_traffic"), Score(z4, "road_area")));
        var sewage = z4.Indicators.Single(i => i.Id == "sewage_treatment");
        Assert.Equal(0m, sewage.Score);
        Assert.NotNull(sewage.Missing); // 75% ≥ 70% meets the wording, but the OR names change and Z4 has no baseline
    }

    // 清新县创建宜居城乡工作绩效考核暂行办法 第五条: “先按现状情况（考评年度的指标绝对值）和改善情况（考评年度较上一年度
    // 增加或减少的指标相对值）分别进行排序打分，再按现状情况占40%、改善情况占60%计算总得分”; the points per place are
    // not stated: the ruleset assumes 第1名满分、每后退一名减10% (weight 50 × (1 − 0.1 × (rank − 1))), competition ranking.
    // 人均公园绿地: now Q2 10 (1st) 50, Q1 8 and Q4 8 (tied 2nd) 45, Q3 6 (4th) 35;
    //   gain Q3 6/5 = +20% 50, Q1 8/7 = +14.29% 45, Q2 10/9.5 = +5.26% 40, Q4 +0% 35.
    // 污水处理率: now Q4 90 50, Q2 85 45, Q1 70 40, Q3 50 35;
    //   gain Q3 50/40 = +25% 50, Q1 70/60 = +16.67% 45, Q4 90/80 = +12.5% 40, Q2 85/84 = +1.19% 35.
    // 现状 × 40%: Q1 (45 + 40) × 0.4 = 34, Q2 95 × 0.4 = 38, Q3 70 × 0.4 = 28, Q4 95 × 0.4 = 38.
    // 改善 × 60%: Q1 90 × 0.6 = 54, Q2 75 × 0.6 = 45, Q3 100 × 0.6 = 60, Q4 75 × 0.6 = 45.
    // Totals: Q1 88, Q2 83, Q3 88, Q4 83: Q1 and Q3 share rank 1, Q2 and Q4 rank 3.
    [Fact]
    public void Qingxin_livable_weighs_status_40_and_improvement_60()
    {
        var result = Evaluate("qingxin-livable");
        string[] codes = ["Q1", "Q2", "Q3", "Q4"];

        Assert.Equal([88m, 83m, 88m, 83m], codes.Select(c => Unit(result, c).Total));
        Assert.Equal([1, 3, 1, 3], codes.Select(c => Unit(result, c).Rank));
        Assert.Equal([(85m, 34m), (95m, 38m), (70m, 28m), (95m, 38m)],
            codes.Select(c => (Dimension(Unit(result, c), "status").Raw, Dimension(Unit(result, c), "status").Score)));
        Assert.Equal([(90m, 54m), (75m, 45m), (100m, 60m), (75m, 45m)],
            codes.Select(c => (Dimension(Unit(result, c), "improvement").Raw, Dimension(Unit(result, c), "improvement").Score)));
        Assert.Equal([45m, 50m, 35m, 45m], codes.Select(c => Score(Unit(result, c), "park_now")));
        Assert.Equal([45m, 35m, 50m, 40m], codes.Select(c => Score(Unit(result, c), "sewage_gain")));
        Assert.All(result.Units, u => Assert.Equal([40m, 60m], u.Dimensions.Select(d => d.Max)));
    }

    // 小城镇建设考核·项目管理（fsou.net 细则节选）, deductions from the item's points, 扣完为止 (clamped at 0):
    // 第7项 2分 “有一项计划或报表未按要求上报的,扣1分;未及时上报的,扣0.5分”
    // 第8项 35分 “重点镇道路建设项目有一个未按计划进度完成的,扣7分”“重点镇集镇整治项目有一个未按计划进度完成的,扣7分”
    //           “其他建设项目未按计划进度完成的,一个扣2分”
    // D1: 2 − 0 − 0.5 × 1 = 1.5;  35 − 0 − 0 − 2 × 1 = 33.  Total 34.5.
    // D2: 2 − 1 × 2 − 0.5 × 1 = −0.5 → 0;  35 − 7 − 7 − 2 × 3 = 15.  Total 15.
    // D3: 2 − 0 − 0 = 2;  35 − 7 × 3 − 7 × 2 − 2 × 1 = −2 → 0.  Total 2.
    [Fact]
    public void Small_town_projects_deduct_until_nothing_is_left()
    {
        var result = Evaluate("small-town-projects");
        string[] codes = ["D1", "D2", "D3"];

        Assert.Equal([1.5m, 0m, 2m], codes.Select(c => Score(Unit(result, c), "reports_missing")));
        Assert.Equal([33m, 15m, 0m], codes.Select(c => Score(Unit(result, c), "key_town_roads_late")));
        Assert.Equal([34.5m, 15m, 2m], codes.Select(c => Unit(result, c).Total));
        Assert.Equal([1, 2, 3], codes.Select(c => Unit(result, c).Rank));
        Assert.All(result.Units, u => Assert.False(u.Incomplete));
    }
}
