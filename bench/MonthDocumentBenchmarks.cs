using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Rules.Monitors;

namespace BaiQianWan.Assess.Bench;

/// <summary>
/// <c>bench -- monthpdf</c>: the monthly bulletin of the generated province's 122 counties on 6 indicators
/// (<c>monitor.bulletin_ms</c>, target ≤ 2 s), the towns' bulletin (1,607 units) and a unit's month page, one thread,
/// warm. The month results are the sample monitors evaluated by the engine on month data generated here.
/// </summary>
internal static class MonthDocumentBenchmarks
{
    private static readonly DocumentStamp Stamp = new("bench-month", new DateTimeOffset(2025, 10, 10, 2, 0, 0, TimeSpan.Zero), true);

    /// <param name="output">Where the figures go.</param>
    /// <param name="dir">Optional: a folder to write the documents measured into, to look at them.</param>
    internal static int Run(TextWriter output, string? dir = null)
    {
        var data = ProvinceGenerator.Generate(new ProvinceOptions());
        var county = Evaluate(data, "county-monthly.yaml", 9);
        var town = Evaluate(data, "town-monthly.yaml", 9);

        // Warm: every code path and glyph once.
        for (var i = 0; i < 2; i++) MonthDocuments.RenderBulletin(county, Stamp);
        MonthDocuments.RenderUnit(county, county.Units[0].Code, Stamp);

        var bulletin = Median(7, () => MonthDocuments.RenderBulletin(county, Stamp), out var doc);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"monitor.bulletin_ms: {bulletin:0.0} ({county.Units.Length} units × {county.Indicators.Length} indicators, {doc.PageCount} pages, {doc.Pdf.Length / 1024.0:0} KB)"));
        var towns = Median(3, () => MonthDocuments.RenderBulletin(town, Stamp), out var townDoc);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"monitor.town_bulletin_ms: {towns:0.0} ({town.Units.Length} units × {town.Indicators.Length} indicators, {townDoc.PageCount} pages, {townDoc.Pdf.Length / 1024.0:0} KB)"));
        var next = 0;
        var unit = Median(21, () => MonthDocuments.RenderUnit(county, county.Units[next++ % county.Units.Length].Code, Stamp), out var unitDoc);
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

    /// <summary>
    /// The month's results of a level: the sample monitor (<c>samples/rulesets/county-monthly.yaml</c>,
    /// <c>town-monthly.yaml</c>) evaluated by the engine on month data generated here for the province's units
    /// (months 1 … <paramref name="month"/>, cumulative, a plan where the indicator is paced by plan), from a fixed seed.
    /// </summary>
    internal static MonthResult Evaluate(Dataset province, string monitorFile, int month)
    {
        var loaded = MonitorLoader.Load(SampleRulesets.Read(monitorFile));
        var monitor = loaded.Monitor ?? throw new InvalidOperationException($"{monitorFile}: {string.Join("; ", loaded.Diagnostics.Select(d => d.Format(monitorFile)))}");
        var units = province.Units.Where(u => u.Level == monitor.Level).ToArray();
        var observations = new List<Observation>();
        for (var k = 0; k < units.Length; k++)
        {
            var random = new Random(k * 31 + 7);
            foreach (var ind in monitor.Indicators)
            {
                var target = 20m + random.Next(0, 400);
                var share = random.Next(60, 120) / 100m;
                var growth = random.Next(-30, 120) / 10m;
                var value = random.Next(0, 60) / 10m;
                for (var m = 1; m <= month; m++)
                {
                    var period = Period.OfMonth(2025, m);
                    var noise = 1m + random.Next(-5, 6) / 100m;
                    var actual = Math.Round(target * share * m / 12m * noise, 1);
                    observations.Add(ind.Metric switch
                    {
                        MonitorMetric.Growth => new Observation(units[k].Code, ind.Id, period, 100m + growth * noise, 5.5m, 100m),
                        MonitorMetric.Value => new Observation(units[k].Code, ind.Id, period, Math.Round(value * noise, 1), 3.5m, null),
                        _ => new Observation(units[k].Code, ind.Id, period, actual, target, Math.Round(actual * 0.95m, 1),
                            ind.Pace == PaceKind.Plan ? Math.Round(target * m / 12m, 1) : null),
                    });
                }
            }
        }
        return MonitorEvaluator.Evaluate(CompiledMonitor.Compile(monitor, loaded.Sha256), new Dataset(units, observations), Period.OfMonth(2025, month));
    }
}
