using System.CommandLine;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Rules.Results;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>demo</c>: generates the sample province, evaluates 2025Q1–Q3 for counties and towns with the sample
/// rulesets, writes results JSON to the output folder and prints each county class's ranking with its change.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string>("--out") { Description = "输出目录", DefaultValueFactory = _ => "out" };
        var command = new Command("demo", "示例：生成示例省份，评价 2025 年前三季度，输出结果并打印县级排名") { output };
        command.SetAction(parse => Run(parse.GetValue(output)!, stdout));
        return command;
    }

    public static int Run(string directory, TextWriter stdout)
    {
        var data = ProvinceGenerator.Generate(new ProvinceOptions());
        ProvinceFiles.WriteProvince(Path.Combine(directory, "province"), data);
        stdout.WriteLine($"示例省份：{data.Units.Count} 个单位，{data.Observations.Count} 条数据 → {Path.Combine(directory, "province")}");
        EvaluationResult? previous = null, latest = null;
        foreach (var yaml in new[] { SampleRulesets.County, SampleRulesets.Town })
        {
            var loaded = RulesetLoader.Load(yaml);
            var compiled = CompiledRuleset.Compile(loaded.Ruleset!, loaded.Sha256);
            for (var q = 1; q <= 3; q++)
            {
                var result = Evaluator.Evaluate(compiled, data, Period.OfQuarter(2025, q));
                var file = Path.Combine(directory, "results", $"{compiled.Ruleset.Id}-{result.Period}.json");
                AtomicFile.Write(file, ResultsJson.Serialize(result));
                stdout.WriteLine($"{compiled.Ruleset.Name} {result.Period}：评价 {result.Units.Length} 个单位 → {file}");
                if (compiled.Ruleset.Level == UnitLevel.County)
                {
                    previous = latest;
                    latest = result;
                }
            }
        }
        PrintRankings(latest!, previous!, stdout);
        return CliApp.Ok;
    }

    private static void PrintRankings(EvaluationResult latest, EvaluationResult previous, TextWriter stdout)
    {
        var before = previous.Units.ToDictionary(u => u.Code, u => u.Rank);
        foreach (var group in latest.Units.GroupBy(u => u.Class))
        {
            stdout.WriteLine();
            stdout.WriteLine($"【{group.Key}】{latest.Period.ToChinese()}  排名 / 单位 / 总分 / 等级 / 较上期");
            foreach (var u in group)
            {
                var change = before.TryGetValue(u.Code, out var r) ? r - u.Rank : 0;
                var arrow = change > 0 ? $"↑{change}" : change < 0 ? $"↓{-change}" : "—";
                var marks = string.Concat(u.Lists.Select(l => l == "red" ? " 红榜" : " 黑榜")) + (u.Vetoes.IsEmpty ? "" : " 否决");
                stdout.WriteLine($"{u.Rank,4}  {u.Name,-8} {Numbers.Fixed(u.Total, 2),7}  {u.Grade,-3} {arrow}{marks}");
            }
        }
    }
}
