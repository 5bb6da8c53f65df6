using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Tests.Ledger;
using BaiQianWan.Assess.Tests.Scorecards;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Tests.Annual;

/// <summary>
/// The ledger's counts on the annual scorecard (issue 25 item 4): a <c>cadence: year</c> result's scorecard carries the unit's
/// own tasks on 31 December beside its year-end indicators; a unit without tasks says so; a year ruleset without sources
/// says that no publication was read. Counted by hand.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class AnnualLedgerDocumentTests
{
    private const string Units = """
        code,name,level,parent,class
        A,甲县,county,,创先
        C,丙县,county,,创先

        """;

    // A's tasks: K1 due 03-31, submitted 03-20 and verified 04-05 (closed on time); K2 due 04-30, never submitted: on 12-31
    // it is 245 days overdue (May 31 + June 30 + July 31 + August 31 + September 30 + October 31 + November 30 + December 31): red.
    private const string Tasks = """
        id,year,parent,kind,title,unit,lead,leader,due,status,done
        S1,2025,,阶段目标,产业,,,,,,
        K1,2025,S1,举措,建成产业园,A,,张三,2025-03-31,,
        K2,2025,S1,举措,新增规上企业5家,A,,李四,2025-04-30,,

        """;

    [Fact]
    public async Task The_annual_scorecard_carries_the_units_ledger_counts_on_the_years_end()
    {
        await using var w = await LedgerWorld.CreateAsync(unitsCsv: Units);
        w.Clock.On("2025-01-06");
        await w.ImportAsync(Tasks);
        w.Clock.On("2025-03-20");
        await w.Service.SubmitAsync(2025, "K1", LedgerActor.OfUnit("a", "A"), "已建成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-04-05");
        await w.Service.CloseAsync(2025, "K1", LedgerWorld.Office1);
        var book = (await new LedgerBulletins(w.Ledger, w.Store).ReadAsync(2025))!;

        var yaml = Small.Ruleset(2).Replace("decimals: 2", "cadence: year\ndecimals: 2");
        var result = Small.Evaluate(yaml, [("A", "甲县"), ("C", "丙县")], Small.Rows("A", 2, _ => 100, "2025") + "\n" + Small.Rows("C", 2, _ => 50, "2025"), "2025");
        Assert.True(result.Sources.IsDefault);

        var aPdf = AnnualDocuments.RenderScorecard(result, "A", Small.Stamp, ledger: book).Pdf;
        var a = Pdf.Flat(Pdf.Text(aPdf));
        Assert.Contains("百千万工程年度考核评价记分卡", a);
        Assert.Contains("本规则集没有数据来源（sources），未读取季度考核和月度监测的公布结果。", a);
        Assert.Contains("任务台账（销号制）截至2025-12-31，本单位自身的任务", a);
        Assert.Contains("任务2项，到期2项，按期销号1项，按期销号率50.00%；已销号1项；逾期未销号1项；重新挂账0次。督办灯：红灯1项，黄灯0项，蓝灯0项。", a);
        Assert.Matches(@"■红灯\s+K2\s+新增规上企业5家\s+李四\s+2025-04-30\s+245\s+推进中", Pdf.Text(aPdf, layout: true));
        Assert.DoesNotContain("本年度没有本单位的任务", a);
        Assert.DoesNotContain("读取的公布结果", a);

        var c = Pdf.Flat(Pdf.Text(AnnualDocuments.RenderScorecard(result, "C", Small.Stamp, ledger: book).Pdf));
        Assert.Contains("任务台账：本年度没有本单位的任务。", c);
        Assert.DoesNotContain("任务台账（销号制）", c);

        // The product renderer draws the same bytes from the same ledger (handed to it); a quarter's scorecard stays the quarterly one.
        var renderer = new PdfDocumentRenderer(parallelism: 1);
        var stamp = new RunStamp(Small.Stamp.RunId, Small.Stamp.At!.Value, false);
        Assert.Equal(aPdf, renderer.RenderScorecards(result, stamp, ["A"], null, book)[0].Content);
        var quarter = Small.Evaluate(Small.Ruleset(2), [("A", "甲县")], Small.Rows("A", 2, _ => 100, "2025Q4"), "2025Q4");
        Assert.Equal(ScorecardRenderer.RenderScorecard(quarter, "A", Small.Stamp, ledger: book).Pdf, renderer.RenderScorecards(quarter, stamp, ["A"], null, book)[0].Content);
        Assert.DoesNotContain("年度考核", Pdf.Flat(Pdf.Text(renderer.RenderScorecards(quarter, stamp, ["A"], null, book)[0].Content)));
    }
}
