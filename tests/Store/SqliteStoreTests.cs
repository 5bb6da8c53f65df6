using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Tests.Store;

public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly TempSqlite _file = new();

    protected override async Task<IAssessStore> CreateStoreAsync() => await _file.OpenAsync();

    protected override Task CleanupAsync() => _file.DisposeAsync().AsTask();
}

public sealed class SqliteWorkflowContractTests : WorkflowContractTests
{
    private readonly TempSqlite _file = new();

    protected override async Task<IAssessStore> CreateStoreAsync() => await _file.OpenAsync();

    protected override Task CleanupAsync() => _file.DisposeAsync().AsTask();
}

[Trait("Cost", "Slow")]
public sealed class SqliteSweepContractTests : SweepContractTests
{
    private readonly TempSqlite _file = new();

    protected override async Task<IAssessStore> CreateStoreAsync() => await _file.OpenAsync();

    protected override Task CleanupAsync() => _file.DisposeAsync().AsTask();

    protected override bool KeepsSupersededData => false;

    protected override Task<long> StoredObservationFiguresAsync() => CountAsync("SELECT COUNT(*) FROM observation;", null);

    protected override async Task<int> StoredResultSetsAsync(string runId) => (int)await CountAsync("SELECT COUNT(*) FROM run_result WHERE run_id = $id;", runId);

    protected override void OnSweepDelete(Action<string>? hook)
    {
        // SQLite deletes nothing in a sweep: there is no point between two deletes to stop at.
    }

    private async Task<long> CountAsync(string sql, string? id)
    {
        await using var connection = new SqliteConnection($"Data Source={_file.Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (id is not null) command.Parameters.AddWithValue("$id", id);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
