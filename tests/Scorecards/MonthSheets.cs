using System.Collections.Immutable;
using System.Globalization;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Tests.Scorecards;

/// <summary>
/// Month results (monitor.md §3) written out by hand or generated, for the month documents' tests: the documents draw
/// what a result says, so these carry their figures as a result would, computed here with plain arithmetic.
/// </summary>
internal static class MonthSheets
{
    public static readonly DocumentStamp Stamp = new("run-month-0001", new DateTimeOffset(2025, 7, 10, 2, 0, 0, TimeSpan.Zero), false);

    public static readonly ImmutableArray<MonthLight> Lights = [new("red", "红灯"), new("yellow", "黄灯"), new("green", "绿灯")];

    /// <summary>
    /// June 2025, four counties in two classes, three indicators: fai (progress, linear pace 50), kp (progress by plan),
    /// gdp (growth). 甲县 ahead everywhere; 乙县 behind on fai by 5 (yellow, 2nd month: escalated to red); 丙县 behind on
    /// fai by 20 (red, 3 months); 丁县 has no plan (kp missing) and is behind on gdp.
    /// </summary>
    public static MonthSheet Small(int month = 6)
    {
        var pace = Math.Round(month * 100m / 12m, 2, MidpointRounding.AwayFromZero);
        MonthFigures Fai(decimal actual, int rank, int peers, int levelRank, string light, string plain, int streak, string explain, string? escalation = null)
        {
            var progress = Math.Round(actual / 80m * 100m, 2, MidpointRounding.AwayFromZero);
            return new MonthFigures("fai", actual, 80m, 45m, null, progress, pace, progress - pace, Math.Round((actual - 45m) / 45m * 100m, 2, MidpointRounding.AwayFromZero), actual,
                rank, peers, levelRank, 4, light, plain, streak, null, explain) { Escalation = escalation };
        }
        return new MonthSheet("county-monthly", "县（市、区）主要指标月度通报", 2, new string('a', 64), new string('b', 64),
            "县（市、区）", 2025, month, 2, ["创先", "进位"], Lights,
            [
                new MonthIndicator("fai", "固定资产投资", "亿元", "progress", "linear", pace),
                new MonthIndicator("kp", "重点项目完成投资", "亿元", "progress", "plan", null),
                new MonthIndicator("gdp", "地区生产总值增速", "%", "growth", null, null),
            ],
            [
                new MonthUnit("440101", "甲县", "创先", "4401",
                [
                    Fai(48m, 1, 2, 1, "green", "green", 6, "1–6月累计 48 亿元，完成全年目标 80 亿元的 60.00%，序时进度 50.00%，超序时 10.00 个百分点；同比增长 6.67%；绿灯（连续 6 个月）"),
                    new("kp", 30m, 50m, null, 25m, 60m, 50m, 10m, null, 30m, 1, 2, 1, 3, "green", "green", 6, null, "按计划 1–6月应完成 25 亿元（50.00%），超计划 10.00 个百分点；绿灯（连续 6 个月）"),
                    new("gdp", 105.2m, 5.5m, 100m, null, null, null, -0.3m, 5.2m, 105.2m, 1, 2, 1, 4, "yellow", "yellow", 1, null, "1–6月同比增长 5.20%，全年目标 5.50%，低于目标 0.30 个百分点；黄灯（连续 1 个月）"),
                ]),
                new MonthUnit("440102", "乙县", "创先", "4401",
                [
                    Fai(36m, 2, 2, 3, "red", "yellow", 2, "1–6月累计 36 亿元，完成全年目标 80 亿元的 45.00%，序时进度 50.00%，落后序时 5.00 个百分点；红灯（连续 2 个月）（连续 2 个月黄灯及以上，升为红灯）", "连续 2 个月黄灯及以上，升为红灯"),
                    new("kp", 20m, 50m, null, 25m, 40m, 50m, -10m, null, 20m, 2, 2, 3, 3, "red", "red", 1, null, "按计划应完成 25 亿元（50.00%），落后计划 10.00 个百分点；红灯（连续 1 个月）"),
                    new("gdp", 106m, 5.5m, 100m, null, null, null, 0.5m, 6m, 106m, 2, 2, 2, 4, "green", "green", 6, null, "1–6月同比增长 6.00%，全年目标 5.50%，高于目标 0.50 个百分点；绿灯（连续 6 个月）"),
                ]),
                new MonthUnit("440201", "丙县", "进位", "4402",
                [
                    Fai(24m, 1, 1, 4, "red", "red", 3, "1–6月累计 24 亿元，完成全年目标 80 亿元的 30.00%，序时进度 50.00%，落后序时 20.00 个百分点；红灯（连续 3 个月）"),
                    new("kp", 27m, 50m, null, 25m, 54m, 50m, 4m, null, 27m, 1, 1, 2, 3, "green", "green", 2, null, "超计划 4.00 个百分点；绿灯（连续 2 个月）"),
                    new("gdp", 104m, 5.5m, 100m, null, null, null, -1.5m, 4m, 104m, 1, 2, 3, 4, "yellow", "yellow", 2, null, "低于目标 1.50 个百分点；黄灯（连续 2 个月）"),
                ]),
                new MonthUnit("440202", "丁县", "进位", "4402",
                [
                    Fai(40m, 1, 1, 2, "green", "green", 1, "1–6月累计 40 亿元，完成全年目标 80 亿元的 50.00%，与序时持平；绿灯（连续 1 个月）"),
                    new("kp", 20m, 50m, null, null, 40m, null, null, null, 20m, null, null, null, null, null, null, null, "no plan", "缺计划数"),
                    new("gdp", 95m, 5.5m, 100m, null, null, null, -10.5m, -5m, 95m, 2, 2, 4, 4, "red", "red", 1, null, "1–6月同比下降 5.00%，低于目标 10.50 个百分点；红灯（连续 1 个月）"),
                ]),
            ]);
    }

    /// <summary>
    /// A generated level of <paramref name="units"/> units in three classes and <paramref name="indicators"/> indicators
    /// (progress with a linear pace, every fifth a growth one), figures from a fixed seed, ranks and lights worked out here.
    /// Units <c>T00001</c> …; every 97th unit misses its first indicator.
    /// </summary>
    public static MonthSheet Generated(int units, int indicators, int month = 9, int seed = 7)
    {
        var random = new Random(seed);
        string[] classes = ["创先", "进位", "消薄"];
        var pace = Math.Round(month * 100m / 12m, 2, MidpointRounding.AwayFromZero);
        var inds = Enumerable.Range(1, indicators).Select(i => i % 5 == 0
            ? new MonthIndicator($"i{i}", $"指标{i:D2}增速", "%", "growth", null, null)
            : new MonthIndicator($"i{i}", $"指标{i:D2}", "亿元", "progress", "linear", pace)).ToImmutableArray();
        var raw = new (string Code, string Name, string Class, MonthFigures?[] F)[units];
        for (var u = 0; u < units; u++)
        {
            var code = $"T{u + 1:D5}";
            var figures = new MonthFigures?[indicators];
            for (var i = 0; i < indicators; i++)
            {
                if (i == 0 && u % 97 == 0) continue;
                var target = 50m + random.Next(0, 500);
                var actual = Math.Round(target * random.Next(20, 110) / 100m * month / 9m, 1);
                var baseline = Math.Round(actual * random.Next(85, 120) / 100m, 1);
                var growth = Math.Round((actual - baseline) / baseline * 100m, 2, MidpointRounding.AwayFromZero);
                var growthIndicator = inds[i].Metric == "growth";
                var progress = Math.Round(actual / target * 100m, 2, MidpointRounding.AwayFromZero);
                var gap = growthIndicator ? growth - 5m : progress - pace;
                figures[i] = new MonthFigures(inds[i].Id, actual, growthIndicator ? 5m : target, baseline, null,
                    growthIndicator ? null : progress, growthIndicator ? null : pace, gap, growth, actual,
                    null, null, null, null, gap <= -10 ? "red" : gap < 0 ? "yellow" : "green", gap < 0 ? "yellow" : "green", 1 + u % 4, null,
                    $"explain {code} {i}");
            }
            raw[u] = (code, $"单位{u + 1:D5}", classes[u % 3], figures);
        }
        // Ranks (competition ranking, higher first) within the class and the level.
        for (var i = 0; i < indicators; i++)
        {
            var present = raw.Where(r => r.F[i] is not null).ToArray();
            decimal Fig(MonthFigures f) => f.Progress ?? f.Growth!.Value;
            foreach (var r in present)
            {
                var f = r.F[i]!;
                var classPeers = present.Where(p => p.Class == r.Class).ToArray();
                var i1 = i;
                r.F[i] = f with
                {
                    Rank = 1 + classPeers.Count(p => Fig(p.F[i1]!) > Fig(f)), Peers = classPeers.Length,
                    LevelRank = 1 + present.Count(p => Fig(p.F[i1]!) > Fig(f)), LevelPeers = present.Length,
                };
            }
        }
        var unitList = raw.OrderBy(r => Array.IndexOf(classes, r.Class)).ThenBy(r => r.Code, StringComparer.Ordinal)
            .Select(r => new MonthUnit(r.Code, r.Name, r.Class, null,
                [.. r.F.Select((f, i) => f ?? new MonthFigures(inds[i].Id, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, "no row", ""))]))
            .ToImmutableArray();
        return new MonthSheet("town-monthly", "镇（街）主要指标月度通报", 1, new string('c', 64), new string('d', 64),
            "镇（街）", 2025, month, 2, [.. classes], Lights, inds, unitList);
    }

    public static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
