using System.Diagnostics;
using System.Globalization;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Samples.Generation;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Cli.Commands;

/// <summary>
/// The demo's task ledger (销号制): the generated province's year of tasks (<see cref="LedgerPlan"/>: 200 measures of
/// counties and towns under stages, main tasks and key works) written as <c>province/ledger.csv</c>, imported into the
/// demo's store through the same path as <c>ledger import</c>, and its year of changes (submissions, verifications, late
/// ones, extensions, returns, reopenings) made through <see cref="LedgerService"/> on the dates the plan gives, by the units'
/// and the office's accounts. Then each class's 按期销号率 on 2025-09-30 is printed and the September ledger bulletins are
/// written to <c>ledger/bulletins/ledger-&lt;level&gt;.pdf</c>.
/// </summary>
internal static class DemoLedger
{
    /// <summary>The office account that imports and verifies (units submit with their own accounts).</summary>
    public const string Office = "office";

    /// <summary>The quarter whose end the printed rates and the bulletins read (the demo's last evaluated quarter).</summary>
    public static readonly Period Quarter = Period.OfQuarter(2025, 3);

    /// <summary>An evidence file of the demo: a small PDF (recognised by its header).</summary>
    private static readonly byte[] Evidence = "%PDF-1.4\n% 示例佐证材料（虚构）\n%%EOF\n"u8.ToArray();

    /// <summary>Loads the ledger into the demo's store, prints the rates and writes the bulletins.</summary>
    public static async Task RunAsync(string directory, string dbPath, Dataset data, TextWriter stdout)
    {
        var watch = Stopwatch.StartNew();
        var plan = LedgerPlan.Generate(data);
        var csvPath = Path.Combine(directory, "province", "ledger.csv");
        AtomicFile.Write(csvPath, plan.ToCsv());
        await using var units = new SqliteAssessStore(dbPath);
        await using var ledger = new SqliteLedgerStore(dbPath);
        await ledger.InitializeAsync();
        var clock = new PlanClock(plan.ImportedAt);
        var service = new LedgerService(ledger, units, clock);
        var outcome = await ApplyAsync(service, clock, plan, await File.ReadAllBytesAsync(csvPath), "ledger.csv");
        var measures = plan.Tasks.Count(t => t.Unit is not null);
        stdout.WriteLine();
        stdout.WriteLine($"任务台账：{plan.Year} 年 {plan.Tasks.Length} 项（{plan.Tasks.Length - measures} 个分组项、{measures} 项举措）→ {csvPath}；" +
                         $"导入新增 {outcome.Added} 项，按计划记录变更 {plan.Steps.Length} 条（申请销号、核验、退回、延期、重新挂账、中止）");

        var bulletins = new LedgerBulletins(ledger, units);
        var book = (await bulletins.ReadAsync(plan.Year))!;
        var reopened = LedgerFigures.For(book.Tasks, book.History, Quarter).Where(o => o.Indicator == "ledger_reopened").Sum(o => o.Actual);
        var overdue = LedgerFigures.For(book.Tasks, book.History, Quarter).Where(o => o.Indicator == "ledger_overdue").Sum(o => o.Actual);
        stdout.WriteLine($"各类别按期销号率（截至 {Quarter.EndDate:yyyy-MM-dd}，各单位自身的任务；逾期未销号 {overdue} 项，重新挂账 {reopened} 次）：");
        foreach (var r in LedgerBulletins.ClassRates(book, Quarter))
            stdout.WriteLine($"  {r.Level.ToChinese()} {r.Class}：{r.Units} 个单位，到期 {r.Due} 项，按期销号 {r.OnTime} 项，按期销号率 {r.RateText}");
        var month = Period.OfMonth(Quarter.Year, Quarter.EndDate.Month);
        var written = new List<string>();
        foreach (var level in LedgerBulletins.Levels)
        {
            var document = LedgerDocuments.RenderBulletin(book, month.Month, level, new DocumentStamp($"ledger-{month}", null, Sample: true));
            if (document is null) continue;
            var path = Path.Combine(directory, "ledger", LedgerDocuments.BulletinPath(level));
            AtomicFile.Write(path, document.Pdf);
            written.Add(path);
        }
        stdout.WriteLine($"{month} 任务台账通报：{string.Join("、", written)}（{watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} 秒）");
    }

    /// <summary>
    /// Imports the plan's tasks file as the office at <see cref="LedgerPlan.ImportedAt"/>, then makes each step of its
    /// history at the step's time: submissions and extension requests by the task's unit (account <c>unit-&lt;code&gt;</c>),
    /// the rest by the office. Any refusal is a defect of the plan and is thrown.
    /// </summary>
    public static async Task<LedgerImportOutcome> ApplyAsync(LedgerService service, PlanClock clock, LedgerPlan plan, byte[] csv, string fileName)
    {
        clock.Now = plan.ImportedAt;
        var office = LedgerActor.Office(Office);
        var outcome = await service.ImportAsync(plan.Year, csv, fileName, office);
        var unitOf = plan.Tasks.Where(t => t.Unit is not null).ToDictionary(t => t.Id, t => t.Unit!, StringComparer.Ordinal);
        foreach (var step in plan.Steps)
        {
            clock.Now = LedgerPlan.At(step);
            var unit = unitOf[step.TaskId];
            var actor = step.ByUnit ? LedgerActor.OfUnit($"unit-{unit.ToLowerInvariant()}", unit) : office;
            var y = plan.Year;
            _ = step.Change switch
            {
                LedgerChange.Submit => await service.SubmitAsync(y, step.TaskId, actor, step.Note, [new EvidenceUpload($"{step.TaskId}-佐证材料.pdf", Evidence)]),
                LedgerChange.Close => await service.CloseAsync(y, step.TaskId, actor, step.Note),
                LedgerChange.Return => await service.ReturnAsync(y, step.TaskId, actor, step.Note),
                LedgerChange.Extend => await service.ExtendAsync(y, step.TaskId, actor, step.Note, step.Date!.Value),
                LedgerChange.Approve => await service.DecideAsync(y, step.TaskId, actor, approve: true, step.Note),
                LedgerChange.Reopen => await service.ReopenAsync(y, step.TaskId, actor, step.Note, step.Date),
                LedgerChange.Cancel => await service.CancelAsync(y, step.TaskId, actor, step.Note),
                _ => throw new InvalidOperationException($"计划中不应有的变更：{step.Change}"),
            };
        }
        return outcome;
    }

    /// <summary>The time the plan's steps are made at (the ledger records each change at this instant).</summary>
    internal sealed class PlanClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    }
}
