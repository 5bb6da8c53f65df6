using System.CommandLine;
using System.Text;
using BaiQianWan.Assess.Cli.Commands;

namespace BaiQianWan.Assess.Cli;

/// <summary>The command line: one verb per workflow step, each delegating to the engine.</summary>
public static class CliApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code for invalid input (a ruleset, a data file or an argument).</summary>
    public const int InvalidInput = 2;

    /// <summary>Runs the command line with the given writers (the console in production, strings in tests).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Console.OutputEncoding = Encoding.UTF8;
        var root = new RootCommand("百千万工程考核评价引擎 BaiQianWan.Assess");
        root.Subcommands.Add(EvaluateCommand.Create(stdout, stderr));
        root.Subcommands.Add(MonitorCommand.Create(stdout, stderr));
        root.Subcommands.Add(ValidateCommand.Create(stdout, stderr));
        root.Subcommands.Add(GenerateCommand.Create(stdout, stderr));
        root.Subcommands.Add(DemoCommand.Create(stdout, stderr));
        StoreCommands.AddTo(root, stdout, stderr);
        root.Subcommands.Add(RenderCommand.Create(stdout, stderr));
        root.Subcommands.Add(TokenCommand.Create(stdout, stderr));
        root.Subcommands.Add(UserCommand.Create(stdout, stderr));
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
