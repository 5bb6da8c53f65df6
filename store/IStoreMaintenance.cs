namespace BaiQianWan.Assess.Store;

/// <summary>
/// Maintenance: bringing the schema up to this code (migrations), checking that the store is sound and takes writes,
/// and sweeping superseded data.
/// </summary>
/// <remarks>
/// Part of <see cref="IAssessStore"/>: the same rules hold (every mutating call is all-or-nothing and appends its audit
/// entry in the same change; times come from the caller; refusals are <see cref="StoreException"/>).
/// </remarks>
public interface IStoreMaintenance
{
    /// <summary>
    /// Creates the store when it is not there (tables, containers, queues) and applies its pending schema migrations in
    /// order, each once, each recorded with its number and name (SQLite: <c>PRAGMA user_version</c> and the table
    /// <c>schema_migration</c>; Azure: the counter's <c>Schema</c> and an entity per migration), so a store an older
    /// program made is brought up to this contract: among the migrations, ruleset versions stored without their level and
    /// classes get them (read once from their texts), and a level that an older replace left with two active rulesets keeps
    /// only the one activated last (in audit order; the others are deactivated with an audit entry). The explicit migrate
    /// step: run by <c>init</c> and when a host starts, not by every command that opens the store. On an up-to-date store
    /// it reads the version and changes nothing; a store a newer program migrated is refused (<see cref="StoreError.Conflict"/>).
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Where the schema stands: the migrations applied and this program's number, read without changing anything (a command
    /// other than <c>init</c> refuses a store that is behind, naming <c>init</c>).
    /// </summary>
    Task<StoreSchema> GetSchemaAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks, after <see cref="InitializeAsync"/>, that the store is sound and takes writes, so a damaged or read-only
    /// store is found when a host starts, not when a request fails: SQLite reads the header, the schema and each table's
    /// root page (a few pages, so a start does not cost the file's size) and commits a write that changes nothing; Azure
    /// writes a probe entity and a probe blob. Throws a <see cref="StoreException"/> (<see cref="StoreError.Conflict"/>)
    /// with one line naming the store and what is wrong. The full check is <see cref="CheckAsync(bool, CancellationToken)"/>.
    /// </summary>
    Task CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="CheckAsync(CancellationToken)"/>, and with <paramref name="full"/> also every page (SQLite:
    /// <c>PRAGMA quick_check</c>, the file's size in time): run by <c>init</c>, <c>store check</c>, and a host's start when
    /// <c>Store__FullCheckOnStart=true</c>. A store with no pages of its own to check (Azure) runs the start check.
    /// </summary>
    Task CheckAsync(bool full, CancellationToken cancellationToken = default) => CheckAsync(cancellationToken);

    /// <summary>
    /// Deletes superseded data: generations of observations, units or results that no head, run or
    /// publication references any more (re-imports and re-saved results leave the previous one behind, a
    /// write that failed before its change leaves its own). Never deletes what a reader may still be
    /// reading: a generation found unreferenced is first marked (at <paramref name="at"/>) and deleted only by
    /// a sweep at least <paramref name="grace"/> later that finds it still unreferenced, so an import still
    /// writing, or a read that began before a re-import, has that long to finish. Safe to run twice, at the
    /// same time, or to stop half-way: what a stopped sweep left is deleted by the next. Writes no audit entry
    /// (nothing a user can see changes). A store that keeps no superseded data reports zeros.
    /// </summary>
    Task<SweepReport> SweepAsync(DateTimeOffset at, TimeSpan grace, CancellationToken cancellationToken = default);
}
