using System.Text;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Imports;

namespace BaiQianWan.Assess.Tests.Store;

/// <summary>
/// Issue 19 item 6 and issue 22 item 3: an upload names every bad row of the file in one pass, whatever their kinds
/// (a bad number, an unknown unit, a row of another period, a duplicate, a row of the wrong width), each at its
/// file:row:column; before, a row of another period (or of the wrong width) was reported alone and the rest only
/// after fixing it.
/// </summary>
public sealed class EveryBadRowTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-every-row-").FullName;
    private SqliteAssessStore _store = null!;

    private string Db => Path.Combine(_dir, "office.db");

    private const string Bad = """
        unit,indicator,period,actual,target,baseline
        A1,fai,2025Q2,1.2.3,,
        ZZ,fai,2025Q2,1,,
        A1,rev,2025Q3,1,,
        A2,fai,2025Q2,5,,,x
        A1,fai,2025Q2,2,,

        """;

    private static readonly string[] EveryError =
    [
        "bad.csv:2:actual: '1.2.3' 不是数值（小数点用 .，不要千分位和单位）",
        "bad.csv:3:unit: 未知的单位 'ZZ'",
        "bad.csv:5:-: 这一行有 7 列，表头有 6 列",
        "bad.csv:6:indicator: 重复的数据：单位 'A1'、指标 'fai'、期间 2025Q2 已在前面出现",
    ];

    public async Task InitializeAsync()
    {
        _store = new SqliteAssessStore(Db);
        await _store.InitializeAsync();
        await Service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private AssessmentService Service => new(_store, new TestClock(), null);

    [Fact]
    public async Task A_file_for_one_period_names_the_row_of_another_period_and_every_other_bad_row()
    {
        var e = await Assert.ThrowsAsync<InputRejectedException>(() => Service.ImportObservationsAsync(Mini.Bytes(Bad), "bad.csv", "office", Mini.Q2));

        Assert.Equal([EveryError[0], EveryError[1], "bad.csv:4:period: 期间 2025Q3 不是本次导入的期间 2025Q2", EveryError[2], EveryError[3]],
            e.Errors.Select(x => x.ToString()));
        Assert.Empty(await _store.GetObservationsAsync(Mini.Q2));
    }

    [Fact]
    public async Task The_cli_names_the_row_of_the_wrong_width_and_every_other_bad_row()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var path = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(path, Bad, new UTF8Encoding(false));
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = CliApp.Run(["import", "observations", path, "--store", Db], stdout, stderr);

        Assert.Equal(2, code);
        Assert.Equal([.. EveryError, "bad.csv：共 4 处错误，未写入任何数据"],
            stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        _store = new SqliteAssessStore(Db);
        Assert.Empty(await _store.GetObservationsAsync(Mini.Q2));
    }

    [Fact]
    public void A_units_file_names_the_row_of_the_wrong_width_and_every_other_bad_row()
    {
        var csv = "code,name,level,parent,class\nA1,甲一县,county,,甲,多余\nA 2,甲二县,county,,甲\nB1,,province,,乙\n";

        var read = DataImport.ReadUnits(Mini.Bytes(csv), "u.csv");

        Assert.Equal([
            "u.csv:2:-: 这一行有 6 列，表头有 5 列",
            "u.csv:3:code: 单位代码 'A 2' 不合规（只能是 1–32 位字母、数字、_ 或 -）",
            "u.csv:4:name: 单位名称不能为空",
            "u.csv:4:level: 层级应为 city、county、town 或 village，这里是 'province'"], read.Errors.Select(e => e.ToString()));
    }
}
