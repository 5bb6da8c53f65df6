using System.CommandLine;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>template --period P --ruleset ID --out F.xlsx</c>: the XLSX form an office fills in and imports back.</summary>
internal static class TemplateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var period = StoreCommands.PeriodOption();
        var ruleset = new Option<string>("--ruleset") { Description = "规则集 id", Required = true };
        var version = new Option<int?>("--version") { Description = "规则集版本（默认启用的版本）" };
        var output = new Option<string>("--out") { Description = "输出的 .xlsx 文件", Required = true };
        var store = StoreCommands.StoreOption();
        var command = new Command("template", "导出某期的数据填报模板（XLSX：单位 × 指标，已知目标值已填好）") { period, ruleset, version, output, store };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var p = StoreCommands.ParsePeriod(parse.GetValue(period)!);
            var bytes = await session.Service.TemplateAsync(p, parse.GetValue(ruleset)!, parse.GetValue(version), ct);
            var path = parse.GetValue(output)!;
            AtomicFile.Write(path, bytes);
            stdout.WriteLine($"已写出 {p} 的填报模板：{path}");
            return CliApp.Ok;
        }, ct));
        return command;
    }
}
