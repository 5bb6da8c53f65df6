using System.Globalization;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

/// <summary>
/// Accounts in the same SQLite file as the <see cref="SqliteAssessStore"/> (table <c>account</c>, created on
/// <see cref="InitializeAsync"/>, with the assessment store's schema). Each change is one <c>BEGIN IMMEDIATE</c>
/// transaction, so two failed sign-ins at once are both counted, and an audited change appends its entry to the
/// assessment store's <c>audit</c> table in that same transaction.
/// </summary>
public sealed class SqliteAccountStore : AccountStore
{
    private const string Columns =
        "name, display_name, role, unit_code, enabled, password_hash, must_change, failed, locked_until, created_at, last_sign_in_at, session_epoch";

    private readonly string _connectionString;

    /// <summary>Opens (creating if needed) the store file at <paramref name="path"/>. Call <see cref="InitializeAsync"/> before use.</summary>
    public SqliteAccountStore(string path)
    {
        (Path, _connectionString) = SqliteFile.Open(path);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = c.CreateCommand();
        // Its own table, independent of the assessment schema's numbered migrations.
        cmd.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS account (
                name TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                unit_code TEXT NULL,
                enabled INTEGER NOT NULL,
                password_hash TEXT NOT NULL,
                must_change INTEGER NOT NULL,
                failed INTEGER NOT NULL,
                locked_until TEXT NULL,
                created_at TEXT NOT NULL,
                last_sign_in_at TEXT NULL,
                session_epoch INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            """;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        // A table made before sessions could be ended lacks the epoch: added, every account at 0 (older sessions carry no
        // epoch and are refused, so everyone signs in once more).
        using (var columns = c.CreateCommand())
        {
            columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('account') WHERE name = 'session_epoch';";
            if (Convert.ToInt64(await columns.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                columns.CommandText = "ALTER TABLE account ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;";
                await columns.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        // The audit log account changes append to is the assessment store's: its schema is made (or migrated) here too.
        await using var assess = new SqliteAssessStore(Path);
        await assess.InitializeAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<Account> CreateAsync(Account account, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        account = account with { Name = AccountNames.Normalize(account.Name) };
        AccountNames.Check(account);
        var audit = AccountChanges.Created(account, actor);
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        if (Find(c, tx, account.Name) is not null) throw new StoreException(StoreError.Conflict, $"登录名 {account.Name} 已被使用");
        Write(c, tx, account, insert: true);
        Audit(c, tx, account.Name, audit);
        tx.Commit();
        return account;
    }

    /// <inheritdoc />
    public override async Task<Account?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var c = await OpenAsync(cancellationToken);
        return Find(c, null, AccountNames.Normalize(name));
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM account;";
        var list = new List<Account>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add(Read(r));
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <inheritdoc />
    private protected override async Task<Account> ChangeAsync(string name, Func<Account, Account> change, Func<Account, Account, AccountAudit?> audit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        name = AccountNames.Normalize(name);
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: false);
        var current = Find(c, tx, name) ?? throw new StoreException(StoreError.NotFound, $"没有账户 {name}");
        var changed = change(current);
        // Inside the IMMEDIATE transaction: two offices disabling each other at once are serialized, and the second sees the first.
        if (AccountChanges.RemovesAnOffice(current, changed) && CountActiveOffices(c, tx, except: name) == 0) throw AccountChanges.LastOffice(name);
        Write(c, tx, changed, insert: false);
        if (audit(current, changed) is { } entry) Audit(c, tx, name, entry);
        tx.Commit();
        return changed;
    }

    private static void Audit(SqliteConnection c, SqliteTransaction tx, string name, AccountAudit a) =>
        SqliteAssessStore.Audit(c, tx, a.At, a.Actor, a.Action, name, a.Detail);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(cancellationToken);
        return c;
    }

    private static Account? Find(SqliteConnection c, SqliteTransaction? tx, string name)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT {Columns} FROM account WHERE name = $name;";
        cmd.Parameters.AddWithValue("$name", name);
        using var r = cmd.ExecuteReader();
        return r.Read() ? Read(r) : null;
    }

    private static long CountActiveOffices(SqliteConnection c, SqliteTransaction tx, string except)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COUNT(*) FROM account WHERE role = $role AND enabled = 1 AND name <> $name;";
        cmd.Parameters.AddWithValue("$role", AccountRole.Office.ToClaim());
        cmd.Parameters.AddWithValue("$name", except);
        return (long)cmd.ExecuteScalar()!;
    }

    private static void Write(SqliteConnection c, SqliteTransaction tx, Account a, bool insert)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = insert
            ? $"INSERT INTO account ({Columns}) VALUES ($name, $display, $role, $unit, $enabled, $hash, $must, $failed, $locked, $created, $last, $epoch);"
            : "UPDATE account SET display_name = $display, role = $role, unit_code = $unit, enabled = $enabled, password_hash = $hash, " +
              "must_change = $must, failed = $failed, locked_until = $locked, created_at = $created, last_sign_in_at = $last, session_epoch = $epoch WHERE name = $name;";
        cmd.Parameters.AddWithValue("$name", a.Name);
        cmd.Parameters.AddWithValue("$display", a.DisplayName);
        cmd.Parameters.AddWithValue("$role", a.Role.ToClaim());
        cmd.Parameters.AddWithValue("$unit", (object?)a.UnitCode ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$enabled", a.Enabled ? 1 : 0);
        cmd.Parameters.AddWithValue("$hash", a.PasswordHash);
        cmd.Parameters.AddWithValue("$must", a.MustChangePassword ? 1 : 0);
        cmd.Parameters.AddWithValue("$failed", a.FailedSignIns);
        cmd.Parameters.AddWithValue("$locked", (object?)Time(a.LockedUntil) ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$created", Time(a.CreatedAt)!);
        cmd.Parameters.AddWithValue("$last", (object?)Time(a.LastSignInAt) ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$epoch", a.SessionEpoch);
        cmd.ExecuteNonQuery();
    }

    private static Account Read(SqliteDataReader r)
    {
        AccountRoles.TryParse(r.GetString(2), out var role);
        return new Account(r.GetString(0), r.GetString(1), role, r.IsDBNull(3) ? null : r.GetString(3), r.GetInt64(4) != 0,
            r.GetString(5), r.GetInt64(6) != 0, r.GetInt32(7), r.IsDBNull(8) ? null : Time(r.GetString(8)),
            Time(r.GetString(9)), r.IsDBNull(10) ? null : Time(r.GetString(10)), r.GetInt64(11));
    }

    private static string? Time(DateTimeOffset? at) => at?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
