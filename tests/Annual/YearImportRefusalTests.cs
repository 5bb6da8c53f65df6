using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Annual;

/// <summary>
/// (Annual contract §2: derived rows are never typed in) An observations upload carrying, for a year, an id that an active
/// <c>cadence: year</c> ruleset's sources derive — the source's id or one of its generated inputs — is refused at import,
/// every such row named with its column, nothing written; the same ids for a quarter, or with no year ruleset active, import.
/// </summary>
public sealed class YearImportRefusalTests : IAsyncLifetime
{
    private readonly TempSqlite _file = new();
    private IAssessStore _store = null!;
    private AssessmentService _service = null!;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, new TestClock(), new TestRenderer());
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ActivateRulesetAsync("mini-year", (await _service.AddRulesetAsync(YearRunServiceTests.YearYaml, "mini-year.yaml", "author")).Version, "chief");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    private const string Typed = """
        unit,indicator,period,actual,target,baseline
        A1,gdp,2025,10,10,
        A1,avg_q1,2025,90,,
        B1,red,2025,2,,
        A2,avg,2025Q3,1,,
        B2,avg_count,2025,4,,

        """;

    [Fact]
    public async Task A_year_row_carrying_a_source_id_or_its_generated_input_is_refused_at_its_row_and_column_and_nothing_is_written()
    {
        var refused = await Assert.ThrowsAsync<InputRejectedException>(() => _service.ImportObservationsAsync(Mini.Bytes(Typed), "2025.csv", "office"));

        Assert.Equal([
                "2025.csv:3:indicator: 指标 'avg_q1' 由年度考评规则集 mini-year@1 的数据来源 avg 推算（2025 年度，运行时从当年公布的季度、月度结果推算），不能上传（请从文件中删去这一行）",
                "2025.csv:4:indicator: 指标 'red' 由年度考评规则集 mini-year@1 的数据来源 red 推算（2025 年度，运行时从当年公布的季度、月度结果推算），不能上传（请从文件中删去这一行）",
                "2025.csv:6:indicator: 指标 'avg_count' 由年度考评规则集 mini-year@1 的数据来源 avg 推算（2025 年度，运行时从当年公布的季度、月度结果推算），不能上传（请从文件中删去这一行）",
            ],
            refused.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
        Assert.Empty(await _store.GetObservationsAsync(Period.OfYear(2025)));
        Assert.Empty(await _store.GetObservationsAsync(Period.OfQuarter(2025, 3)));
        // The same check answers the error list a refused upload offers (the portal's CSV of errors).
        Assert.Equal(3, (await _service.Imports.ErrorsAsync(ImportKind.Observations, Mini.Bytes(Typed), "2025.csv", null)).Count);
    }

    [Fact]
    public async Task With_no_year_ruleset_active_or_for_a_quarter_the_ids_import()
    {
        await _service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nA2,avg,2025Q3,1,,\nA1,gdp,2025,10,10,\n"), "ok.csv", "office");
        Assert.Single(await _store.GetObservationsAsync(Period.OfQuarter(2025, 3)));

        await _service.DeactivateRulesetAsync("mini-year", "chief");
        var outcome = await _service.ImportObservationsAsync(Mini.Bytes(Typed), "2025.csv", "office");

        Assert.Equal(5, outcome.Batch.RowCount);
        Assert.Equal(["A1 avg_q1", "A1 gdp", "B1 red", "B2 avg_count"],
            (await _store.GetObservationsAsync(Period.OfYear(2025))).Select(o => $"{o.Unit} {o.Indicator}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Cli_import_names_the_row_and_column_and_exits_2()
    {
        var dir = Directory.CreateTempSubdirectory("bqw-year-import-").FullName;
        try
        {
            var csv = Path.Combine(dir, "2025.csv");
            File.WriteAllText(csv, Typed.Replace("\r\n", "\n"));
            var stderr = new StringWriter();
            var code = BaiQianWan.Assess.Cli.CliApp.Run(["import", "observations", csv, "--store", _file.Path], new StringWriter(), stderr);
            Assert.Equal(BaiQianWan.Assess.Cli.CliApp.InvalidInput, code);
            Assert.Contains("2025.csv:3:indicator: 指标 'avg_q1' 由年度考评规则集 mini-year@1 的数据来源 avg 推算（2025 年度", stderr.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
