using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Store;

/// <summary>
/// Units and data: the units of each year, the reported figures of each period, and the import batches that brought
/// them (with their original files).
/// </summary>
/// <remarks>
/// Part of <see cref="IAssessStore"/>: the same rules hold (every mutating call is all-or-nothing and appends its audit
/// entry in the same change; times come from the caller; refusals are <see cref="StoreException"/>).
/// </remarks>
public interface IUnitDataStore
{
    /// <summary>
    /// Replaces the units (and their classes) of <paramref name="year"/> with <paramref name="units"/>, kept as
    /// one import batch. Re-importing a file with the same SHA-256 for the same year is a no-op that returns
    /// the earlier batch with <see cref="ImportOutcome.AlreadyImported"/> set.
    /// </summary>
    Task<ImportOutcome> ImportUnitsAsync(int year, IReadOnlyList<Unit> units, ImportSource source, CancellationToken cancellationToken = default);

    /// <summary>The units of a year, ordered by code (ordinal); empty when none were imported.</summary>
    Task<IReadOnlyList<Unit>> GetUnitsAsync(int year, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores reported figures (any periods) as one import batch; a row replaces an earlier figure with the
    /// same unit, indicator and period. Every row's unit must exist among the units of its period's year,
    /// otherwise nothing is written and a <see cref="StoreException"/> names the rows. Re-importing a file
    /// with the same SHA-256 is a no-op.
    /// </summary>
    Task<ImportOutcome> ImportObservationsAsync(IReadOnlyList<Observation> observations, ImportSource source, CancellationToken cancellationToken = default);

    /// <summary>The current figures of one period, ordered by unit then indicator (ordinal).</summary>
    Task<IReadOnlyList<Observation>> GetObservationsAsync(Period period, CancellationToken cancellationToken = default);

    /// <summary>Import batches, newest first.</summary>
    Task<IReadOnlyList<ImportBatch>> ListImportsAsync(CancellationToken cancellationToken = default);

    /// <summary>The original bytes of an import batch's file, or null for an unknown batch.</summary>
    Task<byte[]?> GetImportFileAsync(string batchId, CancellationToken cancellationToken = default);
}
