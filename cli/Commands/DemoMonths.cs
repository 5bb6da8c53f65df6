using System.Diagnostics;
using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// The demo's months (月通报): the generated province's month data (2025-01 … 2025-09) written as <c>months.csv</c> and
/// imported, the sample monitors stored and activated, 2025-09 run for each level through the one run use case (the
/// level's bulletin and every unit's page rendered and stored with the run) and published, and the month's light
/// counts printed per class.
/// </summary>
internal static class DemoMonths
{
    /// <summary>Who the demo acts as (the same as the quarters).</summary>
    private const string Actor = "demo";

    /// <summary>The month the demo publishes.</summary>
    public static readonly Period Month = Period.OfMonth(ProvinceGenerator.Year, ProvinceGenerator.Months);

    /// <summary>Runs the months part of the demo; false when an import or a run failed (the reason written to <paramref name="stderr"/>).</summary>
    public static async Task<bool> RunAsync(AssessmentService service, string provinceDir, UnitLevel[] levels, TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        var months = ProvinceGenerator.GenerateMonths(new ProvinceOptions());
        ProvinceFiles.WriteMonths(provinceDir, months);
        try
        {
            var imported = await service.ImportObservationsAsync(await File.ReadAllBytesAsync(Path.Combine(provinceDir, ProvinceFiles.MonthsFileName)),
                ProvinceFiles.MonthsFileName, Actor);
            stdout.WriteLine($"月度数据：2025-01 至 {Month}，{imported.Batch.RowCount} 行 → 已导入");
        }
        catch (InputRejectedException e)
        {
            foreach (var error in e.Errors) stderr.WriteLine(error);
            return false;
        }

        var monitors = new Dictionary<UnitLevel, string>();
        foreach (var (file, yaml, level) in new[]
                 {
                     (SampleRulesets.CountyMonthlyFileName, SampleRulesets.CountyMonthly, UnitLevel.County),
                     (SampleRulesets.TownMonthlyFileName, SampleRulesets.TownMonthly, UnitLevel.Town),
                 })
        {
            var version = await service.AddRulesetAsync(yaml, file, Actor);
            await service.ActivateRulesetAsync(version.RulesetId, version.Version, Actor);
            monitors[level] = version.RulesetId;
            stdout.WriteLine($"月度监测 {version.RulesetId} 第 {version.Version} 版已启用（{file}）");
        }

        foreach (var level in levels)
        {
            var started = clock.Elapsed;
            var run = await DemoCommand.RunAndPublishAsync(service, Month, level, monitors[level], stderr);
            if (run is null) return false;
            var result = await service.GetMonthResultsAsync(run.Id)
                ?? throw new InvalidOperationException($"运行 {run.Id} 没有月度结果");
            stdout.WriteLine($"{Month.ToChinese()} {level.ToChinese()}月度通报：{result.Units.Length} 个单位亮灯" +
                             $"（跳过 {result.Skipped.Length} 个），已发布（运行 {run.Id}，{(clock.Elapsed - started).TotalSeconds:0.0} 秒）");
            foreach (var line in Counts(result)) stdout.WriteLine(line);
        }
        return true;
    }

    /// <summary>The month's light counts, one line per class of the monitor (its order), then the level: <c>  创先 20 个单位：红灯 9，黄灯 3，绿灯 108，缺数 0</c>.</summary>
    internal static IEnumerable<string> Counts(MonthResult result)
    {
        string Line(string label, IReadOnlyCollection<MonthUnitResult> units) =>
            string.Create(CultureInfo.InvariantCulture, $"  {label} {units.Count} 个单位：") +
            string.Join("，", result.Lights.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Name} {units.Sum(u => u.Indicators.Count(i => i.Light == l.Id))}"))
                .Append(string.Create(CultureInfo.InvariantCulture, $"缺数 {units.Sum(u => u.Indicators.Count(i => i.Missing is not null))}")));
        foreach (var @class in result.Monitor.Classes)
        {
            var units = result.Units.Where(u => u.Class == @class).ToList();
            if (units.Count > 0) yield return Line(@class, units);
        }
        yield return Line("合计", result.Units);
    }
}
