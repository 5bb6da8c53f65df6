using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Scorecards.Views;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// <c>bench -- monthpdf</c>: the monthly bulletin of the generated province's 122 counties on 6 indicators
/// (<c>monitor.bulletin_ms</c>, target ≤ 2 s), the towns' bulletin (1,607 units) and a unit's month page, one thread,
/// warm. The month's figures are generated here (the documents draw what a month result says).
/// </summary>
internal static class MonthDocumentBenchmarks
{
    private static readonly DocumentStamp Stamp = new("bench-month", new DateTimeOffset(2025, 10, 10, 2, 0, 0, TimeSpan.Zero), true);

    /// <param name="output">Where the figures go.</param>
    /// <param name="dir">Optional: a folder to write the documents measured into, to look at them.</param>
    internal static int Run(TextWriter output, string? dir = null)
    {
        var data = ProvinceGenerator.Generate(new ProvinceOptions());
        var county = Sheet(data, UnitLevel.County, "县（市、区）", 9);
        var town = Sheet(data, UnitLevel.Town, "镇（街）", 9);
        var earlier = Enumerable.Range(1, 8).Select(m => Sheet(data, UnitLevel.County, "县（市、区）", m)).ToArray();

        // Warm: every code path and glyph once.
        for (var i = 0; i < 2; i++) MonthRenderer.RenderBulletin(county, Stamp);
        MonthRenderer.RenderUnit(county, county.Units[0].Code, earlier, Stamp);

        var bulletin = Median(7, () => MonthRenderer.RenderBulletin(county, Stamp), out var doc);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"monitor.bulletin_ms: {bulletin:0.0} ({county.Units.Length} units × {county.Indicators.Length} indicators, {doc.PageCount} pages, {doc.Pdf.Length / 1024.0:0} KB)"));
        var towns = Median(3, () => MonthRenderer.RenderBulletin(town, Stamp), out var townDoc);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"monitor.town_bulletin_ms: {towns:0.0} ({town.Units.Length} units × {town.Indicators.Length} indicators, {townDoc.PageCount} pages, {townDoc.Pdf.Length / 1024.0:0} KB)"));
        var next = 0;
        var unit = Median(21, () => MonthRenderer.RenderUnit(county, county.Units[next++ % county.Units.Length].Code, earlier, Stamp), out var unitDoc);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"monitor.unit_page_ms: {unit:0.0} ({unitDoc.PageCount} page, 6 charts of 9 months, {unitDoc.Pdf.Length / 1024.0:0} KB)"));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, "county.pdf"), doc.Pdf);
            File.WriteAllBytes(Path.Combine(dir, "town.pdf"), townDoc.Pdf);
            File.WriteAllBytes(Path.Combine(dir, "unit.pdf"), unitDoc.Pdf);
        }
        return 0;
    }

    private static double Median(int rounds, Func<RenderedDocument> draw, out RenderedDocument last)
    {
        var ms = new double[rounds];
        last = null!;
        for (var r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            last = draw();
            ms[r] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(ms);
        return ms[rounds / 2];
    }

    /// <summary>The month's results of a level on the sample monitor's six indicators, figures from a fixed seed.</summary>
    internal static MonthSheet Sheet(Dataset data, UnitLevel level, string levelName, int month)
    {
        decimal[] curve = [5, 12, 20, 28, 36, 46, 54, 62, 71, 80, 90, 100];
        var linear = Math.Round(month * 100m / 12m, 2, MidpointRounding.AwayFromZero);
        ImmutableArray<MonthIndicator> indicators =
        [
            new("fai", "固定资产投资", "亿元", "progress", "linear", linear),
            new("industry_invest", "工业投资", "亿元", "progress", "curve", curve[month - 1]),
            new("key_projects", "重点项目完成投资", "亿元", "progress", "plan", null),
            new("retail", "社会消费品零售总额", "亿元", "progress", "linear", linear),
            new("gdp", "地区生产总值增速", "%", "growth", null, null),
            new("energy", "单位GDP能耗下降率", "%", "value", null, null),
        ];
        // Every class of the level is listed (the sample's three, then any other), so that every unit is in the bulletin.
        var levelUnits = data.Units.Where(u => u.Level == level).ToArray();
        string[] classes = [.. new[] { "创先", "进位", "消薄" }.Concat(levelUnits.Select(u => u.Class)).Distinct()];
        var units = levelUnits.OrderBy(u => Array.IndexOf(classes, u.Class)).ThenBy(u => u.Code, StringComparer.Ordinal).ToArray();
        var figures = new MonthFigures[units.Length][];
        for (var k = 0; k < units.Length; k++)
        {
            var random = new Random(k * 31 + 7);
            figures[k] = [.. indicators.Select(ind =>
            {
                var target = 20m + random.Next(0, 400);
                var share = random.Next(60, 120) / 100m;
                var actual = Math.Round(target * share * month / 12m, 1);
                var baseline = Math.Round(actual * random.Next(90, 115) / 100m, 1);
                var growth = Math.Round((actual - baseline) / baseline * 100m, 2, MidpointRounding.AwayFromZero);
                switch (ind.Metric)
                {
                    case "growth":
                        return new MonthFigures(ind.Id, actual, 5.5m, baseline, null, null, null, growth - 5.5m, growth, actual,
                            null, null, null, null, null, null, null, null, "");
                    case "value":
                        var value = Math.Round(random.Next(0, 60) / 10m, 1);
                        return new MonthFigures(ind.Id, value, 3.5m, null, null, null, null, value - 3.5m, null, value,
                            null, null, null, null, null, null, null, null, "");
                    default:
                        var plan = ind.PaceKind == "plan" ? Math.Round(target * month / 12m, 1) : (decimal?)null;
                        var progress = Math.Round(actual / target * 100m, 2, MidpointRounding.AwayFromZero);
                        var pace = plan is { } p ? Math.Round(p / target * 100m, 2, MidpointRounding.AwayFromZero) : ind.Pace!.Value;
                        return new MonthFigures(ind.Id, actual, target, baseline, plan, progress, pace, progress - pace, growth, actual,
                            null, null, null, null, null, null, null, null, "");
                }
            })];
        }
        // Ranks, lights and explanations as the engine would give them (ranks over the class and the level, higher first).
        for (var i = 0; i < indicators.Length; i++)
        {
            decimal Fig(MonthFigures f) => f.Progress ?? f.Growth ?? f.Value!.Value;
            var all = figures.Select(f => Fig(f[i])).ToArray();
            for (var k = 0; k < units.Length; k++)
            {
                var f = figures[k][i];
                var mine = Fig(f);
                var classPeers = Enumerable.Range(0, units.Length).Where(j => units[j].Class == units[k].Class).ToArray();
                var gap = f.Gap!.Value;
                var plain = gap <= (indicators[i].Metric == "progress" ? -10 : -2) ? "red" : gap < 0 ? "yellow" : "green";
                var light = plain == "yellow" && (k + month) % 3 == 0 ? "red" : plain;
                figures[k][i] = f with
                {
                    Rank = 1 + classPeers.Count(j => all[j] > mine), Peers = classPeers.Length,
                    LevelRank = 1 + all.Count(x => x > mine), LevelPeers = units.Length,
                    Light = light, PlainLight = plain, Streak = 1 + (k + i) % month,
                    Explain = $"{indicators[i].Name}：1–{month}月 {f.Actual} {indicators[i].Unit}",
                    Escalation = light != plain ? "连续 2 个月黄灯及以上，升为红灯" : null,
                };
            }
        }
        return new MonthSheet($"{level.ToString().ToLowerInvariant()}-monthly", $"{levelName}“百千万工程”主要指标月度通报", 1,
            new string('a', 64), new string('b', 64), levelName, 2025, month, 2, [.. classes],
            [new("red", "红灯"), new("yellow", "黄灯"), new("green", "绿灯")], indicators,
            [.. units.Select((u, k) => new MonthUnit(u.Code, u.Name, u.Class, u.Parent, [.. figures[k]]))]);
    }
}
