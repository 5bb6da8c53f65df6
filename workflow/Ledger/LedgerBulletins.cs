using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Workflow.Ledger;

/// <summary>
/// The task ledger's documents from the store (ledger.md §5), shared by every host: the monthly ledger bulletin of a
/// level (<c>ledger-county</c>, <c>ledger-town</c>), rendered on its own (<c>ledger bulletin</c>) or with a month's other
/// documents (<see cref="RenderMonthAsync"/>), and the year's ledger a scorecard's ledger section reads
/// (<see cref="ReadAsync"/>: the run service reads it and hands it to the <see cref="IDocumentRenderer"/>). Everything is replayed from the history to the
/// period's end, so a past month's bulletin does not change when the ledger moves on.
/// </summary>
public sealed class LedgerBulletins
{
    private readonly ILedgerStore _ledger;
    private readonly IUnitDataStore _units;
    private readonly Action<string, MissingCharacter>? _onMissing;

    /// <summary>The last year read, with the stamp it was read at (replaced whole, so readers on other threads see one or the other).</summary>
    private volatile Kept? _kept;

    private sealed record Kept(int Year, string Stamp, IReadOnlyList<LedgerTask> Tasks, IReadOnlyDictionary<string, IReadOnlyList<LedgerEvent>>? Changes);

    /// <summary>Creates the reader over the ledger store and the units store (each year's units).</summary>
    /// <param name="ledger">The task ledger (initialized).</param>
    /// <param name="units">The units of each year (names, classes, levels).</param>
    /// <param name="settings">The lights' settings (default: <c>remindDays</c> 3, <c>redAfterDays</c> 30).</param>
    /// <param name="onMissing">Told of each character a document could not draw (document key, character); may be null.</param>
    public LedgerBulletins(ILedgerStore ledger, IUnitDataStore units, LedgerSettings? settings = null, Action<string, MissingCharacter>? onMissing = null)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _units = units ?? throw new ArgumentNullException(nameof(units));
        Settings = settings ?? LedgerSettings.Default;
        if (Settings.Problem is { } problem) throw new ArgumentException(problem, nameof(settings));
        _onMissing = onMissing;
    }

    /// <summary>The lights' settings.</summary>
    public LedgerSettings Settings { get; }

    /// <summary>The ledger store read.</summary>
    public ILedgerStore Ledger => _ledger;

    /// <summary>The units store read.</summary>
    public IUnitDataStore Units => _units;

    /// <summary>
    /// True for a ledger bulletin's document key (<c>ledger-county</c>, <c>ledger-town</c>): a month run stores it beside
    /// the month's own documents, outside the run's expected counts.
    /// </summary>
    public static bool IsLedgerKey(string key) => key.StartsWith("ledger-", StringComparison.Ordinal);

    /// <summary>The levels that get a ledger bulletin, in order.</summary>
    public static IReadOnlyList<UnitLevel> Levels { get; } = [UnitLevel.County, UnitLevel.Town];

    /// <summary>
    /// The year's ledger (units, tasks, histories) with these settings, or null when no unit has a task in the year: what a
    /// scorecard's ledger section and the ledger bulletins draw.
    /// </summary>
    public async Task<LedgerBook?> ReadAsync(int year, CancellationToken cancellationToken = default)
    {
        // The tasks in full (titles and leaders are printed) and the lean replay for their changes of state, read again only
        // when the year's stamp moved (every import and change moves it): a run's render batches each ask for the year.
        var stamp = await _ledger.GetYearStampAsync(year, cancellationToken);
        var kept = _kept;
        if (kept is null || kept.Year != year || kept.Stamp != stamp)
        {
            var tasks = await _ledger.GetTasksAsync(year, cancellationToken);
            var replay = tasks.Any(t => t.Year == year && !t.IsGrouping) ? (await _ledger.GetReplayAsync(year, cancellationToken)).Changes : null;
            _kept = kept = new Kept(year, stamp, tasks, replay);
        }
        if (kept.Changes is null) return null;
        var units = await _units.GetUnitsAsync(year, cancellationToken);
        return new LedgerBook(year, units, kept.Tasks, kept.Changes, Settings);
    }

    /// <summary>
    /// The monthly ledger bulletin of <paramref name="level"/> for <paramref name="month"/> (a <c>YYYY-MM</c> period),
    /// as a run's document (<see cref="DocumentKind.Bulletin"/>, key <c>ledger-&lt;level&gt;</c>), or null when no unit of
    /// the level has a task in that year.
    /// </summary>
    /// <exception cref="ArgumentException">The period is not a month.</exception>
    public async Task<StoredDocument?> RenderAsync(Period month, UnitLevel level, DocumentStamp stamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        if (!month.IsMonth) throw new ArgumentException($"台账通报按月出具，{month} 不是月份（YYYY-MM）", nameof(month));
        var book = await ReadAsync(month.Year, cancellationToken);
        return book is null ? null : Render(book, month, level, stamp);
    }

    /// <summary>
    /// For a month run: the month's ledger bulletins, one per level with tasks (county, then town), stamped with the run,
    /// keyed <c>ledger-county</c> and <c>ledger-town</c> beside the month's other documents; none when the year has no ledger.
    /// </summary>
    public async Task<IReadOnlyList<StoredDocument>> RenderMonthAsync(Period month, RunStamp stamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        if (!month.IsMonth) throw new ArgumentException($"台账通报按月出具，{month} 不是月份（YYYY-MM）", nameof(month));
        var book = await ReadAsync(month.Year, cancellationToken);
        if (book is null) return [];
        var documentStamp = new DocumentStamp(stamp.RunId, stamp.At, stamp.Sample);
        return [.. Levels.Select(level => Render(book, month, level, documentStamp)).OfType<StoredDocument>()];
    }

    /// <summary>
    /// 按期销号率 by class for <paramref name="period"/> (its end): per level and class of the units with tasks, the tasks
    /// due and those closed on time, added up from <see cref="LedgerFigures"/> (a unit's own tasks); levels in
    /// <see cref="Levels"/> order, classes as the units list first names them.
    /// </summary>
    public static IReadOnlyList<LedgerClassRate> ClassRates(LedgerBook book, Period period)
    {
        ArgumentNullException.ThrowIfNull(book);
        var figures = LedgerFigures.For(book.Tasks, book.History, period);
        var due = new Dictionary<string, (int Due, int OnTime)>(StringComparer.Ordinal);
        foreach (var o in figures)
        {
            var d = due.GetValueOrDefault(o.Unit);
            if (o.Indicator == "ledger_due") d.Due = (int)o.Actual;
            else if (o.Indicator == "ledger_closed_on_time") d.OnTime = (int)o.Actual;
            due[o.Unit] = d;
        }
        var rates = new List<LedgerClassRate>();
        foreach (var level in Levels)
        foreach (var group in book.Units.Where(u => u.Level == level && due.ContainsKey(u.Code)).GroupBy(u => u.Class))
            rates.Add(new LedgerClassRate(level, group.Key, group.Count(), group.Sum(u => due[u.Code].Due), group.Sum(u => due[u.Code].OnTime)));
        return rates;
    }

    private StoredDocument? Render(LedgerBook book, Period month, UnitLevel level, DocumentStamp stamp)
    {
        var rendered = LedgerDocuments.RenderBulletin(book, month.Month, level, stamp);
        if (rendered is null) return null;
        var key = LedgerDocuments.BulletinKey(level);
        if (_onMissing is not null)
            foreach (var missing in rendered.Missing) _onMissing(key, missing);
        return StoredDocument.Of(DocumentKind.Bulletin, key, rendered.Pdf);
    }
}

/// <summary>A class's 按期销号率 on a period's end: its units with tasks, their tasks due and those closed on time.</summary>
/// <param name="Level">The units' level.</param>
/// <param name="Class">The class.</param>
/// <param name="Units">Units of the class with tasks in the year.</param>
/// <param name="Due">Their tasks due by the period's end (ledger_due added up).</param>
/// <param name="OnTime">Of those, closed on time (ledger_closed_on_time added up).</param>
public sealed record LedgerClassRate(UnitLevel Level, string Class, int Units, int Due, int OnTime)
{
    /// <summary>OnTime / Due, or null when nothing was due.</summary>
    public decimal? Rate => Due == 0 ? null : (decimal)OnTime / Due;

    /// <summary>The rate in percent with two decimals (<c>87.50%</c>), or <c>—</c>.</summary>
    public string RateText => Rate is { } r ? BaiQianWan.Assess.Rules.Evaluation.Numbers.Percent(r) : "—";
}
