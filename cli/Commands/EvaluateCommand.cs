using System.CommandLine;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Engine;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Results;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>evaluate</c>: units + observations + ruleset files → results JSON, with no store.</summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var units = new Option<string>("--units") { Description = "units.csv", Required = true };
        var observations = new Option<string>("--observations") { Description = "observations.csv", Required = true };
        var ruleset = new Option<string>("--ruleset") { Description = "规则集 YAML", Required = true };
        var period = new Option<string>("--period") { Description = "考核期间，如 2025Q3 或 2025", Required = true };
        var output = new Option<string>("--out") { Description = "结果 JSON 文件", Required = true };
        var trace = new Option<string?>("--trace") { Description = "规则触发记录（JSON Lines，每次规则触发的每个结果一行）" };
        var command = new Command("evaluate", "按规则集对数据文件进行考核评价，写出结果 JSON") { units, observations, ruleset, period, output, trace };
        command.SetAction(parse => Run(parse.GetValue(units)!, parse.GetValue(observations)!, parse.GetValue(ruleset)!,
            parse.GetValue(period)!, parse.GetValue(output)!, stdout, stderr, parse.GetValue(trace)));
        return command;
    }

    public static int Run(string unitsPath, string observationsPath, string rulesetPath, string periodText, string outPath,
        TextWriter stdout, TextWriter stderr, string? tracePath = null)
    {
        var errors = new List<string>();
        if (!Period.TryParse(periodText, out var period)) errors.Add($"--period: '{periodText}' 不是期间（应为 YYYYQn 或 YYYY）");
        var files = new InputFiles(errors);
        var loaded = files.LoadRuleset(rulesetPath);
        var data = files.LoadDataset(unitsPath, observationsPath);
        if (errors.Count > 0 || loaded?.Ruleset is null || data is null)
        {
            foreach (var e in errors) stderr.WriteLine(e);
            return CliApp.InvalidInput;
        }

        var problems = DatasetCheck.Problems(loaded.Ruleset, data, period);
        if (problems.Count > 0)
        {
            foreach (var p in problems) stderr.WriteLine($"{observationsPath}: {p}");
            return CliApp.InvalidInput;
        }
        if (files.CompileRuleset(rulesetPath, loaded) is not { } compiled)
        {
            foreach (var e in errors) stderr.WriteLine(e);
            return CliApp.InvalidInput;
        }
        EvaluationResult result;
        var trace = tracePath is null ? null : new TraceWriter();
        try
        {
            result = trace is null ? Evaluator.Evaluate(compiled, data, period) : Evaluator.Evaluate(compiled, data, period, null, trace.Add);
        }
        catch (RuleEvaluationException e)
        {
            // A rule failed in its action: name the rule, the unit and the ruleset line; write nothing.
            stderr.WriteLine($"{rulesetPath}:{(e.Position.Line > 0 ? e.Position.ToString() : "1:1")}: {e.Message}");
            return CliApp.InvalidInput;
        }
        AtomicFile.Write(outPath, ResultsJson.Serialize(result));
        if (trace is not null) AtomicFile.Write(tracePath!, trace.Bytes);
        var incomplete = result.Units.Count(u => u.Incomplete);
        stdout.WriteLine($"已评价 {result.Units.Length} 个单位（{period}，规则集 {loaded.Ruleset.Id}），" +
                         $"跳过 {result.Skipped.Length} 个，数据不全 {incomplete} 个；结果写入 {outPath}");
        if (!result.UnknownIndicators.IsEmpty)
            stdout.WriteLine($"规则集中没有的指标：{string.Join(", ", result.UnknownIndicators)}");
        return CliApp.Ok;
    }
}
