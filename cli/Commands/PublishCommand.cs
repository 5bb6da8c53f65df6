using System.CommandLine;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Reviews;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>publish RUN [--notice-days N | --final | --withdraw --reason R]</c>: makes a succeeded run the official one for its
/// period and level: finally, or provisionally with a notice (公示) during which units may ask for review; <c>--final</c>
/// makes the run's provisional publication final (after its deadline, every request answered); <c>--withdraw</c> withdraws it.
/// </summary>
internal static class PublishCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var run = new Argument<string>("RUN") { Description = "运行 id，如 run-000003" };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var notice = new Option<int?>("--notice-days") { Description = $"公示发布：公示期天数（1–{Notice.MaxDays}，自然日，北京时间；截止于发布之日后第 N 天 24:00）" };
        var final = new Option<bool>("--final") { Description = "正式发布；该运行正在公示时，转为正式发布（公示期满且每件复核申请都已答复、没有待发布的更正）" };
        var withdraw = new Option<bool>("--withdraw") { Description = "撤回该运行的公示发布（须 --reason；其未结的复核申请随之撤回）" };
        var reason = new Option<string?>("--reason") { Description = "撤回的原因" };
        var command = new Command("publish", "发布一次成功的运行：正式发布，或公示发布（--notice-days）；公示期满后转为正式发布（--final），或撤回公示（--withdraw）")
            { run, store, actor, notice, final, withdraw, reason };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var id = parse.GetValue(run)!;
            var office = ReviewActor.Office(parse.GetValue(actor)!);
            var days = parse.GetValue(notice);
            if (parse.GetValue(withdraw))
            {
                if (days is not null || parse.GetValue(final)) throw new StoreCommands.InvalidArgumentException("--withdraw 不能与 --notice-days 或 --final 同时使用");
                var withdrawn = await Reviews(session).WithdrawPublicationAsync(id, office, parse.GetValue(reason) ?? "", ct);
                stdout.WriteLine($"已撤回 {withdrawn.Period} {withdrawn.Level.ToText()} 的公示发布：{withdrawn.RunId}（第 {withdrawn.Revision} 次发布）");
                var now = await Reviews(session).GetNoticeAsync(withdrawn.Period, withdrawn.Level, ct);
                stdout.WriteLine(now is null ? "该期间现在没有发布的结果" : $"现在发布的是 {now.RunId}（第 {now.Revision} 次发布，{now.State.ToChinese()}）");
                return CliApp.Ok;
            }
            if (days is null && !parse.GetValue(final) && session.Service.Reviews is null)
            {
                var publication = await session.Service.PublishAsync(id, office.Account, ct);
                stdout.WriteLine($"已发布 {publication.Period} {publication.Level.ToText()} 的正式结果：{publication.RunId}（第 {publication.Revision} 次发布）");
                return CliApp.Ok;
            }
            var current = await Reviews(session).PublishAsync(id, office, days, parse.GetValue(final), ct);
            var where = $"{current.Period} {current.Level.ToText()}";
            if (current.State == NoticeState.Provisional)
                stdout.WriteLine($"已公示 {where} 的结果：{current.RunId}（第 {current.Revision} 次发布），公示 {current.NoticeDays} 天，截止 {Notice.Text(current.Deadline!.Value)}");
            else
            {
                stdout.WriteLine($"已发布 {where} 的正式结果：{current.RunId}（第 {current.Revision} 次发布）");
                if (current.HadNotice || (await Reviews(session).GetNoticesAsync(current.Period, current.Level, ct)).Any(n => n.HadNotice))
                    stdout.WriteLine((await Reviews(session).CountAsync(current.Period, current.Level, ct)).Text);
            }
            return CliApp.Ok;
        }, ct));
        return command;
    }

    /// <summary>The store's review flow, or a refusal (exit 3) on a store that keeps no notices.</summary>
    internal static ReviewService Reviews(StoreSession session) =>
        session.Service.Reviews ?? throw new StoreException(StoreError.Conflict, $"存储 {session.Description} 不支持公示和复核");
}
