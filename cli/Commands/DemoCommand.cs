using System.CommandLine;
using System.Diagnostics;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>demo</c>: the whole product on the embedded default. A fresh SQLite store in the output folder (a folder that
/// already holds the demo's store is refused, nothing touched, unless <c>--replace</c> says to rebuild it); the
/// generated sample province imported from its CSV files; the sample rulesets stored and activated;
/// 2025Q1–Q3 evaluated for counties and towns (scorecards and bulletins rendered to PDF and stored with
/// each run, once); each run published; the latest quarter's published PDFs exported (the earlier ones stay in the store
/// and the portal); each county class's ranking printed with
/// its change since the previous quarter.
/// </summary>
internal static class DemoCommand
{
    private const string Actor = "demo";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string>("--out") { Description = "输出目录（新建 demo.db、province/、2025Q1…/；已有 demo.db 时拒绝，除非加 --replace）", DefaultValueFactory = _ => "out" };
        var level = new Option<string>("--level") { Description = "只评价一个层级：county 或 town（默认两者）", DefaultValueFactory = _ => "all" };
        var replace = new Option<bool>("--replace") { Description = "删除输出目录中已有的库 demo.db（其中的账户、运行和上传）和导出的 PDF，重建示例" };
        var command = new Command("demo", "示例：建库、导入示例省份和规则集，评价并发布 2025 年前三季度，输出记分卡和通报 PDF，打印县级排名") { output, level, replace };
        command.SetAction(parse => Run(parse.GetValue(output)!, parse.GetValue(level)!, parse.GetValue(replace), stdout, stderr));
        return command;
    }

    public static int Run(string directory, string levelText, bool replace, TextWriter stdout, TextWriter stderr)
    {
        UnitLevel[] levels;
        if (levelText == "all") levels = [UnitLevel.County, UnitLevel.Town];
        else if (UnitLevels.TryParse(levelText, out var only) && only != UnitLevel.Village) levels = [only];
        else
        {
            stderr.WriteLine($"--level: '{levelText}' 应为 county、town 或 all");
            return CliApp.InvalidInput;
        }
        directory = Path.GetFullPath(directory);
        var dbPath = Path.Combine(directory, "demo.db");
        var existing = new[] { dbPath, dbPath + "-wal", dbPath + "-shm" };
        if (!replace && existing.Any(File.Exists))
        {
            // A store there holds accounts, runs and uploads someone may have made since: never replace it unasked.
            stderr.WriteLine($"demo：{dbPath} 已有一个库（其中的账户、运行和上传会丢失），未做任何改动；换一个 --out 目录，或加 --replace 删除它并重建");
            return StoreSession.StoreStateError;
        }
        return RunAsync(directory, levels, stdout, stderr).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(string directory, UnitLevel[] levels, TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(directory);
        var dbPath = Path.Combine(directory, "demo.db");
        foreach (var stale in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" }) File.Delete(stale); // only reached with --replace when one exists
        foreach (var q in new[] { 1, 2, 3 })
        {
            var old = Path.Combine(directory, Period.OfQuarter(2025, q).ToString());
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        }

        // 1. The sample province, written as the files an office would import.
        var data = ProvinceGenerator.Generate(new ProvinceOptions());
        var provinceDir = Path.Combine(directory, "province");
        ProvinceFiles.WriteProvince(provinceDir, data);
        stdout.WriteLine($"示例省份（虚构）：{data.Units.Count} 个单位（{string.Join("、", data.Units.GroupBy(u => u.Level).OrderBy(g => g.Key).Select(g => $"{g.Key.ToChinese()} {g.Count()} 个"))}），{data.Observations.Count} 条数据 → {provinceDir}");

        var missing = new List<string>();
        var renderer = new PdfDocumentRenderer((key, m) => { lock (missing) missing.Add($"{key}: {m}"); });
        await using var store = new SqliteAssessStore(dbPath);
        await store.InitializeAsync();
        var service = new AssessmentService(store, TimeProvider.System, renderer);

        // 2. Imports, through the same all-or-nothing path as `import`.
        try
        {
            var units = await service.ImportUnitsAsync(2025, await File.ReadAllBytesAsync(Path.Combine(provinceDir, "units.csv")), "units.csv", Actor);
            var observations = await service.ImportObservationsAsync(await File.ReadAllBytesAsync(Path.Combine(provinceDir, "observations.csv")), "observations.csv", Actor);
            stdout.WriteLine($"导入：单位 {units.Batch.RowCount} 行，数据 {observations.Batch.RowCount} 行 → {dbPath}");
        }
        catch (InputRejectedException e)
        {
            foreach (var error in e.Errors) stderr.WriteLine(error);
            return CliApp.InvalidInput;
        }

        // 3. The sample rulesets: stored as version 1 and activated.
        var rulesets = new Dictionary<UnitLevel, string>();
        foreach (var (file, yaml, level) in new[] { ("county.yaml", SampleRulesets.County, UnitLevel.County), ("town.yaml", SampleRulesets.Town, UnitLevel.Town) })
        {
            var version = await service.AddRulesetAsync(yaml, file, Actor);
            await service.ActivateRulesetAsync(version.RulesetId, version.Version, Actor);
            rulesets[level] = version.RulesetId;
            stdout.WriteLine($"规则集 {version.RulesetId} 第 {version.Version} 版已启用（{file}）");
        }

        // 4. Evaluate, render, publish and export each quarter, oldest first (so each run sees the previous one's ranks).
        var countyResults = new Dictionary<Period, EvaluationResult>(); // for the printed ranking
        foreach (var q in new[] { 1, 2, 3 })
        {
            var period = Period.OfQuarter(2025, q);
            foreach (var level in levels)
            {
                var started = clock.Elapsed;
                var run = await RunAndPublishAsync(service, period, level, rulesets[level], stderr);
                if (run is null) return StoreSession.RunFailed;
                var results = (await store.GetResultsAsync(run.Id))!;
                if (level == UnitLevel.County) countyResults[period] = results;
                var documents = await store.ListDocumentsAsync(run.Id);
                stdout.WriteLine($"{period.ToChinese()} {level.ToChinese()}：{Evaluated(data, level, results)}，" +
                                 $"记分卡 {documents.Count(d => d.Kind == DocumentKind.Scorecard)} 份、通报 {documents.Count(d => d.Kind == DocumentKind.Bulletin)} 份，" +
                                 $"已发布（运行 {run.Id}，{(clock.Elapsed - started).TotalSeconds:0.0} 秒）");
            }
            // Only the latest quarter is exported to files: the earlier ones' PDFs stay in the store and the portal (each kept once).
            if (q != 3)
            {
                stdout.WriteLine($"{period} 已发布的 PDF 留在库中（门户和 API 可下载；只导出最新一季到文件，或用 export --period {period}）");
                continue;
            }
            var export = await service.ExportPublishedAsync(period, Path.Combine(directory, period.ToString()));
            stdout.WriteLine($"{period} 已发布的 PDF：{export.Files.Count} 个 → {Path.Combine(directory, period.ToString())}");
        }
        if (!await DemoMonths.RunAsync(service, provinceDir, levels, stdout, stderr)) return StoreSession.RunFailed;
        foreach (var line in missing.Distinct().Take(20)) stderr.WriteLine($"字体缺字：{line}");

        if (levels.Contains(UnitLevel.County))
            PrintRankings(countyResults[Period.OfQuarter(2025, 3)], countyResults[Period.OfQuarter(2025, 2)], stdout);
        await DemoLedger.RunAsync(directory, dbPath, data, stdout); // the year's task ledger, its 按期销号率 and bulletins
        // The year end: the counties' fourth quarter, then 2025 by the sample annual ruleset from the year's publications and ledger.
        if (levels.Contains(UnitLevel.County)
            && await DemoAnnual.RunAsync(service, store, renderer, dbPath, rulesets[UnitLevel.County], data, stdout, stderr) is null)
            return StoreSession.RunFailed;
        await PrintAccountsAsync(dbPath, data, stdout);
        stdout.WriteLine();
        stdout.WriteLine($"完成，用时 {clock.Elapsed.TotalSeconds:0.0} 秒。记分卡：{Path.Combine(directory, "2025Q3", "county", "scorecards")}；" +
                         $"库：{dbPath}（可用 --store {dbPath} 继续操作）");
        return CliApp.Ok;
    }

    /// <summary>
    /// How many units of the level the run evaluated out of how many the province has, naming those whose class the sample
    /// ruleset does not assess (so the counts add up to the province's: 122 county-level units, 120 evaluated).
    /// </summary>
    internal static string Evaluated(Dataset data, UnitLevel level, EvaluationResult results)
    {
        var all = data.Units.Count(u => u.Level == level);
        var text = $"{all} 个单位中评价 {results.Units.Length} 个";
        if (results.Skipped.IsEmpty) return text;
        var names = data.Units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        var skipped = results.Skipped.Select(s => names.TryGetValue(s.Code, out var u) ? $"{u.Name}（{u.Code}，“{u.Class}”类）" : s.Code);
        return text + $"（另 {results.Skipped.Length} 个的类别不在示例规则集中，未参评：{string.Join("、", skipped)}）";
    }

    /// <summary>
    /// One quarter of one level: the same one call as every other entry point (stranded runs failed first, the run requested
    /// and carried in this process), then published. Null when the run failed (the reason is written).
    /// </summary>
    internal static async Task<EvaluationRun?> RunAndPublishAsync(AssessmentService service, Period period, UnitLevel level, string rulesetId, TextWriter stderr)
    {
        var started = await service.Runs.StartAsync(new RunAsk(period, level, rulesetId, null, Actor, Sample: true), new InProcessCarrier());
        foreach (var stranded in started.Stranded) stderr.WriteLine($"运行 {stranded.Id} 已标记为失败：{stranded.Reason}");
        var run = started.Run;
        if (run.Status != RunStatus.Succeeded)
        {
            stderr.WriteLine($"{period} {level.ToText()}：评价失败：{run.Reason}");
            return null;
        }
        await service.PublishAsync(run.Id, Actor);
        return run;
    }

    /// <summary>One portal account per role (the unit: the first county with towns), each with a one-time password.</summary>
    private static async Task PrintAccountsAsync(string dbPath, Dataset data, TextWriter stdout)
    {
        await using var accounts = new SqliteAccountStore(dbPath);
        await accounts.InitializeAsync();
        await using var units = new SqliteAssessStore(dbPath);
        var admin = new BaiQianWan.Assess.Portal.Auth.AccountAdmin(accounts, TimeProvider.System, units);
        var county = data.Units.First(u => u.Level == UnitLevel.County && data.Units.Any(t => t.Parent == u.Code));
        stdout.WriteLine();
        stdout.WriteLine("门户账户（首次登录须改密码）：");
        foreach (var (name, display, role, unit) in new[]
        {
            ("office", "省考核办", AccountRole.Office, (string?)null),
            ("author", "规则作者", AccountRole.Author, null),
            ($"unit-{county.Code.ToLowerInvariant()}", county.Name, AccountRole.Unit, county.Code),
        })
        {
            var (account, password) = await admin.CreateAsync(name, display, role, unit, Actor);
            stdout.WriteLine($"  {account.Role.ToChinese(),-4} 登录名 {account.Name,-16} 一次性密码 {password}");
        }
    }

    /// <summary>Each class's ranking with the change since the previous quarter and the bulletin's marks (红榜、黑榜、一票否决、数据不全).</summary>
    internal static void PrintRankings(EvaluationResult latest, EvaluationResult previous, TextWriter stdout)
    {
        var before = previous.Units.ToDictionary(u => u.Code, u => u.Rank, StringComparer.Ordinal);
        foreach (var group in latest.Units.GroupBy(u => u.Class))
        {
            stdout.WriteLine();
            stdout.WriteLine($"【{group.Key}】{latest.Period.ToChinese()} 县级排名（{group.Count()} 个单位）");
            stdout.WriteLine($"{Pad("名次", 4)} {Pad("单位", 14)} {Pad("总分", 7, right: true)}  {Pad("等级", 4)} {Pad("较上期", 6)} 标记");
            foreach (var u in group)
            {
                var change = before.TryGetValue(u.Code, out var r) ? r - u.Rank : 0;
                var arrow = !before.ContainsKey(u.Code) ? "新" : change > 0 ? $"↑{change}" : change < 0 ? $"↓{-change}" : "—";
                var marks = string.Join(" ", u.Lists.Select(l => l == "red" ? "红榜" : "黑榜").Concat(u.Vetoes.IsEmpty ? [] : ["一票否决"])
                    .Concat(u.Incomplete ? ["数据不全"] : []));
                stdout.WriteLine($"{Pad(u.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture), 4, right: true)} {Pad(u.Name, 14)} " +
                                 $"{Pad(Numbers.Fixed(u.Total, 2), 7, right: true)}  {Pad(u.Grade, 4)} {Pad(arrow, 6)} {marks}".TrimEnd());
            }
        }
    }

    /// <summary>Pads to a display width, counting a CJK character as two columns, so the table lines up in a terminal.</summary>
    internal static string Pad(string text, int width, bool right = false)
    {
        var shown = 0;
        foreach (var rune in text.EnumerateRunes()) shown += rune.Value >= 0x1100 && rune.Value != 0x2014 && rune.Value is not (0x2191 or 0x2193) ? 2 : 1;
        var fill = new string(' ', Math.Max(0, width - shown));
        return right ? fill + text : text + fill;
    }
}
