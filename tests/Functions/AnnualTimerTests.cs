using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Functions.Triggers;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Reviews;
using BaiQianWan.Assess.Workflow.Runs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The annual timer (<see cref="AnnualEvaluation"/>) on a fixed clock over <see cref="Mini"/>'s store: it runs the year
/// before the firing's China date with each level's active <c>cadence: year</c> ruleset (and nothing else), through the one
/// run use case, keyed so a re-fire makes no second run; <c>Runs:AutoPublish</c> with <c>AutoPublishNoticeDays</c>
/// publishes it provisionally; with no year ruleset active it runs nothing. Totals worked by hand.
/// </summary>
/// <remarks>
/// County (<see cref="YearRunServiceTests.YearYaml"/>, no publications read): gdp 2025 completion × 10 (A1 10/10 → 10,
/// A2 5/10 → 5, B1 8/10 → 8, B2 10/10 → 10). Town (<see cref="TownYear"/>): T1 hh 6/8 → 75% × 20 = 15.
/// </remarks>
public sealed class AnnualTimerTests : IAsyncLifetime
{
    private const string TownYear = """
        id: town-year
        name: 镇年度考核
        level: town
        cadence: year
        classes: [中心镇]
        decimals: 2
        dimensions:
          - id: d
            name: 年度
            indicators:
              - { id: hh, name: 年终指标, weight: 20, method: completion }
        """;

    private const string YearRows = """
        unit,indicator,period,actual,target,baseline
        A1,gdp,2025,10,10,
        A2,gdp,2025,5,10,
        B1,gdp,2025,8,10,
        B2,gdp,2025,10,10,
        T1,hh,2025,6,8,

        """;

    private static readonly Period Year = Period.OfYear(2025);

    private readonly TempSqlite _file = new();
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 1, 9, 18, 0, 0, TimeSpan.Zero), TimeSpan.Zero);
    private IAssessStore _store = null!;
    private AssessmentService _service = null!;

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, _clock, new TestRenderer(), new RunOptions { AutoPublish = true, AutoPublishNoticeDays = 5 });
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(YearRows), "2025.csv", "office");
        // The quarterly ruleset and the monitor stay in their slots: the annual timer runs neither.
        await _service.ActivateRulesetAsync("mini", (await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author")).Version, "chief");
        await _service.ActivateRulesetAsync("mini-monthly", (await _service.AddRulesetAsync(MiniMonth.MonitorYaml, "mini-monthly.yaml", "author")).Version, "chief");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    private AnnualEvaluation Timer() => new(_service, _clock, NullLogger<AnnualEvaluation>.Instance);

    private async Task ActivateYearRulesetsAsync()
    {
        await _service.ActivateRulesetAsync("mini-year", (await _service.AddRulesetAsync(YearRunServiceTests.YearYaml, "mini-year.yaml", "author")).Version, "chief");
        await _service.ActivateRulesetAsync("town-year", (await _service.AddRulesetAsync(TownYear, "town-year.yaml", "author")).Version, "chief");
    }

    [Fact]
    public async Task On_10_January_china_time_it_runs_the_year_before_for_each_level_with_an_active_year_ruleset_and_publishes_it_with_notice()
    {
        await ActivateYearRulesetsAsync();

        var runs = await Timer().FireAsync(new TimerInfo(), new InProcessCarrier(), CancellationToken.None);

        Assert.Equal([("county", "mini-year", "timer:2025:county:mini-year:1"), ("town", "town-year", "timer:2025:town:town-year:1")],
            runs.Select(r => (r.Level.ToText(), r.RulesetId, r.IdempotencyKey!)).OrderBy(r => r.Item1, StringComparer.Ordinal));
        Assert.All(runs, r => Assert.Equal((RunStatus.Succeeded, "timer", Year), (r.Status, r.Actor, r.Period)));
        // Nothing else was run: no quarter, no month.
        Assert.Equal(runs.Select(r => r.Id).Order(StringComparer.Ordinal), (await _store.ListRunsAsync()).Select(r => r.Id).Order(StringComparer.Ordinal));
        var county = (await _service.GetResultsAsync(runs.Single(r => r.Level == UnitLevel.County).Id))!;
        Assert.Equal([("A1", 10m), ("A2", 5m), ("B1", 8m), ("B2", 10m)], county.Units.OrderBy(u => u.Code, StringComparer.Ordinal).Select(u => (u.Code, u.Total)));
        Assert.Equal(("T1", 15m), (await _service.GetResultsAsync(runs.Single(r => r.Level == UnitLevel.Town).Id))!.Units.Select(u => (u.Code, u.Total)).Single());

        // Runs:AutoPublish with AutoPublishNoticeDays 5: each year published provisionally, the deadline the end of 15 January (China).
        foreach (var run in runs)
        {
            Assert.Equal(run.Id, (await _store.GetPublicationAsync(Year, run.Level))!.RunId);
            var notice = (await _service.Reviews!.GetNoticeAsync(Year, run.Level))!;
            Assert.Equal((NoticeState.Provisional, 5, new DateTimeOffset(2026, 1, 16, 0, 0, 0, TimeSpan.FromHours(8))),
                (notice.State, notice.NoticeDays!.Value, notice.Deadline!.Value));
        }

        // Fired again (past due, a restart): the same runs, none made.
        var again = await Timer().FireAsync(new TimerInfo { IsPastDue = true }, new InProcessCarrier(), CancellationToken.None);
        Assert.Equal(runs.Select(r => r.Id).Order(StringComparer.Ordinal), again.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await _store.ListRunsAsync()).Count);
    }

    [Fact]
    public async Task With_no_year_ruleset_active_it_runs_nothing()
    {
        await ActivateYearRulesetsAsync();
        await _service.DeactivateRulesetAsync("mini-year", "chief");
        await _service.DeactivateRulesetAsync("town-year", "chief");

        Assert.Empty(await Timer().FireAsync(new TimerInfo(), new InProcessCarrier(), CancellationToken.None));
        Assert.Empty(await _store.ListRunsAsync());
    }

    [Fact]
    public async Task A_level_refused_before_a_run_exists_is_skipped_and_the_other_level_still_runs()
    {
        // A 2025 row carrying the county sources' generated id, uploaded before the year ruleset was active, refuses the
        // county's year when it runs (annual §2), before a run exists.
        await _service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nA1,avg_q1,2025,90,,\n"), "typed.csv", "office");
        await ActivateYearRulesetsAsync();

        var run = Assert.Single(await Timer().FireAsync(new TimerInfo(), new InProcessCarrier(), CancellationToken.None));

        Assert.Equal((UnitLevel.Town, RunStatus.Succeeded), (run.Level, run.Status));
        Assert.Empty(await _store.ListRunsAsync(Year, UnitLevel.County));
    }

    [Theory]
    [InlineData("2026-01-09T18:00:00Z", "2025")] // 02:00 on 10 January in China
    [InlineData("2026-01-01T00:30:00+08:00", "2025")]
    [InlineData("2025-12-31T16:30:00Z", "2025")] // 00:30 on 1 January 2026 in China
    [InlineData("2025-12-31T15:30:00Z", "2024")] // 23:30 on 31 December 2025 in China
    public void The_year_evaluated_is_the_one_before_the_firings_china_date(string at, string year) =>
        Assert.Equal(year, AnnualEvaluation.YearJustEnded(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)).ToString());

    private static IConfiguration Settings(string? schedule) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [AnnualSchedule.Setting] = schedule }).Build();

    [Fact]
    public void Standalone_the_default_schedule_fires_at_0200_china_time_on_10_january_and_Timer_AnnualSchedule_replaces_it()
    {
        var next = AnnualSchedule.Expression(Settings(null)).GetNextOccurrence(new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2026, 1, 9, 18, 0, 0, DateTimeKind.Utc), next);
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 2, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(next!.Value).ToOffset(TimeSpan.FromHours(8)));

        var configured = AnnualSchedule.Expression(Settings("0 30 1 15 1 *")).GetNextOccurrence(new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2026, 1, 15, 1, 30, 0, DateTimeKind.Utc), configured);
        var bad = Assert.Throws<ConfigurationException>(() => AnnualSchedule.Expression(Settings("every january")));
        Assert.StartsWith("Timer__AnnualSchedule: 'every january' 不是六段的 NCRONTAB 表达式", bad.Message);
    }
}
