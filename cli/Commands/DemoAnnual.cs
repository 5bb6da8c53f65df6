using System.Diagnostics;
using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// The demo's year end (年考评), after the quarters, the months and the ledger: the fourth quarter (1—12 月累计) of the
/// counties evaluated by the same quarterly ruleset and published (its PDFs stay in the store, as the earlier quarters'),
/// then the sample annual ruleset (<c>county-annual.yaml</c>, <c>cadence: year</c>) stored and activated in the county
/// level's year slot and 2025 run from the store through the one run use case (its sources: the year's published quarters
/// and months; the task ledger's rows for 2025) and published; each class's annual ranking printed.
/// </summary>
internal static class DemoAnnual
{
    private const string Actor = "demo";

    /// <summary>The year the demo evaluates.</summary>
    public static readonly Period Year = Period.OfYear(ProvinceGenerator.Year);

    /// <summary>The quarter whose publication the annual ruleset's 年终考核 reads.</summary>
    public static readonly Period YearEnd = Period.OfQuarter(ProvinceGenerator.Year, 4);

    /// <summary>
    /// Runs the year end on the county level. <paramref name="service"/> is the quarters' service (no ledger: the fourth
    /// quarter is evaluated as the first three were); the annual run reads the ledger. Null when a run failed (the
    /// reason written to <paramref name="stderr"/>), else the annual results.
    /// </summary>
    public static async Task<EvaluationResult?> RunAsync(AssessmentService service, IAssessStore store, IDocumentRenderer renderer, string dbPath,
        string quarterlyRuleset, Dataset data, TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        stdout.WriteLine();
        var q4 = await DemoCommand.RunAndPublishAsync(service, YearEnd, UnitLevel.County, quarterlyRuleset, stderr);
        if (q4 is null) return null;
        var quarter = (await store.GetResultsAsync(q4.Id))!;
        var documents = await store.ListDocumentsAsync(q4.Id);
        stdout.WriteLine($"{YearEnd.ToChinese()} {UnitLevel.County.ToChinese()}：{DemoCommand.Evaluated(data, UnitLevel.County, quarter)}，" +
                         $"记分卡 {documents.Count(d => d.Kind == DocumentKind.Scorecard)} 份、通报 {documents.Count(d => d.Kind == DocumentKind.Bulletin)} 份，" +
                         $"已发布（运行 {q4.Id}，{Seconds(clock)} 秒；PDF 留在库中）");

        await using var ledger = new SqliteLedgerStore(dbPath);
        await ledger.InitializeAsync();
        var annual = new AssessmentService(store, TimeProvider.System, renderer, ledger: ledger);
        var version = await annual.AddRulesetAsync(SampleRulesets.CountyAnnual, SampleRulesets.CountyAnnualFileName, Actor);
        await annual.ActivateRulesetAsync(version.RulesetId, version.Version, Actor);
        stdout.WriteLine($"年度考评规则集 {version.RulesetId} 第 {version.Version} 版已启用（{SampleRulesets.CountyAnnualFileName}，cadence: year）");

        var started = clock.Elapsed;
        var run = await DemoCommand.RunAndPublishAsync(annual, Year, UnitLevel.County, version.RulesetId, stderr);
        if (run is null) return null;
        var results = (await store.GetResultsAsync(run.Id))!;
        var read = results.Sources.IsDefaultOrEmpty ? [] : results.Sources;
        var annualDocuments = await store.ListDocumentsAsync(run.Id);
        stdout.WriteLine($"{Year.ToChinese()} {UnitLevel.County.ToChinese()}年度考评：读取公布结果 {read.Length} 期（{string.Join("、", read.Select(s => s.Period.ToString()))}）" +
                         $"和任务台账，{DemoCommand.Evaluated(data, UnitLevel.County, results)}，" +
                         $"记分卡 {annualDocuments.Count(d => d.Kind == DocumentKind.Scorecard)} 份、通报 {annualDocuments.Count(d => d.Kind == DocumentKind.Bulletin)} 份，已发布（运行 {run.Id}，" +
                         $"{(clock.Elapsed - started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} 秒）");
        PrintRankings(results, stdout);
        return results;
    }

    /// <summary>Each class's annual ranking: rank in the class, unit, total and grade (the grade quota is level-wide), and its marks.</summary>
    internal static void PrintRankings(EvaluationResult results, TextWriter stdout)
    {
        foreach (var group in results.Units.GroupBy(u => u.Class))
        {
            stdout.WriteLine();
            stdout.WriteLine($"【{group.Key}】{results.Period.ToChinese()}考评排名（{group.Count()} 个单位；等次按全省统一排名）");
            stdout.WriteLine($"{DemoCommand.Pad("名次", 4)} {DemoCommand.Pad("单位", 14)} {DemoCommand.Pad("总分", 7, right: true)}  {DemoCommand.Pad("等次", 4)} 标记");
            foreach (var u in group)
            {
                var marks = string.Join(" ", u.Lists.Select(l => l == "red" ? "红榜" : "黑榜").Concat(u.Vetoes.IsEmpty ? [] : ["一票否决"])
                    .Concat(u.Incomplete ? ["数据不全"] : []));
                var rank = u.Ranked ? u.Rank.ToString(CultureInfo.InvariantCulture) : "—";
                stdout.WriteLine($"{DemoCommand.Pad(rank, 4, right: true)} {DemoCommand.Pad(u.Name, 14)} " +
                                 $"{DemoCommand.Pad(Numbers.Fixed(u.Total, 2), 7, right: true)}  {DemoCommand.Pad(u.Grade, 4)} {marks}".TrimEnd());
            }
        }
    }

    private static string Seconds(Stopwatch clock) => clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
