using BaiQianWan.Assess.Store.Internal;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

// The audit log: appended to inside each change (SqliteAssessStore.Change), read oldest first.
public sealed partial class SqliteAssessStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> GetAuditLogAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = Command(c, null, "SELECT seq, at, actor, action, target, detail FROM audit ORDER BY seq;");
        using var r = cmd.ExecuteReader();
        var list = new List<AuditEntry>();
        while (r.Read())
            list.Add(new AuditEntry(r.GetInt64(0), StoreText.Time(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));
        return list;
    }

    /// <summary>Appends an audit entry inside the caller's transaction (the account store's changes too).</summary>
    internal static void Audit(SqliteConnection c, SqliteTransaction tx, DateTimeOffset at, string actor, string action, string target, string? detail) =>
        Exec(c, tx, "INSERT INTO audit (at, actor, action, target, detail) VALUES ($at, $actor, $action, $target, $detail);",
            ("$at", StoreText.Time(at)), ("$actor", actor), ("$action", action), ("$target", target), ("$detail", detail));
}
