using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Ledger;

namespace BaiQianWan.Assess.Scorecards.Views;

/// <summary>A unit's figures of §4 and its lights of §3 on a date.</summary>
internal sealed record LedgerCounts(int Tasks, int Due, int OnTime, int Closed, int Overdue, int Reopened, int Red, int Yellow, int Blue)
{
    public static LedgerCounts Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public LedgerCounts Plus(LedgerCounts o) => new(Tasks + o.Tasks, Due + o.Due, OnTime + o.OnTime, Closed + o.Closed, Overdue + o.Overdue,
        Reopened + o.Reopened, Red + o.Red, Yellow + o.Yellow, Blue + o.Blue);

    /// <summary>按期销号率: on time / due in percent (two decimals), or — when nothing was due.</summary>
    public string Rate => Due == 0 ? "—" : Numbers.Percent((decimal)OnTime / Due);
}

/// <summary>A task 推进中 or 待核验 past its deadline on the date.</summary>
internal sealed record OverdueTask(string Id, string Title, string UnitCode, string UnitName, string Leader, string Due, int DaysOverdue,
    TaskLight Light, string State);

/// <summary>The ledger replayed to one date: each unit's counts and the overdue tasks, red first, then by days overdue.</summary>
internal sealed class LedgerSnapshot
{
    private LedgerSnapshot(DateOnly end, ImmutableDictionary<string, LedgerCounts> counts, ImmutableArray<OverdueTask> overdue, string dataSha256)
    {
        End = end;
        Counts = counts;
        Overdue = overdue;
        DataSha256 = dataSha256;
    }

    public DateOnly End { get; }

    /// <summary>Units with tasks in the year, by code.</summary>
    public ImmutableDictionary<string, LedgerCounts> Counts { get; }

    public ImmutableArray<OverdueTask> Overdue { get; }

    /// <summary>SHA-256 of what the documents read (every task as replayed to the date, and the settings).</summary>
    public string DataSha256 { get; }

    public static LedgerSnapshot Of(LedgerBook book, Period period)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (period.Year != book.Year) throw new ArgumentException($"台账是 {book.Year} 年的，期间 {period} 不在该年", nameof(period));
        var end = period.EndDate;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var u in book.Units) names.TryAdd(u.Code, u.Name);
        var tasks = book.Tasks.Where(t => t.Year == book.Year && !t.IsGrouping).OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        var replayed = tasks.Select(t => LedgerHistory.On(t, book.History.TryGetValue(t.Id, out var h) ? h : [], end)).ToList();
        var live = replayed.Where(t => t.State != TaskState.Cancelled).ToList();
        var lights = LedgerLights.On(live, end, book.Settings);

        // The figures of §4, by the engine's own function (what a run reads).
        var figures = LedgerFigures.For(tasks, book.History, period);
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var o in figures)
        {
            if (!counts.TryGetValue(o.Unit, out var c)) counts[o.Unit] = c = new int[9];
            var i = LedgerFigures.Indicators.IndexOf(o.Indicator);
            c[i + 1] = (int)o.Actual;
        }
        var overdue = ImmutableArray.CreateBuilder<OverdueTask>();
        foreach (var l in lights)
        {
            var t = l.Task;
            var c = counts[t.Unit!];
            c[0]++;
            switch (l.Light)
            {
                case TaskLight.Red: c[6]++; break;
                case TaskLight.Yellow: c[7]++; break;
                case TaskLight.Blue: c[8]++; break;
            }
            if (l.DaysOverdue > 0 && t.State is TaskState.InProgress or TaskState.Submitted)
                overdue.Add(new OverdueTask(t.Id, t.Title, t.Unit!, names.GetValueOrDefault(t.Unit!, t.Unit!), t.Leader ?? "—", Date(t.Due), l.DaysOverdue,
                    l.Light, t.State.ToChinese()));
        }
        var sorted = overdue.OrderBy(o => o.Light == TaskLight.Red ? 0 : 1).ThenByDescending(o => o.DaysOverdue)
            .ThenBy(o => o.UnitCode, StringComparer.Ordinal).ThenBy(o => o.Id, StringComparer.Ordinal).ToImmutableArray();
        return new LedgerSnapshot(end,
            counts.ToImmutableDictionary(p => p.Key, p => new LedgerCounts(p.Value[0], p.Value[1], p.Value[2], p.Value[3], p.Value[4], p.Value[5],
                p.Value[6], p.Value[7], p.Value[8]), StringComparer.Ordinal),
            sorted, Hash(replayed, book.Settings, end));
    }

    private static string Hash(IEnumerable<LedgerTask> tasks, LedgerSettings settings, DateOnly end)
    {
        var text = new StringBuilder(FormattableString.Invariant($"ledger\n{end:yyyy-MM-dd}\n{settings.RemindDays}\n{settings.RedAfterDays}\n"));
        foreach (var t in tasks)
            text.Append(CultureInfo.InvariantCulture, $"{t.Id}\t{t.Unit}\t{t.State}\t{Date(t.Due)}\t{Date(t.Done)}\t{Date(t.DueWhenDone)}\t{t.Reopened}\t{t.Leader}\t{t.Title}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";
}

/// <summary>A line of the bulletin's table of units.</summary>
internal sealed record LedgerUnitRow(string Name, string Code, string Class, LedgerCounts Counts);

/// <summary>A class's line: its units' counts added up.</summary>
internal sealed record LedgerClassRow(string Class, int Units, LedgerCounts Counts);

/// <summary>Everything the monthly ledger bulletin prints (ledger.md §5), computed before drawing starts.</summary>
internal sealed record LedgerBulletinView(
    string Title, string Subtitle, string Period, string Summary, string LightNote,
    ImmutableArray<LedgerClassRow> Classes, LedgerCounts Total, ImmutableArray<LedgerUnitRow> Units, ImmutableArray<OverdueTask> Overdue,
    string End, FooterView Footer)
{
    /// <summary>The level's units with tasks, by class (as the units list first names them), then by code; null when there are none.</summary>
    public static LedgerBulletinView? Build(LedgerBook book, int month, UnitLevel level, DocumentStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        var period = Rules.Data.Period.OfMonth(book.Year, month);
        var snapshot = LedgerSnapshot.Of(book, period);
        var units = book.Units.Where(u => u.Level == level && snapshot.Counts.ContainsKey(u.Code)).ToList();
        if (units.Count == 0) return null;
        var classOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var u in book.Units.Where(u => u.Level == level)) classOrder.TryAdd(u.Class, classOrder.Count);
        var rows = units.OrderBy(u => classOrder[u.Class]).ThenBy(u => u.Code, StringComparer.Ordinal)
            .Select(u => new LedgerUnitRow(u.Name, u.Code, u.Class, snapshot.Counts[u.Code])).ToImmutableArray();
        var classes = rows.GroupBy(r => r.Class)
            .Select(g => new LedgerClassRow(g.Key, g.Count(), g.Aggregate(LedgerCounts.Zero, (a, r) => a.Plus(r.Counts)))).ToImmutableArray();
        var total = rows.Aggregate(LedgerCounts.Zero, (a, r) => a.Plus(r.Counts));
        var codes = rows.Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        var overdue = snapshot.Overdue.Where(o => codes.Contains(o.UnitCode)).ToImmutableArray();
        var end = LedgerSnapshot.Date(snapshot.End);
        var levelName = level.ToChinese();
        var s = book.Settings;
        var title = $"{book.Year}年{month}月任务台账销号情况通报（{levelName}）";
        var subtitle = $"截至 {end}　　层级：{levelName}　　单位 {rows.Length} 个　　任务 {total.Tasks} 项（不含中止）";
        var summary = $"截至 {end}，{rows.Length} 个{levelName}单位的任务中，到期 {total.Due} 项，按期销号 {total.OnTime} 项，按期销号率 {total.Rate}；" +
                      $"已销号 {total.Closed} 项；逾期未销号 {total.Overdue} 项，其中挂牌督办（红灯）{total.Red} 项、逾期（黄灯）{total.Yellow} 项；" +
                      $"临期（蓝灯）{total.Blue} 项；重新挂账 {total.Reopened} 次。";
        var lightNote = $"蓝灯：完成时限前 {s.RemindDays} 天内；黄灯：逾期 {s.RedAfterDays} 天以内；红灯：逾期超过 {s.RedAfterDays} 天（挂牌督办）";
        var footer = new FooterView(stamp.RunId, $"任务台账 {book.Year} 年（蓝灯 {s.RemindDays} 天、红灯 {s.RedAfterDays} 天）",
            Formats.Short(snapshot.DataSha256), Formats.Time(stamp.At), stamp.Sample);
        return new LedgerBulletinView(title, subtitle, $"{book.Year}年{month}月", summary, lightNote, classes, total, rows, overdue, end, footer)
        {
            DataSha256 = snapshot.DataSha256,
        };
    }

    /// <summary>The full SHA-256 the footer shortens (part of the document's key).</summary>
    public string DataSha256 { get; init; } = "";
}

/// <summary>The ledger section of a unit's scorecard: its own tasks (not its towns') replayed to the period's end.</summary>
internal sealed record LedgerSectionView(string End, LedgerCounts Counts, ImmutableArray<OverdueTask> Overdue, LedgerSettings Settings)
{
    /// <summary>Null when the unit has no task in the year (the scorecard then has no section).</summary>
    public static LedgerSectionView? Of(LedgerSnapshot snapshot, string unitCode, LedgerSettings settings) =>
        snapshot.Counts.TryGetValue(unitCode, out var counts)
            ? new LedgerSectionView(LedgerSnapshot.Date(snapshot.End), counts, [.. snapshot.Overdue.Where(o => o.UnitCode == unitCode)], settings)
            : null;
}
