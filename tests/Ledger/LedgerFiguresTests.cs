using System.Collections.Immutable;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Tests.Ledger;

/// <summary>The derived observations of §4 and the lights of §3, with fixed dates.</summary>
public sealed class LedgerFiguresTests
{
    private static readonly LedgerActor O1 = LedgerWorld.Office1, A1 = LedgerWorld.UnitA1, A2 = LedgerWorld.UnitA2;

    /// <summary>A unit's five figures as <c>due,onTime/target,closed/target,overdue,reopened</c>.</summary>
    private static Dictionary<string, string> Figures(ImmutableArray<Observation> rows)
    {
        Assert.All(rows.GroupBy(r => r.Unit), g => Assert.Equal(LedgerFigures.Indicators, g.Select(r => r.Indicator)));
        return rows.GroupBy(r => r.Unit).ToDictionary(g => g.Key, g =>
        {
            var r = g.ToList();
            Assert.Null(r[0].Target);
            Assert.Null(r[3].Target);
            Assert.Null(r[4].Target);
            return $"{r[0].Actual},{r[1].Actual}/{r[1].Target},{r[2].Actual}/{r[2].Target},{r[3].Actual},{r[4].Actual}";
        });
    }

    private async Task<Dictionary<string, string>> At(LedgerWorld w, string period) => Figures(await w.Service.ObservationsAsync(Period.Parse(period)));

    [Fact]
    public async Task A_ledger_loaded_from_a_file_counts_loaded_states_from_their_done_date_or_always()
    {
        await using var w = await LedgerWorld.CreateAsync();
        await w.ImportAsync("""
            id,year,parent,kind,title,unit,lead,leader,due,status,done
            S1,2025,,阶段目标,产业,,,,,,
            K1,2025,S1,举措,按期销号,A1,,,2025-03-31,已销号,2025-03-20
            K2,2025,S1,举措,逾期完成,A1,,,2025-02-15,已销号,2025-03-10
            K3,2025,S1,举措,二季度到期,A1,,,2025-05-31,,
            K4,2025,S1,举措,中止,A1,,,2025-01-31,中止,
            K5,2025,S1,举措,季末到期,A1,,,2025-03-31,推进中,
            K6,2025,S1,举措,年末到期,A2,,,2025-12-31,,

            """);
        // February: K2 due 02-15 is not done until 03-10, so overdue; K1's done date is after the month.
        Assert.Equal(new Dictionary<string, string> { ["A1"] = "1,0/1,0/1,1,0", ["A2"] = "0,0/0,0/0,0,0" }, await At(w, "2025-02"));
        // Q1: K1 on time, K2 late, K5 due on the last day (due, not overdue), K4 cancelled counts nowhere.
        Assert.Equal(new Dictionary<string, string> { ["A1"] = "3,1/3,2/3,0,0", ["A2"] = "0,0/0,0/0,0,0" }, await At(w, "2025Q1"));
        Assert.Equal(new Dictionary<string, string> { ["A1"] = "4,1/4,2/4,2,0", ["A2"] = "0,0/0,0/0,0,0" }, await At(w, "2025Q2"));
        Assert.Equal(new Dictionary<string, string> { ["A1"] = "4,1/4,2/4,2,0", ["A2"] = "1,0/1,0/1,0,0" }, await At(w, "2025"));
        // A year without tasks gives no rows; a unit without tasks (T1) none either.
        Assert.Empty(await w.Service.ObservationsAsync(Period.Parse("2024")));
        var rows = await w.Service.ObservationsAsync(Period.Parse("2025Q1"));
        Assert.Equal(["A1", "A2"], rows.Select(r => r.Unit).Distinct());
        Assert.All(rows, r => Assert.Equal(Period.Parse("2025Q1"), r.Period));
    }

    [Fact]
    public async Task A_ledger_driven_through_submit_verify_extend_reopen_and_cancel_keeps_the_figures_of_past_periods()
    {
        await using var w = await LedgerWorld.CreateAsync();
        w.Clock.On("2025-01-02");
        await w.ImportAsync("""
            id,year,parent,kind,title,unit,lead,leader,due,status,done
            D1,2025,,举措,甲,A1,,,2025-03-25,,
            D2,2025,,举措,乙,A1,,,2025-03-15,,
            D3,2025,,举措,丙,A1,,,2025-06-30,,
            D4,2025,,举措,丁,A2,,,2025-02-28,,
            D5,2025,,举措,戊,A2,,,2025-03-15,,

            """);
        w.Clock.On("2025-03-10");
        await w.Service.ExtendAsync(2025, "D2", A1, "征地未完成", new DateOnly(2025, 5, 31));
        w.Clock.On("2025-03-12");
        await w.Service.DecideAsync(2025, "D2", O1, approve: true);
        w.Clock.On("2025-03-20");
        await w.Service.SubmitAsync(2025, "D1", A1, "已完成", [LedgerWorld.PdfFile()]);
        await w.Service.SubmitAsync(2025, "D5", A2, "已完成（逾期）", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-03-25");
        await w.Service.CloseAsync(2025, "D5", O1);
        w.Clock.On("2025-04-05");
        await w.Service.CloseAsync(2025, "D1", O1);
        w.Clock.On("2025-04-10");
        await w.Service.CancelAsync(2025, "D4", O1, "项目调整");
        w.Clock.On("2025-05-20");
        await w.Service.SubmitAsync(2025, "D2", A1, "已完成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-06-02");
        await w.Service.CloseAsync(2025, "D2", O1);

        // Q1: D1 submitted 03-20 but verified after the quarter, so overdue on 03-31; D2's deadline moved to 05-31.
        //     A2: D4 overdue (cancelled only in April), D5 closed late.
        var q1 = new Dictionary<string, string> { ["A1"] = "1,0/1,0/1,1,0", ["A2"] = "2,0/2,1/2,1,0" };
        Assert.Equal(q1, await At(w, "2025Q1"));
        Assert.Equal(new Dictionary<string, string> { ["A1"] = "1,1/1,1/1,0,0", ["A2"] = "1,0/1,1/1,0,0" }, await At(w, "2025-04"));
        var q2 = new Dictionary<string, string> { ["A1"] = "3,2/3,2/3,0,0", ["A2"] = "1,0/1,1/1,0,0" };
        Assert.Equal(q2, await At(w, "2025Q2"));

        w.Clock.On("2025-07-10");
        await w.Service.ReopenAsync(2025, "D1", O1, "回头看发现未完成", new DateOnly(2025, 8, 31));
        Assert.Equal(new Dictionary<string, string> { ["A1"] = "2,1/2,1/2,1,1", ["A2"] = "1,0/1,1/1,0,0" }, await At(w, "2025-07"));
        Assert.Equal(new Dictionary<string, string> { ["A1"] = "3,1/3,1/3,2,1", ["A2"] = "1,0/1,1/1,0,0" }, await At(w, "2025"));
        // The past periods read the same after the ledger moved on.
        Assert.Equal(q1, await At(w, "2025Q1"));
        Assert.Equal(q2, await At(w, "2025Q2"));
    }

    [Fact]
    public async Task The_worked_example_of_the_operators_guide_gives_the_figures_it_states()
    {
        await using var w = await LedgerWorld.CreateAsync(unitsCsv: "code,name,level,parent,class\n440825,甲县,county,,甲\n440881,乙市,county,,甲\n");
        var county = LedgerActor.OfUnit("xian", "440825");
        var office2 = LedgerWorld.Office2;
        w.Clock.On("2025-01-02");
        Assert.Equal(4, (await w.ImportAsync("""
            id,year,parent,kind,title,unit,lead,leader,due,status,done
            S1,2025,,阶段目标,产业提质,,,,,,
            K1,2025,S1,重点工作,建成县级产业园一期,440825,县发改局,王某,2025-03-25,,
            K2,2025,S1,举措,完成招商引资签约,440825,,李某,2025-03-15,,
            K3,2025,S1,举措,建成农产品冷链中心,440881,,张某,2025-02-28,,

            """, "tasks-2025.csv")).Added);
        w.Clock.On("2025-03-10");
        await w.Service.ExtendAsync(2025, "K2", county, "征地未完成", new DateOnly(2025, 5, 31));
        w.Clock.On("2025-03-12");
        var k2 = await w.Service.DecideAsync(2025, "K2", O1, approve: true);
        Assert.Equal((new DateOnly(2025, 5, 31), new DateOnly(2025, 3, 15)), (k2.Due!.Value, k2.OriginalDue!.Value));
        w.Clock.On("2025-03-20");
        await w.Service.SubmitAsync(2025, "K1", county, "一期已建成投产", [LedgerWorld.PdfFile("验收报告.pdf")]);
        w.Clock.On("2025-04-05");
        Assert.Equal(new DateOnly(2025, 3, 20), (await w.Service.CloseAsync(2025, "K1", office2)).Done);
        w.Clock.On("2025-05-20");
        await w.Service.SubmitAsync(2025, "K2", county, "已签约", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-06-02");
        await w.Service.CloseAsync(2025, "K2", office2);
        w.Clock.On("2025-07-10");
        await w.Service.ReopenAsync(2025, "K1", O1, "回头看发现未投产", new DateOnly(2025, 8, 31));
        Assert.Equal(new Dictionary<string, string> { ["440825"] = "1,0/1,0/1,1,0", ["440881"] = "1,0/1,0/1,1,0" }, await At(w, "2025Q1"));
        Assert.Equal("2,2/2,2/2,0,0", (await At(w, "2025Q2"))["440825"]);
        Assert.Equal("1,1/1,1/1,0,1", (await At(w, "2025-07"))["440825"]);
    }

    [Theory]
    [InlineData("2025-03-27", TaskLight.None, 0)]
    [InlineData("2025-03-28", TaskLight.Blue, 0)]
    [InlineData("2025-03-31", TaskLight.Blue, 0)]
    [InlineData("2025-04-01", TaskLight.Yellow, 1)]
    [InlineData("2025-04-30", TaskLight.Yellow, 30)]
    [InlineData("2025-05-01", TaskLight.Red, 31)]
    public void Lights_follow_the_deadline_with_the_default_settings(string on, TaskLight light, int days)
    {
        var task = Task("2025-03-31", TaskState.InProgress);
        var lit = LedgerLights.Of(task, DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((light, days), (lit.Light, lit.DaysOverdue));
        Assert.Equal(lit.Light, LedgerLights.Of(task with { State = TaskState.Submitted }, DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture)).Light);
    }

    [Fact]
    public void Closed_cancelled_and_grouping_items_have_no_light_and_settings_change_the_bounds()
    {
        var on = new DateOnly(2025, 6, 1);
        var lights = LedgerLights.On(
        [
            Task("2025-03-31", TaskState.Closed), Task("2025-03-31", TaskState.Cancelled), Task("2025-03-31", TaskState.InProgress) with { Unit = null },
            Task("2025-06-06", TaskState.InProgress), Task("2025-05-22", TaskState.InProgress), Task("2025-05-21", TaskState.InProgress),
        ], on, new LedgerSettings(RemindDays: 5, RedAfterDays: 10));
        Assert.Equal([TaskLight.None, TaskLight.None, TaskLight.None, TaskLight.Blue, TaskLight.Yellow, TaskLight.Red], lights.Select(l => l.Light));
        Assert.Equal([0, 0, 0, 0, 10, 11], lights.Select(l => l.DaysOverdue));
        Assert.Throws<ArgumentException>(() => LedgerLights.On([], on, new LedgerSettings(-1, 3)));
    }

    [Fact]
    public async Task The_list_on_a_date_shows_each_task_as_it_stood_with_its_light()
    {
        await using var w = await LedgerWorld.CreateAsync();
        w.Clock.On("2025-01-02");
        await w.ImportAsync("""
            id,year,parent,kind,title,unit,lead,leader,due,status,done
            L1,2025,,举措,甲,A1,,,2025-03-31,,
            L2,2025,,举措,乙,A1,,,2025-02-10,,
            L3,2025,,举措,丙,A2,,,2025-03-01,,

            """);
        w.Clock.On("2025-03-29");
        await w.Service.SubmitAsync(2025, "L1", A1, "完成", [LedgerWorld.PdfFile()]);
        w.Clock.On("2025-04-02");
        await w.Service.CloseAsync(2025, "L1", O1);
        var on = await w.Service.ListAsync(2025, O1, new DateOnly(2025, 3, 30));
        Assert.Equal(["L1 待核验 蓝 0", "L2 推进中 红 48", "L3 推进中 黄 29"],
            on.Select(l => $"{l.Task.Id} {l.Task.State.ToChinese()} {l.Light.ToChinese()} {l.DaysOverdue}"));
        var now = await w.Service.ListAsync(2025, A1, new DateOnly(2025, 4, 2));
        Assert.Equal(["L1 已销号  0", "L2 推进中 红 51"], now.Select(l => $"{l.Task.Id} {l.Task.State.ToChinese()} {l.Light.ToChinese()} {l.DaysOverdue}"));
        Assert.Equal(["L2"], (await w.Service.ListAsync(2025, O1, new DateOnly(2025, 4, 2), state: TaskState.InProgress, unit: "A1")).Select(l => l.Task.Id));
    }

    private static LedgerTask Task(string due, TaskState state) => new()
    {
        Year = 2025, Id = "T", Unit = "A1", Title = "t", State = state, LoadedState = state,
        Due = DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture),
        LoadedDue = DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture),
    };
}
