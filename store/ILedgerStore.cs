using BaiQianWan.Assess.Rules.Ledger;

namespace BaiQianWan.Assess.Store;

/// <summary>
/// The task ledgers (清单式推进、销号制): each year's tasks, every task's history (nothing is ever deleted), and the
/// evidence files of submissions by their SHA-256. One contract, two implementations (<c>SqliteLedgerStore</c> in the
/// assessment store's file, <c>AzureLedgerStore</c> in its own table and container); one contract test suite runs on both.
/// </summary>
/// <remarks>
/// Every write is a task with the history entry that made it (<see cref="LedgerEvent.Sequence"/> = the task's new
/// <see cref="LedgerTask.Version"/>), written together or not at all, and only over the version it was made from
/// (<c>Sequence − 1</c>; 0 for a new task): of two changes made from the same version, exactly one is written and the
/// other is refused with a <see cref="StoreException"/> (<see cref="StoreError.Conflict"/>).
/// </remarks>
public interface ILedgerStore : IAsyncDisposable
{
    /// <summary>
    /// Brings the ledger's schema up to date by the store's numbered migrations (SQLite: the file's, which create the
    /// ledger's tables; Azure: the ledger table's own, recorded as <c>schema|NNNN</c>), creating the table and container if
    /// needed. Safe to call on every start: an up-to-date store costs a read.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>The tasks of a year, ordered by id (ordinal).</summary>
    Task<IReadOnlyList<LedgerTask>> GetTasksAsync(int year, CancellationToken cancellationToken = default);

    /// <summary>
    /// A cheap stamp of a year's ledger: it changes with every import and every change of that year (written in the same
    /// transaction), never on reads, so a reader that read the stamp before the tasks may keep them until the stamp moves.
    /// Empty for a year never written since the stamp was introduced. SQLite: the <c>ledger_year</c> row; Azure: the year's
    /// pointer entity's ETag.
    /// </summary>
    Task<string> GetYearStampAsync(int year, CancellationToken cancellationToken = default);

    /// <summary>One task, or null.</summary>
    Task<LedgerTask?> GetTaskAsync(int year, string id, CancellationToken cancellationToken = default);

    /// <summary>A task's history, in order (empty for an unknown task).</summary>
    Task<IReadOnlyList<LedgerEvent>> GetHistoryAsync(int year, string id, CancellationToken cancellationToken = default);

    /// <summary>The history of every task of a year, by task id, each in order.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<LedgerEvent>>> GetHistoriesAsync(int year, CancellationToken cancellationToken = default);

    /// <summary>
    /// What replaying a year's ledger needs, read lean (no JSON): each task's year, id, unit and loaded columns
    /// (<see cref="LedgerTask.LoadedDue"/>, <see cref="LedgerTask.LoadedState"/>, <see cref="LedgerTask.LoadedDone"/>; its
    /// other fields left at their defaults), and each task's changes of state (§2; no imports) in order, with their
    /// sequence, change, time, China date, actor and date (no reason or files). The derived observations read this.
    /// </summary>
    Task<LedgerReplay> GetReplayAsync(int year, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes an import's tasks with their entries. A task changed since it was read is a conflict
    /// (<see cref="StoreError.Conflict"/>), naming it, found before anything is written.
    /// <para>All or nothing on both: on SQLite one transaction; on Azure the import is staged in a new generation of the
    /// year's rows, invisible to readers, and made current by one transaction on the year's pointer entity, so lists,
    /// histories and the derived observations a run reads see the ledger before the import or after it, never part of it.
    /// A failure part way (storage gone) writes nothing readers see; a change written meanwhile is kept (the import is
    /// staged again over it) or, when it changed a task of the import, makes the import a conflict.</para>
    /// </summary>
    Task ImportAsync(int year, IReadOnlyList<(LedgerTask Task, LedgerEvent Entry)> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes one change: the task as changed and its entry, only over the version the change was made from; a conflict
    /// otherwise (<see cref="StoreError.Conflict"/>), not found for an unknown task.
    /// </summary>
    Task<LedgerTask> ChangeAsync(LedgerTask changed, LedgerEvent entry, CancellationToken cancellationToken = default);

    /// <summary>Stores an evidence file's content under its SHA-256 (the same content again is a no-op).</summary>
    Task PutFileAsync(string sha256, byte[] content, CancellationToken cancellationToken = default);

    /// <summary>An evidence file's content, or null.</summary>
    Task<byte[]?> GetFileAsync(string sha256, CancellationToken cancellationToken = default);
}

/// <summary>A year's ledger as replaying it needs (see <see cref="ILedgerStore.GetReplayAsync"/>).</summary>
/// <param name="Tasks">The tasks (ordered by id), with their loaded columns.</param>
/// <param name="Changes">Each task's changes of state, in order, by task id (a task without changes is not in it).</param>
public sealed record LedgerReplay(IReadOnlyList<LedgerTask> Tasks, IReadOnlyDictionary<string, IReadOnlyList<LedgerEvent>> Changes);
