using System.CommandLine;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>publish RUN</c>: makes a succeeded run the official one for its period and level.</summary>
internal static class PublishCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var run = new Argument<string>("RUN") { Description = "运行 id，如 run-000003" };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var command = new Command("publish", "发布一次成功的运行（同期同层级只有一个正式结果；可重新发布旧的运行，均记入审计）") { run, store, actor };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var publication = await session.Service.PublishAsync(parse.GetValue(run)!, parse.GetValue(actor)!, ct);
            stdout.WriteLine($"已发布 {publication.Period} {publication.Level.ToText()} 的正式结果：{publication.RunId}（第 {publication.Revision} 次发布）");
            return CliApp.Ok;
        }, ct));
        return command;
    }
}
