using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Evaluation;
using BaiQianWan.Assess.Rules.Loading;
using BaiQianWan.Assess.Samples;

namespace BaiQianWan.Assess.Tests.Ledger;

/// <summary>
/// The sample ruleset county-ledger.yaml (按期销号率 weight 5 with completion capped at 100%; 1 point off per overdue
/// task, at most 5) evaluated on a small ledger's 2025Q1 figures: the points worked out by hand.
/// </summary>
public sealed class LedgerSampleRulesetTests
{
    private const string Units = """
        code,name,level,parent,class
        C1,创先县,county,,创先
        C2,进位县,county,,进位
        C3,消薄县,county,,消薄

        """;

    // E = 2025-03-31. C1: K1 (due 03-15) reported 03-10, verified 03-12: on time; K2 (due 03-20) never: overdue.
    // C2: K3 (due 02-28) reported 03-05, verified 03-06: closed late; K4 (due 03-10) and K5 (due 01-31) never: overdue.
    // C3: six tasks due 01-10, none reported: six overdue (the deduction stops at 5).
    private const string Tasks = """
        id,year,parent,kind,title,unit,lead,leader,due,status,done
        K1,2025,,举措,一,C1,,,2025-03-15,,
        K2,2025,,举措,二,C1,,,2025-03-20,,
        K3,2025,,举措,三,C2,,,2025-02-28,,
        K4,2025,,举措,四,C2,,,2025-03-10,,
        K5,2025,,举措,五,C2,,,2025-01-31,,
        K6,2025,,举措,六,C3,,,2025-01-10,,
        K7,2025,,举措,七,C3,,,2025-01-10,,
        K8,2025,,举措,八,C3,,,2025-01-10,,
        K9,2025,,举措,九,C3,,,2025-01-10,,
        K10,2025,,举措,十,C3,,,2025-01-10,,
        K11,2025,,举措,十一,C3,,,2025-01-10,,

        """;

    [Fact]
    public async Task The_sample_scores_on_time_closing_and_deducts_overdue_tasks()
    {
        await using var w = await LedgerWorld.CreateAsync(unitsCsv: Units);
        await w.ImportAsync(Tasks);
        w.Clock.On("2025-03-05");
        await w.Service.SubmitAsync(2025, "K3", LedgerWorld.Office1, "已完成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-03-06");
        await w.Service.CloseAsync(2025, "K3", LedgerWorld.Office2);
        w.Clock.On("2025-03-10");
        await w.Service.SubmitAsync(2025, "K1", LedgerWorld.Office1, "已完成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-03-12");
        await w.Service.CloseAsync(2025, "K1", LedgerWorld.Office2);
        var q1 = Period.OfQuarter(2025, 1);

        var loaded = RulesetLoader.Load(SampleRulesets.CountyLedger);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Diagnostics));
        Assert.Equal("county-ledger-2025", loaded.Ruleset!.Id);
        var data = new Dataset(await w.Store.GetUnitsAsync(2025), await w.Service.ObservationsAsync(q1));
        var result = Evaluator.Evaluate(CompiledRuleset.Compile(loaded.Ruleset, loaded.Sha256), data, q1);

        (decimal? Actual, decimal? Target, decimal Score, decimal Overdue, decimal Points) Of(string code)
        {
            var u = result.Units.Single(x => x.Code == code);
            var i = u.Indicators.Single(x => x.Id == "ledger_closed_on_time");
            var a = u.Adjustments.Single(x => x.Id == "ledger_overdue");
            return (i.Actual, i.Target, i.Score, a.Count, a.Points);
        }
        // C1: 1/2 × 5 = 2.5; 1 overdue: −1.  C2: 0/3: 0; 2 overdue: −2.  C3: 0/6: 0; 6 overdue: −6, at most −5.
        Assert.Equal((1m, 2m, 2.5m, 1m, -1m), Of("C1"));
        Assert.Equal((0m, 3m, 0m, 2m, -2m), Of("C2"));
        Assert.Equal((0m, 6m, 0m, 6m, -5m), Of("C3"));
        // Every other indicator has no data here; the totals are the ledger's points alone.
        Assert.Equal([1.5m, -2m, -5m], result.Units.OrderBy(u => u.Code, StringComparer.Ordinal).Select(u => u.Total));
    }
}
