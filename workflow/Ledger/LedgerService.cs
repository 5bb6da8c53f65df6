using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Workflow.Ledger;

/// <summary>A line of a re-import that was read but not applied (its task's state or dates, once it has recorded changes).</summary>
/// <param name="Row">The file's row.</param>
/// <param name="Id">The task.</param>
/// <param name="Message">What was not applied, in Chinese.</param>
public sealed record LedgerNotApplied(int Row, string Id, string Message);

/// <summary>What an import of a tasks file did.</summary>
/// <param name="Added">New tasks.</param>
/// <param name="Updated">Existing tasks whose text (or, before any change of state, state and dates) changed.</param>
/// <param name="Unchanged">Rows the same as the ledger.</param>
/// <param name="NotApplied">Rows whose state or dates differ from a task with recorded changes: reported, not applied.</param>
public sealed record LedgerImportOutcome(int Added, int Updated, int Unchanged, ImmutableArray<LedgerNotApplied> NotApplied);

/// <summary>
/// The ledger use cases (contract §1–§4), shared by every host: import a year's tasks file, the changes of §2 by role
/// and unit, each one written with its history entry over the version it read (a concurrent change is a
/// <see cref="StoreException"/> conflict), evidence files, lights on any date, and the derived observations of a period.
/// </summary>
/// <remarks>
/// Who may do what: the office imports and makes every change but one — it may not verify (核验通过) a submission its
/// own account made; a unit submits (申请销号) and asks for extensions (申请延期) on its own tasks only, and reads its own
/// tasks; an author does nothing here. A refused actor gets <see cref="LedgerRefusedException"/>; a change the task's
/// state does not allow gets a <see cref="StoreException"/> (conflict); bad input an <see cref="InputRejectedException"/>.
/// </remarks>
public sealed class LedgerService
{
    private readonly ILedgerStore _ledger;
    private readonly IUnitDataStore _store;
    private readonly TimeProvider _clock;

    /// <summary>Creates the service over the ledger store, the units store (each year's units) and a clock.</summary>
    public LedgerService(ILedgerStore ledger, IUnitDataStore store, TimeProvider clock, LedgerSettings? settings = null)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        Settings = settings ?? LedgerSettings.Default;
        if (Settings.Problem is { } problem) throw new ArgumentException(problem, nameof(settings));
    }

    /// <summary>The lights' settings.</summary>
    public LedgerSettings Settings { get; }

    /// <summary>Today's China date.</summary>
    public DateOnly Today => LedgerEvent.ChinaDate(_clock.GetUtcNow());

    // ---- import ----

    /// <summary>
    /// Imports a year's tasks file (CSV or XLSX): a bad file writes nothing; a good one is written all or nothing, on
    /// SQLite and on Azure (see <see cref="ILedgerStore.ImportAsync"/>). New tasks are added; existing ones get the file's text
    /// columns (parent, kind, title, lead, leader), and, while no change of state is recorded for them, its unit, state
    /// and dates; for a task with recorded changes a differing unit, state or date is reported, not applied. Tasks the
    /// file does not name are kept. Office only.
    /// </summary>
    /// <exception cref="InputRejectedException">Bad rows (every one listed).</exception>
    public async Task<LedgerImportOutcome> ImportAsync(int year, byte[] content, string fileName, LedgerActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(actor);
        if (year is < 1900 or > 9999) throw new ArgumentOutOfRangeException(nameof(year), year, "year");
        Office(actor, "导入任务清单");
        fileName = UploadNames.Of(fileName);
        var units = (await _store.GetUnitsAsync(year, cancellationToken)).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var existing = (await _ledger.GetTasksAsync(year, cancellationToken)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var table = DataImport.ReadTable(content, fileName, LedgerFile.Columns);
        var read = LedgerFile.Read(table.Rows, fileName, year, units, existing.ToDictionary(p => p.Key, p => p.Value.Parent, StringComparer.Ordinal),
            [.. table.Errors], serialDates: DataImport.IsXlsx(content, fileName));
        if (!read.IsValid) throw InputRejectedException.For(fileName, [.. read.Errors.Select(InputError.Of)]);

        var at = _clock.GetUtcNow();
        var on = LedgerEvent.ChinaDate(at);
        var writes = new List<(LedgerTask, LedgerEvent)>();
        var notApplied = ImmutableArray.CreateBuilder<LedgerNotApplied>();
        int added = 0, updated = 0, unchanged = 0;
        foreach (var row in read.Rows)
        {
            if (!existing.TryGetValue(row.Id, out var task))
            {
                var fresh = FromRow(row).AsLoaded() with { Version = 1 };
                writes.Add((fresh, Entry(fresh, 1, LedgerChange.Imported, at, on, actor, fileName)));
                added++;
                continue;
            }
            var text = task with { Parent = row.Parent, Kind = row.Kind, Title = row.Title, Lead = row.Lead, Leader = row.Leader };
            var loaded = row.Unit != task.Unit || row.Due != task.LoadedDue || row.Status != task.LoadedState || row.Done != task.LoadedDone;
            LedgerTask next;
            if (!loaded) next = text;
            else if (!task.Changed) next = (text with { Unit = row.Unit, LoadedDue = row.Due, LoadedState = row.Status, LoadedDone = row.Done }).AsLoaded() with { Version = task.Version };
            else
            {
                next = text;
                notApplied.Add(new LedgerNotApplied(row.Row, row.Id,
                    $"任务 {row.Id} 已有状态变更记录（现为{task.State.ToChinese()}），文件中的 unit/due/status/done 与台账不同，未更新（只更新了文字列）"));
            }
            if (next == task)
            {
                unchanged++;
                continue;
            }
            next = next with { Version = task.Version + 1 };
            writes.Add((next, Entry(next, next.Version, LedgerChange.Updated, at, on, actor, fileName)));
            updated++;
        }
        if (writes.Count > 0) await _ledger.ImportAsync(year, writes, cancellationToken);
        return new LedgerImportOutcome(added, updated, unchanged, notApplied.ToImmutable());
    }

    private static LedgerTask FromRow(LedgerRow r) => new()
    {
        Year = r.Year,
        Id = r.Id,
        Parent = r.Parent,
        Kind = r.Kind,
        Title = r.Title,
        Unit = r.Unit,
        Lead = r.Lead,
        Leader = r.Leader,
        LoadedDue = r.Due,
        LoadedState = r.Unit is null ? TaskState.InProgress : r.Status,
        LoadedDone = r.Done,
    };

    /// <summary>The XLSX tasks file to fill in for <paramref name="year"/>, with the year's tasks as loaded. Office only.</summary>
    public async Task<byte[]> TemplateAsync(int year, LedgerActor actor, CancellationToken cancellationToken = default)
    {
        Office(actor, "下载任务清单模板");
        return LedgerTemplate.Write(year, await _ledger.GetTasksAsync(year, cancellationToken));
    }

    // ---- reads ----

    /// <summary>
    /// The tasks the actor may see (the office every task; a unit its own), as they stood on <paramref name="on"/> (default
    /// today; replayed from the history), with their lights on that date, filtered by unit and state, ordered by id.
    /// Grouping items are listed for the office (no state or light) unless a unit or state filter is given.
    /// </summary>
    public async Task<ImmutableArray<TaskLighting>> ListAsync(int year, LedgerActor actor, DateOnly? on = null, string? unit = null, TaskState? state = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var date = on ?? Today;
        if (!actor.IsOffice)
        {
            var own = Own(actor, "查看任务清单");
            if (unit is not null && unit != own) throw new LedgerRefusedException($"单位 {own} 只能查看本单位的任务");
            unit = own;
        }
        if (date >= Today)
        {
            // Today's (or a later date's) lists: the year's lit tasks, kept per (stamp, date) and read again only when the
            // store's stamp for the year moved (any import or change, by any host), filtered here.
            var lit = await LitAsync(year, date, cancellationToken);
            var all = actor.IsOffice && unit is null && state is null;
            var shown = ImmutableArray.CreateBuilder<TaskLighting>();
            foreach (var l in lit)
            {
                if (l.Task.IsGrouping)
                {
                    if (all) shown.Add(l);
                    continue;
                }
                if (unit is not null && l.Task.Unit != unit) continue;
                if (state is { } wanted && l.Task.State != wanted) continue;
                shown.Add(l);
            }
            return shown.ToImmutable();
        }
        var tasks = await _ledger.GetTasksAsync(year, cancellationToken);
        var history = await _ledger.GetHistoriesAsync(year, cancellationToken);
        var list = new List<LedgerTask>();
        foreach (var task in tasks)
        {
            if (task.IsGrouping)
            {
                if (actor.IsOffice && unit is null && state is null) list.Add(task);
                continue;
            }
            if (unit is not null && task.Unit != unit) continue;
            var s = LedgerHistory.On(task, history.TryGetValue(task.Id, out var h) ? h : [], date);
            if (state is { } wanted && s.State != wanted) continue;
            list.Add(s);
        }
        return LedgerLights.On(list, date, Settings);
    }

    /// <summary>
    /// The office's list of today: every task of the year (grouping items too) as it stands today with its light, ordered
    /// by id, as <see cref="ListAsync"/> gives it unfiltered, and the date it is for. While the year's stamp and the date stay,
    /// this is the same kept list (the same array), so a page may keep what it derives from it for as long as it gets that
    /// array back. Office only.
    /// </summary>
    public async Task<(DateOnly On, ImmutableArray<TaskLighting> Lit)> TodayAsync(int year, LedgerActor actor, CancellationToken cancellationToken = default)
    {
        Office(actor, "查看台账总览");
        var on = Today;
        return (on, await LitAsync(year, on, cancellationToken));
    }

    /// <summary>A year's lit list for a date on or after today, kept for the year's stamp (read before the tasks).</summary>
    private sealed record LitYear(string Stamp, DateOnly On, ImmutableArray<TaskLighting> Lit);

    /// <summary>How many years' lit lists are kept.</summary>
    private const int KeptYears = 4;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, LitYear> _lit = new();

    /// <summary>
    /// Every task of the year (grouping items too) as it stands on <paramref name="date"/> (on or after today) with its light,
    /// ordered by id: from the kept list while the year's stamp is the one it was read under, read and lit again otherwise.
    /// </summary>
    private async Task<ImmutableArray<TaskLighting>> LitAsync(int year, DateOnly date, CancellationToken cancellationToken)
    {
        // The stamp first: a write after it moves it, so a list read after the stamp is never kept under a newer stamp.
        var stamp = await _ledger.GetYearStampAsync(year, cancellationToken);
        if (_lit.TryGetValue(year, out var kept) && kept.Stamp == stamp && kept.On == date) return kept.Lit;
        var tasks = await _ledger.GetTasksAsync(year, cancellationToken);
        var list = new List<LedgerTask>(tasks.Count);
        foreach (var task in tasks)
        {
            // On or after today every recorded change is on or before the date, so a task stands as stored; only a task the
            // file loaded 已销号 with a later done date is replayed (the replay starts it 推进中).
            list.Add(!task.IsGrouping && task.LoadedState == TaskState.Closed && task.LoadedDone > date
                ? LedgerHistory.On(task, await _ledger.GetHistoryAsync(year, task.Id, cancellationToken), date)
                : task);
        }
        var lit = LedgerLights.On(list, date, Settings);
        _lit[year] = new LitYear(stamp, date, lit);
        if (_lit.Count > KeptYears)
        {
            foreach (var other in _lit.Keys.Where(k => k != year).OrderBy(k => Math.Abs(k - year)).Skip(KeptYears - 1).ToList()) _lit.TryRemove(other, out _);
        }
        return lit;
    }

    /// <summary>A task as it is now, for an actor who may see it (not found otherwise, so a unit learns nothing of others' tasks).</summary>
    public async Task<LedgerTask> GetAsync(int year, string id, LedgerActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var task = await Find(year, id, cancellationToken);
        if (!await MaySeeAsync(actor, task, cancellationToken)) throw NotFound(year, id);
        return task;
    }

    /// <summary>
    /// A task's history (who, when, what, why, which files), in order, for the office, the task's unit and that unit's
    /// parent (those who may download its files; not found for anyone else).
    /// </summary>
    public async Task<IReadOnlyList<LedgerEvent>> HistoryAsync(int year, string id, LedgerActor actor, CancellationToken cancellationToken = default) =>
        (await RecordAsync(year, id, actor, cancellationToken)).History;

    /// <summary>A task as it is now with its history, for the office, the task's unit and that unit's parent (as <see cref="HistoryAsync"/>).</summary>
    public async Task<(LedgerTask Task, IReadOnlyList<LedgerEvent> History)> RecordAsync(int year, string id, LedgerActor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var task = await Find(year, id, cancellationToken);
        if (!await MaySeeAsync(actor, task, cancellationToken, parentToo: true)) throw NotFound(year, id);
        return (task, await _ledger.GetHistoryAsync(year, id, cancellationToken));
    }

    /// <summary>
    /// An evidence file of a task's submissions, for the office, the task's unit and that unit's parent (not found for
    /// anyone else, and for a file that is not in the task's history). Hosts serve it as a download
    /// (<c>Content-Disposition: attachment</c>, <c>X-Content-Type-Options: nosniff</c>).
    /// </summary>
    public async Task<(EvidenceFile File, byte[] Content)> FileAsync(int year, string id, string sha256, LedgerActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var task = await Find(year, id, cancellationToken);
        if (!await MaySeeAsync(actor, task, cancellationToken, parentToo: true)) throw NotFound(year, id);
        var file = (await _ledger.GetHistoryAsync(year, id, cancellationToken)).SelectMany(e => e.Files).FirstOrDefault(f => f.Sha256 == sha256)
                   ?? throw new StoreException(StoreError.NotFound, $"任务 {id} 没有这个文件");
        var content = await _ledger.GetFileAsync(sha256, cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"文件 {file.Name} 的内容不在存储中");
        return (file, content);
    }

    /// <summary>
    /// The derived observations of §4 for <paramref name="period"/> (its year's ledger as it stood at the period's end),
    /// five rows per unit with tasks of that year.
    /// </summary>
    public async Task<ImmutableArray<Observation>> ObservationsAsync(Period period, CancellationToken cancellationToken = default)
    {
        var replay = await _ledger.GetReplayAsync(period.Year, cancellationToken);
        return LedgerFigures.For(replay.Tasks, replay.Changes, period);
    }

    // ---- changes (§2) ----

    /// <summary>申请销号: the task's unit (or the office for it), with a note and 1–10 evidence files (§2 types and limits).</summary>
    public async Task<LedgerTask> SubmitAsync(int year, string id, LedgerActor actor, string note, IReadOnlyList<EvidenceUpload> files,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var task = await Find(year, id, cancellationToken);
        UnitOrOffice(actor, task, "申请销号");
        note = Text(note, "说明");
        var described = EvidenceTypes.Check(files);
        CheckState(task, LedgerChange.Submit, null, actor);
        // The files first: a file without its entry is harmless (never shown); an entry without its file would be a hole.
        for (var i = 0; i < files.Count; i++) await _ledger.PutFileAsync(described[i].Sha256, files[i].Content, cancellationToken);
        return await WriteAsync(task, LedgerChange.Submit, actor, note, null, [.. described], cancellationToken);
    }

    /// <summary>核验通过: the office, by another account than the one that submitted; done = the submission's date.</summary>
    public Task<LedgerTask> CloseAsync(int year, string id, LedgerActor actor, string? note = null, CancellationToken cancellationToken = default) =>
        OfficeChangeAsync(year, id, actor, LedgerChange.Close, note is null ? null : Text(note, "说明", required: false), null, cancellationToken);

    /// <summary>退回: the office, with a reason; the submission and its files are kept in the history.</summary>
    public Task<LedgerTask> ReturnAsync(int year, string id, LedgerActor actor, string reason, CancellationToken cancellationToken = default) =>
        OfficeChangeAsync(year, id, actor, LedgerChange.Return, Text(reason, "退回原因"), null, cancellationToken);

    /// <summary>申请延期: the task's unit, on or before the deadline, with a reason and a later proposed deadline.</summary>
    public async Task<LedgerTask> ExtendAsync(int year, string id, LedgerActor actor, string reason, DateOnly proposed, CancellationToken cancellationToken = default)
    {
        var task = await Find(year, id, cancellationToken);
        if (actor.IsOffice) throw new LedgerRefusedException("申请延期由责任单位提出，考核办不能代为申请（可直接调整时限）");
        UnitOrOffice(actor, task, "申请延期");
        reason = Text(reason, "延期理由");
        CheckState(task, LedgerChange.Extend, proposed, actor);
        return await WriteAsync(task, LedgerChange.Extend, actor, reason, proposed, [], cancellationToken);
    }

    /// <summary>批准 / 不批准 a pending extension: the office; approved, the deadline becomes the proposed date (the first kept as originalDue).</summary>
    public async Task<LedgerTask> DecideAsync(int year, string id, LedgerActor actor, bool approve, string? reason = null, CancellationToken cancellationToken = default)
    {
        var task = await Find(year, id, cancellationToken);
        Office(actor, approve ? "批准延期" : "不批准延期");
        var change = approve ? LedgerChange.Approve : LedgerChange.Refuse;
        CheckState(task, change, null, actor);
        return await WriteAsync(task, change, actor, reason is null ? null : Text(reason, "理由", required: false), task.Pending!.Proposed, [], cancellationToken);
    }

    /// <summary>重新挂账: the office, with a reason (回头看 found it not done); optionally a new deadline. Counted as reopened.</summary>
    public Task<LedgerTask> ReopenAsync(int year, string id, LedgerActor actor, string reason, DateOnly? newDue = null, CancellationToken cancellationToken = default) =>
        OfficeChangeAsync(year, id, actor, LedgerChange.Reopen, Text(reason, "重新挂账原因"), newDue, cancellationToken);

    /// <summary>中止: the office, with a reason, for a task in any state but 已销号.</summary>
    public Task<LedgerTask> CancelAsync(int year, string id, LedgerActor actor, string reason, CancellationToken cancellationToken = default) =>
        OfficeChangeAsync(year, id, actor, LedgerChange.Cancel, Text(reason, "中止原因"), null, cancellationToken);

    /// <summary>恢复: the office, with a reason, for a 中止 task.</summary>
    public Task<LedgerTask> ResumeAsync(int year, string id, LedgerActor actor, string reason, CancellationToken cancellationToken = default) =>
        OfficeChangeAsync(year, id, actor, LedgerChange.Resume, Text(reason, "恢复原因"), null, cancellationToken);

    /// <summary>调整时限: the office, with a reason and a date, for a task 推进中 or 待核验 (the first deadline kept as originalDue).</summary>
    public Task<LedgerTask> SetDeadlineAsync(int year, string id, LedgerActor actor, string reason, DateOnly due, CancellationToken cancellationToken = default) =>
        OfficeChangeAsync(year, id, actor, LedgerChange.Deadline, Text(reason, "调整原因"), due, cancellationToken);

    private async Task<LedgerTask> OfficeChangeAsync(int year, string id, LedgerActor actor, LedgerChange change, string? reason, DateOnly? date,
        CancellationToken cancellationToken)
    {
        var task = await Find(year, id, cancellationToken);
        Office(actor, change.ToChinese());
        CheckState(task, change, date, actor);
        return await WriteAsync(task, change, actor, reason, date, [], cancellationToken);
    }

    private void CheckState(LedgerTask task, LedgerChange change, DateOnly? date, LedgerActor actor)
    {
        if (LedgerMachine.Problem(task, change, Today, date, actor.Account) is { } problem) throw new StoreException(StoreError.Conflict, problem);
    }

    /// <summary>Writes the change over the version read: a change written in between makes this one a conflict.</summary>
    private async Task<LedgerTask> WriteAsync(LedgerTask task, LedgerChange change, LedgerActor actor, string? reason, DateOnly? date,
        ImmutableArray<EvidenceFile> files, CancellationToken cancellationToken)
    {
        var at = _clock.GetUtcNow();
        var entry = new LedgerEvent(task.Year, task.Id, task.Version + 1, change, at, LedgerEvent.ChinaDate(at), actor.Account, actor.RoleWord,
            actor.IsOffice ? null : actor.Unit, reason, date, files);
        return await _ledger.ChangeAsync(LedgerMachine.Apply(task, entry), entry, cancellationToken);
    }

    private static LedgerEvent Entry(LedgerTask task, long sequence, LedgerChange change, DateTimeOffset at, DateOnly on, LedgerActor actor, string fileName) =>
        new(task.Year, task.Id, sequence, change, at, on, actor.Account, "import", null, fileName, null, []);

    // ---- access ----

    private static void Office(LedgerActor actor, string what)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOffice) throw new LedgerRefusedException($"只有考核办可以{what}");
    }

    private static string Own(LedgerActor actor, string what)
    {
        if (actor.Role != AccountRole.Unit || actor.Unit is not { Length: > 0 } unit) throw new LedgerRefusedException($"只有考核办和责任单位可以{what}");
        return unit;
    }

    private static void UnitOrOffice(LedgerActor actor, LedgerTask task, string what)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsOffice) return;
        if (Own(actor, what) != task.Unit) throw new LedgerRefusedException($"任务 {task.Id} 不是单位 {actor.Unit} 的任务，不能{what}");
    }

    private async Task<bool> MaySeeAsync(LedgerActor actor, LedgerTask task, CancellationToken cancellationToken, bool parentToo = false)
    {
        if (actor.IsOffice) return true;
        if (actor.Role != AccountRole.Unit || actor.Unit is null || task.Unit is null) return false;
        if (task.Unit == actor.Unit) return true;
        if (!parentToo) return false;
        var unit = (await _store.GetUnitsAsync(task.Year, cancellationToken)).FirstOrDefault(u => u.Code == task.Unit);
        return unit?.Parent == actor.Unit;
    }

    private async Task<LedgerTask> Find(int year, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await _ledger.GetTaskAsync(year, id, cancellationToken) ?? throw NotFound(year, id);
    }

    private static StoreException NotFound(int year, string id) => new(StoreError.NotFound, $"{year} 年的台账中没有任务 {TextRules.Escape(id)}");

    /// <summary>A note or reason: printable, at most 2,000 characters, and (unless optional) not empty.</summary>
    private static string Text(string? text, string what, bool required = true)
    {
        text = text?.Trim() ?? "";
        if (required && text.Length == 0) throw new InputRejectedException(what, [new InputError(what, 1, "-", $"{what}不能为空")]);
        if (text.Length > 2000 || !TextRules.IsPrintable(text.Replace("\n", "", StringComparison.Ordinal)))
            throw new InputRejectedException(what, [new InputError(what, 1, "-", $"{what}含有控制字符或超过 2000 个字符")]);
        return text;
    }
}
