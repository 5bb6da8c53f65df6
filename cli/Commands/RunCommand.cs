using System.CommandLine;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;
using Spectre.Console;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>run --period P --level L</c>: evaluates with the level's active ruleset, renders every document, stores the run.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var period = StoreCommands.PeriodOption(required: false);
        var month = new Option<string?>("--month") { Description = "月份，如 2025-06：用该层级启用的月度监测评价 1–6 月（同 --period 2025-06）" };
        var level = new Option<string>("--level") { Description = "层级：city、county、town 或 village", Required = true };
        var ruleset = new Option<string?>("--ruleset") { Description = "规则集 id（默认：该层级启用的、评价这一期间的规则集；月份用启用的月度监测）" };
        var version = new Option<int?>("--version") { Description = "规则集版本（默认启用的版本）" };
        var sample = new Option<bool>("--sample") { Description = "示例数据：文档上标注“示例数据”" };
        var batch = new Option<int>("--batch-size") { Description = "每批生成的记分卡数", DefaultValueFactory = _ => RunOptions.DefaultBatchSize };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var command = new Command("run", "按规则集评价某期某层级的全部单位，生成记分卡和通报，存为一次运行（发布前不对外可见）")
            { period, month, level, ruleset, version, sample, batch, store, actor };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var p = PeriodOf(parse.GetValue(period), parse.GetValue(month));
            var l = StoreCommands.ParseLevel(parse.GetValue(level)!);
            if (parse.GetValue(batch) < 1) throw new StoreCommands.InvalidArgumentException("--batch-size: 应为正整数");
            var rulesetId = parse.GetValue(ruleset) ?? await ActiveRulesetOfAsync(session.Service, l, p, ct);
            var console = StoreSession.Console(stdout);
            RunStarted? started = null;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var tasks = new Dictionary<string, ProgressTask>
                    {
                        ["evaluate"] = ctx.AddTask("评价", maxValue: 1),
                        ["scorecards"] = ctx.AddTask("记分卡", autoStart: session.Service.RendersDocuments, maxValue: 1),
                        ["bulletins"] = ctx.AddTask("通报", autoStart: session.Service.RendersDocuments, maxValue: 1),
                    };
                    var progress = new Progress(tasks);
                    // The one run use case of every host, carried in this process (stranded runs are failed first).
                    var runs = session.Service.Runs.With(new RunOptions { BatchSize = parse.GetValue(batch) });
                    started = await runs.StartAsync(new RunAsk(p, l, rulesetId, parse.GetValue(version), parse.GetValue(actor)!, Sample: parse.GetValue(sample)),
                        new InProcessCarrier(progress), ct);
                    foreach (var t in tasks.Values) if (t.IsStarted) t.Value = t.MaxValue;
                });
            foreach (var stranded in started!.Stranded)
                stderr.WriteLine($"运行 {stranded.Id} 已标记为失败：{stranded.Reason}");
            var run = started.Run;
            if (run.Status != RunStatus.Succeeded)
            {
                stderr.WriteLine($"运行 {run.Id} 失败：{run.Reason}");
                return StoreSession.RunFailed;
            }
            var documents = await session.Service.ListDocumentsAsync(run.Id, ct);
            if (p.IsMonth)
            {
                var month = (await session.Service.GetMonthResultsAsync(run.Id, ct))!;
                var lights = month.Lights.ToDictionary(x => x.Id, x => x.Name, StringComparer.Ordinal);
                stdout.WriteLine($"运行 {run.Id} 已成功：{p} {l.ToText()}，月度监测 {run.RulesetId} 第 {run.RulesetVersion} 版，评价 {month.Units.Length} 个单位（" +
                                 string.Join("，", month.Totals().Select(t => $"{(t.Light == "missing" ? "缺数" : lights.GetValueOrDefault(t.Light, t.Light))} {t.Count}")) +
                                 $"），单位页 {documents.Count(d => d.Kind == DocumentKind.Scorecard)} 份，通报 {documents.Count(d => d.Kind == DocumentKind.Bulletin)} 份，数据 SHA-256 {run.DataSha256}");
                stdout.WriteLine($"核对后发布：baiqianwan publish {run.Id}");
                return CliApp.Ok;
            }
            var result = await session.Service.GetResultsAsync(run.Id, ct);
            stdout.WriteLine($"运行 {run.Id} 已成功：{p} {l.ToText()}，规则集 {run.RulesetId} 第 {run.RulesetVersion} 版，评价 {result!.Units.Length} 个单位，" +
                             $"记分卡 {documents.Count(d => d.Kind == DocumentKind.Scorecard)} 份，通报 {documents.Count(d => d.Kind == DocumentKind.Bulletin)} 份，数据 SHA-256 {run.DataSha256}");
            stdout.WriteLine($"核对后发布：baiqianwan publish {run.Id}");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    /// <summary>The period of <c>--period</c> or <c>--month</c> (one of them; both only when they name the same month).</summary>
    private static Period PeriodOf(string? period, string? month)
    {
        if (month is not null)
        {
            if (!Period.TryParse(month, out var m) || !m.IsMonth)
                throw new StoreCommands.InvalidArgumentException($"--month: '{month}' 不是月份（应为 YYYY-MM，如 2025-06）");
            if (period is not null && StoreCommands.ParsePeriod(period) != m)
                throw new StoreCommands.InvalidArgumentException($"--period {period} 与 --month {month} 不一致：只给其中一个");
            return m;
        }
        return period is not null ? StoreCommands.ParsePeriod(period) : throw new StoreCommands.InvalidArgumentException("需要 --period（如 2025Q3）或 --month（如 2025-06）");
    }

    private static async Task<string> ActiveRulesetOfAsync(AssessmentService service, UnitLevel level, Period period, CancellationToken ct) =>
        (await service.GetActiveRulesetAsync(level, period, ct))?.Ruleset.RulesetId
        ?? throw new StoreException(StoreError.NotFound, period.IsMonth
            ? $"没有启用的 {level.ToText()} 层级月度监测（kind: monitor；先 ruleset add，再 ruleset activate）"
            : $"没有启用的 {level.ToText()} 层级规则集（先 ruleset add，再 ruleset activate）");

    private sealed class Progress(Dictionary<string, ProgressTask> tasks) : IProgress<RunProgress>
    {
        public void Report(RunProgress value)
        {
            if (!tasks.TryGetValue(value.Stage, out var task)) return;
            if (!task.IsStarted) task.StartTask();
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Done;
        }
    }
}
