using System.Text;
using BaiQianWan.Assess.Cli;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary>
/// <c>ledger …</c> through <see cref="CliApp.Run"/> on a SQLite file. The CLI runs on the system clock, so the ledger is of
/// 2099: every change happens before its deadlines, whatever the day the tests run.
/// </summary>
public sealed class LedgerCommandTests : IDisposable
{
    private readonly CliFolder _folder = new("bqw-cli-ledger-");

    private string Db => _folder.Db;

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string text) => _folder.Write(name, text);

    private (int Code, string Out, string Err) Cli(params string[] args) => _folder.Run(args);

    private void Setup()
    {
        Assert.Equal(0, Cli("init").Code);
        var units = Write("units.csv", "code,name,level,parent,class\nA1,甲一县,county,,甲\nA2,甲二县,county,,甲\n");
        Assert.Equal(0, Cli("import", "units", units, "--year", "2099").Code);
        var tasks = Write("tasks.csv", """
            id,year,parent,kind,title,unit,lead,leader,due,status,done
            S1,2099,,阶段目标,产业,,,,,,
            K1,2099,S1,举措,建设产业园,A1,,王某,2099-06-30,,
            K2,2099,S1,举措,完成招商,A2,,,2099-03-31,已销号,2099-03-20
            K3,2099,S1,举措,停建,A2,,,2099-05-31,中止,

            """);
        var (code, output, err) = Cli("ledger", "import", tasks, "--year", "2099", "--actor", "office1");
        Assert.True(code == 0, err);
        Assert.Equal("已导入 tasks.csv：新增 4 项，更新 0 项，未变 0 项\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_ledger_is_imported_driven_and_gives_its_observations()
    {
        Setup();
        var pdf = Path.Combine(_folder.Dir, "证明.pdf");
        File.WriteAllBytes(pdf, Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"));
        var ask = Cli("ledger", "extend", "K1", "--year", "2099", "--reason", "征地", "--date", "2099-08-31", "--as", "A1", "--actor", "a1");
        Assert.True(ask.Code == 0, ask.Err);
        Assert.Contains("延期待批至 2099-08-31", ask.Out);
        Assert.Equal(0, Cli("ledger", "decide", "K1", "--year", "2099", "--approve", "--actor", "office1").Code);
        var submit = Cli("ledger", "submit", "K1", "--year", "2099", "--note", "已建成", "--file", pdf, "--as", "A1", "--actor", "a1");
        Assert.True(submit.Code == 0, submit.Err);
        Assert.Contains("任务 K1：待核验；完成时限 2099-08-31（原定 2099-06-30）", submit.Out);
        var close = Cli("ledger", "close", "K1", "--year", "2099", "--actor", "office2");
        Assert.True(close.Code == 0, close.Err);
        Assert.StartsWith("任务 K1：已销号", close.Out);

        var list = Cli("ledger", "list", "--year", "2099", "--on", "2099-06-29");
        Assert.Equal(0, list.Code);
        Assert.Equal(
        [
            "K1\tA1\t已销号\t2099-08-31\t-\t-\t-\t建设产业园",
            "K2\tA2\t已销号\t2099-03-31\t-\t-\t-\t完成招商",
            "K3\tA2\t中止\t2099-05-31\t-\t-\t-\t停建",
            "S1\t-\t分组\t-\t-\t-\t-\t产业",
        ], list.Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        // K2 was loaded 已销号 with done 2099-03-20: before that day it is 推进中, with its light.
        var early = Cli("ledger", "list", "--year", "2099", "--on", "2099-03-15", "--unit", "A2", "--state", "推进中", "--remind-days", "20");
        Assert.Equal("K2\tA2\t推进中\t2099-03-31\t蓝\t-\t-\t完成招商\n", early.Out.ReplaceLineEndings("\n"));
        var obs = Path.Combine(_folder.Dir, "obs.csv");
        var o = Cli("ledger", "observations", "--period", "2099", "--out", obs);
        Assert.True(o.Code == 0, o.Err);
        Assert.Equal("""
            unit,indicator,period,actual,target
            A1,ledger_due,2099,1,
            A1,ledger_closed_on_time,2099,1,1
            A1,ledger_closed,2099,1,1
            A1,ledger_overdue,2099,0,
            A1,ledger_reopened,2099,0,
            A2,ledger_due,2099,1,
            A2,ledger_closed_on_time,2099,1,1
            A2,ledger_closed,2099,1,1
            A2,ledger_overdue,2099,0,
            A2,ledger_reopened,2099,0,

            """.ReplaceLineEndings("\n"), File.ReadAllText(obs));
        var history = Cli("ledger", "history", "K1", "--year", "2099", "--as", "A1", "--actor", "a1");
        Assert.Equal(["导入", "申请延期", "批准延期", "申请销号", "核验通过"], history.Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(l => l.Split('\t')[2]));
    }

    [Fact]
    public void Refusals_and_errors_have_their_exit_codes()
    {
        Setup();
        var pdf = Path.Combine(_folder.Dir, "a.pdf");
        File.WriteAllBytes(pdf, Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"));
        var png = Path.Combine(_folder.Dir, "b.pdf");
        File.WriteAllBytes(png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        // Another unit's task: refused (4).
        var other = Cli("ledger", "submit", "K1", "--year", "2099", "--note", "x", "--file", pdf, "--as", "A2");
        Assert.Equal((4, "任务 K1 不是单位 A2 的任务，不能申请销号\n"), (other.Code, other.Err.ReplaceLineEndings("\n")));
        // A file whose content is not what its name says: invalid input (2).
        var wrong = Cli("ledger", "submit", "K1", "--year", "2099", "--note", "x", "--file", png, "--as", "A1");
        Assert.Equal(2, wrong.Code);
        Assert.Contains("b.pdf:1:-: 文件名表明是 PDF，内容却是 PNG", wrong.Err);
        // The submitting account may not verify: store state (3).
        Assert.Equal(0, Cli("ledger", "submit", "K1", "--year", "2099", "--note", "x", "--file", pdf, "--actor", "office1").Code);
        var self = Cli("ledger", "close", "K1", "--year", "2099", "--actor", "office1");
        Assert.Equal(3, self.Code);
        Assert.Contains("不能由同一账户核验", self.Err);
        // A unit may not close.
        Assert.Equal(4, Cli("ledger", "close", "K1", "--year", "2099", "--as", "A1").Code);
        // A bad tasks file: every row, exit 2.
        var bad = Write("bad.csv", "id,year,parent,kind,title,unit,lead,leader,due,status,done\nX1,2099,,举措,甲,ZZ,,,2099-02-30,,\n");
        var rejected = Cli("ledger", "import", bad, "--year", "2099");
        Assert.Equal(2, rejected.Code);
        Assert.Contains("bad.csv:2:unit: 未知的单位 'ZZ'", rejected.Err);
        Assert.Contains("bad.csv:2:due: 日期应为 YYYY-MM-DD，这里是 '2099-02-30'", rejected.Err);
        Assert.Equal(2, Cli("ledger", "list", "--year", "2099", "--on", "2099/01/01").Code);
        Assert.Equal(3, Cli("ledger", "cancel", "NOPE", "--year", "2099", "--reason", "x").Code);
    }

    [Fact]
    public async Task A_cli_run_reads_the_ledgers_rows_and_an_upload_of_them_is_refused()
    {
        Setup();
        Assert.Equal(0, Cli("ruleset", "add", Write("ledger.yaml", BaiQianWan.Assess.Tests.Ledger.LedgerRunTests.LedgerRuleset)).Code);
        Assert.Equal(0, Cli("ruleset", "activate", "ledger-mini", "1").Code);

        string id;
        using (StoreSession.UseRenderer(() => null))
        {
            var run = Cli("run", "--period", "2099Q3", "--level", "county");
            Assert.True(run.Code == 0, run.Err + run.Out);
            id = run.Out[(run.Out.IndexOf("运行 ", StringComparison.Ordinal) + 3)..].Split(' ')[0];
        }
        await using (var store = new BaiQianWan.Assess.Store.Sqlite.SqliteAssessStore(Db))
        {
            var result = (await store.GetResultsAsync(id))!;
            // E = 2099-09-30. A1: K1 (due 06-30) still open: 0 of 1 on time → 0, overdue 1 → −1.
            // A2: K2 loaded 已销号 on 03-20 (due 03-31): 1 of 1 → 100; K3 中止 does not count.
            var a1 = result.Units.Single(u => u.Code == "A1");
            var a2 = result.Units.Single(u => u.Code == "A2");
            Assert.Equal((0m, 1m), (a1.Indicators.Single(i => i.Id == "ledger_closed_on_time").Actual, a1.Indicators.Single(i => i.Id == "ledger_closed_on_time").Target));
            Assert.Equal(-1m, a1.Total);
            Assert.Equal(100m, a2.Total);
        }

        var upload = Write("obs.csv", "unit,indicator,period,actual,target,baseline\nA1,ledger_overdue,2099Q3,0,,\n");
        var refused = Cli("import", "observations", upload);
        Assert.Equal(2, refused.Code);
        Assert.Contains("obs.csv:2:indicator: 指标 'ledger_overdue' 由任务台账推算，不能上传", refused.Err);
    }
    [Fact]
    public void A_file_evaluated_as_it_is_may_carry_the_ledgers_figures()
    {
        // `evaluate` from files has no ledger to derive them from: the rows (e.g. from `ledger observations`) are read as
        // they are; the same rows uploaded into a store are refused (the test above).
        var units = Write("units.csv", "code,name,level,parent,class\nA1,甲一县,county,,甲\nA2,甲二县,county,,甲\n");
        var obs = Write("obs.csv", "unit,indicator,period,actual,target,baseline\nA1,ledger_closed_on_time,2099Q3,1,4,\nA1,ledger_overdue,2099Q3,3,,\n"
            + "A2,ledger_closed_on_time,2099Q3,2,2,\nA2,ledger_overdue,2099Q3,0,,\n");
        var ruleset = Write("r.yaml", "id: l\nname: 台账\nlevel: county\nclasses: [甲]\ndimensions:\n  - id: d\n    name: 台账\n    indicators:\n"
            + "      - { id: ledger_closed_on_time, name: 按期销号率, weight: 100, method: completion }\n"
            + "adjustments:\n  - { id: ledger_overdue, name: 逾期未销号, kind: penalty, per: 1, max: 5 }\n");
        var output = Path.Combine(_folder.Dir, "out.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(["evaluate", "--units", units, "--observations", obs, "--ruleset", ruleset, "--period", "2099Q3", "--out", output], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(output));
        var totals = json.RootElement.GetProperty("units").EnumerateArray()
            .ToDictionary(u => u.GetProperty("code").GetString()!, u => u.GetProperty("total").GetDecimal());
        // A1: 1 of 4 on time → 25 of 100, 3 overdue → −3; A2: 2 of 2 → 100.
        Assert.Equal(22m, totals["A1"]);
        Assert.Equal(100m, totals["A2"]);
    }
}
