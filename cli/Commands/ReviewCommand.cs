using System.CommandLine;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Ledger;
using BaiQianWan.Assess.Workflow.Reviews;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>review list|file|answer|withdraw</c>: review requests (复核申请) on provisional publications. The CLI acts as the
/// office, recorded as <c>--actor</c>; <c>--as UNIT</c> acts as that unit's account (a unit files and withdraws requests on
/// its own results). Exit codes as the ledger's: 2 invalid input, 3 store state (unknown request, after the deadline, a
/// concurrent change), 4 a change the actor may not make.
/// </summary>
internal static class ReviewCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("review", "复核申请（公示期间单位就本单位的结果提出，考核办答复维持或更正）");
        command.Subcommands.Add(List(stdout, stderr));
        command.Subcommands.Add(File(stdout, stderr));
        command.Subcommands.Add(Answer(stdout, stderr));
        command.Subcommands.Add(Withdraw(stdout, stderr));
        return command;
    }

    private static Option<string?> AsOption() => new("--as") { Description = "以该单位的账户身份操作（单位代码；默认以考核办身份）" };

    private static ReviewActor Actor(string account, string? unit) =>
        unit is { Length: > 0 } u ? ReviewActor.OfUnit(account, u) : ReviewActor.Office(account);

    private static Command List(TextWriter stdout, TextWriter stderr)
    {
        var period = StoreCommands.PeriodOption(required: false);
        var level = new Option<string?>("--level") { Description = "层级（county、town 等；与 --period 一起时列出公示状态和件数）" };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var asUnit = AsOption();
        var command = new Command("list", "列出复核申请（考核办：全部；单位：本单位的）") { period, level, store, actor, asUnit };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            Period? p = parse.GetValue(period) is { } pt ? Period.TryParse(pt, out var pp) ? pp
                : throw new StoreCommands.InvalidArgumentException($"--period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '{pt}'") : null;
            UnitLevel? l = parse.GetValue(level) is { } lt ? UnitLevels.TryParse(lt, out var ll) ? ll
                : throw new StoreCommands.InvalidArgumentException($"--level: 未知的层级 '{lt}'") : null;
            var reviews = PublishCommand.Reviews(session);
            var who = Actor(parse.GetValue(actor)!, parse.GetValue(asUnit));
            if (p is { } pv && l is { } lv && await reviews.GetNoticeAsync(pv, lv, ct) is { } notice)
                stdout.WriteLine($"{pv} {lv.ToText()}：{notice.RunId}（第 {notice.Revision} 次发布，{notice.State.ToChinese()}"
                    + (notice.Deadline is { } d ? $"，公示截止 {Notice.Text(d)}" : "") + "）");
            var list = await reviews.ListAsync(who, p, l, ct);
            if (list.Count == 0) stdout.WriteLine("没有复核申请");
            foreach (var r in list)
                stdout.WriteLine(string.Join('\t', r.Id, r.Period.ToString(), r.Level.ToText(), r.Unit, r.RunId, $"{r.TargetKind.ToText()}:{r.Target}",
                    r.State.ToChinese(), r.CorrectingRunId ?? "-", TextRules.Escape(r.Reason), TextRules.Escape(r.Answer ?? "-")));
            if (who.IsOffice && p is { } cp && l is { } cl)
                stdout.WriteLine((await reviews.CountAsync(cp, cl, ct)).Text);
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command File(TextWriter stdout, TextWriter stderr)
    {
        var run = new Argument<string>("RUN") { Description = "公示中的运行 id" };
        var target = new Option<string>("--target") { Description = "复核的对象：indicator:ID、adjustment:ID 或 veto:ID", Required = true };
        var reason = new Option<string>("--reason") { Description = "理由", Required = true };
        var files = new Option<string[]>("--file") { Description = "佐证材料（PDF、PNG、JPEG、XLSX 或 DOCX；可多次给出，最多 10 个，每个不超过 20 MiB）", AllowMultipleArgumentsPerToken = false };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var asUnit = AsOption();
        var command = new Command("file", "提出复核申请（单位，须用 --as；公示截止前）") { run, target, reason, files, store, actor, asUnit };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var text = parse.GetValue(target)!;
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var kind = colon > 0 ? ReviewWords.TargetKindOf(text[..colon]) : null;
            if (kind is null || colon == text.Length - 1)
                throw new StoreCommands.InvalidArgumentException($"--target: 应为 indicator:ID、adjustment:ID 或 veto:ID，这里是 '{text}'");
            var uploads = (parse.GetValue(files) ?? []).Select(f => new EvidenceUpload(Path.GetFileName(f), StoreCommands.ReadFile(f))).ToList();
            var request = await PublishCommand.Reviews(session).FileAsync(parse.GetValue(run)!, Actor(parse.GetValue(actor)!, parse.GetValue(asUnit)),
                kind.Value, text[(colon + 1)..], parse.GetValue(reason)!, uploads, ct);
            stdout.WriteLine($"已提出复核申请 {request.Id}：{request.Unit} 就 {request.RunId} 的{request.TargetKind.ToChinese()} {request.Target}（附件 {request.Files.Length} 个）");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Answer(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string>("ID") { Description = "复核申请编号，如 rv-000001" };
        var uphold = new Option<bool>("--uphold") { Description = "维持" };
        var correct = new Option<bool>("--correct") { Description = "更正（随后以更正的数据或规则集重新运行该期间并发布）" };
        var reason = new Option<string>("--reason") { Description = "答复理由", Required = true };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var asUnit = AsOption();
        var command = new Command("answer", "答复复核申请（考核办）：--uphold 维持或 --correct 更正") { id, uphold, correct, reason, store, actor, asUnit };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            if (parse.GetValue(uphold) == parse.GetValue(correct))
                throw new StoreCommands.InvalidArgumentException("须给出 --uphold（维持）或 --correct（更正）之一");
            var request = await PublishCommand.Reviews(session).AnswerAsync(parse.GetValue(id)!, Actor(parse.GetValue(actor)!, parse.GetValue(asUnit)),
                parse.GetValue(correct), parse.GetValue(reason)!, ct);
            stdout.WriteLine(request.State == ReviewState.Correcting
                ? $"已答复 {request.Id}：更正（更正中，{request.Period} {request.Level.ToText()} 的新运行发布后结案）"
                : $"已答复 {request.Id}：维持");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Withdraw(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string>("ID") { Description = "复核申请编号" };
        var reason = new Option<string?>("--reason") { Description = "撤回的原因" };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var asUnit = AsOption();
        var command = new Command("withdraw", "撤回本单位待答复的复核申请（单位，须用 --as）") { id, reason, store, actor, asUnit };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var request = await PublishCommand.Reviews(session).WithdrawAsync(parse.GetValue(id)!, Actor(parse.GetValue(actor)!, parse.GetValue(asUnit)),
                parse.GetValue(reason), ct);
            stdout.WriteLine($"已撤回复核申请 {request.Id}");
            return CliApp.Ok;
        }, ct));
        return command;
    }
}
