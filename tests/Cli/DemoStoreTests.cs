using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary>
/// A second <c>demo</c> into a folder that holds the first one's store: refused before anything is touched (the
/// refusal is fast, so this class is in the fast set; the rebuild with <c>--replace</c> is in <see cref="DemoTests"/>).
/// </summary>
public sealed class DemoStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-demo-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_demo_into_a_folder_holding_a_store_refuses_names_replace_and_keeps_the_store()
    {
        // The first demo's store, with an account made since (as an office would) and an exported PDF.
        var dbPath = Path.Combine(_dir, "demo.db");
        await using (var accounts = new SqliteAccountStore(dbPath))
        {
            await accounts.InitializeAsync();
            await accounts.CreateAsync(new Account("clerk", "办事员", AccountRole.Office, null, true, "hash", false, 0, null, DateTimeOffset.UnixEpoch, null), "office");
        }
        var exported = Path.Combine(_dir, "2025Q1", "county", "scorecards", "980101.pdf");
        Directory.CreateDirectory(Path.GetDirectoryName(exported)!);
        await File.WriteAllTextAsync(exported, "first demo");
        var before = await File.ReadAllBytesAsync(dbPath);

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(["demo", "--out", _dir, "--level", "county"], stdout, stderr);

        Assert.Equal(3, code);
        Assert.Equal("", stdout.ToString());
        Assert.Equal($"demo：{dbPath} 已有一个库（其中的账户、运行和上传会丢失），未做任何改动；换一个 --out 目录，或加 --replace 删除它并重建" + Environment.NewLine,
            stderr.ToString());
        // Nothing touched: the store's bytes, its account, the exported PDF; no province written.
        Assert.Equal(before, await File.ReadAllBytesAsync(dbPath));
        await using (var accounts = new SqliteAccountStore(dbPath))
        {
            await accounts.InitializeAsync();
            Assert.Equal(["clerk"], (await accounts.ListAsync()).Select(a => a.Name));
        }
        Assert.Equal("first demo", await File.ReadAllTextAsync(exported));
        Assert.Equal(["2025Q1"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Where(n => !n!.StartsWith("demo.db", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_write_ahead_log_left_without_its_database_counts_as_a_store()
    {
        File.WriteAllText(Path.Combine(_dir, "demo.db-wal"), "");
        var stderr = new StringWriter();
        Assert.Equal(3, CliApp.Run(["demo", "--out", _dir], new StringWriter(), stderr));
        Assert.Contains("--replace", stderr.ToString());
        Assert.Equal([Path.Combine(_dir, "demo.db-wal")], Directory.GetFileSystemEntries(_dir));
    }
}
