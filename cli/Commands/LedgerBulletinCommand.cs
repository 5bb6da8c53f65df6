using System.CommandLine;
using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>ledger bulletin --month 2025-06 [--level county|town] --out DIR</c>: the monthly ledger bulletin (ledger.md §5) of a
/// level, from the store's ledger replayed to the month's last day, written to <c>DIR/bulletins/ledger-&lt;level&gt;.pdf</c>
/// (both levels with tasks when <c>--level</c> is not given). The same store and month give the same bytes.
/// </summary>
internal static class LedgerBulletinCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var month = new Option<string>("--month") { Description = "月份 YYYY-MM（按该月最后一天的台账）", Required = true };
        var level = new Option<string?>("--level") { Description = "层级：county 或 town（默认有任务的层级都出）" };
        var output = new Option<string>("--out") { Description = "输出目录（写出 bulletins/ledger-<层级>.pdf）", Required = true };
        var remind = new Option<int>("--remind-days") { Description = "临期提醒天数（蓝灯）", DefaultValueFactory = _ => Rules.Ledger.LedgerSettings.Default.RemindDays };
        var red = new Option<int>("--red-after-days") { Description = "逾期超过该天数为红灯（挂牌督办）", DefaultValueFactory = _ => Rules.Ledger.LedgerSettings.Default.RedAfterDays };
        var store = StoreCommands.StoreOption();
        var command = new Command("bulletin", "月度任务台账销号情况通报 PDF（各单位的到期、按期销号、逾期、重新挂账数和督办灯，逾期任务清单）")
            { month, level, output, remind, red, store };
        command.SetAction((parse, ct) => StoreCommands.ExecuteAsync(stderr, parse.GetValue(store)!, create: false, async session =>
        {
            var text = parse.GetValue(month)!;
            if (!Period.TryParse(text, out var period) || !period.IsMonth)
                throw new StoreCommands.InvalidArgumentException($"--month: '{text}' 不是月份（应为 YYYY-MM）");
            UnitLevel[] levels = parse.GetValue(level) is { } l
                ? [StoreCommands.ParseLevel(l) is var only && LedgerBulletins.Levels.Contains(only) ? only
                    : throw new StoreCommands.InvalidArgumentException($"--level: 台账通报只分 county 和 town，这里是 '{l}'")]
                : [.. LedgerBulletins.Levels];
            var settings = new Rules.Ledger.LedgerSettings(parse.GetValue(remind), parse.GetValue(red));
            if (settings.Problem is { } problem) throw new StoreCommands.InvalidArgumentException(problem);
            var bulletins = new LedgerBulletins(session.LedgerBulletins.Ledger, session.LedgerBulletins.Units, settings,
                (key, missing) => stderr.WriteLine($"字体缺字：{key}：{missing}"));
            var book = await bulletins.ReadAsync(period.Year, ct);
            if (book is null)
            {
                stderr.WriteLine($"{period.Year} 年的台账中没有任务（先用 ledger import 导入任务清单）");
                return StoreSession.StoreStateError;
            }
            var directory = Path.Combine(parse.GetValue(output)!, "bulletins");
            var stamp = new DocumentStamp($"ledger-{period}", null, false);
            var written = 0;
            var rates = LedgerBulletins.ClassRates(book, period);
            foreach (var lv in levels)
            {
                var document = LedgerDocuments.RenderBulletin(book, period.Month, lv, stamp);
                if (document is null)
                {
                    stdout.WriteLine($"{lv.ToChinese()}：{period.Year} 年没有该层级单位的任务，未出通报");
                    continue;
                }
                foreach (var missing in document.Missing) stderr.WriteLine($"字体缺字：{LedgerDocuments.BulletinKey(lv)}：{missing}");
                Directory.CreateDirectory(directory);
                var path = Path.Combine(directory, $"{LedgerDocuments.BulletinKey(lv)}.pdf");
                AtomicFile.Write(path, document.Pdf);
                written++;
                var mine = rates.Where(r => r.Level == lv).ToList();
                stdout.WriteLine($"已写出 {path}（{document.PageCount.ToString(CultureInfo.InvariantCulture)} 页；{lv.ToChinese()} {mine.Sum(r => r.Units)} 个单位，截至 {period.EndDate:yyyy-MM-dd}）");
                foreach (var r in mine)
                    stdout.WriteLine($"  {r.Class}：{r.Units} 个单位，到期 {r.Due} 项，按期销号 {r.OnTime} 项，按期销号率 {r.RateText}");
            }
            return written > 0 ? CliApp.Ok : StoreSession.StoreStateError;
        }, ct));
        return command;
    }
}
