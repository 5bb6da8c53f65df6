using System.CommandLine;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>generate</c>: writes the synthetic sample province.</summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("generate", "生成示例省份数据（units.csv、observations.csv）");
        command.SetAction(_ =>
        {
            stderr.WriteLine("generate: not yet available");
            return 1;
        });
        return command;
    }
}
