using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

/// <summary>
/// The store in one SQLite file (the embedded default): WAL journal, numbered schema migrations applied by
/// <see cref="InitializeAsync"/>, one <c>BEGIN IMMEDIATE</c> transaction per mutating call with its audit entry inside it
/// (<see cref="ChangeAsync{T}(Func{Change, Task{T}}, CancellationToken)"/>), so a failure (or a killed process) leaves
/// nothing of the change behind.
/// </summary>
/// <remarks>
/// One partial file per aggregate: <c>.Data.cs</c> (units, observations, imports), <c>.Rulesets.cs</c>, <c>.Runs.cs</c> and
/// <c>.Archives.cs</c> (runs, results, documents, archives), <c>.Publications.cs</c>, <c>.Audit.cs</c>, <c>.Maintenance.cs</c>
/// (migrations, check, sweep); this file holds the connection and the one change helper they share.
/// </remarks>
public sealed partial class SqliteAssessStore : IAssessStore
{
    private readonly string _connectionString;

    /// <summary>Opens (creating if needed) the store file at <paramref name="path"/>. Call <see cref="InitializeAsync"/> before use.</summary>
    public SqliteAssessStore(string path)
    {
        (Path, _connectionString) = SqliteFile.Open(path);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The schema version this code writes (the number of migrations).</summary>
    public static int SchemaVersion => SqliteSchema.Migrations.Length;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var c = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(c);
        return ValueTask.CompletedTask;
    }

    // ---- the one change helper ----

    /// <summary>
    /// The one way a change is made: opens a connection, begins a <c>BEGIN IMMEDIATE</c> transaction (writers take the lock
    /// before they read what they check, so checks and writes are serialized), builds the change in it, appending its audit
    /// entries (<see cref="Change.Audit"/>) inside the same transaction, and commits. A change that finds nothing to do
    /// (<see cref="Change.NoOp{T}"/>) or throws is rolled back, so a failure leaves nothing behind.
    /// </summary>
    private Task<T> ChangeAsync<T>(Func<Change, T> build, CancellationToken cancellationToken) =>
        ChangeAsync(change => Task.FromResult(build(change)), cancellationToken);

    /// <inheritdoc cref="ChangeAsync{T}(Func{Change, T}, CancellationToken)"/>
    private async Task<T> ChangeAsync<T>(Func<Change, Task<T>> build, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var change = new Change(c, tx);
        var value = await build(change);
        if (!change.IsNoOp) tx.Commit();
        return value;
    }

    /// <summary>One change under way: its connection and transaction, and the audit entries it appends.</summary>
    private sealed class Change(SqliteConnection connection, SqliteTransaction transaction)
    {
        /// <summary>True when the change found nothing to do (it is rolled back, which writes nothing).</summary>
        public bool IsNoOp { get; private set; }

        /// <summary>Ends the change without writing anything, answering <paramref name="value"/>.</summary>
        public T NoOp<T>(T value)
        {
            IsNoOp = true;
            return value;
        }

        /// <summary>Appends an audit entry inside this change's transaction.</summary>
        public void Audit(DateTimeOffset at, string actor, string action, string target, string? detail) =>
            SqliteAssessStore.Audit(connection, transaction, at, actor, action, target, detail);

        /// <summary>The connection and transaction, for the statements of the change.</summary>
        public void Deconstruct(out SqliteConnection c, out SqliteTransaction tx)
        {
            c = connection;
            tx = transaction;
        }
    }

    // ---- helpers ----

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(cancellationToken);
        return c;
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    private static SqliteParameter[] Params(SqliteCommand cmd, params string[] names)
    {
        var list = new SqliteParameter[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            // No declared type: each value picks its storage class (text, integer, blob, null).
            list[i] = cmd.CreateParameter();
            list[i].ParameterName = names[i];
            cmd.Parameters.Add(list[i]);
        }
        return list;
    }

    private static void Exec(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        var value = cmd.ExecuteScalar();
        return value is DBNull ? null : value;
    }
}
