using System.CommandLine;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Workflow;
using Spectre.Console;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>export --period P --out DIR</c>: the published scorecards and bulletins of a period, by level.</summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var period = StoreCommands.PeriodOption();
        var output = new Option<string>("--out") { Description = "输出目录（写入 LEVEL/scorecards/CODE.pdf 和 LEVEL/bulletins/CLASS.pdf）", Required = true };
        var store = StoreCommands.StoreOption();
        var command = new Command("export", "导出某期已发布的记分卡和通报") { period, output, store };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var p = StoreCommands.ParsePeriod(parse.GetValue(period)!);
            var directory = parse.GetValue(output)!;
            ExportSummary? summary = null;
            await StoreSession.Console(stdout).Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
                .StartAsync(async ctx =>
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    summary = await session.Service.ExportPublishedAsync(p, directory, new Progress(ctx, tasks), ct);
                });
            foreach (var (level, runId) in summary!.Runs)
                stdout.WriteLine($"{level.ToText()}：运行 {runId}，{summary.Files.Count(f => f.StartsWith(level.ToText() + "/", StringComparison.Ordinal))} 个文件");
            stdout.WriteLine($"已导出 {p} 已发布的 {summary.Files.Count} 个文件到 {Path.GetFullPath(directory)}");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private sealed class Progress(ProgressContext ctx, Dictionary<string, ProgressTask> tasks) : IProgress<RunProgress>
    {
        public void Report(RunProgress value)
        {
            if (!tasks.TryGetValue(value.Stage, out var task))
                tasks[value.Stage] = task = ctx.AddTask(value.Stage, maxValue: Math.Max(1, value.Total));
            task.Value = value.Done;
        }
    }
}
