using System.CommandLine;
using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary><c>ruleset add FILE</c>, <c>ruleset activate ID VERSION</c>, <c>ruleset deactivate ID</c>, <c>ruleset list</c>, <c>ruleset preview ID VERSION --period P</c>.</summary>
internal static class RulesetCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("ruleset", "规则集版本：添加、启用、停用、列出、试算");
        command.Subcommands.Add(Add(stdout, stderr));
        command.Subcommands.Add(Activate(stdout, stderr));
        command.Subcommands.Add(Deactivate(stdout, stderr));
        command.Subcommands.Add(List(stdout, stderr));
        command.Subcommands.Add(Preview(stdout, stderr));
        return command;
    }

    private static Command Add(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("FILE") { Description = "规则集 YAML" };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var command = new Command("add", "校验规则集并存为新版本（内容未变则不新增）") { file, store, actor };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var path = parse.GetValue(file)!;
            var yaml = Encoding.UTF8.GetString(StoreCommands.ReadFile(path));
            var before = (await session.Service.ListRulesetsAsync(ct)).Count;
            var version = await session.Service.AddRulesetAsync(yaml, path, parse.GetValue(actor)!, ct);
            var added = (await session.Service.ListRulesetsAsync(ct)).Count > before;
            stdout.WriteLine(added
                ? $"已存为规则集 {version.RulesetId} 第 {version.Version} 版（SHA-256 {version.Sha256}）；启用：baiqianwan ruleset activate {version.RulesetId} {version.Version}"
                : $"内容与规则集 {version.RulesetId} 第 {version.Version} 版相同，未新增版本");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Activate(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string>("ID") { Description = "规则集 id" };
        var version = new Argument<int>("VERSION") { Description = "版本号" };
        var replace = new Option<bool>("--replace") { Description = "改用这个规则集：同时停用同一层级已启用的另一个规则集（每个层级只有一个启用的规则集）" };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var command = new Command("activate", "启用某个版本（此前的评价结果不受影响；同一层级已有另一个启用的规则集时需加 --replace）") { id, version, replace, store, actor };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var active = await session.Service.ActivateRulesetAsync(parse.GetValue(id)!, parse.GetValue(version), parse.GetValue(actor)!,
                parse.GetValue(replace), ct);
            stdout.WriteLine($"已启用规则集 {active.RulesetId} 第 {active.Version} 版");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Deactivate(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string>("ID") { Description = "规则集 id" };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var command = new Command("deactivate", "停用某个规则集（各版本仍保留，定时评价不再使用它）") { id, store, actor };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var was = await session.Service.DeactivateRulesetAsync(parse.GetValue(id)!, parse.GetValue(actor)!, ct);
            stdout.WriteLine(was is null
                ? $"规则集 {parse.GetValue(id)} 没有启用的版本，无需停用"
                : $"已停用规则集 {was.RulesetId}（原启用第 {was.Version} 版）");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command List(TextWriter stdout, TextWriter stderr)
    {
        var store = StoreCommands.StoreOption();
        var command = new Command("list", "列出所有规则集版本（是否启用、评价的层级）") { store };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var all = await session.Service.ListRulesetsAsync(ct);
            if (all.Count == 0) stdout.WriteLine("还没有规则集；添加：baiqianwan ruleset add FILE");
            foreach (var r in all)
                stdout.WriteLine(Columns.Line(r.RulesetId, $"第 {r.Version} 版", r.Active ? "启用" : "-",
                    r.Slot == RulesetSlot.Quarter ? r.Level.ToChinese() : $"{r.Level.ToChinese()}·{r.Slot.ToChinese()}", r.Sha256[..12], r.Author,
                    r.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)));
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Preview(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string>("ID") { Description = "规则集 id" };
        var version = new Argument<int>("VERSION") { Description = "要试算的版本" };
        var period = StoreCommands.PeriodOption();
        var store = StoreCommands.StoreOption();
        var command = new Command("preview", "用某期数据试算某个版本，与启用版本对比（不写入存储）") { id, version, period, store };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var p = StoreCommands.ParsePeriod(parse.GetValue(period)!);
            if (p.IsMonth)
            {
                // A monitor: each unit's light on each indicator under this version and under the level's active monitor.
                var month = await session.Service.PreviewMonitorAsync(parse.GetValue(id)!, parse.GetValue(version), p, ct);
                var names = month.Lights.ToDictionary(l => l.Id, l => l.Name, StringComparer.Ordinal);
                string Name(string? light) => light is null ? "缺数" : names.GetValueOrDefault(light, light);
                var against = month.ActiveId is { } activeId ? $"与启用的 {activeId} 第 {month.ActiveVersion} 版对比" : "（该层级没有启用的月度监测可对比）";
                stdout.WriteLine($"{month.MonitorId} 第 {month.Version} 版{against}，{month.Month}");
                stdout.WriteLine("单位\t名称\t类别\t指标\t灯\t原灯\t变化");
                foreach (var r in month.Rows)
                    foreach (var c in r.Cells)
                        stdout.WriteLine(Columns.Line(r.Code, r.Name, r.Class, c.Indicator, Name(c.Light), month.ActiveId is null ? "-" : Name(c.ActiveLight),
                            month.ActiveId is not null && c.Changed ? "变" : "-"));
                var changed = month.ActiveId is null ? 0 : month.Rows.Sum(r => r.Cells.Count(c => c.Changed));
                stdout.WriteLine($"共 {month.Rows.Count} 个单位，" + (month.ActiveId is null ? "没有对比" : $"{changed} 个灯与启用版本不同"));
                return CliApp.Ok;
            }
            var preview = await session.Service.PreviewAsync(parse.GetValue(id)!, parse.GetValue(version), p, ct);
            var compared = preview.ActiveVersion is { } a ? $"与启用的第 {a} 版对比" : "（没有启用的版本可对比）";
            stdout.WriteLine($"{preview.RulesetId} 第 {preview.Version} 版{compared}，{preview.Period}");
            stdout.WriteLine("单位\t名称\t类别\t总分\t名次\t等次\t原总分\t原名次\t原等次\t分差\t名次变化");
            foreach (var r in preview.Rows)
                stdout.WriteLine(Columns.Line(r.Code, r.Name, r.Class, Num(r.Total), r.Rank.ToString(CultureInfo.InvariantCulture), r.Grade, Num(r.ActiveTotal),
                    r.ActiveRank?.ToString(CultureInfo.InvariantCulture) ?? "-", r.ActiveGrade ?? "-", Num(r.TotalChange),
                    r.RankChange is { } c ? c.ToString("+0;-0;0", CultureInfo.InvariantCulture) : "-"));
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static string Num(decimal? value) => value is { } v ? Rules.Evaluation.Numbers.Plain(v) : "-";
}
