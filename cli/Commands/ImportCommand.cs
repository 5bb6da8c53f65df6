using System.CommandLine;
using BaiQianWan.Assess.Store;
using Spectre.Console;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>import units FILE --year Y</c> and <c>import observations FILE</c>: CSV or XLSX, all or nothing.</summary>
internal static class ImportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("import", "导入单位或报送数据（CSV 或 XLSX；整个文件校验，有错则不写入）");
        command.Subcommands.Add(Units(stdout, stderr));
        command.Subcommands.Add(Observations(stdout, stderr));
        return command;
    }

    private static Command Units(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("FILE") { Description = "units.csv 或 .xlsx（列：code,name,level,parent,class）" };
        var year = new Option<int>("--year") { Description = "这份单位名单和分类适用的年度", Required = true };
        var replaceAll = new Option<bool>("--replace-all")
        {
            Description = "确认替换整个名单：即使会清空该年度的单位，或删除已有评价运行用到的单位",
        };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var command = new Command("units", "导入某年度的单位及其分类（替换该年度原有名单）") { file, year, replaceAll, store, actor };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var path = parse.GetValue(file)!;
            var outcome = await session.Service.ImportUnitsAsync(parse.GetValue(year), StoreCommands.ReadFile(path), path, parse.GetValue(actor)!,
                parse.GetValue(replaceAll), ct);
            Report(stdout, outcome, "个单位");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Observations(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("FILE") { Description = "observations.csv 或 .xlsx（列：unit,indicator,period,actual,target,baseline，可选 plan；period 为 YYYY-MM、YYYYQn 或 YYYY；# 开头的列忽略）" };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var command = new Command("observations", "导入报送数据（同一单位、指标、期间的数据以新导入的为准）") { file, store, actor };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var path = parse.GetValue(file)!;
            var content = StoreCommands.ReadFile(path);
            ImportOutcome? outcome = null;
            await StoreSession.Console(stdout).Status().StartAsync($"正在校验并导入 {Path.GetFileName(path)} …", async _ =>
                outcome = await session.Service.ImportObservationsAsync(content, path, parse.GetValue(actor)!, ct));
            Report(stdout, outcome!, "条数据");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static void Report(TextWriter stdout, ImportOutcome outcome, string what)
    {
        var b = outcome.Batch;
        stdout.WriteLine(outcome.AlreadyImported
            ? $"{b.FileName} 已在 {b.At:yyyy-MM-dd HH:mm} 导入过（批次 {b.Id}，SHA-256 {b.Sha256[..12]}…），未做改动"
            : $"已导入 {b.RowCount} {what}：批次 {b.Id}，文件 {b.FileName}，SHA-256 {b.Sha256}");
    }
}
