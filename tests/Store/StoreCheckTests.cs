using System.Diagnostics;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Functions;
using BaiQianWan.Assess.Workflow;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Issue 19 item 6: a damaged or read-only store was found only when a request failed. The store is checked when a
/// host starts (SQLite: the header, schema and table roots, every page with the full check, and a committed write; Azure: a write probe), and the app and the
/// CLI's store commands refuse to start with one line naming the store and what is wrong.
/// </summary>
public sealed class StoreCheckTests : StoreCheckFiles
{
    [Fact]
    public async Task A_sound_store_passes_the_check_and_a_damaged_one_is_named_by_quick_check()
    {
        await SeedAsync();
        await using (var sound = new SqliteAssessStore(Db))
        {
            await sound.InitializeAsync();
            await sound.CheckAsync();
        }
        SqliteConnection.ClearAllPools();
        Damage();

        await using var damaged = new SqliteAssessStore(Db);
        await damaged.InitializeAsync(); // the header and the schema still read: only the check finds it
        var e = await Assert.ThrowsAsync<StoreException>(() => damaged.CheckAsync());
        Assert.True(e.Message.StartsWith(DamagedLine, StringComparison.Ordinal), e.Message);
        Assert.EndsWith("），请从备份恢复", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task A_read_only_store_file_is_refused_in_one_line()
    {
        await SeedAsync();
        MakeReadOnly();

        await using var store = new SqliteAssessStore(Db);
        var e = await Assert.ThrowsAsync<StoreException>(async () =>
        {
            await store.InitializeAsync();
            await store.CheckAsync();
        });
        Assert.Equal(ReadOnlyLine, e.Message);
    }

    [Fact]
    public async Task The_cli_store_commands_refuse_a_damaged_or_read_only_store_in_one_line_with_exit_3()
    {
        await SeedAsync();
        Damage();
        var units = Path.Combine(Path.GetDirectoryName(Db)!, "units.csv");
        File.WriteAllText(units, Mini.UnitsCsv);

        var (code, stdout, stderr) = Cli("import", "units", units, "--year", "2026", "--store", Db);

        Assert.Equal((3, ""), (code, stdout));
        Assert.StartsWith(DamagedLine, stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));

        SqliteConnection.ClearAllPools();
        File.Delete(Db);
        await SeedAsync();
        MakeReadOnly();
        (code, stdout, stderr) = Cli("import", "units", units, "--year", "2026", "--store", Db);
        Assert.Equal((3, "", ReadOnlyLine), (code, stdout, stderr.TrimEnd('\n')));
    }

    [Fact]
    public async Task A_page_the_start_does_not_read_passes_the_start_check_and_is_refused_by_the_full_check_and_by_the_first_read()
    {
        await SeedAsync();
        GrowAuditAndDamageItsLastLeaf();

        // The start check reads the header, the schema and each table's root and first leaf: not this page.
        await using (var store = new SqliteAssessStore(Db))
        {
            await store.CheckAsync();
            var e = await Assert.ThrowsAsync<StoreException>(() => store.CheckAsync(full: true));
            Assert.Equal(StoreError.Unavailable, e.Error);
            // quick_check stops at the page's bad type with SQLITE_CORRUPT, mapped to the one-line refusal.
            Assert.Equal($"{DamagedLine}SQLite Error 11: 'database disk image is malformed'.），请从备份恢复", e.Message);
            Assert.EndsWith("），请从备份恢复", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        SqliteConnection.ClearAllPools();

        // A command that reads the page: SQLITE_CORRUPT, refused in one line (exit 3), no stack trace.
        var (code, stdout, stderr) = Cli("audit", "--store", Db);
        Assert.True(code == 3, stderr);
        Assert.StartsWith(DamagedLine, stderr);
        Assert.Equal($"{DamagedLine}SQLite Error 11: 'database disk image is malformed'.），请从备份恢复\n", stderr);

        // The on-demand full check: store check refuses it, naming quick_check; init (which checks every page) too.
        (code, stdout, stderr) = Cli("store", "check", "--store", Db);
        Assert.Equal((3, ""), (code, stdout));
        Assert.Equal($"{DamagedLine}SQLite Error 11: 'database disk image is malformed'.），请从备份恢复\n", stderr);
        (code, _, stderr) = Cli("init", "--store", Db);
        Assert.Equal((3, $"{DamagedLine}SQLite Error 11: 'database disk image is malformed'.），请从备份恢复\n"), (code, stderr));
    }

    [Fact]
    public async Task Store_check_passes_a_sound_store_and_other_commands_refuse_a_damaged_table_root_at_start()
    {
        await SeedAsync();
        var (code, stdout, stderr) = Cli("store", "check", "--store", Db);
        Assert.Equal((0, $"存储完好：{Db}\n", ""), (code, stdout.Replace("\r\n", "\n"), stderr));

        SqliteConnection.ClearAllPools();
        Damage();
        await using var store = new SqliteAssessStore(Db);
        // The unit table's root page is read by the start check itself (not only by quick_check).
        var e = await Assert.ThrowsAsync<StoreException>(() => store.CheckAsync(full: false));
        Assert.StartsWith(DamagedLine, e.Message);
        Assert.Contains("SQLite Error 11", e.Message);
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString().Replace("\r\n", "\n"));
    }
}

/// <summary>
/// A damaged page the start check does not read, read later by an HTTP request: the API answers the CLI's one-line refusal
/// as a 503 problem and the portal as its error page (503), not as the hosts' general 500.
/// </summary>
public sealed class StoreDamagedOverHttpTests : StoreCheckFiles
{
    [Fact]
    public async Task A_request_reading_a_damaged_page_gets_the_clis_one_line_refusal_as_a_503()
    {
        await SeedAsync();
        GrowAuditAndDamageItsLastLeaf();
        var line = $"{DamagedLine}SQLite Error 11: 'database disk image is malformed'.），请从备份恢复";
        var cliError = new StringWriter();
        Assert.Equal(3, CliApp.Run(["audit", "--store", Db], new StringWriter(), cliError));
        Assert.Equal(line + "\n", cliError.ToString().Replace("\r\n", "\n"));
        SqliteConnection.ClearAllPools();

        // The app starts: its start check does not read the audit table's last leaf.
        await using var app = new AssessAppFactory("sqlite", Db);
        using var office = app.Client(app.Token("office"));

        // The API: an import appends its audit entry to that leaf.
        var response = await office.PutAsync("/api/units?year=2026&file=units.csv", Api.Csv(Mini.Bytes(Mini.UnitsCsv)));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using (var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Equal("存储不可用", problem.RootElement.GetProperty("title").GetString());
            Assert.Equal(line, problem.RootElement.GetProperty("detail").GetString());
        }

        // The portal: the audit page reads the leaf; its error page, in Chinese, with the same line.
        var page = await office.GetAsync("/office/audit");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("<title>出错了", html);
        Assert.Contains(line, html);

        // Nothing was written: the 2026 import was refused whole (the store's units of 2025 only, read through the API's own store).
        var store = app.Services.GetRequiredService<IAssessStore>();
        Assert.Empty(await store.GetUnitsAsync(2026));
    }
}

/// <summary>The same refusals when the app starts on its own (a process of its own: slow).</summary>
[Trait("Cost", "Slow")]
public sealed class StoreCheckAppTests : StoreCheckFiles
{
    [Fact]
    public async Task The_app_refuses_to_start_on_a_damaged_or_read_only_store_in_one_line()
    {
        await SeedAsync();
        Damage();
        var (exit, stderr) = RunAppToExit();
        Assert.Equal(1, exit);
        Assert.StartsWith(DamagedLine, stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));

        SqliteConnection.ClearAllPools();
        File.Delete(Db);
        await SeedAsync();
        MakeReadOnly();
        (exit, stderr) = RunAppToExit();
        Assert.Equal((1, ReadOnlyLine), (exit, stderr.TrimEnd('\n')));
    }

    /// <summary>The built app started on its own on this store; it is expected to exit.</summary>
    private (int Exit, string Stderr) RunAppToExit()
    {
        using var app = new StandaloneApp(Db, new Dictionary<string, string?> { ["Timer__Enabled"] = "false" });
        var (exit, _, stderr) = app.RunToExit("--urls", $"http://127.0.0.1:{StandaloneApp.FreePort()}");
        return (exit, stderr);
    }
}

/// <summary>A SQLite store file of a test's own, and the ways it is damaged or made read-only.</summary>
public abstract class StoreCheckFiles : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-store-check-").FullName;
    private readonly List<string> _immutable = [];

    protected string Db => Path.Combine(_dir, "office.db");

    public void Dispose()
    {
        foreach (var path in _immutable) Chattr("-i", path);
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A store with units in it, closed (its journal checkpointed into the file).</summary>
    protected async Task SeedAsync()
    {
        await using (var store = new SqliteAssessStore(Db))
        {
            await store.InitializeAsync();
            await new AssessmentService(store, new TestClock(), null).ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        }
        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(Db + "-wal"));
    }

    /// <summary>Overwrites the page type of the unit table's root page: the header and the schema still read, the table does not.</summary>
    protected void Damage()
    {
        long page, pageSize;
        using (var c = new SqliteConnection($"Data Source={Db};Pooling=False;Mode=ReadOnly"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'unit';";
            page = (long)cmd.ExecuteScalar()!;
            cmd.CommandText = "PRAGMA page_size;";
            pageSize = (long)cmd.ExecuteScalar()!;
        }
        Assert.True(page > 1);
        using var file = new FileStream(Db, FileMode.Open, FileAccess.Write);
        file.Position = (page - 1) * pageSize;
        file.WriteByte(0xFF);
    }

    /// <summary>Makes the file read-only, for root too (which ignores the mode bits): the immutable attribute.</summary>
    protected void MakeReadOnly()
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Db, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        else File.SetAttributes(Db, FileAttributes.ReadOnly);
        if (Environment.UserName == "root")
        {
            Assert.True(Chattr("+i", Db), "chattr +i is needed to make a file read-only for root");
            _immutable.Add(Db);
        }
    }

    private static bool Chattr(string flag, string path)
    {
        using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true, UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    /// <summary>
    /// Appends audit entries until the audit table spans many pages, then overwrites the page type of its last leaf (a page
    /// neither the header, the schema nor the table's root and first leaf).
    /// </summary>
    protected void GrowAuditAndDamageItsLastLeaf()
    {
        long page, first, pageSize;
        using (var c = new SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
                INSERT INTO audit (at, actor, action, target, detail) SELECT (SELECT at FROM audit ORDER BY seq LIMIT 1), 'test', 'test', 't' || i, printf('%.800c', 'x') FROM n;
                PRAGMA wal_checkpoint(TRUNCATE);
                """;
            cmd.ExecuteNonQuery();
            // Rows appended in rowid order fill new leaves at the file's end: its last page is the audit table's last leaf.
            cmd.CommandText = "PRAGMA journal_mode=DELETE;";
            cmd.ExecuteNonQuery();
            cmd.CommandText = "PRAGMA page_count;";
            page = (long)cmd.ExecuteScalar()!;
            cmd.CommandText = "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'audit';";
            first = (long)cmd.ExecuteScalar()!;
            cmd.CommandText = "PRAGMA page_size;";
            pageSize = (long)cmd.ExecuteScalar()!;
        }
        SqliteConnection.ClearAllPools();
        Assert.True(page > first + 2, "the audit table spans many pages");
        using var file = new FileStream(Db, FileMode.Open, FileAccess.ReadWrite);
        file.Position = (page - 1) * pageSize;
        Assert.Equal(0x0D, file.ReadByte()); // a table leaf
        file.Position = (page - 1) * pageSize;
        file.WriteByte(0xFF);
    }

    protected string DamagedLine => $"存储文件 {Db} 已损坏（";

    protected string ReadOnlyLine => $"存储文件 {Db} 无法写入（SQLite Error 8: 'attempt to write a readonly database'.），请检查文件和所在目录的权限及磁盘空间";
}
