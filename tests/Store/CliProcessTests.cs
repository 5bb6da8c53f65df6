using System.Diagnostics;
using System.Text;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Samples;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// The real CLI process killed in the middle of an import and of a run, on the generated province: whenever the
/// kill lands, the store holds the whole import or none of it, and no partial run is ever published.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class CliProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-kill-").FullName;

    private string Db => Path.Combine(_dir, "office.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private (int Code, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        return (CliApp.Run([.. args, "--store", Db], stdout, stderr), stderr.ToString());
    }

    /// <summary>Starts the CLI as its own process and kills it after <paramref name="after"/>, or lets it finish.</summary>
    private async Task<bool> KilledAsync(TimeSpan after, params string[] args)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "baiqianwan.exe" : "baiqianwan");
        var info = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--store");
        info.ArgumentList.Add(Db);
        using var process = Process.Start(info)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExit(after);
        if (!exited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        return !exited;
    }

    [Fact]
    public async Task A_killed_import_or_run_leaves_all_or_nothing_and_nothing_partial_published()
    {
        var data = ProvinceGenerator.Generate(new ProvinceOptions());
        ProvinceFiles.WriteProvince(_dir, data);
        File.WriteAllText(Path.Combine(_dir, "town.yaml"), SampleRulesets.Town, new UTF8Encoding(false));
        Assert.Equal(0, Cli("init").Code);
        Assert.Equal(0, Cli("import", "units", Path.Combine(_dir, "units.csv"), "--year", "2025").Code);
        var q3 = Period.OfQuarter(2025, 3);
        var q3Rows = data.Observations.Count(o => o.Period == q3);

        // Kill the import at some point: afterwards every Q3 figure is there, or none.
        await KilledAsync(TimeSpan.FromMilliseconds(600), "import", "observations", Path.Combine(_dir, "observations.csv"));
        await using (var store = new SqliteAssessStore(Db))
        {
            await store.InitializeAsync();
            Assert.Contains((await store.GetObservationsAsync(q3)).Count, new[] { 0, q3Rows });
        }
        Assert.Equal(0, Cli("import", "observations", Path.Combine(_dir, "observations.csv")).Code);
        Assert.Equal(0, Cli("ruleset", "add", Path.Combine(_dir, "town.yaml")).Code);
        Assert.Equal(0, Cli("ruleset", "activate", "town-2025", "1").Code);
        Assert.Equal(0, Cli("run", "--period", "2025Q3", "--level", "town").Code);
        Assert.Equal(0, Cli("publish", "run-000001").Code);

        // Kill a second run: the first stays the published one; the second is published only if it succeeded.
        await KilledAsync(TimeSpan.FromMilliseconds(900), "run", "--period", "2025Q3", "--level", "town");
        await using (var store = new SqliteAssessStore(Db))
        {
            await store.InitializeAsync();
            Assert.Equal("run-000001", (await store.GetPublicationAsync(q3, UnitLevel.Town))!.RunId);
            var second = (await store.ListRunsAsync()).FirstOrDefault(r => r.Id == "run-000002");
            var publish = Cli("publish", "run-000002").Code;
            Assert.Equal(second?.Status == RunStatus.Succeeded ? 0 : 3, publish);
            if (second is { Status: RunStatus.Running })
                Assert.Equal(StoreError.Conflict, (await Assert.ThrowsAsync<StoreException>(() => store.PublishAsync(second.Id, "chief", TestClock.Start))).Error);
        }
        using var c = new SqliteConnection($"Data Source={Db};Pooling=False");
        c.Open();
        using var check = c.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", check.ExecuteScalar());
    }
}

/// <summary>The CLI on Azure storage (Azurite), chosen by a connection string in <c>--store</c>.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Cost", "Slow")]
public sealed class CliAzureTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-cli-azure-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using (StoreSession.UseRenderer(() => new TestRenderer()))
            return (CliApp.Run([.. args, "--store", azurite.ConnectionString], stdout, stderr), stdout.ToString(), stderr.ToString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.Replace("\r\n", "\n"), new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void The_workflow_runs_on_azure_storage_by_connection_string()
    {
        Assert.Contains("Azure 存储（表 bqwassess，容器 bqw-assess）", Cli("init").Out);
        Assert.Equal(0, Cli("import", "units", Write("units.csv", Mini.UnitsCsv), "--year", "2025").Code);
        Assert.Equal(0, Cli("import", "observations", Write("observations.csv", Mini.ObservationsCsv)).Code);
        Assert.Equal(0, Cli("ruleset", "add", Write("mini.yaml", Mini.RulesetYaml)).Code);
        Assert.Equal(0, Cli("ruleset", "activate", "mini", "1").Code);

        var run = Cli("run", "--period", "2025Q3", "--level", "county");
        Assert.Equal(0, run.Code);
        Assert.Contains("评价 4 个单位，记分卡 4 份，通报 2 份", run.Out);
        var id = run.Out[(run.Out.IndexOf("运行 ", StringComparison.Ordinal) + 3)..].Split(' ')[0];
        Assert.Equal(0, Cli("publish", id).Code);
        var export = Cli("export", "--period", "2025Q3", "--out", Path.Combine(_dir, "out"));
        Assert.Equal(0, export.Code);
        Assert.Contains("scorecard A1 甲一县 甲 total=112 rank=1/2", File.ReadAllText(Path.Combine(_dir, "out", "county", "scorecards", "A1.pdf")));
    }

    [Fact]
    public void Store_sweep_marks_superseded_figures_then_deletes_them_after_the_grace_period()
    {
        Assert.Equal(0, Cli("init").Code);
        Assert.Equal(0, Cli("import", "units", Write("units.csv", Mini.UnitsCsv), "--year", "2025").Code);
        // Two different files (the store may hold earlier tests' imports): the second supersedes the first.
        var unique = Random.Shared.Next(100, 1_000_000);
        foreach (var actual in new[] { unique, unique + 1 })
            Assert.Equal(0, Cli("import", "observations", Write($"obs-{actual}.csv", Mini.ObservationsCsv.Replace("A1,fai,2025Q2,50,50,", $"A1,fai,2025Q2,{actual},50,"))).Code);

        Cli("store", "sweep"); // whatever earlier tests left is marked now
        var marked = Cli("store", "sweep", "--grace-minutes", "0");
        Assert.Equal(0, marked.Code);
        Assert.Matches(@"删除 [1-9]\d* 份旧数据", marked.Out);
        var again = Cli("store", "sweep", "--grace-minutes", "0");
        Assert.Contains("删除 0 份旧数据，新标记 0 份", again.Out);
        Assert.Equal(2, Cli("store", "sweep", "--grace-minutes", "-1").Code);
    }
}
