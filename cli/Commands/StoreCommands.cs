using System.CommandLine;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// The store workflow verbs (<c>init</c>, <c>import</c>, <c>template</c>, <c>ruleset</c>, <c>run</c>, <c>publish</c>,
/// <c>export</c>, <c>runs</c>, <c>audit</c>, <c>store sweep</c>) and what they share: the <c>--store</c> and <c>--actor</c> options and how errors become exit codes
/// (2 invalid input, every error as <c>FILE:ROW:COL: reason</c>; 3 store state; 1 a run that failed).
/// </summary>
internal static class StoreCommands
{
    /// <summary>Adds every store verb to the root command.</summary>
    public static void AddTo(RootCommand root, TextWriter stdout, TextWriter stderr)
    {
        root.Subcommands.Add(InitCommand.Create(stdout, stderr));
        root.Subcommands.Add(ImportCommand.Create(stdout, stderr));
        root.Subcommands.Add(TemplateCommand.Create(stdout, stderr));
        root.Subcommands.Add(RulesetCommand.Create(stdout, stderr));
        root.Subcommands.Add(RunCommand.Create(stdout, stderr));
        root.Subcommands.Add(PublishCommand.Create(stdout, stderr));
        root.Subcommands.Add(ResultsCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExportCommand.Create(stdout, stderr));
        root.Subcommands.Add(HistoryCommand.Runs(stdout, stderr));
        root.Subcommands.Add(HistoryCommand.Audit(stdout, stderr));
        root.Subcommands.Add(SweepCommand.Create(stdout, stderr));
        root.Subcommands.Add(LedgerCommand.Create(stdout, stderr));
        root.Subcommands.Add(ReviewCommand.Create(stdout, stderr));
    }

    public static Option<string> StoreOption() => new("--store")
    {
        Description = $"存储：SQLite 文件路径（默认 ./{StoreSession.DefaultStore}），或 Azure 存储连接字符串（含 AccountName= 或 UseDevelopmentStorage=true），或账户网址（https://账户名.blob.core.windows.net，用托管身份）",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("BAIQIANWAN_STORE") is { Length: > 0 } s ? s : StoreSession.DefaultStore,
    };

    public static Option<string> ActorOption() => new("--actor")
    {
        Description = "操作人（记入审计日志；默认当前系统用户）",
        DefaultValueFactory = _ => Environment.UserName is { Length: > 0 } u ? u : "cli",
    };

    public static Option<string> PeriodOption(bool required = true) => new("--period") { Description = "期间，如 2025Q3 或 2025", Required = required };

    /// <summary>Opens the store, runs <paramref name="body"/>, and maps errors to exit codes and messages.</summary>
    /// <remarks>
    /// <c>init</c> (<paramref name="create"/>) and <paramref name="fullCheck"/> check every page of the store; other commands
    /// only what a start needs. A page found damaged later, when the command reads it, is the same one-line refusal (exit 3).
    /// </remarks>
    public static async Task<int> ExecuteAsync(TextWriter stderr, string store, bool create, Func<StoreSession, Task<int>> body, CancellationToken cancellationToken, bool fullCheck = false)
    {
        StoreSession? opened = null;
        try
        {
            await using var session = await StoreSession.OpenAsync(store, create, cancellationToken, fullCheck: create || fullCheck);
            opened = session;
            return await body(session);
        }
        catch (Exception e) when (opened?.Refusal(e) is { } refusal)
        {
            stderr.WriteLine(TextRules.Escape(refusal.Message));
            return StoreSession.StoreStateError;
        }
        catch (InputRejectedException e)
        {
            foreach (var error in e.Errors) stderr.WriteLine(TextRules.Escape(error.ToString()));
            stderr.WriteLine(TextRules.Escape($"{e.FileName}：共 {e.Errors.Count} 处错误，未写入任何数据"));
            return CliApp.InvalidInput;
        }
        catch (BaiQianWan.Assess.Workflow.Reviews.ReviewRefusedException e)
        {
            stderr.WriteLine(TextRules.Escape(e.Message));
            return LedgerCommand.Refused;
        }
        catch (InvalidArgumentException e)
        {
            stderr.WriteLine(e.Message);
            return CliApp.InvalidInput;
        }
        catch (StoreException e)
        {
            stderr.WriteLine(TextRules.Escape(e.Message));
            return e.Error == StoreError.Invalid ? CliApp.InvalidInput : StoreSession.StoreStateError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(e.Message);
            return CliApp.InvalidInput;
        }
    }

    /// <summary>An argument the user got wrong (exit 2).</summary>
    public sealed class InvalidArgumentException(string message) : Exception(message);

    public static Period ParsePeriod(string text) =>
        Period.TryParse(text, out var p) ? p : throw new InvalidArgumentException($"--period: '{text}' 不是期间（应为 YYYY-MM、YYYYQn 或 YYYY）");

    public static UnitLevel ParseLevel(string text) =>
        UnitLevels.TryParse(text, out var l) ? l : throw new InvalidArgumentException($"--level: 应为 city、county、town 或 village，这里是 '{text}'");

    public static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidArgumentException($"{path}: 无法读取文件：{e.Message}");
        }
    }
}
