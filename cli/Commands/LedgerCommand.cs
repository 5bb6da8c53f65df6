using System.CommandLine;
using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// <c>ledger import|template|list|history|submit|close|return|extend|decide|reopen|cancel|resume|deadline|observations</c>:
/// the task ledger (销号制) in the store named by <c>--store</c>. The CLI acts as the office, recorded as <c>--actor</c>
/// (default: the system user); <c>--as UNIT</c> acts as that unit's account instead (a unit submits and asks for
/// extensions on its own tasks). Exit codes as the other store commands (2 invalid input, 3 store state: unknown task,
/// a change the task's state does not allow, a concurrent change), and 4 for a change the actor may not make.
/// </summary>
internal static class LedgerCommand
{
    /// <summary>Exit code for a change the actor (office or <c>--as</c> unit) may not make.</summary>
    public const int Refused = 4;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("ledger", "任务清单台账（清单式推进、销号制）：导入、查看、申请销号、核验、退回、延期、重新挂账、中止、派生数据");
        command.Subcommands.Add(Import(stdout, stderr));
        command.Subcommands.Add(Template(stdout, stderr));
        command.Subcommands.Add(List(stdout, stderr));
        command.Subcommands.Add(History(stdout, stderr));
        command.Subcommands.Add(Submit(stdout, stderr));
        command.Subcommands.Add(Change(stdout, stderr, "close", "核验通过（由提交人以外的考核办账户）", reason: false, date: DateUse.None,
            (s, y, id, a, r, _) => s.CloseAsync(y, id, a, r)));
        command.Subcommands.Add(Change(stdout, stderr, "return", "退回待核验的申请（须说明原因）", reason: true, date: DateUse.None,
            (s, y, id, a, r, _) => s.ReturnAsync(y, id, a, r!)));
        command.Subcommands.Add(Change(stdout, stderr, "extend", "申请延期（责任单位，须用 --as；在完成时限之前；须说明理由和新的时限）", reason: true, date: DateUse.Required,
            (s, y, id, a, r, d) => s.ExtendAsync(y, id, a, r!, d!.Value)));
        command.Subcommands.Add(Decide(stdout, stderr));
        command.Subcommands.Add(Change(stdout, stderr, "reopen", "重新挂账（已销号的任务；须说明原因；可用 --date 设新的完成时限）", reason: true, date: DateUse.Optional,
            (s, y, id, a, r, d) => s.ReopenAsync(y, id, a, r!, d)));
        command.Subcommands.Add(Change(stdout, stderr, "cancel", "中止任务（已销号的除外；须说明原因）", reason: true, date: DateUse.None,
            (s, y, id, a, r, _) => s.CancelAsync(y, id, a, r!)));
        command.Subcommands.Add(Change(stdout, stderr, "resume", "恢复中止的任务（须说明原因）", reason: true, date: DateUse.None,
            (s, y, id, a, r, _) => s.ResumeAsync(y, id, a, r!)));
        command.Subcommands.Add(Change(stdout, stderr, "deadline", "调整完成时限（推进中或待核验的任务；须说明原因）", reason: true, date: DateUse.Required,
            (s, y, id, a, r, d) => s.SetDeadlineAsync(y, id, a, r!, d!.Value)));
        command.Subcommands.Add(Observations(stdout, stderr));
        command.Subcommands.Add(LedgerBulletinCommand.Create(stdout, stderr));
        return command;
    }

    private enum DateUse { None, Optional, Required }

    private static Option<string?> AsOption() => new("--as") { Description = "以该单位的账户身份操作（单位代码；默认以考核办身份）" };

    private static Option<int?> YearOption() => new("--year") { Description = "台账年度（默认今年）" };

    private static Argument<string> IdArgument() => new("ID") { Description = "任务编号" };

    private static Command Import(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("FILE") { Description = "任务清单 CSV 或 XLSX（列：id,year,parent,kind,title,unit,lead,leader,due,status,done）" };
        var year = new Option<int>("--year") { Description = "台账年度", Required = true };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var command = new Command("import", "导入某年度的任务清单（整表校验，有错则不写入；再次导入新增任务、更新文字列）") { file, year, store, actor };
        command.SetAction((parse, ct) => ExecuteAsync(stderr, parse.GetValue(store)!, async service =>
        {
            var path = parse.GetValue(file)!;
            var outcome = await service.ImportAsync(parse.GetValue(year), StoreCommands.ReadFile(path), path, LedgerActor.Office(parse.GetValue(actor)!), ct);
            stdout.WriteLine($"已导入 {Path.GetFileName(path)}：新增 {outcome.Added} 项，更新 {outcome.Updated} 项，未变 {outcome.Unchanged} 项");
            foreach (var line in outcome.NotApplied) stdout.WriteLine($"未应用：{Path.GetFileName(path)}:{line.Row}: {line.Message}");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Template(TextWriter stdout, TextWriter stderr)
    {
        var year = new Option<int>("--year") { Description = "台账年度", Required = true };
        var output = new Option<string>("--out") { Description = "输出的 .xlsx 文件", Required = true };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var command = new Command("template", "任务清单的 XLSX 填报模板（含该年度已有的任务）") { year, output, store, actor };
        command.SetAction((parse, ct) => ExecuteAsync(stderr, parse.GetValue(store)!, async service =>
        {
            var bytes = await service.TemplateAsync(parse.GetValue(year), LedgerActor.Office(parse.GetValue(actor)!), ct);
            AtomicFile.Write(parse.GetValue(output)!, bytes);
            stdout.WriteLine($"已写出 {parse.GetValue(output)}");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command List(TextWriter stdout, TextWriter stderr)
    {
        var year = YearOption();
        var unit = new Option<string?>("--unit") { Description = "只列该单位的任务" };
        var state = new Option<string?>("--state") { Description = "只列该状态：推进中、待核验、已销号、中止（或 in-progress、submitted、closed、cancelled）" };
        var on = new Option<string?>("--on") { Description = "按该日（YYYY-MM-DD）的状态、时限和督办灯列出（默认今天）" };
        var remind = new Option<int>("--remind-days") { Description = "临期提醒天数（蓝灯）", DefaultValueFactory = _ => LedgerSettings.Default.RemindDays };
        var red = new Option<int>("--red-after-days") { Description = "逾期超过该天数为红灯（挂牌督办）", DefaultValueFactory = _ => LedgerSettings.Default.RedAfterDays };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var asUnit = AsOption();
        var command = new Command("list", "列出任务及其督办灯（蓝：临期，黄：逾期，红：挂牌督办）") { year, unit, state, on, remind, red, store, actor, asUnit };
        command.SetAction((parse, ct) => ExecuteAsync(stderr, parse.GetValue(store)!, async service =>
        {
            TaskState? wanted = null;
            if (parse.GetValue(state) is { } s)
                wanted = TaskStates.TryParse(s, out var st) ? st : throw new StoreCommands.InvalidArgumentException($"--state: 应为推进中、待核验、已销号或中止，这里是 '{s}'");
            var date = parse.GetValue(on) is { } d ? ParseDate("--on", d) : service.Today;
            var lights = await service.ListAsync(Year(parse.GetValue(year), service, date), Actor(parse.GetValue(actor)!, parse.GetValue(asUnit)), date,
                parse.GetValue(unit), wanted, ct);
            if (lights.Length == 0) stdout.WriteLine("没有任务");
            foreach (var l in lights)
            {
                var t = l.Task;
                var light = l.Light == TaskLight.None ? "-" : l.Light.ToChinese();
                stdout.WriteLine(string.Join('\t', t.Id, t.Unit ?? "-", t.IsGrouping ? "分组" : t.State.ToChinese(), Date(t.Due), light,
                    l.DaysOverdue > 0 ? $"逾期{l.DaysOverdue}天" : "-", t.Pending is { } p ? $"延期待批至{Date(p.Proposed)}" : "-", TextRules.Escape(t.Title)));
            }
            return CliApp.Ok;
        }, ct, settings: () => new LedgerSettings(parse.GetValue(remind), parse.GetValue(red))));
        return command;
    }

    private static Command History(TextWriter stdout, TextWriter stderr)
    {
        var id = IdArgument();
        var year = YearOption();
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var asUnit = AsOption();
        var command = new Command("history", "任务的全部记录（谁、何时、做了什么、原因、附件）") { id, year, store, actor, asUnit };
        command.SetAction((parse, ct) => ExecuteAsync(stderr, parse.GetValue(store)!, async service =>
        {
            foreach (var e in await service.HistoryAsync(Year(parse.GetValue(year), service), parse.GetValue(id)!, Actor(parse.GetValue(actor)!, parse.GetValue(asUnit)), ct))
            {
                var files = string.Join("、", e.Files.Select(f => $"{f.Name}({f.Type},{f.Size}字节,{f.Sha256[..12]})"));
                stdout.WriteLine(string.Join('\t', e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    e.Change.ToChinese(), e.Actor + (e.ActorUnit is { } u ? $"({u})" : ""), e.Date is { } d ? Date(d) : "-",
                    TextRules.Escape(e.Reason ?? "-"), files.Length == 0 ? "-" : files));
            }
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Submit(TextWriter stdout, TextWriter stderr)
    {
        var id = IdArgument();
        var year = YearOption();
        var note = new Option<string>("--note") { Description = "完成情况说明", Required = true };
        var files = new Option<string[]>("--file") { Description = "佐证材料（PDF、PNG、JPEG、XLSX 或 DOCX，每个不超过 20 MB，1–10 个；可重复）", Required = true, AllowMultipleArgumentsPerToken = false };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var asUnit = AsOption();
        var command = new Command("submit", "申请销号（附说明和佐证材料）") { id, year, note, files, store, actor, asUnit };
        command.SetAction((parse, ct) => ExecuteAsync(stderr, parse.GetValue(store)!, async service =>
        {
            var uploads = parse.GetValue(files)!.Select(f => new EvidenceUpload(Path.GetFileName(f), StoreCommands.ReadFile(f))).ToList();
            var task = await service.SubmitAsync(Year(parse.GetValue(year), service), parse.GetValue(id)!, Actor(parse.GetValue(actor)!, parse.GetValue(asUnit)),
                parse.GetValue(note)!, uploads, ct);
            Report(stdout, task);
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Decide(TextWriter stdout, TextWriter stderr)
    {
        var id = IdArgument();
        var year = YearOption();
        var approve = new Option<bool>("--approve") { Description = "批准延期" };
        var refuse = new Option<bool>("--refuse") { Description = "不批准延期" };
        var reason = new Option<string?>("--reason") { Description = "理由（可选）" };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var asUnit = AsOption();
        var command = new Command("decide", "批准或不批准待批的延期申请") { id, year, approve, refuse, reason, store, actor, asUnit };
        command.SetAction((parse, ct) => ExecuteAsync(stderr, parse.GetValue(store)!, async service =>
        {
            if (parse.GetValue(approve) == parse.GetValue(refuse)) throw new StoreCommands.InvalidArgumentException("请给出 --approve 或 --refuse 之一");
            var task = await service.DecideAsync(Year(parse.GetValue(year), service), parse.GetValue(id)!, Actor(parse.GetValue(actor)!, parse.GetValue(asUnit)),
                parse.GetValue(approve), parse.GetValue(reason), ct);
            Report(stdout, task);
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Change(TextWriter stdout, TextWriter stderr, string verb, string description, bool reason, DateUse date,
        Func<LedgerService, int, string, LedgerActor, string?, DateOnly?, Task<LedgerTask>> change)
    {
        var id = IdArgument();
        var year = YearOption();
        var reasonOption = new Option<string?>(reason ? "--reason" : "--note") { Description = reason ? "原因" : "说明（可选）", Required = reason };
        var dateOption = new Option<string?>("--date") { Description = "完成时限 YYYY-MM-DD", Required = date == DateUse.Required };
        var store = StoreCommands.StoreOption();
        var actor = StoreCommands.ActorOption();
        var asUnit = AsOption();
        var command = new Command(verb, description) { id, year, reasonOption, store, actor, asUnit };
        if (date != DateUse.None) command.Options.Add(dateOption);
        command.SetAction((parse, ct) => ExecuteAsync(stderr, parse.GetValue(store)!, async service =>
        {
            var d = date != DateUse.None && parse.GetValue(dateOption) is { } text ? ParseDate("--date", text) : (DateOnly?)null;
            var task = await change(service, Year(parse.GetValue(year), service), parse.GetValue(id)!, Actor(parse.GetValue(actor)!, parse.GetValue(asUnit)),
                parse.GetValue(reasonOption), d);
            Report(stdout, task);
            return CliApp.Ok;
        }, ct));
        return command;
    }

    private static Command Observations(TextWriter stdout, TextWriter stderr)
    {
        var period = StoreCommands.PeriodOption();
        period.Description = "期间：YYYY-MM、YYYYQn 或 YYYY（按期末那天的台账计算）";
        var output = new Option<string>("--out") { Description = "输出的 CSV（unit,indicator,period,actual,target）", Required = true };
        var store = StoreCommands.StoreOption();
        var command = new Command("observations", "台账派生的考核数据（ledger_due、ledger_closed_on_time、ledger_closed、ledger_overdue、ledger_reopened）") { period, output, store };
        command.SetAction((parse, ct) => ExecuteAsync(stderr, parse.GetValue(store)!, async service =>
        {
            var p = StoreCommands.ParsePeriod(parse.GetValue(period)!);
            var rows = await service.ObservationsAsync(p, ct);
            AtomicFile.Write(parse.GetValue(output)!, Csv(rows));
            stdout.WriteLine($"已写出 {parse.GetValue(output)}：{rows.Length / LedgerFigures.Indicators.Length} 个单位，{rows.Length} 行（{p}，截至 {p.EndDate:yyyy-MM-dd}）");
            return CliApp.Ok;
        }, ct));
        return command;
    }

    /// <summary>The observations format: <c>unit,indicator,period,actual,target</c>, a header, UTF-8 without a byte-order mark, LF.</summary>
    internal static byte[] Csv(IEnumerable<Observation> rows) => LedgerObservationsCsv.Write(rows);

    private static void Report(TextWriter stdout, LedgerTask t)
    {
        var extra = new List<string>();
        if (t.Due is { } due) extra.Add($"完成时限 {Date(due)}" + (t.OriginalDue is { } first ? $"（原定 {Date(first)}）" : ""));
        if (t.Done is { } done) extra.Add($"完成日期 {Date(done)}");
        if (t.Pending is { } p) extra.Add($"延期待批至 {Date(p.Proposed)}");
        if (t.Reopened > 0) extra.Add($"重新挂账 {t.Reopened} 次");
        stdout.WriteLine($"任务 {t.Id}：{t.State.ToChinese()}；{string.Join("；", extra)}（第 {t.Version} 条记录）");
    }

    private static LedgerActor Actor(string account, string? unit) =>
        unit is null ? LedgerActor.Office(account)
        : TextRules.IsCode(unit) ? LedgerActor.OfUnit(account, unit)
        : throw new StoreCommands.InvalidArgumentException($"--as: '{TextRules.Escape(unit)}' 不是单位代码");

    private static int Year(int? given, LedgerService service, DateOnly? on = null) => given ?? (on ?? service.Today).Year;

    private static DateOnly ParseDate(string option, string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new StoreCommands.InvalidArgumentException($"{option}: 日期应为 YYYY-MM-DD，这里是 '{TextRules.Escape(text)}'");

    private static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>Opens the store and its ledger, runs <paramref name="body"/>, and maps errors to exit codes (a refused actor: 4).</summary>
    private static Task<int> ExecuteAsync(TextWriter stderr, string store, Func<LedgerService, Task<int>> body, CancellationToken cancellationToken,
        Func<LedgerSettings>? settings = null) =>
        StoreCommands.ExecuteAsync(stderr, store, create: false, async _ =>
        {
            var chosen = settings?.Invoke() ?? LedgerSettings.Default;
            if (chosen.Problem is { } problem) throw new StoreCommands.InvalidArgumentException(problem);
            var azure = StoreSession.IsAzure(store);
            await using IAssessStore assess = azure ? new AzureAssessStore(store) : new SqliteAssessStore(Path.GetFullPath(store));
            await using ILedgerStore ledger = azure ? new AzureLedgerStore(store) : new SqliteLedgerStore(Path.GetFullPath(store));
            await ledger.InitializeAsync(cancellationToken);
            try
            {
                return await body(new LedgerService(ledger, assess, TimeProvider.System, chosen));
            }
            catch (LedgerRefusedException e)
            {
                stderr.WriteLine(TextRules.Escape(e.Message));
                return Refused;
            }
        }, cancellationToken);
}
