using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// The audit log: entries appended by each change of the control partition (Change.Audit, AuditRow), read oldest first.
public sealed partial class AzureAssessStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> GetAuditLogAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryControlAsync("audit|", cancellationToken);
        return [.. rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).Select(r => new AuditEntry(
            r.GetInt64("Sequence")!.Value, StoreText.Time(r.GetString("At")), r.GetString("Actor"),
            r.GetString("Action"), r.GetString("Target"), r.GetString("Detail")))];
    }
}
