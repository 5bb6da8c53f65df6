using System.CommandLine;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Monitors;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>monitor</c>: units + observations + monitor files → a month's results JSON (月通报), with no store.</summary>
internal static class MonitorCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var units = new Option<string>("--units") { Description = "units.csv", Required = true };
        var observations = new Option<string>("--observations") { Description = "observations.csv（含 1 月至该月的月度数据）", Required = true };
        var monitor = new Option<string>("--monitor") { Description = "月通报规则 YAML（kind: monitor）", Required = true };
        var month = new Option<string>("--month") { Description = "月份，如 2025-06（1–6 月累计）", Required = true };
        var output = new Option<string>("--out") { Description = "结果 JSON 文件", Required = true };
        var trace = new Option<string?>("--trace") { Description = "规则触发记录（JSON Lines，每次规则触发的每个结果一行）" };
        var command = new Command("monitor", "按月通报规则对数据文件进行月度亮灯评价，写出结果 JSON") { units, observations, monitor, month, output, trace };
        command.SetAction(parse => Run(parse.GetValue(units)!, parse.GetValue(observations)!, parse.GetValue(monitor)!,
            parse.GetValue(month)!, parse.GetValue(output)!, stdout, stderr, parse.GetValue(trace)));
        return command;
    }

    public static int Run(string unitsPath, string observationsPath, string monitorPath, string monthText, string outPath,
        TextWriter stdout, TextWriter stderr, string? tracePath = null)
    {
        var errors = new List<string>();
        if (!Period.TryParse(monthText, out var month) || !month.IsMonth) errors.Add($"--month: '{monthText}' 不是月份（应为 YYYY-MM，如 2025-06）");
        var files = new InputFiles(errors);
        var loaded = files.LoadMonitor(monitorPath);
        var data = files.LoadDataset(unitsPath, observationsPath);
        CompiledMonitor? compiled = null;
        if (loaded?.Monitor is not null && errors.Count == 0) compiled = files.CompileMonitor(monitorPath, loaded);
        if (errors.Count > 0 || compiled is null || data is null)
        {
            foreach (var e in errors) stderr.WriteLine(e);
            return CliApp.InvalidInput;
        }
        var trace = tracePath is null ? null : new TraceWriter();
        var result = MonitorEvaluator.Evaluate(compiled, data, month, null, trace is null ? null : trace.Add);
        AtomicFile.Write(outPath, MonthResultJson.Serialize(result));
        if (trace is not null) AtomicFile.Write(tracePath!, trace.Bytes);
        var totals = result.Totals();
        stdout.WriteLine($"已评价 {result.Units.Length} 个单位（{month.ToChinese()}，通报规则 {compiled.Monitor.Id}），跳过 {result.Skipped.Length} 个；" +
                         string.Join("，", totals.Select(t => $"{(t.Light == "missing" ? "缺数" : result.Lights.First(l => l.Id == t.Light).Name)} {t.Count}")) +
                         $"；结果写入 {outPath}");
        if (!result.UnknownIndicators.IsEmpty)
            stdout.WriteLine($"通报规则中没有的指标：{string.Join(", ", result.UnknownIndicators)}");
        return CliApp.Ok;
    }
}
