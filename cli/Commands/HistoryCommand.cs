using System.CommandLine;
using System.Globalization;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>runs</c> (evaluation runs, newest first) and <c>audit</c> (the audit log, oldest first).</summary>
internal static class HistoryCommand
{
    public static Command Runs(TextWriter stdout, TextWriter stderr)
    {
        var period = StoreCommands.PeriodOption(required: false);
        var level = new Option<string?>("--level") { Description = "只列出该层级" };
        var store = StoreCommands.StoreOption();
        var command = new Command("runs", "列出评价运行（最新的在前），标出已发布的") { period, level, store };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            Period? p = parse.GetValue(period) is { } pt ? StoreCommands.ParsePeriod(pt) : null;
            UnitLevel? l = parse.GetValue(level) is { } lt ? StoreCommands.ParseLevel(lt) : null;
            var runs = await session.Service.ListRunsAsync(p, l, ct);
            var published = (await session.Service.ListPublicationsAsync(ct)).Select(p => p.Run.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var r in runs)
                stdout.WriteLine(Columns.Line(r.Id, r.Period.ToString(), r.Level.ToText(), $"{r.RulesetId}@{r.RulesetVersion}", r.Status.ToString().ToLowerInvariant(),
                    published.Contains(r.Id) ? "已发布" : "-", r.RequestedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture), r.Actor, r.Reason ?? ""));
            if (runs.Count == 0) stdout.WriteLine("没有评价运行");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    public static Command Audit(TextWriter stdout, TextWriter stderr)
    {
        var store = StoreCommands.StoreOption();
        var command = new Command("audit", "列出审计日志（只增不改）") { store };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            foreach (var a in await session.Service.GetAuditLogAsync(ct))
                stdout.WriteLine(Columns.Line(a.Sequence.ToString(CultureInfo.InvariantCulture), a.At.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
                    a.Actor, a.Action, a.Target, a.Detail ?? ""));
            return CliApp.Ok;
        }, ct));
        return command;
    }
}
