using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;

namespace BaiQianWan.Assess.Samples.Generation;

/// <summary>A row of the generated tasks file (ledger.md §1): a grouping item (no unit) or a unit's measure.</summary>
/// <param name="Id">Task id.</param>
/// <param name="Parent">The stage, main task or key work it belongs to.</param>
/// <param name="Kind">阶段目标, 主要任务, 重点工作 or 举措.</param>
/// <param name="Title">The task as written.</param>
/// <param name="Unit">The responsible unit (a measure), or null (a grouping item).</param>
/// <param name="Lead">牵头单位.</param>
/// <param name="Leader">责任领导.</param>
/// <param name="Due">The deadline (a measure).</param>
public sealed record LedgerPlanTask(string Id, string? Parent, string Kind, string Title, string? Unit, string? Lead, string? Leader, DateOnly? Due);

/// <summary>
/// A change of the year's history (ledger.md §2) as the office and the units would have made it: on a China date at an
/// hour, to a task, by the task's unit (<paramref name="ByUnit"/>) or the office.
/// </summary>
/// <param name="On">The China date.</param>
/// <param name="Hour">The hour of that day (orders a day's changes).</param>
/// <param name="TaskId">The task.</param>
/// <param name="Change">Submit, close, return, extend, approve, reopen or cancel.</param>
/// <param name="ByUnit">True when the task's unit makes it (submit, extend); else the office.</param>
/// <param name="Date">The proposed or new deadline, for extend and reopen.</param>
/// <param name="Note">The note or reason.</param>
public sealed record LedgerPlanStep(DateOnly On, int Hour, string TaskId, LedgerChange Change, bool ByUnit, DateOnly? Date, string Note);

/// <summary>
/// The sample province's task ledger for a year (清单式推进、销号制): four stages, eight main tasks and sixteen key works
/// (grouping items), and 200 measures owned by units: one for every county-level unit, a second for eighteen of them,
/// and one each for sixty towns, due from March to December. Each measure's year is drawn from its own stream of the
/// seed: most are submitted and verified on time, some late, some after an approved extension, a few returned once,
/// a few reopened after 回头看 (some of those closed again), a couple cancelled, and the rest never submitted. Only
/// changes on or before the year's last day are kept. The same dataset and seed give the same plan.
/// </summary>
public sealed class LedgerPlan
{
    /// <summary>Measures owned by units.</summary>
    public const int Measures = 200;

    private LedgerPlan(int year, ImmutableArray<LedgerPlanTask> tasks, ImmutableArray<LedgerPlanStep> steps)
    {
        Year = year;
        Tasks = tasks;
        Steps = steps;
    }

    /// <summary>The ledger's year.</summary>
    public int Year { get; }

    /// <summary>The tasks file's rows: grouping items, then measures, in file order.</summary>
    public ImmutableArray<LedgerPlanTask> Tasks { get; }

    /// <summary>The history to replay, in time order (date, hour, task id).</summary>
    public ImmutableArray<LedgerPlanStep> Steps { get; }

    /// <summary>The instant of a step: its date at its hour, China time (UTC+8).</summary>
    public static DateTimeOffset At(LedgerPlanStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new DateTimeOffset(step.On.ToDateTime(new TimeOnly(step.Hour, 0)), TimeSpan.FromHours(8));
    }

    /// <summary>When the tasks file is imported: the first working Monday of the year, 09:00 China time.</summary>
    public DateTimeOffset ImportedAt => new(Year, 1, 6, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The tasks file (CSV, UTF-8 without a byte-order mark, LF) with the columns of ledger.md §1.</summary>
    public byte[] ToCsv()
    {
        var text = new StringBuilder(string.Join(',', LedgerFile.Columns)).Append('\n');
        foreach (var t in Tasks)
            text.Append(string.Join(',', t.Id, Year.ToString(CultureInfo.InvariantCulture), t.Parent ?? "", t.Kind, Csv(t.Title), t.Unit ?? "",
                Csv(t.Lead ?? ""), Csv(t.Leader ?? ""), t.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", "", "")).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Csv(string s) => s.Contains(',', StringComparison.Ordinal) || s.Contains('"', StringComparison.Ordinal) ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private sealed record KeyWork(string Id, string Main, string Title, string Lead, string CountyMeasure, string TownMeasure);

    private static readonly (string Id, string Title)[] Stages =
    [
        ("S1", "县域经济高质量发展"), ("S2", "城乡融合和镇域建设"), ("S3", "民生实事"), ("S4", "改革攻坚和营商环境"),
    ];

    private static readonly (string Id, string Stage, string Title)[] Mains =
    [
        ("M1", "S1", "壮大县域主导产业"), ("M2", "S1", "扩大有效投资"),
        ("M3", "S2", "推进以县城为重要载体的新型城镇化"), ("M4", "S2", "建设宜居宜业和美乡村"),
        ("M5", "S3", "办好教育医疗民生实事"), ("M6", "S3", "提升基本公共服务水平"),
        ("M7", "S4", "深化县域综合改革"), ("M8", "S4", "优化营商环境"),
    ];

    private static readonly KeyWork[] Works =
    [
        new("K01", "M1", "培育主导产业集群", "发展改革局", "新增规模以上工业企业{n}家", "培育特色产业示范村{n}个"),
        new("K02", "M1", "建设产业园区", "工业和信息化局", "园区新增标准厂房{n}万平方米", "建成镇级产业集聚平台{n}个"),
        new("K03", "M2", "推进重点项目建设", "发展改革局", "完成重点项目投资{n}亿元", "开工建设镇级项目{n}个"),
        new("K04", "M2", "盘活低效用地", "自然资源局", "盘活低效用地{n}百亩", "整治闲置地块{n}宗"),
        new("K05", "M3", "完善县城功能", "住房城乡建设局", "改造老旧小区{n}个", "完成圩镇道路提升{n}公里"),
        new("K06", "M3", "建设美丽圩镇", "住房城乡建设局", "完成美丽圩镇攻坚提升{n}项", "整治圩镇“三线”{n}公里"),
        new("K07", "M4", "提升农村人居环境", "农业农村局", "完成农村生活污水治理{n}个自然村", "完成村庄清洁行动{n}个自然村"),
        new("K08", "M4", "发展新型农村集体经济", "农业农村局", "集体经济收入 10 万元以下的村清零（{n}个）", "新增村集体经营性项目{n}个"),
        new("K09", "M5", "扩充学位", "教育局", "新增公办学位{n}百个", "改造乡村学校{n}所"),
        new("K10", "M5", "建设紧密型县域医共体", "卫生健康局", "县级医院建成胸痛等中心{n}个", "卫生院提质改造{n}间"),
        new("K11", "M6", "完善养老服务", "民政局", "建成镇级综合养老服务中心{n}个", "建成村级长者饭堂{n}个"),
        new("K12", "M6", "加强公共文化服务", "文化广电旅游体育局", "建成新型公共文化空间{n}个", "建成农家书屋提升点{n}个"),
        new("K13", "M7", "推进强县扩权赋能", "县委改革办", "承接省市下放事项{n}项", "承接县级下放事项{n}项"),
        new("K14", "M7", "深化农村综合改革", "农业农村局", "完成农村承包地整合{n}千亩", "完成宅基地清理整治{n}宗"),
        new("K15", "M8", "提升政务服务效能", "政务服务数据管理局", "实现高频事项“一网通办”{n}项", "建成镇级政务服务示范点{n}个"),
        new("K16", "M8", "助企纾困", "工商联", "走访服务企业{n}家并办结诉求", "帮扶个体工商户{n}户"),
    ];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "梁"];

    /// <summary>Generates the year's plan for the dataset's units (every county-level unit and sixty towns get measures).</summary>
    /// <param name="data">The province (its counties and towns).</param>
    /// <param name="seed">The province's seed (<see cref="ProvinceOptions.Seed"/>).</param>
    /// <param name="year">The ledger's year.</param>
    public static LedgerPlan Generate(Dataset data, int seed = 2025, int year = 2025)
    {
        ArgumentNullException.ThrowIfNull(data);
        var counties = data.Units.Where(u => u.Level == UnitLevel.County).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
        var towns = data.Units.Where(u => u.Level == UnitLevel.Town).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
        if (counties.Count == 0) throw new ArgumentException("数据中没有县级单位", nameof(data));

        // Who owns the measures: every county, then eighteen counties again, then sixty towns (drawn without repeats).
        var pick = SplitMix64.For(seed, "ledger", "owners");
        var owners = new List<Unit>(counties);
        owners.AddRange(Draw(counties, Math.Min(18, counties.Count), pick));
        owners.AddRange(Draw(towns, Math.Min(Measures - owners.Count, towns.Count), pick));

        var tasks = ImmutableArray.CreateBuilder<LedgerPlanTask>();
        foreach (var (id, title) in Stages) tasks.Add(new LedgerPlanTask(id, null, "阶段目标", title, null, null, null, null));
        foreach (var (id, stage, title) in Mains) tasks.Add(new LedgerPlanTask(id, stage, "主要任务", title, null, null, null, null));
        foreach (var w in Works) tasks.Add(new LedgerPlanTask(w.Id, w.Main, "重点工作", w.Title, null, "县" + w.Lead, null, null));

        var steps = new List<LedgerPlanStep>();
        var end = new DateOnly(year, 12, 31);
        for (var i = 0; i < owners.Count; i++)
        {
            var unit = owners[i];
            var id = $"C{year % 100:00}-{i + 1:000}";
            var r = SplitMix64.For(seed, "ledger", id);
            var work = Works[r.Below(Works.Length)];
            var town = unit.Level == UnitLevel.Town;
            var title = unit.Name + (town ? work.TownMeasure : work.CountyMeasure).Replace("{n}", r.Between(2, 12).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var leader = Surnames[r.Below(Surnames.Length)] + (town ? "镇长" : r.Chance(500) ? "副县长" : "常务副县长");
            // Deadlines from March to December, more of them at quarter ends; the 15th or the month's last day.
            int[] months = [3, 4, 5, 6, 6, 6, 7, 8, 9, 9, 9, 10, 11, 12, 12, 12];
            var month = months[r.Below(months.Length)];
            var due = r.Chance(300) ? new DateOnly(year, month, 15) : new DateOnly(year, month, DateTime.DaysInMonth(year, month));
            tasks.Add(new LedgerPlanTask(id, work.Id, "举措", title, unit.Code, (town ? "镇" : "县") + work.Lead, leader, due));
            steps.AddRange(Life(id, due, r, year).Where(s => s.On <= end));
        }
        var ordered = steps.OrderBy(s => s.On).ThenBy(s => s.Hour).ThenBy(s => s.TaskId, StringComparer.Ordinal).ToImmutableArray();
        return new LedgerPlan(year, tasks.ToImmutable(), ordered);
    }

    private static IEnumerable<Unit> Draw(List<Unit> units, int count, SplitMix64 r)
    {
        var pool = new List<Unit>(units);
        for (var i = 0; i < count && pool.Count > 0; i++)
        {
            var k = r.Below(pool.Count);
            yield return pool[k];
            pool.RemoveAt(k);
        }
    }

    /// <summary>One measure's year of changes, in order (a chain: each step after the one before it).</summary>
    private static List<LedgerPlanStep> Life(string id, DateOnly due, SplitMix64 r, int year)
    {
        var s = new List<LedgerPlanStep>();
        var earliest = new DateOnly(year, 1, 20);
        DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
        void Submit(DateOnly on) => s.Add(new LedgerPlanStep(on, 10, id, LedgerChange.Submit, true, null, "已按要求完成，附佐证材料"));
        void Close(DateOnly on) => s.Add(new LedgerPlanStep(on, 15, id, LedgerChange.Close, false, null, "核验通过"));
        var roll = r.Below(1000);
        if (roll < 560)
        {
            // On time: submitted up to 25 days before the deadline, verified within ten days.
            var submitted = Max(earliest, due.AddDays(-r.Between(0, 25)));
            Submit(submitted);
            Close(submitted.AddDays(r.Between(1, 10)));
        }
        else if (roll < 710)
        {
            // Late: submitted 3–75 days after the deadline.
            var submitted = due.AddDays(r.Between(3, 75));
            Submit(submitted);
            Close(submitted.AddDays(r.Between(2, 10)));
        }
        else if (roll < 790)
        {
            // An extension asked for before the deadline and approved, then done by the new one.
            var asked = Max(earliest, due.AddDays(-r.Between(0, 6)));
            var proposed = due.AddDays(r.Between(20, 60));
            s.Add(new LedgerPlanStep(asked, 9, id, LedgerChange.Extend, true, proposed, "受用地报批进度影响，申请延期"));
            s.Add(new LedgerPlanStep(asked.AddDays(r.Between(1, 4)), 16, id, LedgerChange.Approve, false, proposed, "同意延期"));
            var submitted = Max(asked.AddDays(5), proposed.AddDays(-r.Between(0, 15)));
            Submit(submitted);
            Close(submitted.AddDays(r.Between(1, 7)));
        }
        else if (roll < 825)
        {
            // Returned once (the evidence did not show the work done), then submitted again.
            var submitted = Max(earliest, due.AddDays(-r.Between(5, 20)));
            Submit(submitted);
            var returned = submitted.AddDays(r.Between(2, 5));
            s.Add(new LedgerPlanStep(returned, 15, id, LedgerChange.Return, false, null, "佐证材料不足以证明已完成，请补充"));
            var again = returned.AddDays(r.Between(3, 30));
            Submit(again);
            Close(again.AddDays(r.Between(1, 5)));
        }
        else if (roll < 870)
        {
            // Closed on time, then reopened when 回头看 found it not done; some closed again.
            var submitted = Max(earliest, due.AddDays(-r.Between(0, 15)));
            Submit(submitted);
            var closed = submitted.AddDays(r.Between(1, 7));
            Close(closed);
            var reopened = closed.AddDays(r.Between(15, 60));
            var newDue = reopened.AddDays(30);
            s.Add(new LedgerPlanStep(reopened, 11, id, LedgerChange.Reopen, false, newDue, "回头看发现未完成，重新挂账"));
            if (r.Chance(500))
            {
                var again = reopened.AddDays(r.Between(10, 40));
                Submit(again);
                Close(again.AddDays(r.Between(1, 5)));
            }
        }
        else if (roll < 885)
        {
            // Cancelled by the office before the deadline (the project was dropped).
            s.Add(new LedgerPlanStep(Max(earliest, due.AddDays(-r.Between(10, 40))), 11, id, LedgerChange.Cancel, false, null, "项目调整，任务中止"));
        }
        else if (roll < 925)
        {
            // Submitted on time, verified only weeks later (待核验 across a month's end; still 按期: done is the submission's date).
            var submitted = Max(earliest, due.AddDays(-r.Between(0, 10)));
            Submit(submitted);
            Close(submitted.AddDays(r.Between(15, 40)));
        }
        // Otherwise never submitted: overdue once its deadline has passed.
        return s;
    }
}
