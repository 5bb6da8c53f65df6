using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

/// <summary>
/// How every SQLite store of the product opens the one file it shares (assessment, accounts, ledger): the same
/// connection settings, so their pools and busy timeouts agree.
/// </summary>
internal static class SqliteFile
{
    /// <summary>The full path of <paramref name="path"/> and its connection string (read-write, created if needed, pooled, 60 s busy timeout).</summary>
    public static (string FullPath, string ConnectionString) Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        return (full, new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString());
    }
}
