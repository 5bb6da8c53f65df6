using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Store;

/// <summary>Publications: the pointer of each period and level at its official (published) run.</summary>
/// <remarks>
/// Part of <see cref="IAssessStore"/>: the same rules hold (every mutating call is all-or-nothing and appends its audit
/// entry in the same change; times come from the caller; refusals are <see cref="StoreException"/>).
/// </remarks>
public interface IPublicationStore
{
    /// <summary>
    /// Makes a succeeded run the official one for its period and level: a single atomic switch of the
    /// publication pointer. Re-publishing an older run is allowed and audited. The publication's time is
    /// <paramref name="at"/>, or the current publication's when that is later: decided inside the serialized
    /// change, so stored times follow revision order even when racing publishers read the clock out of order.
    /// </summary>
    Task<Publication> PublishAsync(string runId, string actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The publication pointer of a period and level, or null when nothing is published.</summary>
    Task<Publication?> GetPublicationAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every publication pointer with its run, newest first (by publication time, then period, newest first, then level):
    /// one read, not one per period and level.
    /// </summary>
    Task<IReadOnlyList<PublishedRun>> ListPublicationsAsync(CancellationToken cancellationToken = default);
}
