using System.CommandLine;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>generate</c>: writes the synthetic sample province and the sample rulesets.</summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var output = new Option<string>("--out") { Description = "输出目录", Required = true };
        var seed = new Option<int>("--seed") { Description = "随机种子（相同种子生成相同数据）", DefaultValueFactory = _ => 2025 };
        var scale = new Option<int>("--scale") { Description = "规模倍数（1 = 122 个县、1,609 个镇）", DefaultValueFactory = _ => 1 };
        var command = new Command("generate", "生成示例省份数据（units.csv、observations.csv、月度数据 months.csv）和示例规则集、月通报规则") { output, seed, scale };
        command.SetAction(parse => Run(parse.GetValue(output)!, parse.GetValue(seed), parse.GetValue(scale), stdout, stderr));
        return command;
    }

    public static int Run(string directory, int seed, int scale, TextWriter stdout, TextWriter stderr)
    {
        if (scale < 1)
        {
            stderr.WriteLine($"--scale: 应为正整数，这里是 {scale}");
            return CliApp.InvalidInput;
        }
        var data = ProvinceGenerator.Generate(new ProvinceOptions(seed, scale));
        ProvinceFiles.WriteProvince(directory, data);
        var months = ProvinceGenerator.GenerateMonths(new ProvinceOptions(seed, scale));
        ProvinceFiles.WriteMonths(directory, months);
        foreach (var name in SampleRulesets.ResourceNames.Select(Path.GetFileName).Concat(SampleRulesets.MonitorFileNames))
            File.WriteAllText(Path.Combine(directory, name!), SampleRulesets.Read(name!));
        stdout.WriteLine($"已生成 {data.Units.Count} 个单位、{data.Observations.Count} 条数据和示例规则集：{directory}");
        stdout.WriteLine($"月度数据（2025-01 至 2025-{ProvinceGenerator.Months:00}，{months.Count} 条）：{ProvinceFiles.MonthsFileName}；月通报规则：{string.Join("、", SampleRulesets.MonitorFileNames)}");
        return CliApp.Ok;
    }
}
