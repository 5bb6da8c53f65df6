using System.CommandLine;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>store sweep</c>: deletes superseded data (old generations of observations, units and results that nothing
/// references), after a grace period during which a reader may still use them (<see cref="IStoreMaintenance.SweepAsync"/>).
/// Run it twice, at least the grace period apart, to delete what the first run found. <c>store check</c>: the full check
/// of every page (<see cref="IStoreMaintenance.CheckAsync(bool, CancellationToken)"/>), which a start skips.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var store = StoreCommands.StoreOption();
        var grace = new Option<int>("--grace-minutes")
        {
            Description = $"宽限期（分钟）：第一次发现不再被引用的数据时只做标记，至少过了宽限期的清理才删除（默认 {(int)SweepReport.DefaultGrace.TotalMinutes}）",
            DefaultValueFactory = _ => (int)SweepReport.DefaultGrace.TotalMinutes,
        };
        var sweep = new Command("sweep", "清理被新导入或新结果取代、已不再被引用的旧数据（可重复运行，中途停止无害）") { store, grace };
        sweep.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var minutes = parse.GetValue(grace);
            if (minutes < 0) throw new StoreCommands.InvalidArgumentException($"--grace-minutes: 不能为负数，这里是 {minutes}");
            var report = await session.Service.SweepAsync(TimeSpan.FromMinutes(minutes), ct);
            stdout.WriteLine($"清理完成：{session.Description}");
            stdout.WriteLine($"  删除 {report.Deleted} 份旧数据，新标记 {report.Marked} 份（{minutes} 分钟后再运行即删除），等待宽限期 {report.Waiting} 份，仍在使用 {report.Kept} 份");
            return CliApp.Ok;
        }, ct));
        var checkStore = StoreCommands.StoreOption();
        var check = new Command("check", "完整检查存储：读遍每一页（SQLite：PRAGMA quick_check），并确认可以写入；启动时只检查启动所需的部分") { checkStore };
        check.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(checkStore)!, create: false, session =>
        {
            stdout.WriteLine($"存储完好：{session.Description}");
            return Task.FromResult(CliApp.Ok);
        }, ct, fullCheck: true));
        return new Command("store", "存储维护") { sweep, check };
    }
}
