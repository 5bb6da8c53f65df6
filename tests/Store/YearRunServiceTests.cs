using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// (Annual contract §2) The store run of the year: a <c>cadence: year</c> ruleset in the level's year slot reads the latest
/// publication of each quarter and month of the year from the store (their stored results JSON), joins them as derived
/// rows beside the uploaded year-end rows, and lists them in its results; the same files written out with
/// <c>cli results</c> (each with its run id at the top) and evaluated with <c>cli evaluate --sources</c> give the same
/// results, sources and data hash, but the run stamp (the stored version, the run's own id).
/// </summary>
/// <remarks>
/// Worked by hand (the oracle; no engine code), over <see cref="Mini"/>'s counties with Q2 and Q3 and May and June
/// (<see cref="MiniMonth"/>) published. Quarter totals: Q2 A1 90.5, A2 112, B1 70, B2 80; Q3 A1 112, A2 90, B1 70, B2 80.
/// avg = the mean: A1 101.25, A2 101, B1 70, B2 80 (formula <c>actual</c>, cap 2 × 100 not reached).
/// Red lights: May A1 green, A2 yellow, B1 red, B2 green; June A1 green, A2 red (escalated), B1 red, B2 green:
/// A1 0, A2 1, B1 2, B2 0 (−0.5 each; the penalty is signed). gdp 2025 (completion, weight 10): A1 10/10 → 10, A2 5/10 → 5, B1 8/10 → 8, B2 10/10 → 10.
/// Totals: A1 111.25, A2 105.5, B1 77, B2 90.
/// </remarks>
public sealed class YearRunServiceTests : IAsyncLifetime
{
    internal const string YearYaml = """
        id: mini-year
        name: 迷你年度考核
        level: county
        cadence: year
        classes: [甲, 乙]
        decimals: 2
        sources:
          - { id: avg, from: quarters, figure: total }
          - { id: red, from: months, light: red }
        dimensions:
          - id: d
            name: 年度
            indicators:
              - { id: avg, name: 季度平均, weight: 100, method: formula, formula: "actual", cap: 2 }
              - { id: gdp, name: 年终指标, weight: 10, method: completion }
        adjustments:
          - { id: red, name: 红灯, kind: penalty, per: 0.5 }
        """;

    private const string YearRows = """
        unit,indicator,period,actual,target,baseline
        A1,gdp,2025,10,10,
        A2,gdp,2025,5,10,
        B1,gdp,2025,8,10,
        B2,gdp,2025,10,10,

        """;

    private static readonly Period Year = Period.OfYear(2025);
    private static readonly Period May = Period.OfMonth(2025, 5);

    private readonly TempSqlite _file = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-year-").FullName;
    private IAssessStore _store = null!;
    private readonly TestClock _clock = new();
    private AssessmentService _service = null!;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, _clock, new TestRenderer());
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(MiniMonth.ObservationsCsv), "2025-06.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(YearRows), "2025.csv", "office");
        await _service.ActivateRulesetAsync("mini", (await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author")).Version, "chief");
        await _service.ActivateRulesetAsync("mini-monthly", (await _service.AddRulesetAsync(MiniMonth.MonitorYaml, "mini-monthly.yaml", "author")).Version, "chief");
        await _service.ActivateRulesetAsync("mini-year", (await _service.AddRulesetAsync(YearYaml, "mini-year.yaml", "author")).Version, "chief");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Runs and publishes Q2, Q3, May and June; returns their run ids by period.</summary>
    private async Task<Dictionary<string, string>> PublishSourcesAsync()
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (period, ruleset) in new[] { (Mini.Q2, "mini"), (Mini.Q3, "mini"), (May, "mini-monthly"), (MiniMonth.June, "mini-monthly") })
        {
            var run = await _service.RunAsync(period, UnitLevel.County, ruleset, null, "office");
            Assert.Equal(RunStatus.Succeeded, run.Status);
            await _service.PublishAsync(run.Id, "office");
            ids[period.ToString()] = run.Id;
        }
        return ids;
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task The_year_run_reads_the_published_quarters_and_months_and_lists_them()
    {
        var ids = await PublishSourcesAsync();
        var active = await _service.GetActiveRulesetAsync(UnitLevel.County, Year);
        Assert.Equal(("mini-year", RulesetSlot.Year), (active!.Ruleset.RulesetId, active.Slot));

        var run = await _service.RunAsync(Year, UnitLevel.County, "mini-year", null, "office");

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var result = (await _service.GetResultsAsync(run.Id))!;
        Assert.Equal(Year, result.Period);
        Assert.Equal([("A1", 111.25m), ("A2", 105.5m), ("B2", 90m), ("B1", 77m)],
            result.Units.OrderByDescending(u => u.Total).Select(u => (u.Code, u.Total)));
        Assert.Equal([("A1", 101.25m), ("A2", 101m), ("B1", 70m), ("B2", 80m)],
            result.Units.OrderBy(u => u.Code, StringComparer.Ordinal).Select(u => (u.Code, u.Indicators.Single(i => i.Id == "avg").Actual!.Value)));
        Assert.Equal([("A1", 0m), ("A2", -0.5m), ("B1", -1m), ("B2", 0m)],
            result.Units.OrderBy(u => u.Code, StringComparer.Ordinal).Select(u => (u.Code, u.Penalty)));

        // The publications read: each with its run id and the hash of that run's stored results JSON.
        Assert.Equal(["2025-05", "2025-06", "2025Q2", "2025Q3"], result.Sources.Select(s => s.Period.ToString()).Order(StringComparer.Ordinal));
        foreach (var s in result.Sources)
        {
            Assert.Equal(ids[s.Period.ToString()], s.Run);
            Assert.Equal(Sha(await _service.GetResultsJsonAsync(s.Run!)), s.Sha256);
        }
        // A month's bytes are its monitor results (kind: monitor), a quarter's its scoring results.
        Assert.Contains("\"kind\":\"monitor\"", Encoding.UTF8.GetString(await _service.GetResultsJsonAsync(ids["2025-06"])).Replace(" ", ""));

        // The publications are in the data hash: the same year again hashes the same; another publication of Q3 (same
        // figures, another run) changes it.
        var again = await _service.RunAsync(Year, UnitLevel.County, "mini-year", null, "office");
        Assert.Equal(run.DataSha256, again.DataSha256);
        var q3 = await _service.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        await _service.PublishAsync(q3.Id, "office");
        var third = await _service.RunAsync(Year, UnitLevel.County, "mini-year", null, "office");
        Assert.NotEqual(run.DataSha256, third.DataSha256);
        Assert.Contains((await _service.GetResultsAsync(third.Id))!.Sources, s => s.Run == q3.Id);
        Assert.Equal(result.Units.Select(u => u.Total), (await _service.GetResultsAsync(third.Id))!.Units.Select(u => u.Total));
    }

    [Fact]
    public async Task A_year_without_publications_runs_on_its_uploaded_rows_and_lists_none()
    {
        var run = await _service.RunAsync(Year, UnitLevel.County, "mini-year", null, "office");

        var result = (await _service.GetResultsAsync(run.Id))!;
        Assert.Empty(result.Sources);
        Assert.Equal([("A1", 10m), ("A2", 5m), ("B1", 8m), ("B2", 10m)],
            result.Units.OrderBy(u => u.Code, StringComparer.Ordinal).Select(u => (u.Code, u.Total)));
    }

    [Fact]
    public async Task A_year_ruleset_asked_for_a_quarter_and_a_quarter_ruleset_asked_for_the_year_are_refused_before_any_run()
    {
        var quarter = await Assert.ThrowsAsync<StoreException>(() => _service.RunAsync(Mini.Q3, UnitLevel.County, "mini-year", null, "office"));
        Assert.Equal(StoreError.Invalid, quarter.Error);
        Assert.Contains("2025Q3", quarter.Message);
        Assert.Contains("cadence: year", quarter.Message);

        var year = await Assert.ThrowsAsync<StoreException>(() => _service.RunAsync(Year, UnitLevel.County, "mini", null, "office"));
        Assert.Equal(StoreError.Invalid, year.Error);
        Assert.Empty(await _store.ListRunsAsync());
    }

    [Fact]
    public async Task An_uploaded_row_of_the_year_carrying_a_source_id_refuses_the_year_before_a_run_exists()
    {
        // Uploaded while no year ruleset was active (the import refuses it while one is: YearImportRefusalTests).
        await _service.DeactivateRulesetAsync("mini-year", "chief");
        await _service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nA1,avg_q1,2025,90,,\n"), "typed.csv", "office");
        await _service.ActivateRulesetAsync("mini-year", 1, "chief");

        var refused = await Assert.ThrowsAsync<StoreException>(() => _service.RunAsync(Year, UnitLevel.County, "mini-year", null, "office"));

        Assert.Equal(StoreError.Invalid, refused.Error);
        Assert.StartsWith("mini-year@1 评价 2025：上传的数据中有 2025 期间的 'avg_q1'", refused.Message);
        Assert.Empty(await _store.ListRunsAsync());
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using (BaiQianWan.Assess.Cli.StoreSession.UseRenderer(() => new TestRenderer()))
        {
            var code = CliApp.Run(args, stdout, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.Replace("\r\n", "\n"), new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public async Task Cli_run_of_the_year_picks_the_year_slot_and_equals_evaluate_over_the_files_cli_results_writes()
    {
        var ids = await PublishSourcesAsync();

        var (code, stdout, stderr) = Cli("run", "--period", "2025", "--level", "county", "--store", _file.Path);
        Assert.True(code == 0, stderr);
        Assert.Contains("规则集 mini-year 第 1 版", stdout);
        var yearRun = (await _store.ListRunsAsync(Year)).Single();

        // Every source run's results JSON, as stored, written out by cli results.
        var files = new List<string>();
        foreach (var (period, id) in ids)
        {
            var path = Path.Combine(_dir, $"{period}.json");
            (code, stdout, stderr) = Cli("results", id, "--out", path, "--store", _file.Path);
            Assert.True(code == 0, stderr);
            Assert.Equal(await _service.GetResultsJsonAsync(id), File.ReadAllBytes(path));
            files.Add(path);
        }
        var yearPath = Path.Combine(_dir, "year-store.json");
        Assert.Equal(0, Cli("results", yearRun.Id, "--out", yearPath, "--store", _file.Path).Code);

        var outPath = Path.Combine(_dir, "year-files.json");
        (code, _, stderr) = Cli(["evaluate", "--units", Write("units.csv", Mini.UnitsCsv), "--observations", Write("2025.csv", YearRows),
            "--ruleset", Write("mini-year.yaml", YearYaml), "--period", "2025", "--out", outPath, "--sources", .. files]);
        Assert.True(code == 0, stderr);

        var fromStore = JsonNode.Parse(File.ReadAllBytes(yearPath))!.AsObject();
        var fromFiles = JsonNode.Parse(File.ReadAllBytes(outPath))!.AsObject();
        // cli results writes the run's id at the top (annual §2: a file's run id), so the files evaluated record the same
        // publications (period, run id, hash of the same bytes) as the store's run, and so the same data hash.
        Assert.Equal(yearRun.Id, (string)fromStore["run"]!);
        Assert.Null(fromFiles["run"]);
        foreach (var (period, id) in ids)
            Assert.Equal(id, (string)JsonNode.Parse(File.ReadAllBytes(Path.Combine(_dir, $"{period}.json")))!["run"]!);
        var storeSources = fromStore["sources"]!.AsArray();
        var fileSources = fromFiles["sources"]!.AsArray();
        Assert.Equal(4, storeSources.Count);
        Assert.Equal(storeSources.Select(s => ids[(string)s!["period"]!]), storeSources.Select(s => (string)s!["run"]!));
        Assert.Equal(storeSources.ToJsonString(), fileSources.ToJsonString());
        foreach (var s in fileSources) Assert.Equal(Sha(File.ReadAllBytes(Path.Combine(_dir, $"{(string)s!["period"]!}.json"))), (string)s["sha256"]!);
        Assert.Equal((string)fromStore["data"]!["sha256"]!, (string)fromFiles["data"]!["sha256"]!);
        // The run stamp: the stored version and the run's own id.
        Assert.Equal(1, (int)fromStore["ruleset"]!["version"]!);
        Assert.Null(fromFiles["ruleset"]!["version"]);
        fromStore["ruleset"]!.AsObject().Remove("version");
        fromFiles["ruleset"]!.AsObject().Remove("version");
        fromStore.Remove("run");
        Assert.Equal(fromFiles.ToJsonString(), fromStore.ToJsonString());
    }

    [Fact]
    public async Task Cli_results_of_an_unknown_run_or_one_without_results_is_an_error()
    {
        var (code, _, stderr) = Cli("results", "run-999999", "--out", Path.Combine(_dir, "x.json"), "--store", _file.Path);
        Assert.NotEqual(0, code);
        Assert.Contains("run-999999", stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "x.json")));
        await Task.CompletedTask;
    }
}
