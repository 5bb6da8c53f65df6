using System.Text;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Tests.Ledger;

/// <summary>The tasks file (contract §1): its rows, every bad row named, the XLSX template, re-import.</summary>
public sealed class LedgerFileTests
{
    private const string Header = "id,year,parent,kind,title,unit,lead,leader,due,status,done";

    [Fact]
    public async Task A_good_file_loads_every_column()
    {
        await using var w = await LedgerWorld.CreateAsync();
        var outcome = await w.ImportAsync($"""
            {Header}
            S1,2025,,阶段目标,产业提质,,,,,,
            K1,2025,S1,重点工作,建设产业园,A1,县发改局,王某,2025-06-30,,
            K2,2025,S1,举措,完成招商,T1,,李某,2025-03-31,已销号,2025-03-20
            K3,2025,S1,举措,停建项目,A2,,,2025-05-31,中止,

            """);
        Assert.Equal(new LedgerImportOutcome(4, 0, 0, []), outcome with { NotApplied = [] });
        var tasks = (await w.Ledger.GetTasksAsync(2025)).ToDictionary(t => t.Id);
        Assert.True(tasks["S1"].IsGrouping);
        Assert.Equal(("A1", "县发改局", "王某", new DateOnly(2025, 6, 30), TaskState.InProgress, "S1"),
            (tasks["K1"].Unit, tasks["K1"].Lead, tasks["K1"].Leader, tasks["K1"].Due!.Value, tasks["K1"].State, tasks["K1"].Parent));
        Assert.Equal((TaskState.Closed, new DateOnly(2025, 3, 20)), (tasks["K2"].State, tasks["K2"].Done!.Value));
        Assert.Equal(TaskState.Cancelled, tasks["K3"].State);
        Assert.All(tasks.Values, t => Assert.Equal(1, t.Version));
        Assert.Equal(LedgerChange.Imported, Assert.Single(await w.Ledger.GetHistoryAsync(2025, "K1")).Change);
    }

    [Fact]
    public async Task Every_bad_row_is_named_and_nothing_is_written()
    {
        await using var w = await LedgerWorld.CreateAsync();
        var e = await Assert.ThrowsAsync<InputRejectedException>(() => w.ImportAsync($"""
            {Header}
            K1,2025,,举措,甲,ZZ,,,2025-06-30,,
            K2,2025,,举措,乙,A1,,,2025-13-01,,
            K1,2025,,举措,丙,A1,,,2025-06-30,,
            K4,2025,NOPE,举措,丁,A1,,,2025-06-30,,
            K5,2025,K6,举措,戊,A1,,,2025-06-30,,
            K6,2025,K5,举措,己,A1,,,2025-06-30,,
            K7,2025,,举措,庚,A1,,,2025-06-30,,2025-06-01
            K8,2025,,举措,辛,A1,,,2025-06-30,已销号,
            K9,2025,,举措,壬,A1,,,,,
            K10,2024,,举措,癸,A1,,,2025-06-30,待核验,

            """));
        Assert.Equal(
        [
            "tasks.csv:2:unit: 未知的单位 'ZZ'（不在 2025 年的单位名单中）",
            "tasks.csv:3:due: 日期应为 YYYY-MM-DD，这里是 '2025-13-01'",
            "tasks.csv:4:id: 任务编号 'K1' 重复（第 2 行已有）",
            "tasks.csv:5:parent: 上级 'NOPE' 不在本文件中，也不在该年度的台账中",
            "tasks.csv:6:parent: 上级关系成环：从 'K5' 沿上级又回到了 'K5'",
            "tasks.csv:7:parent: 上级关系成环：从 'K6' 沿上级又回到了 'K6'",
            "tasks.csv:8:done: 只有状态为已销号的任务才填完成日期（done）",
            "tasks.csv:9:done: 状态为已销号时必须填完成日期（done）",
            "tasks.csv:10:due: 有责任单位的任务必须填完成时限（due）",
            "tasks.csv:11:year: 年度 2024 与导入的年度 2025 不一致",
            "tasks.csv:11:status: 状态应为推进中、已销号或中止（或留空），这里是 '待核验'",
        ], e.Errors.Select(x => x.ToString()));
        Assert.Empty(await w.Ledger.GetTasksAsync(2025));
    }

    [Fact]
    public async Task A_parent_may_be_a_task_already_in_the_years_ledger()
    {
        await using var w = await LedgerWorld.CreateAsync();
        await w.ImportAsync($"{Header}\nS1,2025,,阶段目标,产业,,,,,,\n");
        var outcome = await w.ImportAsync($"{Header}\nK1,2025,S1,举措,甲,A1,,,2025-06-30,,\n", "more.csv");
        Assert.Equal(1, outcome.Added);
        Assert.Equal(2, (await w.Ledger.GetTasksAsync(2025)).Count);
    }

    [Fact]
    public async Task A_re_import_adds_updates_text_and_reports_the_dates_of_changed_tasks_without_applying_them()
    {
        await using var w = await LedgerWorld.CreateAsync();
        w.Clock.On("2025-01-02");
        await w.ImportAsync($"""
            {Header}
            K1,2025,,举措,原标题,A1,,,2025-06-30,,
            K2,2025,,举措,乙,A2,,,2025-06-30,,
            K3,2025,,举措,丙,A2,,,2025-06-30,,

            """);
        await w.Service.SubmitAsync(2025, "K1", LedgerWorld.UnitA1, "已完成", [LedgerWorld.PdfFile()]);
        var outcome = await w.ImportAsync($"""
            {Header}
            K1,2025,,举措,新标题,A1,,张某,2025-09-30,,
            K2,2025,,举措,乙,A2,,,2025-07-31,已销号,2025-07-01
            K3,2025,,举措,丙,A2,,,2025-06-30,,
            K4,2025,,举措,丁,A1,,,2025-08-31,,

            """, "again.csv");
        Assert.Equal((1, 2, 1), (outcome.Added, outcome.Updated, outcome.Unchanged));
        var line = Assert.Single(outcome.NotApplied);
        Assert.Equal((2, "K1"), (line.Row, line.Id));
        var k1 = (await w.Ledger.GetTaskAsync(2025, "K1"))!;
        Assert.Equal(("新标题", "张某", new DateOnly(2025, 6, 30), TaskState.Submitted, 3L), (k1.Title, k1.Leader, k1.Due!.Value, k1.State, k1.Version));
        var k2 = (await w.Ledger.GetTaskAsync(2025, "K2"))!;
        Assert.Equal((TaskState.Closed, new DateOnly(2025, 7, 31), new DateOnly(2025, 7, 1)), (k2.State, k2.Due!.Value, k2.Done!.Value));
        Assert.Equal([LedgerChange.Imported, LedgerChange.Submit, LedgerChange.Updated], (await w.Ledger.GetHistoryAsync(2025, "K1")).Select(e => e.Change));
        Assert.Equal(1, (await w.Ledger.GetTaskAsync(2025, "K3"))!.Version);
    }

    [Fact]
    public async Task The_xlsx_template_filled_in_imports_back_the_same_tasks()
    {
        await using var w = await LedgerWorld.CreateAsync();
        await w.ImportAsync($"""
            {Header}
            S1,2025,,阶段目标,产业提质,,,,,,
            K1,2025,S1,重点工作,"建设产业园, 一期",A1,县发改局,王某,2025-06-30,,
            K2,2025,S1,举措,完成招商,T1,,李某,2025-03-31,已销号,2025-03-20

            """);
        var template = await w.Service.TemplateAsync(2025, LedgerWorld.Office1);
        Assert.Equal(template, await w.Service.TemplateAsync(2025, LedgerWorld.Office1));
        await using var other = await LedgerWorld.CreateAsync();
        var outcome = await other.Service.ImportAsync(2025, template, "tasks.xlsx", LedgerWorld.Office1);
        Assert.Equal(3, outcome.Added);
        var a = await w.Ledger.GetTasksAsync(2025);
        var b = await other.Ledger.GetTasksAsync(2025);
        Assert.Equal(a, b);
        // Imported again into the first ledger: nothing differs.
        Assert.Equal(3, (await w.Service.ImportAsync(2025, template, "tasks.xlsx", LedgerWorld.Office1)).Unchanged);
    }

    [Fact]
    public async Task An_empty_template_is_only_a_header_and_a_unit_cannot_import()
    {
        await using var w = await LedgerWorld.CreateAsync();
        var template = await w.Service.TemplateAsync(2025, LedgerWorld.Office1);
        Assert.Equal(new LedgerImportOutcome(0, 0, 0, []), await w.Service.ImportAsync(2025, template, "t.xlsx", LedgerWorld.Office1) with { NotApplied = [] });
        await Assert.ThrowsAsync<LedgerRefusedException>(() => w.Service.ImportAsync(2025, template, "t.xlsx", LedgerWorld.UnitA1));
    }

    [Theory]
    [InlineData("45838", 2025, 6, 30)]
    [InlineData("2025-06-30", 2025, 6, 30)]
    public void A_spreadsheet_date_serial_is_read_from_xlsx_only(string cell, int y, int m, int d)
    {
        IReadOnlyDictionary<string, string> Row(string due) => LedgerFile.Columns.ToDictionary(c => c, c => c switch
        {
            "id" => "K1", "year" => "2025", "title" => "甲", "unit" => "A1", "due" => due, _ => "",
        });
        var units = new HashSet<string> { "A1" };
        var xlsx = LedgerFile.Read([(2, Row(cell))], "t.xlsx", 2025, units, new Dictionary<string, string?>(), serialDates: true);
        Assert.Equal(new DateOnly(y, m, d), Assert.Single(xlsx.Rows).Due);
        var csv = LedgerFile.Read([(2, Row(cell))], "t.csv", 2025, units, new Dictionary<string, string?>());
        Assert.Equal(cell.Contains('-'), csv.IsValid);
    }

    [Fact]
    public async Task A_bad_file_is_refused_with_its_header_problem()
    {
        await using var w = await LedgerWorld.CreateAsync();
        var e = await Assert.ThrowsAsync<InputRejectedException>(() => w.Service.ImportAsync(2025, Encoding.UTF8.GetBytes("id,title\nK1,甲\n"), "t.csv", LedgerWorld.Office1));
        Assert.Contains("t.csv:1:year: 缺少列 'year'", e.Errors.Select(x => x.ToString()));
    }
}
