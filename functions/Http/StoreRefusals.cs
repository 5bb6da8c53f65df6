using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;

namespace BaiQianWan.Assess.Functions.Http;

/// <summary>
/// The store's one-line refusal for an error it raised while a request used it: a SQLite page found damaged when a request
/// first reads it (the start check reads only the header, the schema and the table roots), a file that stopped taking
/// writes. The same <see cref="StoreException"/> (<see cref="StoreError.Unavailable"/>) the CLI prints with exit 3, so the
/// API answers it as a 503 problem and the portal as its error page, not as the general 500. Null for anything else.
/// </summary>
public sealed class StoreRefusals(IServiceProvider services)
{
    /// <summary>The refusal for <paramref name="exception"/>, or null when it is not the store's.</summary>
    public StoreException? Of(Exception exception) =>
        // Resolved only when something failed: the gate is built before the store is opened and checked.
        exception is Microsoft.Data.Sqlite.SqliteException && services.GetService<IAssessStore>() is SqliteAssessStore sqlite
            ? sqlite.Refusal(exception)
            : null;
}
