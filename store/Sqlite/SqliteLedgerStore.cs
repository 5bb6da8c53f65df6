using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Store.Internal;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

/// <summary>
/// The task ledgers in the same SQLite file as the <see cref="SqliteAssessStore"/>, in tables of their own
/// (<c>ledger_task</c>, <c>ledger_event</c>, <c>ledger_file</c>) created by the store's numbered migrations (10). Each write is one <c>BEGIN IMMEDIATE</c> transaction that checks the stored
/// version first, so of two changes made from the same version exactly one is written.
/// </summary>
public sealed class SqliteLedgerStore : ILedgerStore
{
    private readonly string _connectionString;

    /// <summary>Opens (creating if needed) the store file at <paramref name="path"/>. Call <see cref="InitializeAsync"/> before use.</summary>
    public SqliteLedgerStore(string path)
    {
        (Path, _connectionString) = SqliteFile.Open(path);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    /// <remarks>
    /// The tables are the store's: migration 10 of its numbered migrations (<c>SqliteSchema</c>) creates them, so this
    /// brings the file up to date as <see cref="SqliteAssessStore.InitializeAsync"/> does (one read when it is).
    /// </remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var store = new SqliteAssessStore(Path);
        await store.InitializeAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerTask>> GetTasksAsync(int year, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT data FROM ledger_task WHERE year = $year;";
        cmd.Parameters.AddWithValue("$year", year);
        var list = new List<LedgerTask>();
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (r.Read()) list.Add(LedgerJson.Task(r.GetString(0)));
        list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    /// <inheritdoc />
    public async Task<LedgerTask?> GetTaskAsync(int year, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var c = await OpenAsync(cancellationToken);
        return Find(c, null, year, id);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LedgerEvent>> GetHistoryAsync(int year, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT data FROM ledger_event WHERE year = $year AND task_id = $id ORDER BY seq;";
        cmd.Parameters.AddWithValue("$year", year);
        cmd.Parameters.AddWithValue("$id", id);
        var list = new List<LedgerEvent>();
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (r.Read()) list.Add(LedgerJson.Event(r.GetString(0)));
        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<LedgerEvent>>> GetHistoriesAsync(int year, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT task_id, data FROM ledger_event WHERE year = $year ORDER BY task_id, seq;";
        cmd.Parameters.AddWithValue("$year", year);
        var result = new Dictionary<string, IReadOnlyList<LedgerEvent>>(StringComparer.Ordinal);
        using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        List<LedgerEvent>? current = null;
        string? currentId = null;
        while (r.Read())
        {
            var id = r.GetString(0);
            if (id != currentId)
            {
                current = [];
                result[id] = current;
                currentId = id;
            }
            current!.Add(LedgerJson.Event(r.GetString(1)));
        }
        return result;
    }

    /// <inheritdoc />
    public async Task ImportAsync(int year, IReadOnlyList<(LedgerTask Task, LedgerEvent Entry)> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var (t0, e0) in writes) LedgerJson.Check(year, t0, e0);
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var read = c.CreateCommand())
        {
            read.Transaction = tx;
            read.CommandText = "SELECT id, version FROM ledger_task WHERE year = $year;";
            read.Parameters.AddWithValue("$year", year);
            using var r = read.ExecuteReader();
            while (r.Read()) versions[r.GetString(0)] = r.GetInt64(1);
        }
        using var task = Command(c, tx, "INSERT OR REPLACE INTO ledger_task (year, id, unit_code, state, version, loaded_due, loaded_state, loaded_done, data) " +
            "VALUES ($year, $id, $unit, $state, $version, $ldue, $lstate, $ldone, $data);", TaskParameters);
        using var entry = Command(c, tx, EntrySql, EntryParameters);
        foreach (var (t, e) in writes)
        {
            var stored = versions.TryGetValue(t.Id, out var v) ? v : 0;
            if (stored != e.Sequence - 1) throw LedgerJson.Conflict(t.Id);
            versions[t.Id] = e.Sequence;
            WriteTask(task, t);
            WriteEntry(entry, e);
        }
        Bump(c, tx, year);
        tx.Commit();
    }

    /// <inheritdoc />
    public async Task<LedgerTask> ChangeAsync(LedgerTask changed, LedgerEvent entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(entry);
        LedgerJson.Check(changed.Year, changed, entry);
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var current = Find(c, tx, changed.Year, changed.Id) ?? throw new StoreException(StoreError.NotFound, $"{changed.Year} 年的台账中没有任务 {changed.Id}");
        if (current.Version != entry.Sequence - 1) throw LedgerJson.Conflict(changed.Id);
        using var task = Command(c, tx, "UPDATE ledger_task SET unit_code = $unit, state = $state, version = $version, loaded_due = $ldue, loaded_state = $lstate, " +
            "loaded_done = $ldone, data = $data WHERE year = $year AND id = $id;", TaskParameters);
        WriteTask(task, changed);
        using var e = Command(c, tx, EntrySql, EntryParameters);
        WriteEntry(e, entry);
        Bump(c, tx, changed.Year);
        tx.Commit();
        return changed;
    }

    /// <inheritdoc />
    public async Task<string> GetYearStampAsync(int year, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT stamp FROM ledger_year WHERE year = $year;";
        cmd.Parameters.AddWithValue("$year", year);
        return await cmd.ExecuteScalarAsync(cancellationToken) as string ?? "";
    }

    /// <summary>Moves the year's stamp to a new random value (random, so a file made again never repeats an old stamp).</summary>
    private static void Bump(SqliteConnection c, SqliteTransaction tx, int year)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO ledger_year (year, stamp) VALUES ($year, lower(hex(randomblob(16)))) " +
            "ON CONFLICT (year) DO UPDATE SET stamp = excluded.stamp;";
        cmd.Parameters.AddWithValue("$year", year);
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public async Task PutFileAsync(string sha256, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!LedgerJson.IsSha(sha256) || StoreText.Sha256(content) != sha256) throw new StoreException(StoreError.Invalid, "文件内容与其 SHA-256 不符");
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT OR IGNORE INTO ledger_file (sha256, size, content) VALUES ($sha, $size, $content);";
        cmd.Parameters.AddWithValue("$sha", sha256);
        cmd.Parameters.AddWithValue("$size", content.LongLength);
        cmd.Parameters.AddWithValue("$content", content);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetFileAsync(string sha256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT content FROM ledger_file WHERE sha256 = $sha;";
        cmd.Parameters.AddWithValue("$sha", sha256);
        return await cmd.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(cancellationToken);
        return c;
    }

    private static LedgerTask? Find(SqliteConnection c, SqliteTransaction? tx, int year, string id)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT data FROM ledger_task WHERE year = $year AND id = $id;";
        cmd.Parameters.AddWithValue("$year", year);
        cmd.Parameters.AddWithValue("$id", id);
        return cmd.ExecuteScalar() is string json ? LedgerJson.Task(json) : null;
    }

    private const string EntrySql =
        "INSERT INTO ledger_event (year, task_id, seq, change, at, on_date, actor, date, data) VALUES ($year, $id, $seq, $change, $at, $on, $actor, $date, $data);";

    private static readonly string[] EntryParameters = ["$year", "$id", "$seq", "$change", "$at", "$on", "$actor", "$date", "$data"];

    private static readonly string[] TaskParameters = ["$year", "$id", "$unit", "$state", "$version", "$ldue", "$lstate", "$ldone", "$data"];

    private static string? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public async Task<LedgerReplay> GetReplayAsync(int year, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        var tasks = new List<LedgerTask>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT id, unit_code, loaded_due, loaded_state, loaded_done FROM ledger_task WHERE year = $year;";
            cmd.Parameters.AddWithValue("$year", year);
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (r.Read())
            {
                Enum.TryParse<TaskState>(r.GetString(3), out var loaded);
                tasks.Add(new LedgerTask
                {
                    Year = year, Id = r.GetString(0), Unit = r.IsDBNull(1) ? null : r.GetString(1),
                    LoadedDue = r.IsDBNull(2) ? null : Day(r.GetString(2)), LoadedState = loaded, LoadedDone = r.IsDBNull(4) ? null : Day(r.GetString(4)),
                });
            }
        }
        tasks.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var changes = new Dictionary<string, IReadOnlyList<LedgerEvent>>(StringComparer.Ordinal);
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT task_id, seq, change, at, on_date, actor, date FROM ledger_event WHERE year = $year AND change NOT IN ('imported', 'updated') ORDER BY task_id, seq;";
            cmd.Parameters.AddWithValue("$year", year);
            using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            List<LedgerEvent>? current = null;
            string? currentId = null;
            while (r.Read())
            {
                var id = r.GetString(0);
                if (id != currentId)
                {
                    changes[id] = current = [];
                    currentId = id;
                }
                LedgerChanges.TryParse(r.GetString(2), out var change);
                current!.Add(new LedgerEvent(year, id, r.GetInt64(1), change,
                    DateTimeOffset.Parse(r.GetString(3), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind),
                    Day(r.GetString(4)), r.GetString(5), "", null, null, r.IsDBNull(6) ? null : Day(r.GetString(6)), []));
            }
        }
        return new LedgerReplay(tasks, changes);
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql, string[] names)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var n in names) cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
        cmd.Prepare();
        return cmd;
    }

    private static void WriteTask(SqliteCommand cmd, LedgerTask t)
    {
        cmd.Parameters["$year"].Value = t.Year;
        cmd.Parameters["$id"].Value = t.Id;
        cmd.Parameters["$unit"].Value = (object?)t.Unit ?? DBNull.Value;
        cmd.Parameters["$state"].Value = t.State.ToString();
        cmd.Parameters["$version"].Value = t.Version;
        cmd.Parameters["$ldue"].Value = (object?)Day(t.LoadedDue) ?? DBNull.Value;
        cmd.Parameters["$lstate"].Value = t.LoadedState.ToString();
        cmd.Parameters["$ldone"].Value = (object?)Day(t.LoadedDone) ?? DBNull.Value;
        cmd.Parameters["$data"].Value = LedgerJson.Write(t);
        cmd.ExecuteNonQuery();
    }

    private static void WriteEntry(SqliteCommand cmd, LedgerEvent e)
    {
        cmd.Parameters["$year"].Value = e.Year;
        cmd.Parameters["$id"].Value = e.TaskId;
        cmd.Parameters["$seq"].Value = e.Sequence;
        cmd.Parameters["$change"].Value = e.Change.ToWord();
        cmd.Parameters["$at"].Value = e.At.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        cmd.Parameters["$on"].Value = Day(e.On);
        cmd.Parameters["$actor"].Value = e.Actor;
        cmd.Parameters["$date"].Value = (object?)Day(e.Date) ?? DBNull.Value;
        cmd.Parameters["$data"].Value = LedgerJson.Write(e);
        cmd.ExecuteNonQuery();
    }
}
