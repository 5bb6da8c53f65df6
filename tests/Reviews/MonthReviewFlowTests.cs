using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Reviews;

namespace BaiQianWan.Assess.Tests.Reviews;

/// <summary>
/// Notice and review of a month (annual contract §3, "for any evaluation"): a unit files a request on an indicator of its
/// own month result (the light it got), the office answers 维持 or 更正, a correcting month run published replaces the
/// publication, the final publication states the counts; and the refusals as for quarters. The lights are
/// <see cref="MiniMonth"/>'s, worked by hand.
/// </summary>
public sealed class MonthReviewFlowTests : IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // Published 2026-03-10 15:00 China time with 5 days: requests until 2026-03-15 24:00, i.e. before 2026-03-16 00:00+08:00.
    private static readonly DateTimeOffset Published = new(2026, 3, 10, 15, 0, 0, China);
    private static readonly DateTimeOffset Deadline5 = new(2026, 3, 16, 0, 0, 0, China);

    private readonly TempSqlite _file = new();
    private readonly TestClock _clock = new(Published);
    private SqliteAssessStore _store = null!;
    private AssessmentService _service = null!;

    private ReviewService Reviews => _service.Reviews!;

    private static readonly ReviewActor Office = ReviewActor.Office("office");

    private static ReviewActor Unit(string code) => ReviewActor.OfUnit($"u-{code}", code);

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _service = new AssessmentService(_store, _clock, new TestRenderer());
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(MiniMonth.ObservationsCsv), "months.csv", "office");
        var v = await _service.AddRulesetAsync(MiniMonth.MonitorYaml, "m.yaml", "author");
        await _service.ActivateRulesetAsync("mini-monthly", v.Version, "chief");
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    private Task<EvaluationRun> RunJuneAsync() => _service.RunAsync(MiniMonth.June, UnitLevel.County, "mini-monthly", null, "office");

    private async Task<string?> LightAsync(string runId, string unit) =>
        (await _store.GetMonthResultsAsync(runId))!.Units.Single(u => u.Code == unit).Indicators.Single(i => i.Id == "fai").Light;

    [Fact]
    public async Task A_month_request_an_uphold_a_correction_run_its_replacement_and_the_final_publication_with_its_counts()
    {
        var run1 = await RunJuneAsync();
        // The lights by hand: A2 yellow in May and June → escalated red; B1 red; A1 and B2 green.
        Assert.Null(await _store.GetUnitResultAsync(run1.Id, "A2"));
        Assert.Equal(("red", "red", "green", "green"), (await LightAsync(run1.Id, "A2"), await LightAsync(run1.Id, "B1"),
            await LightAsync(run1.Id, "A1"), await LightAsync(run1.Id, "B2")));
        var notice = await Reviews.PublishAsync(run1.Id, Office, noticeDays: 5);
        Assert.Equal((NoticeState.Provisional, 1, run1.Id, Deadline5), (notice.State, notice.Revision, notice.RunId, notice.Deadline!.Value));

        // A2 asks about its red light (a project missing from its June report); B1 asks about its red light too.
        var rv1 = await Reviews.FileAsync(run1.Id, Unit("A2"), ReviewTargetKind.Indicator, "fai", "6 月投资漏报一个项目", []);
        Assert.Equal(("rv-000001", ReviewState.Open, "A2", run1.Id, 1, ReviewTargetKind.Indicator, "fai"),
            (rv1.Id, rv1.State, rv1.Unit, rv1.RunId, rv1.FiledRevision, rv1.TargetKind, rv1.Target));
        var rv2 = await Reviews.FileAsync(run1.Id, Unit("B1"), ReviewTargetKind.Indicator, "fai", "进度口径有误", []);
        Assert.Equal(["rv-000001"], (await Reviews.ListAsync(Unit("A2"), MiniMonth.June, UnitLevel.County)).Select(r => r.Id));
        Assert.Equal(2, (await Reviews.ListAsync(Office, MiniMonth.June, UnitLevel.County)).Count);

        // 维持 for B1, 更正 for A2 (open until the correcting run is published).
        _clock.Now = Published.AddDays(1);
        var upheld = await Reviews.AnswerAsync(rv2.Id, Office, correct: false, "口径符合通报规则");
        Assert.Equal((ReviewState.Upheld, Published.AddDays(1)), (upheld.State, upheld.ClosedAt!.Value));
        var correcting = await Reviews.AnswerAsync(rv1.Id, Office, correct: true, "核实漏报，更正数据");
        Assert.Equal((ReviewState.Correcting, (DateTimeOffset?)null), (correcting.State, correcting.ClosedAt));
        _clock.Now = Deadline5;
        var pending = await Assert.ThrowsAsync<StoreException>(() => Reviews.MakeFinalAsync(MiniMonth.June, UnitLevel.County, Office));
        Assert.Equal("2025-06 county 的复核申请 rv-000001 答复为更正，更正的运行发布前不能转为正式发布", pending.Message);

        // The correction: A2's June was 50 (gap 0: green, the yellow streak broken); a new month run published with 3 days.
        await _service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nA2,fai,2025-06,50,100,\n"), "a2.csv", "office");
        var run2 = await RunJuneAsync();
        Assert.Equal(("green", "red"), (await LightAsync(run2.Id, "A2"), await LightAsync(run2.Id, "B1")));
        var republishAt = new DateTimeOffset(2026, 3, 16, 10, 0, 0, China);
        _clock.Now = republishAt;
        var second = await Reviews.PublishAsync(run2.Id, Office, noticeDays: 3);
        Assert.Equal((NoticeState.Provisional, 2, run2.Id, new DateTimeOffset(2026, 3, 20, 0, 0, 0, China)),
            (second.State, second.Revision, second.RunId, second.Deadline!.Value));
        Assert.Equal([(1, NoticeState.Replaced, run1.Id), (2, NoticeState.Provisional, run2.Id)],
            (await Reviews.GetNoticesAsync(MiniMonth.June, UnitLevel.County)).Select(n => (n.Revision, n.State, n.RunId)));
        Assert.Equal(run2.Id, (await _store.GetPublicationAsync(MiniMonth.June, UnitLevel.County))!.RunId);
        var corrected = await Reviews.GetAsync(rv1.Id, Unit("A2"));
        Assert.Equal((ReviewState.Corrected, run2.Id, republishAt), (corrected.State, corrected.CorrectingRunId, corrected.ClosedAt!.Value));

        // Every unit may look again and ask on the new month run; not on the replaced one.
        var stale = await Assert.ThrowsAsync<StoreException>(() => Reviews.FileAsync(run1.Id, Unit("B2"), ReviewTargetKind.Indicator, "fai", "x", []));
        Assert.Equal(StoreError.Conflict, stale.Error);
        var rv3 = await Reviews.FileAsync(run2.Id, Unit("B2"), ReviewTargetKind.Indicator, "fai", "绿灯应标注持平", []);
        Assert.Equal((run2.Id, 2), (rv3.FiledRunId, rv3.FiledRevision));
        await Reviews.AnswerAsync(rv3.Id, Office, correct: false, "差距为 0 按规则为绿灯");

        var finalAt = new DateTimeOffset(2026, 3, 20, 0, 0, 0, China);
        _clock.Now = finalAt;
        var final = await Reviews.PublishAsync(run2.Id, Office, noticeDays: null, final: true);
        Assert.Equal((NoticeState.Final, 2, run2.Id, finalAt), (final.State, final.Revision, final.RunId, final.ClosedAt!.Value));
        var counts = await Reviews.CountAsync(MiniMonth.June, UnitLevel.County);
        Assert.Equal((3, 1), (counts.Filed, counts.Corrected));
        Assert.Equal("公示期间收到复核申请 3 件，更正 1 件", counts.Text);

        var audit = (await _store.GetAuditLogAsync()).Where(e => e.Action.StartsWith("review", StringComparison.Ordinal)
            || e.Action.StartsWith("publish", StringComparison.Ordinal) || e.Action == "republish").Select(e => (e.Action, e.Target)).ToList();
        Assert.Equal([
            ("publish", run1.Id), ("review-file", "rv-000001"), ("review-file", "rv-000002"), ("review-uphold", "rv-000002"),
            ("review-correct", "rv-000001"), ("review-corrected", "rv-000001"), ("republish", run2.Id),
            ("review-file", "rv-000003"), ("review-uphold", "rv-000003"), ("publish-final", run2.Id)], audit);
    }

    [Fact]
    public async Task A_month_request_is_refused_for_another_units_result_an_indicator_the_month_lacks_and_after_the_deadline()
    {
        var run = await RunJuneAsync();
        await Reviews.PublishAsync(run.Id, Office, noticeDays: 5);
        var rv = await Reviews.FileAsync(run.Id, Unit("B1"), ReviewTargetKind.Indicator, "fai", "红灯有误", []);

        // T1 (a town) has no result in the county month: refused (403); the office does not file.
        var town = await Assert.ThrowsAsync<ReviewRefusedException>(() => Reviews.FileAsync(run.Id, Unit("T1"), ReviewTargetKind.Indicator, "fai", "x", []));
        Assert.Equal($"运行 {run.Id} 没有单位 T1 的结果：单位只能就本单位的结果申请复核", town.Message);
        await Assert.ThrowsAsync<ReviewRefusedException>(() => Reviews.FileAsync(run.Id, Office, ReviewTargetKind.Indicator, "fai", "x", []));
        // Another unit's request is not found (404), as one that does not exist.
        var other = await Assert.ThrowsAsync<StoreException>(() => Reviews.GetAsync(rv.Id, Unit("A1")));
        Assert.Equal((StoreError.NotFound, "没有复核申请 rv-000001"), (other.Error, other.Message));

        // An indicator the month lacks, and an adjustment or veto (a month has neither): 422.
        var unknown = await Assert.ThrowsAsync<StoreException>(() => Reviews.FileAsync(run.Id, Unit("A1"), ReviewTargetKind.Indicator, "rev", "x", []));
        Assert.Equal((StoreError.Invalid, $"单位 A1 在运行 {run.Id} 的结果中没有指标 'rev'"), (unknown.Error, unknown.Message));
        var adjustment = await Assert.ThrowsAsync<StoreException>(() => Reviews.FileAsync(run.Id, Unit("A1"), ReviewTargetKind.Adjustment, "fai", "x", []));
        Assert.Equal(StoreError.Invalid, adjustment.Error);
        var veto = await Assert.ThrowsAsync<StoreException>(() => Reviews.FileAsync(run.Id, Unit("A1"), ReviewTargetKind.Veto, "fai", "x", []));
        Assert.Equal(StoreError.Invalid, veto.Error);

        // At the deadline: 409.
        _clock.Now = Deadline5;
        var late = await Assert.ThrowsAsync<StoreException>(() => Reviews.FileAsync(run.Id, Unit("A1"), ReviewTargetKind.Indicator, "fai", "x", []));
        Assert.Equal((StoreError.Conflict, "2025-06 county 的公示期已于 2026-03-16 00:00（北京时间） 届满，不再受理复核申请"), (late.Error, late.Message));
        Assert.Single(await Reviews.ListAsync(Office));
    }
}
