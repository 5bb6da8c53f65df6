namespace BaiQianWan.Assess.Store;

/// <summary>The audit log every change of the store (and of the account store) appends to.</summary>
/// <remarks>
/// Part of <see cref="IAssessStore"/>: the same rules hold (every mutating call is all-or-nothing and appends its audit
/// entry in the same change; times come from the caller; refusals are <see cref="StoreException"/>).
/// </remarks>
public interface IAuditStore
{
    /// <summary>The audit log, oldest first (append-only: entries are never changed or removed).</summary>
    Task<IReadOnlyList<AuditEntry>> GetAuditLogAsync(CancellationToken cancellationToken = default);
}
