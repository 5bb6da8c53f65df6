using BaiQianWan.Assess.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Tests.Kit;

/// <summary>A SQLite store in a fresh temporary file per test, deleted afterwards.</summary>
public sealed class TempSqlite : IAsyncDisposable
{
    public TempSqlite() => Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bqw-{Guid.NewGuid():N}.db");

    public string Path { get; }

    public async Task<SqliteAssessStore> OpenAsync()
    {
        var store = new SqliteAssessStore(Path);
        await store.InitializeAsync();
        return store;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(Path + suffix)) File.Delete(Path + suffix);
        return ValueTask.CompletedTask;
    }
}
