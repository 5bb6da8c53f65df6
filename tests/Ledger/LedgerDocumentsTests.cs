using System.Text.RegularExpressions;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Scorecards;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Oracle;
using BaiQianWan.Assess.Tests.Scorecards;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Tests.Ledger;

/// <summary>
/// The ledger's documents (ledger.md §5) read back with pdftotext: the monthly ledger bulletin per level and the unit's
/// ledger section in its scorecard, against hand-counted figures and the independent oracle (<see cref="LedgerOracle"/>).
/// </summary>
public sealed class LedgerDocumentsTests
{
    // Counties 甲县 A and 乙县 B (创先), 丙县 C (进位, no task); town 某镇 T1 under A.
    private const string Units = """
        code,name,level,parent,class
        A,甲县,county,,创先
        B,乙县,county,,创先
        C,丙县,county,,进位
        T1,某镇,town,A,中心镇

        """;

    private const string Tasks = """
        id,year,parent,kind,title,unit,lead,leader,due,status,done
        S1,2025,,阶段目标,产业,,,,,,
        K1,2025,S1,举措,建成产业园,A,,张三,2025-03-31,,
        K2,2025,S1,举措,新增规上企业5家,A,,李四,2025-04-30,,
        K7,2025,S1,举措,停建项目,A,,,2025-05-31,,
        K3,2025,S1,举措,改造老旧小区3个,B,,王五,2025-06-15,,
        K4,2025,S1,举措,新增学位200个,B,,,2025-05-31,,
        K5,2025,S1,举措,建成长者饭堂,B,,,2025-07-02,,
        K6,2025,S1,举措,圩镇污水治理,T1,,赵六,2025-03-31,,

        """;

    private static readonly DocumentStamp Stamp = new("ledger-test", new DateTimeOffset(2025, 7, 1, 1, 0, 0, TimeSpan.Zero), false);

    /// <summary>
    /// The ledger on 2025-06-30: K1 closed on time (submitted 03-20, verified 04-05); K2 never submitted (61 days over: red);
    /// K7 cancelled; K3 not submitted (15 days over: yellow); K4 submitted late (06-10) and closed; K5 due 07-02 (blue);
    /// K6 closed then reopened on 04-10 with the new deadline 05-10 (51 days over: red).
    /// </summary>
    private static async Task<LedgerWorld> WorldAsync()
    {
        var w = await LedgerWorld.CreateAsync(unitsCsv: Units);
        w.Clock.On("2025-01-06");
        await w.ImportAsync(Tasks);
        var a = LedgerActor.OfUnit("a", "A");
        var b = LedgerActor.OfUnit("b", "B");
        var t = LedgerActor.OfUnit("t1", "T1");
        var o = LedgerWorld.Office1;
        w.Clock.On("2025-03-01");
        await w.Service.SubmitAsync(2025, "K6", t, "已完成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-03-05");
        await w.Service.CloseAsync(2025, "K6", o);
        w.Clock.On("2025-03-20");
        await w.Service.SubmitAsync(2025, "K1", a, "已建成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-04-05");
        await w.Service.CloseAsync(2025, "K1", o);
        w.Clock.On("2025-04-10");
        await w.Service.ReopenAsync(2025, "K6", o, "回头看发现未完成", new DateOnly(2025, 5, 10));
        w.Clock.On("2025-05-01");
        await w.Service.CancelAsync(2025, "K7", o, "项目调整");
        w.Clock.On("2025-06-10");
        await w.Service.SubmitAsync(2025, "K4", b, "已完成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-06-12");
        await w.Service.CloseAsync(2025, "K4", o);
        return w;
    }

    private static LedgerBulletins Bulletins(LedgerWorld w) => new(w.Ledger, w.Store);

    /// <summary>The numbers of a unit's line of the bulletin's table (after its name and code), as pdftotext -layout reads them.</summary>
    private static string[] Row(string layout, string nameAndCode)
    {
        var line = layout.Split('\n').First(l => l.Contains(nameAndCode, StringComparison.Ordinal)); // the units table comes before the overdue list
        var after = line[(line.IndexOf(nameAndCode, StringComparison.Ordinal) + nameAndCode.Length)..];
        return [.. Regex.Matches(after, @"\d+\.\d+%|\d+|—").Select(m => m.Value)];
    }

    [Fact]
    public async Task The_county_bulletin_reads_back_its_title_totals_every_unit_and_the_overdue_tasks_red_first()
    {
        await using var w = await WorldAsync();
        var book = (await Bulletins(w).ReadAsync(2025))!;
        var doc = LedgerDocuments.RenderBulletin(book, 6, UnitLevel.County, Stamp)!;
        Assert.Empty(doc.Missing);
        var text = Pdf.Text(doc.Pdf);
        var flat = Pdf.Flat(text);
        Assert.Contains("2025年6月任务台账销号情况通报（县（市、区））", flat);
        Assert.Contains("截至2025-06-30", flat);
        // The level: 5 tasks not cancelled (K1 K2 K3 K4 K5), 4 due (K1 K2 K3 K4), 1 on time (K1) = 25.00 %, 2 closed, 2 overdue
        // (K2 red, K3 yellow), K5 blue; K7 counts nowhere.
        Assert.Contains("到期4项，按期销号1项，按期销号率25.00%；已销号2项；逾期未销号2项，其中挂牌督办（红灯）1项、逾期（黄灯）1项；临期（蓝灯）1项；重新挂账0次", flat);
        var layout = Pdf.Text(doc.Pdf, layout: true);
        // 任务 到期 按期销号 按期销号率 已销号 逾期未销号 重新挂账 红 黄 蓝
        Assert.Equal(["2", "2", "1", "50.00%", "1", "1", "0", "1", "0", "0"], Row(layout, "甲县 A "));
        Assert.Equal(["3", "2", "0", "0.00%", "1", "1", "0", "0", "1", "1"], Row(layout, "乙县 B "));
        Assert.DoesNotContain("丙县", text); // no task, no line
        Assert.DoesNotContain("某镇", text); // another level
        // The overdue tasks: K2 (red, 61 days) before K3 (yellow, 15 days), with unit, leader and days overdue.
        var k2 = layout.Split('\n').Single(l => l.Contains("K2", StringComparison.Ordinal));
        Assert.Matches(@"■红灯\s+甲县 A\s+K2\s+新增规上企业5家\s+李四\s+2025-04-30\s+61\s+推进中", k2);
        var k3 = layout.Split('\n').Single(l => l.Contains("K3", StringComparison.Ordinal));
        Assert.Matches(@"▲黄灯\s+乙县 B\s+K3\s+改造老旧小区3个\s+王五\s+2025-06-15\s+15\s+推进中", k3);
        Assert.True(layout.IndexOf("K2", StringComparison.Ordinal) < layout.IndexOf("K3", StringComparison.Ordinal));
        Assert.DoesNotContain("K1", layout);
        Assert.DoesNotContain("K7", layout);
    }

    [Fact]
    public async Task The_bulletin_counts_agree_with_the_independent_oracle_for_every_unit_and_month()
    {
        await using var w = await WorldAsync();
        var book = (await Bulletins(w).ReadAsync(2025))!;
        var tasks = await w.Ledger.GetTasksAsync(2025);
        var history = (await w.Ledger.GetHistoriesAsync(2025)).Values.SelectMany(h => h).ToList();
        foreach (var month in new[] { 3, 4, 6, 12 })
        {
            var oracle = LedgerOracle.Figures(tasks, history, 2025, Period.OfMonth(2025, month).EndDate);
            foreach (var (level, units) in new[] { (UnitLevel.County, new[] { ("甲县 A ", "A"), ("乙县 B ", "B") }), (UnitLevel.Town, new[] { ("某镇 T1 ", "T1") }) })
            {
                var layout = Pdf.Text(LedgerDocuments.RenderBulletin(book, month, level, Stamp)!.Pdf, layout: true);
                foreach (var (label, code) in units)
                {
                    var row = Row(layout, label);
                    var expected = new[] { "ledger_due", "ledger_closed_on_time", "ledger_closed", "ledger_overdue", "ledger_reopened" }
                        .Select(id => ((int)oracle[(code, id)].Actual).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                    Assert.Equal(expected, new[] { row[1], row[2], row[4], row[5], row[6] });
                }
            }
        }
    }

    [Fact]
    public async Task The_town_bulletin_shows_the_reopened_task_red_with_its_new_deadline()
    {
        await using var w = await WorldAsync();
        var book = (await Bulletins(w).ReadAsync(2025))!;
        var layout = Pdf.Text(LedgerDocuments.RenderBulletin(book, 6, UnitLevel.Town, Stamp)!.Pdf, layout: true);
        Assert.Contains("2025年6月任务台账销号情况通报（乡镇（街道））", Pdf.Flat(layout));
        // K6: reopened on 04-10 with the deadline 05-10: 1 task, 1 due, 0 on time, 0 closed, 1 overdue, 1 reopening, red.
        Assert.Equal(["1", "1", "0", "0.00%", "0", "1", "1", "1", "0", "0"], Row(layout, "某镇 T1 "));
        Assert.Matches(@"■红灯\s+某镇 T1\s+K6\s+圩镇污水治理\s+赵六\s+2025-05-10\s+51\s+推进中", layout);
        // In March K6 was closed on time (submitted 03-01, due 03-31): nothing overdue.
        var march = Pdf.Text(LedgerDocuments.RenderBulletin(book, 3, UnitLevel.Town, Stamp)!.Pdf, layout: true);
        Assert.Equal(["1", "1", "1", "100.00%", "1", "0", "0", "0", "0", "0"], Row(march, "某镇 T1 "));
        Assert.Contains("截至2025-03-31没有逾期未销号的任务。", Pdf.Flat(march));
    }

    [Fact]
    public async Task The_same_ledger_gives_the_same_bytes_and_a_past_month_does_not_change_when_the_ledger_moves_on()
    {
        await using var w = await WorldAsync();
        var bulletins = Bulletins(w);
        var june = Period.OfMonth(2025, 6);
        var first = (await bulletins.RenderAsync(june, UnitLevel.County, Stamp))!;
        var second = (await bulletins.RenderAsync(june, UnitLevel.County, Stamp))!;
        Assert.Equal(first.Content, second.Content);
        Assert.Equal((DocumentKind.Bulletin, "ledger-county"), (first.Kind, first.Key));

        // July: K3 is submitted and verified; June's bulletin stays as it was, July's shows K3 closed late.
        w.Clock.On("2025-07-03");
        await w.Service.SubmitAsync(2025, "K3", LedgerActor.OfUnit("b", "B"), "已完成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-07-05");
        await w.Service.CloseAsync(2025, "K3", LedgerWorld.Office1);
        Assert.Equal(first.Content, (await bulletins.RenderAsync(june, UnitLevel.County, Stamp))!.Content);
        var july = Pdf.Text((await bulletins.RenderAsync(Period.OfMonth(2025, 7), UnitLevel.County, Stamp))!.Content, layout: true);
        // B in July: K3 K4 K5 due (K5 on 07-02, not submitted: overdue 29 days, yellow), none on time, K3 and K4 closed.
        Assert.Equal(["3", "3", "0", "0.00%", "2", "1", "0", "0", "1", "0"], Row(july, "乙县 B "));
    }

    [Fact]
    public async Task A_month_run_gets_one_bulletin_per_level_with_tasks_and_none_for_a_year_without_a_ledger()
    {
        await using var w = await WorldAsync();
        var bulletins = Bulletins(w);
        var stamp = new RunStamp("run-000009", new DateTimeOffset(2025, 7, 1, 1, 0, 0, TimeSpan.Zero), true);
        var documents = await bulletins.RenderMonthAsync(Period.OfMonth(2025, 6), stamp);
        Assert.Equal(["ledger-county", "ledger-town"], documents.Select(d => d.Key));
        var footer = Pdf.Flat(Pdf.Text(documents[0].Content));
        Assert.Contains("运行run-000009", footer);
        Assert.Contains("示例数据", footer);
        Assert.Empty(await bulletins.RenderMonthAsync(Period.OfMonth(2024, 6), stamp));
        await Assert.ThrowsAsync<ArgumentException>(() => bulletins.RenderAsync(Period.OfQuarter(2025, 2), UnitLevel.County, Stamp));
        Assert.Null(await bulletins.RenderAsync(Period.OfMonth(2025, 6), UnitLevel.Village, Stamp));
    }

    // ---- the scorecard's ledger section ----

    private static readonly string Yaml = Small.Ruleset(2);

    private static Rules.Results.EvaluationResult Result() => Small.Evaluate(Yaml, [("A", "甲县"), ("B", "乙县"), ("C", "丙县")],
        Small.Rows("A", 2, _ => 100, "2025Q2") + "\n" + Small.Rows("B", 2, _ => 80, "2025Q2") + "\n" + Small.Rows("C", 2, _ => 60, "2025Q2"), "2025Q2");

    [Fact]
    public async Task A_units_scorecard_has_its_own_ledger_as_one_section_with_counts_and_overdue_tasks()
    {
        await using var w = await WorldAsync();
        var book = (await Bulletins(w).ReadAsync(2025))!;
        var result = Result();
        var aPdf = ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp, ledger: book).Pdf;
        var a = Pdf.Flat(Pdf.Text(aPdf));
        Assert.Contains("任务台账（销号制）截至2025-06-30，本单位自身的任务", a);
        // A's own tasks (not T1's): K1 on time, K2 overdue 61 days (red); K7 cancelled.
        Assert.Contains("任务2项，到期2项，按期销号1项，按期销号率50.00%；已销号1项；逾期未销号1项；重新挂账0次。督办灯：红灯1项，黄灯0项，蓝灯0项。", a);
        Assert.Matches(@"■红灯\s+K2\s+新增规上企业5家\s+李四\s+2025-04-30\s+61\s+推进中", Pdf.Text(aPdf, layout: true));
        Assert.DoesNotContain("K6", a);
        var bPdf = ScorecardRenderer.RenderScorecard(result, "B", Small.Stamp, ledger: book).Pdf;
        var b = Pdf.Flat(Pdf.Text(bPdf));
        Assert.Contains("任务3项，到期2项，按期销号0项，按期销号率0.00%；已销号1项；逾期未销号1项；重新挂账0次。督办灯：红灯0项，黄灯1项，蓝灯1项。", b);
        Assert.Matches(@"▲黄灯\s+K3\s+改造老旧小区3个\s+王五\s+2025-06-15\s+15\s+推进中", Pdf.Text(bPdf, layout: true));
    }

    [Fact]
    public async Task A_scorecard_without_a_ledger_for_its_unit_or_year_is_byte_identical_to_one_rendered_without_any()
    {
        await using var w = await WorldAsync();
        var book = (await Bulletins(w).ReadAsync(2025))!;
        var result = Result();
        foreach (var code in new[] { "A", "C" })
        {
            var plain = ScorecardRenderer.RenderScorecard(result, code, Small.Stamp).Pdf;
            // Another year's ledger: nothing to show.
            Assert.Equal(plain, ScorecardRenderer.RenderScorecard(result, code, Small.Stamp, ledger: book with { Year = 2024 }).Pdf);
            Assert.Equal(plain, DocumentSet.RenderScorecards(result, [code], Small.Stamp, ledger: null)[0].Pdf);
        }
        // C has no task in 2025: its scorecard is the same with the ledger as without; A's is not.
        Assert.Equal(ScorecardRenderer.RenderScorecard(result, "C", Small.Stamp).Pdf, ScorecardRenderer.RenderScorecard(result, "C", Small.Stamp, ledger: book).Pdf);
        Assert.NotEqual(ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp).Pdf, ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp, ledger: book).Pdf);
    }

    [Fact]
    public async Task The_product_renderer_draws_the_ledger_it_is_handed_as_the_scorecard_renderer_draws_it()
    {
        await using var w = await WorldAsync();
        var book = (await Bulletins(w).ReadAsync(2025))!;
        var result = Result();
        var stamp = new RunStamp(Small.Stamp.RunId, Small.Stamp.At!.Value, false);
        var documents = new PdfDocumentRenderer(parallelism: 2).RenderScorecards(result, stamp, ["A", "B", "C"], null, book);
        foreach (var (code, i) in new[] { ("A", 0), ("B", 1), ("C", 2) })
            Assert.Equal(ScorecardRenderer.RenderScorecard(result, code, Small.Stamp, ledger: book).Pdf, documents[i].Content);
        Assert.NotEqual(ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp).Pdf, documents[0].Content);
        // Without a ledger the renderer draws as before.
        Assert.Equal(ScorecardRenderer.RenderScorecard(result, "A", Small.Stamp).Pdf,
            new PdfDocumentRenderer(parallelism: 1).RenderScorecards(result, stamp, ["A"], null, null)[0].Content);
    }
}
