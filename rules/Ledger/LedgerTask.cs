using System.Collections.Immutable;

namespace BaiQianWan.Assess.Rules.Ledger;

/// <summary>
/// A task of a year's ledger (an item of the tasks file) and where it stands now. The columns of the file are kept
/// as loaded (<see cref="LoadedDue"/>, <see cref="LoadedState"/>, <see cref="LoadedDone"/>), and the current
/// state and dates are those loaded values with every recorded change applied (<see cref="LedgerMachine.Apply"/>),
/// so the state on any past date can be replayed from the history (<see cref="LedgerHistory"/>).
/// </summary>
public sealed record LedgerTask
{
    /// <summary>The ledger's year.</summary>
    public required int Year { get; init; }

    /// <summary><c>[0-9A-Za-z_-]{1,40}</c>, unique within the year.</summary>
    public required string Id { get; init; }

    /// <summary>The id of the item this one belongs to (a stage, main task or key work), or null.</summary>
    public string? Parent { get; init; }

    /// <summary>Free text shown as the item's kind (阶段目标, 主要任务, 重点工作, 举措 …).</summary>
    public string Kind { get; init; } = "";

    /// <summary>The task as written.</summary>
    public string Title { get; init; } = "";

    /// <summary>The responsible unit's code (责任单位); null for a grouping item, which has no state.</summary>
    public string? Unit { get; init; }

    /// <summary>牵头单位, or null.</summary>
    public string? Lead { get; init; }

    /// <summary>责任领导, or null.</summary>
    public string? Leader { get; init; }

    /// <summary>The deadline as the tasks file gives it.</summary>
    public DateOnly? LoadedDue { get; init; }

    /// <summary>The state as the tasks file gives it (推进中, 已销号 or 中止).</summary>
    public TaskState LoadedState { get; init; }

    /// <summary>The file's <c>done</c> date (exactly when <see cref="LoadedState"/> is 已销号).</summary>
    public DateOnly? LoadedDone { get; init; }

    /// <summary>The state now.</summary>
    public TaskState State { get; init; }

    /// <summary>The deadline in force now.</summary>
    public DateOnly? Due { get; init; }

    /// <summary>The first deadline, once the deadline has been moved (an approved extension, a set deadline, a reopen with a new one).</summary>
    public DateOnly? OriginalDue { get; init; }

    /// <summary>When 已销号: the date the work was reported done (the date of the submission verified, or the file's).</summary>
    public DateOnly? Done { get; init; }

    /// <summary>When 已销号: the deadline in force when the work was reported done (at the submission verified, or the file's).</summary>
    public DateOnly? DueWhenDone { get; init; }

    /// <summary>The date of the last submission (申请销号), kept while it waits (待核验) and once closed.</summary>
    public DateOnly? SubmittedOn { get; init; }

    /// <summary>The account that made the last submission (it may not verify it).</summary>
    public string? SubmittedBy { get; init; }

    /// <summary>The deadline in force at the last submission.</summary>
    public DateOnly? DueAtSubmission { get; init; }

    /// <summary>A pending extension request (申请延期), or null.</summary>
    public PendingExtension? Pending { get; init; }

    /// <summary>How many times the task was reopened (重新挂账).</summary>
    public int Reopened { get; init; }

    /// <summary>The number of entries in the task's history; each change adds one (optimistic concurrency: a change is written only over the version it read).</summary>
    public long Version { get; init; }

    /// <summary>True once a change of state of §2 is recorded: a re-import then no longer changes the task's state or dates.</summary>
    public bool Changed { get; init; }

    /// <summary>True for a grouping item (no unit): it has no state, lights or figures.</summary>
    public bool IsGrouping => Unit is null;

    /// <summary>The task as the tasks file loads it, with no change applied: the state on every date before its first change.</summary>
    public LedgerTask AsLoaded() => this with
    {
        State = LoadedState,
        Due = LoadedDue,
        OriginalDue = null,
        Done = LoadedDone,
        DueWhenDone = LoadedState == TaskState.Closed ? LoadedDue : null,
        SubmittedOn = null,
        SubmittedBy = null,
        DueAtSubmission = null,
        Pending = null,
        Reopened = 0,
        Changed = false,
    };
}

/// <summary>An extension request waiting for the office's decision.</summary>
/// <param name="Proposed">The deadline asked for.</param>
/// <param name="Reason">Why.</param>
/// <param name="By">The account that asked.</param>
/// <param name="On">The date it was asked (on or before the deadline then in force).</param>
public sealed record PendingExtension(DateOnly Proposed, string Reason, string By, DateOnly On);

/// <summary>An evidence file of a submission, stored once by its hash.</summary>
/// <param name="Name">The file's name as uploaded.</param>
/// <param name="Type">Its type recognised by content: <c>pdf</c>, <c>png</c>, <c>jpeg</c>, <c>xlsx</c> or <c>docx</c>.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">SHA-256 of the content, lower-case hex (the key of the stored content).</param>
public sealed record EvidenceFile(string Name, string Type, long Size, string Sha256);

/// <summary>
/// One entry of a task's history: who changed it, when, why, with which files. Nothing is ever deleted: the
/// history is the record, and the state on any date is replayed from it.
/// </summary>
/// <param name="Year">The ledger's year.</param>
/// <param name="TaskId">The task.</param>
/// <param name="Sequence">The task's version after this entry (1 for its import).</param>
/// <param name="Change">What was done.</param>
/// <param name="At">When (UTC instant).</param>
/// <param name="On">The China date (Asia/Shanghai) of <paramref name="At"/>: what "on or before E" reads.</param>
/// <param name="Actor">The account (or CLI operator) that made the change.</param>
/// <param name="Role">The actor's role: <c>office</c> or <c>unit</c> (<c>import</c> for imports).</param>
/// <param name="ActorUnit">The actor's unit when acting as a unit.</param>
/// <param name="Reason">The note, reason or file name.</param>
/// <param name="Date">The date the change carries: a proposed or new deadline.</param>
/// <param name="Files">Evidence files of a submission.</param>
public sealed record LedgerEvent(int Year, string TaskId, long Sequence, LedgerChange Change, DateTimeOffset At, DateOnly On, string Actor, string Role,
    string? ActorUnit, string? Reason, DateOnly? Date, ImmutableArray<EvidenceFile> Files)
{
    /// <summary>The China date of an instant (UTC+8: China has no daylight saving time).</summary>
    public static DateOnly ChinaDate(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(8)).DateTime);
}
