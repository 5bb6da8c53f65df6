using System.Text;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Tests.Scorecards;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary>
/// <c>ledger bulletin</c> through <see cref="CliApp.Run"/> on a SQLite file with a ledger loaded from its tasks file
/// (loaded states only: the CLI runs on the system clock, so no change is made here).
/// </summary>
public sealed class LedgerBulletinCommandTests : IDisposable
{
    private readonly CliFolder _folder = new("bqw-cli-ledger-bulletin-");

    private string Db => _folder.Db;

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string text) => _folder.Write(name, text);

    private (int Code, string Out, string Err) Cli(params string[] args) => _folder.Run(args);

    private void Setup()
    {
        Assert.Equal(0, Cli("init").Code);
        var units = Write("units.csv", "code,name,level,parent,class\nA1,甲一县,county,,甲\nA2,甲二县,county,,乙\nT1,某镇,town,A1,中心镇\n");
        Assert.Equal(0, Cli("import", "units", units, "--year", "2025").Code);
        // On 2025-06-30: A1's K1 overdue 91 days (red); A2's K2 closed on time, K3 closed late, K4 cancelled.
        var tasks = Write("tasks.csv", """
            id,year,parent,kind,title,unit,lead,leader,due,status,done
            S1,2025,,阶段目标,产业,,,,,,
            K1,2025,S1,举措,建设产业园,A1,,王某,2025-03-31,,
            K2,2025,S1,举措,完成招商,A2,,,2025-03-31,已销号,2025-03-20
            K3,2025,S1,举措,修路,A2,,,2025-04-30,已销号,2025-05-20
            K4,2025,S1,举措,停建,A2,,,2025-05-31,中止,

            """);
        var imported = Cli("ledger", "import", tasks, "--year", "2025", "--actor", "office1");
        Assert.True(imported.Code == 0, imported.Err);
    }

    [Fact]
    public void The_bulletin_is_written_per_level_with_each_classs_rate_and_reads_back()
    {
        Setup();
        var output = Path.Combine(_folder.Dir, "out");
        var (code, stdout, stderr) = Cli("ledger", "bulletin", "--month", "2025-06", "--level", "county", "--out", output);
        Assert.True(code == 0, stderr);
        var path = Path.Combine(output, "bulletins", "ledger-county.pdf");
        Assert.Equal($"""
            已写出 {path}（1 页；县（市、区） 2 个单位，截至 2025-06-30）
              甲：1 个单位，到期 1 项，按期销号 0 项，按期销号率 0.00%
              乙：1 个单位，到期 2 项，按期销号 1 项，按期销号率 50.00%

            """.ReplaceLineEndings("\n"), stdout);
        var pdf = File.ReadAllBytes(path);
        var flat = Pdf.Flat(Pdf.Text(pdf));
        Assert.Contains("2025年6月任务台账销号情况通报（县（市、区））", flat);
        Assert.Contains("甲一县A1", flat);
        Assert.Contains("甲二县A2", flat);
        Assert.Matches(@"■红灯\s+甲一县 A1\s+K1\s+建设产业园\s+王某\s+2025-03-31\s+91\s+推进中", Pdf.Text(pdf, layout: true));
        Assert.DoesNotContain("某镇", flat);

        // The same store and month: the same bytes; both levels when --level is not given.
        var both = Cli("ledger", "bulletin", "--month", "2025-06", "--out", output);
        Assert.Equal(0, both.Code);
        Assert.Equal(pdf, File.ReadAllBytes(path));
        // No town has a task: no town bulletin, and it says so.
        Assert.EndsWith("乡镇（街道）：2025 年没有该层级单位的任务，未出通报\n", both.Out);
        Assert.False(File.Exists(Path.Combine(output, "bulletins", "ledger-town.pdf")));
    }

    [Fact]
    public void Bad_arguments_and_a_year_without_tasks_have_their_exit_codes()
    {
        Setup();
        var output = Path.Combine(_folder.Dir, "out");
        var quarter = Cli("ledger", "bulletin", "--month", "2025Q2", "--out", output);
        Assert.Equal((2, "--month: '2025Q2' 不是月份（应为 YYYY-MM）\n"), (quarter.Code, quarter.Err));
        Assert.Equal(2, Cli("ledger", "bulletin", "--month", "2025-06", "--level", "village", "--out", output).Code);
        var empty = Cli("ledger", "bulletin", "--month", "2024-06", "--out", output);
        Assert.Equal((3, "2024 年的台账中没有任务（先用 ledger import 导入任务清单）\n"), (empty.Code, empty.Err));
        Assert.False(Directory.Exists(output));
    }
}
