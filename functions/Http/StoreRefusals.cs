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
    /// <summary>
    /// The refusal for <paramref name="exception"/>, or null when it is not one of a store that cannot be used: SQLite's
    /// <c>SQLITE_CORRUPT</c> (11) or <c>SQLITE_NOTADB</c> (26), a damaged page; <c>SQLITE_READONLY</c> (8), <c>IOERR</c>
    /// (10), <c>FULL</c> (13), <c>CANTOPEN</c> (14), <c>AUTH</c> (23), a file that stopped taking writes. Any other SQLite
    /// error (a missing table, a constraint) is a fault of the program, a logged 500 as before.
    /// </summary>
    public StoreException? Of(Exception exception) =>
        // Resolved only when something failed: the gate is built before the store is opened and checked.
        exception is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 11 or 26 or 8 or 10 or 13 or 14 or 23 }
            && services.GetService<IAssessStore>() is SqliteAssessStore sqlite
            ? sqlite.Refusal(exception)
            : null;
}
