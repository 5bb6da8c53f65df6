using System.CommandLine;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>validate R.yaml</c>: prints OK, or every error as <c>R.yaml:LINE:COL: message</c>.</summary>
internal static class ValidateCommand
{
    public const int Invalid = 1;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("ruleset") { Description = "规则集 YAML 文件" };
        var command = new Command("validate", "检查规则集，列出每个错误的行号和列号") { file };
        command.SetAction(parse => Run(parse.GetValue(file)!, stdout, stderr));
        return command;
    }

    public static int Run(string path, TextWriter stdout, TextWriter stderr)
    {
        var errors = new List<string>();
        var files = new InputFiles(errors);
        var result = files.LoadRuleset(path);
        if (result is { IsValid: true } && files.CompileRuleset(path, result) is not null)
        {
            stdout.WriteLine("OK");
            return CliApp.Ok;
        }
        foreach (var e in errors) stdout.WriteLine(e);
        return Invalid;
    }
}
