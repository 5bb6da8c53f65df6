using System.Text;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Month files (monthly bulletins) through the store path: <c>YYYY-MM</c> rows with a plan column import all or nothing, the
/// plan kept exactly; a bad month or plan is named by file, row and column and nothing of the file is written.
/// </summary>
public sealed class MonthImportTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private IAssessStore _store = null!;
    private ImportService _imports = null!;

    private const string MonthCsv = """
        unit,indicator,period,actual,target,baseline,plan
        A1,fai,2025-06,12.50,100,,41.6700
        A1,rev,2025-06,3,,2,
        A2,fai,2025-06,7,100,,-1.5
        A1,fai,2025-05,10,100,,33.33

        """;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _imports = new ImportService(_store, _store, new TestClock());
        await _imports.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    private static string Text(decimal? d) => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";

    [Fact]
    public async Task A_month_csv_with_plans_imports_every_row_with_its_plan_exactly()
    {
        var outcome = await _imports.ImportObservationsAsync(Mini.Bytes(MonthCsv), "2025-06.csv", "office");

        Assert.Equal((4, "2025-05=1,2025-06=3"), (outcome.Batch.RowCount, outcome.Batch.Periods));
        var june = await _store.GetObservationsAsync(Period.OfMonth(2025, 6));
        Assert.Equal(["A1 fai 12.50 100 - 41.6700", "A1 rev 3 - 2 -", "A2 fai 7 100 - -1.5"],
            june.Select(o => $"{o.Unit} {o.Indicator} {Text(o.Actual)} {Text(o.Target)} {Text(o.Baseline)} {Text(o.Plan)}"));
        Assert.Equal(33.33m, Assert.Single(await _store.GetObservationsAsync(Period.OfMonth(2025, 5))).Plan);
    }

    [Fact]
    public async Task A_month_xlsx_with_plans_imports_the_figures_as_the_sheet_shows_them()
    {
        var xlsx = Xlsx.Write(
            ["unit", "indicator", "period", "actual", "target", "baseline", "plan"],
            ["A1", "fai", "2025-06", "=N:12.5", "=N:100", null, "=N:41.670000000000002"],
            ["A2", "fai", "2025-06", "=N:7", "=N:100"]);

        await _imports.ImportObservationsAsync(xlsx, "2025-06.xlsx", "office");

        Assert.Equal(["A1 12.5 41.67", "A2 7 -"],
            (await _store.GetObservationsAsync(Period.OfMonth(2025, 6))).Select(o => $"{o.Unit} {Text(o.Actual)} {Text(o.Plan)}"));
    }

    [Fact]
    public async Task A_bad_month_or_plan_refuses_the_whole_file_naming_each_place()
    {
        var bad = MonthCsv + "B1,fai,2025-13,1,100,,1\nB2,fai,2025-6,1,100,,1\nB1,rev,2025-06,1,,,十二\n";

        var e = await Assert.ThrowsAsync<InputRejectedException>(() => _imports.ImportObservationsAsync(Mini.Bytes(bad), "2025-06.csv", "office"));

        Assert.Equal([
            "2025-06.csv:6:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025-13'",
            "2025-06.csv:7:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025-6'",
            "2025-06.csv:8:plan: '十二' 不是数值（小数点用 .，不要千分位和单位）",
        ], e.Errors.Select(x => x.ToString()));
        // Nothing of the file is written: not its good rows, not a batch.
        Assert.Empty(await _store.GetObservationsAsync(Period.OfMonth(2025, 6)));
        Assert.Empty(await _store.GetObservationsAsync(Period.OfMonth(2025, 5)));
        Assert.DoesNotContain(await _store.ListImportsAsync(), b => b.Kind == ImportKind.Observations);
    }

    [Fact]
    public async Task An_upload_addressed_to_a_month_refuses_rows_of_another_month()
    {
        var e = await Assert.ThrowsAsync<InputRejectedException>(() =>
            _imports.ImportObservationsAsync(Mini.Bytes(MonthCsv), "2025-06.csv", "office", Period.OfMonth(2025, 6)));

        Assert.Equal(["2025-06.csv:5:period: 期间 2025-05 不是本次导入的期间 2025-06"], e.Errors.Select(x => x.ToString()));
        Assert.Empty(await _store.GetObservationsAsync(Period.OfMonth(2025, 6)));
    }
}

/// <summary>The same through <c>baiqianwan import observations</c> on a SQLite file.</summary>
[Trait("Cost", "Slow")]
public sealed class MonthImportCliTests : IDisposable
{
    private readonly CliFolder _folder = new("bqw-cli-month-");

    private string Db => _folder.Db;

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string text) => _folder.Write(name, text);

    private (int Code, string Out, string Err) Store(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run([.. args, "--store", Db], stdout, stderr);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return (code, stdout.ToString().Replace("\r\n", "\n"), stderr.ToString().Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task A_month_file_imports_with_its_plans_and_a_bad_one_is_refused_whole()
    {
        Assert.Equal(0, Store("init").Code);
        Assert.Equal(0, Store("import", "units", Write("units.csv", Mini.UnitsCsv), "--year", "2025", "--actor", "office").Code);

        var bad = Store("import", "observations", Write("bad.csv", """
            unit,indicator,period,actual,target,baseline,plan
            A1,fai,2025-06,12.50,100,,41.6700
            A2,fai,2025-13,7,100,,1
            B1,fai,2025-6,7,100,,1
            B2,fai,2025-06,7,100,,n/a

            """), "--actor", "office");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("bad.csv:3:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025-13'", bad.Err);
        Assert.Contains("bad.csv:4:period: 期间应为 YYYY-MM、YYYYQn 或 YYYY，这里是 '2025-6'", bad.Err);
        Assert.Contains("bad.csv:5:plan: 'n/a' 不是数值", bad.Err);

        var ok = Store("import", "observations", Write("2025-06.csv", """
            unit,indicator,period,actual,target,baseline,plan
            A1,fai,2025-06,12.50,100,,41.6700
            A2,fai,2025-06,7,100,,

            """), "--actor", "office");
        Assert.Equal(0, ok.Code);
        Assert.Contains("\n已导入 2 条数据：批次 imp-", "\n" + ok.Out);

        await using var store = new BaiQianWan.Assess.Store.Sqlite.SqliteAssessStore(Db);
        Assert.Equal([("A1", 12.50m, (decimal?)41.6700m), ("A2", 7m, null)],
            (await store.GetObservationsAsync(Period.OfMonth(2025, 6))).Select(o => (o.Unit, o.Actual, o.Plan)));
        Assert.Equal("41.6700", (await store.GetObservationsAsync(Period.OfMonth(2025, 6)))[0].Plan!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The refused file left nothing: only the good file's batch is an observations batch.
        Assert.Single(await store.ListImportsAsync(), b => b.Kind == ImportKind.Observations);
    }
}
