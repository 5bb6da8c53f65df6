using System.Text;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Tests.Ledger;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Reviews;

/// <summary>
/// The review flow through the command line (<c>publish --notice-days/--final/--withdraw</c>, <c>review list|file|answer|withdraw</c>)
/// on a SQLite file, the clock standing where each step puts it: its outputs, exit codes (2, 3, 4) and the counts.
/// </summary>
public sealed class ReviewCliTests : IDisposable
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private readonly CliFolder _folder = new("bqw-review-cli-");
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 3, 10, 15, 0, 0, China));

    private string Db => _folder.Db;

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string text) => _folder.Write(name, text);

    private (int Code, string Out, string Err) Store(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using (StoreSession.UseRenderer(() => new TestRenderer()))
        using (StoreSession.UseClock(_clock))
        {
            var code = CliApp.Run([.. args, "--store", Db], stdout, stderr);
            return (code, stdout.ToString().Replace("\r\n", "\n"), stderr.ToString().Replace("\r\n", "\n"));
        }
    }

    private string Ok(params string[] args)
    {
        var r = Store(args);
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Err}");
        return r.Out;
    }

    [Fact]
    public void The_review_flow_from_notice_to_the_final_publication()
    {
        Ok("init");
        Ok("import", "units", Write("units.csv", Mini.UnitsCsv), "--year", "2025");
        Ok("import", "observations", Write("observations.csv", Mini.ObservationsCsv));
        Ok("ruleset", "add", Write("mini.yaml", Mini.RulesetYaml));
        Ok("ruleset", "activate", "mini", "1");
        Ok("run", "--period", "2025Q2", "--level", "county");

        Assert.Equal("已公示 2025Q2 county 的结果：run-000001（第 1 次发布），公示 5 天，截止 2026-03-15 24:00（北京时间）\n",
            Ok("publish", "run-000001", "--notice-days", "5", "--actor", "office"));
        var pdf = Path.Combine(_folder.Dir, "台账.pdf");
        File.WriteAllBytes(pdf, LedgerWorld.Pdf("B1"));
        Assert.Equal("已提出复核申请 rv-000001：B1 就 run-000001 的指标 fai（附件 1 个）\n",
            Ok("review", "file", "run-000001", "--as", "B1", "--target", "indicator:fai", "--reason", "投资额漏报", "--file", pdf));
        Ok("review", "file", "run-000001", "--as", "A1", "--target", "adjustment:honor", "--reason", "荣誉应计两项");

        // Refusals: another unit withdrawing (3: not found, as an unknown request), the office filing (4), a bad target (2), an unknown request (3).
        var other = Store("review", "withdraw", "rv-000001", "--as", "A1");
        Assert.Equal(3, other.Code);
        Assert.Contains("没有复核申请 rv-000001", other.Err);
        Assert.Equal(4, Store("review", "file", "run-000001", "--target", "indicator:fai", "--reason", "x").Code);
        Assert.Equal(2, Store("review", "file", "run-000001", "--as", "B1", "--target", "score:fai", "--reason", "x").Code);
        Assert.Equal(3, Store("review", "answer", "rv-000009", "--uphold", "--reason", "x").Code);
        Assert.Equal(4, Store("review", "answer", "rv-000001", "--as", "B1", "--uphold", "--reason", "x").Code);

        Assert.Equal("已答复 rv-000001：更正（更正中，2025Q2 county 的新运行发布后结案）\n", Ok("review", "answer", "rv-000001", "--correct", "--reason", "核实漏报"));
        Assert.Equal("已答复 rv-000002：维持\n", Ok("review", "answer", "rv-000002", "--uphold", "--reason", "按文件计一项"));

        // After the deadline: no request; not final while the correction is pending.
        _clock.Now = new DateTimeOffset(2026, 3, 16, 9, 0, 0, China);
        var late = Store("review", "file", "run-000001", "--as", "B2", "--target", "indicator:rev", "--reason", "x");
        Assert.Equal((3, "2025Q2 county 的公示期已于 2026-03-16 00:00（北京时间） 届满，不再受理复核申请\n"), (late.Code, late.Err));
        var pending = Store("publish", "run-000001", "--final");
        Assert.Equal((3, "2025Q2 county 的复核申请 rv-000001 答复为更正，更正的运行发布前不能转为正式发布\n"), (pending.Code, pending.Err));

        // The correction run, published with its own notice of 2 days; the request names it.
        Ok("import", "observations", Write("b1.csv", "unit,indicator,period,actual,target,baseline\nB1,fai,2025Q2,50,50,\n"));
        Ok("run", "--period", "2025Q2", "--level", "county");
        Assert.Equal("已公示 2025Q2 county 的结果：run-000002（第 2 次发布），公示 2 天，截止 2026-03-18 24:00（北京时间）\n",
            Ok("publish", "run-000002", "--notice-days", "2"));
        Assert.Equal("""
            2025Q2 county：run-000002（第 2 次发布，公示中，公示截止 2026-03-18 24:00（北京时间））
            rv-000001	2025Q2	county	B1	run-000001	indicator:fai	已更正	run-000002	投资额漏报	核实漏报
            rv-000002	2025Q2	county	A1	run-000001	adjustment:honor	维持	-	荣誉应计两项	按文件计一项
            公示期间收到复核申请 2 件，更正 1 件

            """, Ok("review", "list", "--period", "2025Q2", "--level", "county"));
        // A unit sees only its own.
        Assert.Equal("rv-000002", Ok("review", "list", "--as", "A1").Split('\t')[0]);

        // B2 asks on the correction and withdraws; the final publication after the new deadline.
        Ok("review", "file", "run-000002", "--as", "B2", "--target", "indicator:rev", "--reason", "收入口径");
        Assert.Equal("已撤回复核申请 rv-000003\n", Ok("review", "withdraw", "rv-000003", "--as", "B2"));
        var early = Store("publish", "run-000002", "--final");
        Assert.Equal((3, "2025Q2 county 的公示期到 2026-03-19 00:00（北京时间） 才满，现在不能转为正式发布\n"), (early.Code, early.Err));
        _clock.Now = new DateTimeOffset(2026, 3, 19, 0, 0, 0, China);
        Assert.Equal("已发布 2025Q2 county 的正式结果：run-000002（第 2 次发布）\n公示期间收到复核申请 3 件，更正 1 件\n",
            Ok("publish", "run-000002", "--final"));
        var again = Store("publish", "run-000001");
        Assert.Equal(3, again.Code);

        // Withdrawal of a provisional publication (Q3, nothing published before).
        Ok("run", "--period", "2025Q3", "--level", "county");
        Ok("publish", "run-000003", "--notice-days", "5");
        Assert.Equal(2, Store("publish", "run-000003", "--withdraw", "--final").Code);
        Assert.Equal("已撤回 2025Q3 county 的公示发布：run-000003（第 1 次发布）\n该期间现在没有发布的结果\n",
            Ok("publish", "run-000003", "--withdraw", "--reason", "口径调整"));
        Assert.Equal(2, Store("publish", "run-000003", "--notice-days", "0").Code);
    }

    [Fact]
    public void A_unit_files_a_request_on_an_indicator_of_its_month_result()
    {
        Ok("init");
        Ok("import", "units", Write("units.csv", Mini.UnitsCsv), "--year", "2025");
        Ok("import", "observations", Write("months.csv", MiniMonth.ObservationsCsv));
        Ok("ruleset", "add", Write("m.yaml", MiniMonth.MonitorYaml));
        Ok("ruleset", "activate", "mini-monthly", "1");
        Ok("run", "--period", "2025-06", "--level", "county");
        Assert.Equal("已公示 2025-06 county 的结果：run-000001（第 1 次发布），公示 5 天，截止 2026-03-15 24:00（北京时间）\n",
            Ok("publish", "run-000001", "--notice-days", "5", "--actor", "office"));

        // A2's June light (escalated red) is in its month result.
        Assert.Equal("已提出复核申请 rv-000001：A2 就 run-000001 的指标 fai（附件 0 个）\n",
            Ok("review", "file", "run-000001", "--as", "A2", "--target", "indicator:fai", "--reason", "6 月投资漏报"));
        // An indicator the month lacks (2), an adjustment (a month has none: 2), a town not in the county month (4).
        var unknown = Store("review", "file", "run-000001", "--as", "A2", "--target", "indicator:rev", "--reason", "x");
        Assert.Equal((2, "单位 A2 在运行 run-000001 的结果中没有指标 'rev'\n"), (unknown.Code, unknown.Err));
        Assert.Equal(2, Store("review", "file", "run-000001", "--as", "A2", "--target", "adjustment:honor", "--reason", "x").Code);
        Assert.Equal(4, Store("review", "file", "run-000001", "--as", "T1", "--target", "indicator:fai", "--reason", "x").Code);

        Assert.Equal("已答复 rv-000001：维持\n", Ok("review", "answer", "rv-000001", "--uphold", "--reason", "两个月黄灯按规则升为红灯"));
        _clock.Now = new DateTimeOffset(2026, 3, 16, 0, 0, 0, China);
        var late = Store("review", "file", "run-000001", "--as", "B1", "--target", "indicator:fai", "--reason", "x");
        Assert.Equal((3, "2025-06 county 的公示期已于 2026-03-16 00:00（北京时间） 届满，不再受理复核申请\n"), (late.Code, late.Err));
        Assert.Equal("已发布 2025-06 county 的正式结果：run-000001（第 1 次发布）\n公示期间收到复核申请 1 件，更正 0 件\n",
            Ok("publish", "run-000001", "--final"));
    }
}
