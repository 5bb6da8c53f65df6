using System.Text;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Samples.Generation;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Kit;
using BaiQianWan.Assess.Tests.Oracle;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow.Ledger;

namespace BaiQianWan.Assess.Tests.Samples;

/// <summary>The generated province's task ledger (<see cref="LedgerPlan"/>): valid, deterministic, and a year that has late, reopened and cancelled tasks.</summary>
public sealed class LedgerPlanTests(ProvinceFixture fixture) : IClassFixture<ProvinceFixture>
{
    private LedgerPlan Plan => LedgerPlan.Generate(fixture.Province);

    [Fact]
    public void The_same_province_and_seed_give_the_same_plan_and_another_seed_another()
    {
        var a = Plan;
        var b = Plan;
        Assert.Equal(a.ToCsv(), b.ToCsv());
        Assert.Equal(a.Steps.ToArray(), b.Steps.ToArray());
        var other = LedgerPlan.Generate(fixture.Province, seed: 7);
        Assert.NotEqual(a.ToCsv(), other.ToCsv());
    }

    [Fact]
    public void It_has_200_measures_one_for_every_county_and_sixty_towns_under_stages_main_tasks_and_key_works()
    {
        var plan = Plan;
        var measures = plan.Tasks.Where(t => t.Unit is not null).ToList();
        Assert.Equal(200, measures.Count);
        Assert.Equal((4, 8, 16), (plan.Tasks.Count(t => t.Kind == "阶段目标"), plan.Tasks.Count(t => t.Kind == "主要任务"), plan.Tasks.Count(t => t.Kind == "重点工作")));
        var units = fixture.UnitsByCode;
        var counties = fixture.Province.Units.Where(u => u.Level == UnitLevel.County).Select(u => u.Code).ToHashSet();
        Assert.Equal(counties, measures.Where(m => units[m.Unit!].Level == UnitLevel.County).Select(m => m.Unit!).ToHashSet());
        Assert.Equal(122 + 18, measures.Count(m => units[m.Unit!].Level == UnitLevel.County));
        Assert.Equal(60, measures.Where(m => units[m.Unit!].Level == UnitLevel.Town).Select(m => m.Unit).Distinct().Count());
        Assert.All(measures, m => Assert.InRange(m.Due!.Value, new DateOnly(2025, 3, 15), new DateOnly(2025, 12, 31)));
        Assert.All(plan.Steps, s => Assert.InRange(s.On, new DateOnly(2025, 1, 20), new DateOnly(2025, 12, 31)));
        // Steps in time order.
        Assert.Equal(plan.Steps.OrderBy(s => s.On).ThenBy(s => s.Hour).ThenBy(s => s.TaskId, StringComparer.Ordinal).ToArray(), plan.Steps.ToArray());
    }

    [Fact]
    public void Its_tasks_file_is_valid_for_the_provinces_units()
    {
        var csv = Encoding.UTF8.GetString(Plan.ToCsv());
        var lines = csv.TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select((l, i) => (Row: i + 2, Cells: (IReadOnlyDictionary<string, string>)header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)));
        var read = LedgerFile.Read(rows, "ledger.csv", 2025, fixture.UnitsByCode.Keys.ToHashSet(), new Dictionary<string, string?>());
        Assert.True(read.IsValid, string.Join("\n", read.Errors));
        Assert.Equal(228, read.Rows.Length);
    }

    [Fact]
    public async Task Replayed_through_the_ledger_service_every_step_is_allowed_and_the_figures_match_the_oracle()
    {
        await using var file = new TempSqlite();
        await using var store = await file.OpenAsync();
        await store.ImportUnitsAsync(2025, fixture.Province.Units, new ImportSource("units.csv", [1], "test", DateTimeOffset.UnixEpoch));
        await using var ledger = new SqliteLedgerStore(file.Path);
        await ledger.InitializeAsync();
        var plan = Plan;
        var clock = new DemoLedger.PlanClock(plan.ImportedAt);
        var outcome = await DemoLedger.ApplyAsync(new LedgerService(ledger, store, clock), clock, plan, plan.ToCsv(), "ledger.csv");
        Assert.Equal(228, outcome.Added);

        var tasks = await ledger.GetTasksAsync(2025);
        var history = (await ledger.GetHistoriesAsync(2025)).Values.SelectMany(h => h).ToList();
        Assert.Equal(plan.Steps.Length + 228, history.Count);
        var replay = await ledger.GetReplayAsync(2025);
        foreach (var period in new[] { Period.OfMonth(2025, 6), Period.OfQuarter(2025, 3), Period.OfYear(2025) })
        {
            var oracle = LedgerOracle.Figures(tasks, history, 2025, period.EndDate);
            var figures = LedgerFigures.For(replay.Tasks, replay.Changes, period);
            Assert.Equal(5 * (122 + 60), figures.Length); // five rows for each unit with tasks
            foreach (var o in figures) Assert.Equal(oracle[(o.Unit, o.Indicator)], (o.Actual, o.Target));
        }
        // The year: some late, a few reopened, a couple cancelled; counted from the plan's own steps.
        var year = LedgerFigures.For(replay.Tasks, replay.Changes, Period.OfYear(2025));
        decimal Sum(string id) => year.Where(o => o.Indicator == id).Sum(o => o.Actual);
        Assert.Equal(plan.Steps.Count(s => s.Change == LedgerChange.Reopen), Sum("ledger_reopened"));
        Assert.InRange(Sum("ledger_reopened"), 3, 15);
        // Every measure not cancelled is due by the year's end, but for one whose deadline an extension or a reopening moved into the next year.
        var cancelled = plan.Steps.Count(s => s.Change == LedgerChange.Cancel);
        Assert.InRange(cancelled, 1, 10);
        Assert.InRange((int)Sum("ledger_due"), 200 - cancelled - plan.Steps.Count(s => s.Change is LedgerChange.Reopen or LedgerChange.Approve && s.Date!.Value.Year > 2025), 200 - cancelled);
        Assert.InRange(Sum("ledger_closed") - Sum("ledger_closed_on_time"), 20, 60); // closed late
        Assert.InRange(Sum("ledger_overdue"), 10, 40);
    }
}
