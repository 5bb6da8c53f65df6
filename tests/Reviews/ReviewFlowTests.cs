using System.Text;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Ledger;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;
using BaiQianWan.Assess.Workflow.Reviews;

namespace BaiQianWan.Assess.Tests.Reviews;

/// <summary>
/// Notice and review (公示、复核) end to end in the workflow on SQLite, with a clock that stands still where each step puts
/// it: a provisional publication, requests with evidence, answers, a correction run replacing the publication, the final
/// publication and its counts; and the refusals (after the deadline, by another unit, final too early).
/// </summary>
public sealed class ReviewFlowTests : IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // Published 2026-03-10 15:00 China time with 5 days: requests until 2026-03-15 24:00, i.e. before 2026-03-16 00:00+08:00.
    private static readonly DateTimeOffset Published = new(2026, 3, 10, 15, 0, 0, China);
    private static readonly DateTimeOffset Deadline5 = new(2026, 3, 16, 0, 0, 0, China);

    private readonly TempSqlite _file = new();
    private readonly TestClock _clock = new(Published);
    private SqliteAssessStore _store = null!;
    private SqliteLedgerStore _ledger = null!;
    private AssessmentService _service = null!;

    private ReviewService Reviews => _service.Reviews!;

    private static readonly ReviewActor Office = ReviewActor.Office("office");

    private static ReviewActor Unit(string code) => ReviewActor.OfUnit($"u-{code}", code);

    public async Task InitializeAsync()
    {
        _store = await _file.OpenAsync();
        _ledger = new SqliteLedgerStore(_file.Path);
        await _ledger.InitializeAsync();
        _service = new AssessmentService(_store, _clock, new TestRenderer(), ledger: _ledger);
        await _service.ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        await _service.ImportObservationsAsync(Mini.Bytes(Mini.ObservationsCsv), "observations.csv", "office");
        var v = await _service.AddRulesetAsync(Mini.RulesetYaml, "mini.yaml", "author");
        await _service.ActivateRulesetAsync("mini", v.Version, "chief");
    }

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        await _store.DisposeAsync();
        await _file.DisposeAsync();
    }

    private Task<BaiQianWan.Assess.Store.EvaluationRun> RunQ2Async() => _service.RunAsync(Mini.Q2, UnitLevel.County, "mini", null, "office");

    [Fact]
    public void The_deadline_is_the_end_of_the_nth_calendar_day_after_publication_in_China_time()
    {
        Assert.Equal(Deadline5, Notice.Deadline(Published, 5));
        // 23:59 UTC on 9 March is already 10 March in China: the same deadline.
        Assert.Equal(Deadline5, Notice.Deadline(new DateTimeOffset(2026, 3, 9, 23, 59, 0, TimeSpan.Zero), 5));
        // 15:59 UTC on 9 March is still 9 March in China: a day earlier.
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 0, 0, 0, China), Notice.Deadline(new DateTimeOffset(2026, 3, 9, 15, 59, 0, TimeSpan.Zero), 5));
        // Across a month's end: published 28 February 2026 23:30 with 1 day → the end of 1 March.
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, China), Notice.Deadline(new DateTimeOffset(2026, 2, 28, 23, 30, 0, China), 1));
        Assert.Equal("2026-03-15 24:00（北京时间）", Notice.Text(Deadline5));
        Assert.Equal(StoreError.Invalid, Assert.Throws<StoreException>(() => Notice.Deadline(Published, 0)).Error);
        Assert.Equal(StoreError.Invalid, Assert.Throws<StoreException>(() => Notice.Deadline(Published, 91)).Error);
    }

    [Fact]
    public async Task A_request_a_correction_run_its_replacement_and_the_final_publication()
    {
        var run1 = await RunQ2Async();
        var notice = await Reviews.PublishAsync(run1.Id, Office, noticeDays: 5);
        Assert.Equal((NoticeState.Provisional, 1, run1.Id, 5, Deadline5), (notice.State, notice.Revision, notice.RunId, notice.NoticeDays!.Value, notice.Deadline!.Value));
        Assert.Equal(run1.Id, (await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County))!.RunId);

        // B1 asks about its investment (25/50 → 30 points) with a PDF; B2 asks and later withdraws; A1 asks about its bonus.
        var pdf = LedgerWorld.Pdf("B1 的投资台账");
        var rv1 = await Reviews.FileAsync(run1.Id, Unit("B1"), ReviewTargetKind.Indicator, "fai", "投资额漏报了一个项目", [new("台账.pdf", pdf)]);
        Assert.Equal(("rv-000001", ReviewState.Open, "B1", run1.Id, 1, Published), (rv1.Id, rv1.State, rv1.Unit, rv1.RunId, rv1.Version, rv1.FiledAt));
        var file = Assert.Single(rv1.Files);
        Assert.Equal(("台账.pdf", "pdf", (long)pdf.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf))),
            (file.Name, file.Type, file.Size, file.Sha256));
        Assert.Equal(pdf, (await Reviews.OpenFileAsync("rv-000001", file.Sha256, Unit("B1"))).Content);
        var rv2 = await Reviews.FileAsync(run1.Id, Unit("B2"), ReviewTargetKind.Indicator, "rev", "收入口径有误", []);
        var rv3 = await Reviews.FileAsync(run1.Id, Unit("A1"), ReviewTargetKind.Adjustment, "honor", "荣誉应按两项计", []);
        var rv4 = await Reviews.FileAsync(run1.Id, Unit("A1"), ReviewTargetKind.Indicator, "rev", "收入含上级补助", []);
        Assert.Equal(["rv-000002", "rv-000003", "rv-000004"], new[] { rv2.Id, rv3.Id, rv4.Id });

        // Each unit sees its own; the office every one.
        Assert.Equal(["rv-000003", "rv-000004"], (await Reviews.ListAsync(Unit("A1"), Mini.Q2, UnitLevel.County)).Select(r => r.Id));
        Assert.Equal(4, (await Reviews.ListAsync(Office, Mini.Q2, UnitLevel.County)).Count);

        // The answers and a unit's withdrawal.
        _clock.Now = Published.AddDays(2);
        var answered = await Reviews.AnswerAsync("rv-000001", Office, correct: true, "核实漏报，更正数据");
        Assert.Equal((ReviewState.Correcting, 2, "office"), (answered.State, answered.Version, answered.AnsweredBy));
        Assert.Null(answered.ClosedAt);
        var upheld = await Reviews.AnswerAsync("rv-000003", Office, correct: false, "荣誉按文件只计一项");
        Assert.Equal((ReviewState.Upheld, Published.AddDays(2)), (upheld.State, upheld.ClosedAt!.Value));
        Assert.Equal(ReviewState.Withdrawn, (await Reviews.WithdrawAsync("rv-000002", Unit("B2"), "已弄清口径")).State);

        // Not final before the deadline, nor at it while a request waits for its answer.
        var early = await Assert.ThrowsAsync<StoreException>(() => Reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, Office));
        Assert.Equal("2025Q2 county 的公示期到 2026-03-16 00:00（北京时间） 才满，现在不能转为正式发布", early.Message);
        _clock.Now = Deadline5;
        var unanswered = await Assert.ThrowsAsync<StoreException>(() => Reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, Office));
        Assert.Equal((StoreError.Conflict, "2025Q2 county 的复核申请 rv-000004 还没有答复，不能转为正式发布"), (unanswered.Error, unanswered.Message));
        // Nor a request at the deadline (the last moment was 2026-03-15 24:00).
        var late = await Assert.ThrowsAsync<StoreException>(() =>
            Reviews.FileAsync(run1.Id, Unit("B2"), ReviewTargetKind.Indicator, "fai", "再问一次", []));
        Assert.Equal("2025Q2 county 的公示期已于 2026-03-16 00:00（北京时间） 届满，不再受理复核申请", late.Message);

        // The correction: B1's investment was 50, not 25 (30 → 60 points, total 70 → 100); a new run published with 3 days.
        await _service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nB1,fai,2025Q2,50,50,\n"), "b1.csv", "office");
        var run2 = await RunQ2Async();
        Assert.Equal(100m, (await _store.GetUnitResultAsync(run2.Id, "B1"))!.Total);
        var republishAt = new DateTimeOffset(2026, 3, 16, 10, 0, 0, China);
        _clock.Now = republishAt;
        var second = await Reviews.PublishAsync(run2.Id, Office, noticeDays: 3);
        Assert.Equal((NoticeState.Provisional, 2, run2.Id, new DateTimeOffset(2026, 3, 20, 0, 0, 0, China)),
            (second.State, second.Revision, second.RunId, second.Deadline!.Value));
        var history = await Reviews.GetNoticesAsync(Mini.Q2, UnitLevel.County);
        Assert.Equal([(1, NoticeState.Replaced, run1.Id), (2, NoticeState.Provisional, run2.Id)], history.Select(n => (n.Revision, n.State, n.RunId)));
        Assert.Equal(run2.Id, history[0].ClosedNote);

        // The correction names the run that corrected it; the open request moved to the new publication.
        var corrected = (await Reviews.GetAsync("rv-000001", Unit("B1")));
        Assert.Equal((ReviewState.Corrected, run2.Id, republishAt, 3), (corrected.State, corrected.CorrectingRunId, corrected.ClosedAt!.Value, corrected.Version));
        var moved = await Reviews.GetAsync("rv-000004", Office);
        Assert.Equal((ReviewState.Open, run1.Id, 1, run2.Id, 2), (moved.State, moved.FiledRunId, moved.FiledRevision, moved.RunId, moved.Revision));
        Assert.Equal((ReviewState.Upheld, run1.Id), ((await Reviews.GetAsync("rv-000003", Office)).State, (await Reviews.GetAsync("rv-000003", Office)).RunId));

        // Every unit may look again and ask; the office answers.
        var rv5 = await Reviews.FileAsync(run2.Id, Unit("A2"), ReviewTargetKind.Indicator, "fai", "投资完成率封顶有误", []);
        Assert.Equal((run2.Id, 2), (rv5.FiledRunId, rv5.FiledRevision));
        await Reviews.AnswerAsync("rv-000004", Office, correct: false, "补助不计入");
        await Reviews.AnswerAsync(rv5.Id, Office, correct: false, "封顶 120% 符合规则");

        _clock.Now = new DateTimeOffset(2026, 3, 19, 23, 59, 59, China);
        await Assert.ThrowsAsync<StoreException>(() => Reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, Office));
        var finalAt = new DateTimeOffset(2026, 3, 20, 0, 0, 0, China);
        _clock.Now = finalAt;
        var final = await Reviews.PublishAsync(run2.Id, Office, noticeDays: null, final: true);
        Assert.Equal((NoticeState.Final, 2, run2.Id, finalAt, "office"), (final.State, final.Revision, final.RunId, final.ClosedAt!.Value, final.ClosedBy));
        var pointer = (await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County))!;
        Assert.Equal((run2.Id, 2, republishAt), (pointer.RunId, pointer.Revision, pointer.At));

        // N: every request filed on the period's publications (5), M: corrected (1).
        var counts = await Reviews.CountAsync(Mini.Q2, UnitLevel.County);
        Assert.Equal((5, 1), (counts.Filed, counts.Corrected));
        Assert.Equal("公示期间收到复核申请 5 件，更正 1 件", counts.Text);

        // A final publication never changes: no request, no final publication over it, no withdrawal.
        var closed = await Assert.ThrowsAsync<StoreException>(() => Reviews.FileAsync(run2.Id, Unit("B2"), ReviewTargetKind.Indicator, "fai", "又一次", []));
        Assert.Equal("2025Q2 county 的第 2 次发布正式，不在公示期", closed.Message);
        var overFinal = await Assert.ThrowsAsync<StoreException>(() => Reviews.PublishAsync(run1.Id, Office, null));
        Assert.Equal("2025Q2 county 已经正式发布（第 2 次发布，经公示），此后只能以新的运行重新公示（--notice-days）", overFinal.Message);
        await Assert.ThrowsAsync<StoreException>(() => Reviews.WithdrawPublicationAsync(run2.Id, Office, "撤回"));
        Assert.Equal(NoticeState.Final, (await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County))!.State);

        // Everything audited, in order.
        var audit = (await _store.GetAuditLogAsync()).Where(e => e.Action.StartsWith("review", StringComparison.Ordinal) || e.Action.StartsWith("publish", StringComparison.Ordinal)
            || e.Action == "republish").Select(e => (e.Action, e.Target)).ToList();
        Assert.Equal([
            ("publish", run1.Id), ("review-file", "rv-000001"), ("review-file", "rv-000002"), ("review-file", "rv-000003"), ("review-file", "rv-000004"),
            ("review-correct", "rv-000001"), ("review-uphold", "rv-000003"), ("review-withdraw", "rv-000002"),
            ("review-corrected", "rv-000001"), ("review-moved", "rv-000004"), ("republish", run2.Id),
            ("review-file", "rv-000005"), ("review-uphold", "rv-000004"), ("review-uphold", "rv-000005"), ("publish-final", run2.Id)], audit);
    }

    [Fact]
    public async Task A_unit_asks_only_about_its_own_results_and_only_the_office_answers()
    {
        var run = await RunQ2Async();
        await Reviews.PublishAsync(run.Id, Office, noticeDays: 5);
        var rv = await Reviews.FileAsync(run.Id, Unit("B1"), ReviewTargetKind.Indicator, "fai", "漏报", []);

        // The unit T1 (a town) has no result in the county run; the office does not file; a unit does not answer.
        await Assert.ThrowsAsync<ReviewRefusedException>(() => Reviews.FileAsync(run.Id, Unit("T1"), ReviewTargetKind.Indicator, "fai", "x", []));
        await Assert.ThrowsAsync<ReviewRefusedException>(() => Reviews.FileAsync(run.Id, Office, ReviewTargetKind.Indicator, "fai", "x", []));
        await Assert.ThrowsAsync<ReviewRefusedException>(() => Reviews.AnswerAsync(rv.Id, Unit("B1"), false, "x"));
        await Assert.ThrowsAsync<ReviewRefusedException>(() => Reviews.PublishAsync(run.Id, Unit("B1"), 5));
        // Another unit neither withdraws nor reads it.
        // Another unit's request is not found, exactly as one that does not exist (ids cannot be probed).
        var other = await Assert.ThrowsAsync<StoreException>(() => Reviews.WithdrawAsync(rv.Id, Unit("A1"), null));
        Assert.Equal((StoreError.NotFound, "没有复核申请 rv-000001"), (other.Error, other.Message));
        var read = await Assert.ThrowsAsync<StoreException>(() => Reviews.GetAsync(rv.Id, Unit("A1")));
        Assert.Equal((StoreError.NotFound, "没有复核申请 rv-000001"), (read.Error, read.Message));
        var none = await Assert.ThrowsAsync<StoreException>(() => Reviews.GetAsync("rv-000999", Unit("A1")));
        Assert.Equal(read.Message.Replace("000001", "000999"), none.Message);
        // A target the unit's results do not have, no reason, evidence that is not what its name says.
        var target = await Assert.ThrowsAsync<StoreException>(() => Reviews.FileAsync(run.Id, Unit("B1"), ReviewTargetKind.Veto, "fai", "x", []));
        Assert.Equal((StoreError.Invalid, "单位 B1 在运行 " + run.Id + " 的结果中没有否决项 'fai'"), (target.Error, target.Message));
        Assert.Equal(StoreError.Invalid, (await Assert.ThrowsAsync<StoreException>(() =>
            Reviews.FileAsync(run.Id, Unit("B1"), ReviewTargetKind.Indicator, "fai", "  ", []))).Error);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };
        var bad = await Assert.ThrowsAsync<InputRejectedException>(() =>
            Reviews.FileAsync(run.Id, Unit("B1"), ReviewTargetKind.Indicator, "fai", "x", [new("证明.pdf", png)]));
        Assert.Equal("证明.pdf:1:-: 文件名表明是 PDF，内容却是 PNG，不予接受", Assert.Single(bad.Errors).ToString());
        Assert.Single(await Reviews.ListAsync(Office));
    }

    [Fact]
    public async Task A_publication_is_not_final_while_a_correction_is_pending_and_a_final_correction_closes_it()
    {
        var run1 = await RunQ2Async();
        await Reviews.PublishAsync(run1.Id, Office, noticeDays: 5);
        var rv = await Reviews.FileAsync(run1.Id, Unit("B1"), ReviewTargetKind.Indicator, "fai", "漏报", []);
        await Reviews.AnswerAsync(rv.Id, Office, correct: true, "更正");
        _clock.Now = Deadline5.AddHours(1);
        var pending = await Assert.ThrowsAsync<StoreException>(() => Reviews.MakeFinalAsync(Mini.Q2, UnitLevel.County, Office));
        Assert.Equal("2025Q2 county 的复核申请 rv-000001 答复为更正，更正的运行发布前不能转为正式发布", pending.Message);
        // Nor is the same run published finally again.
        var again = await Assert.ThrowsAsync<StoreException>(() => Reviews.PublishAsync(run1.Id, Office, null, final: true));
        Assert.Equal(pending.Message, again.Message);

        // The correcting run published finally (after the deadline, nothing unanswered) replaces it and closes the request.
        await _service.ImportObservationsAsync(Mini.Bytes("unit,indicator,period,actual,target,baseline\nB1,fai,2025Q2,50,50,\n"), "b1.csv", "office");
        var run2 = await RunQ2Async();
        var final = await Reviews.PublishAsync(run2.Id, Office, noticeDays: null, final: true);
        Assert.Equal((NoticeState.Final, 2, (int?)null), (final.State, final.Revision, final.NoticeDays));
        Assert.Equal((ReviewState.Corrected, run2.Id), ((await Reviews.GetAsync(rv.Id, Office)).State, (await Reviews.GetAsync(rv.Id, Office)).CorrectingRunId));
        Assert.Equal("公示期间收到复核申请 1 件，更正 1 件", (await Reviews.CountAsync(Mini.Q2, UnitLevel.County)).Text);
    }

    [Fact]
    public async Task A_final_publication_is_refused_before_the_deadline_of_the_provisional_one()
    {
        var run1 = await RunQ2Async();
        await Reviews.PublishAsync(run1.Id, Office, noticeDays: 5);
        var run2 = await RunQ2Async();
        var e = await Assert.ThrowsAsync<StoreException>(() => Reviews.PublishAsync(run2.Id, Office, null));
        Assert.Equal("2025Q2 county 正在公示（截止 2026-03-16 00:00（北京时间）），公示期满前不能正式发布", e.Message);
        Assert.Equal(run1.Id, (await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County))!.RunId);
    }

    [Fact]
    public async Task Withdrawing_a_provisional_publication_closes_its_requests_and_restores_the_earlier_final_one()
    {
        // Q3 first published finally (directly), then a provisional publication withdrawn: back to the final one.
        var final = await _service.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        await Reviews.PublishAsync(final.Id, Office, null);
        var provisional = await _service.RunAsync(Mini.Q3, UnitLevel.County, "mini", null, "office");
        await Reviews.PublishAsync(provisional.Id, Office, 5);
        var rv = await Reviews.FileAsync(provisional.Id, Unit("A1"), ReviewTargetKind.Indicator, "fai", "x", []);
        await Assert.ThrowsAsync<ReviewRefusedException>(() => Reviews.WithdrawPublicationAsync(provisional.Id, Unit("A1"), "x"));

        var withdrawn = await Reviews.WithdrawPublicationAsync(provisional.Id, Office, "数据口径需统一");
        Assert.Equal((NoticeState.Withdrawn, 2, "数据口径需统一"), (withdrawn.State, withdrawn.Revision, withdrawn.ClosedNote));
        var closed = await Reviews.GetAsync(rv.Id, Office);
        Assert.Equal((ReviewState.Withdrawn, "公示撤回：数据口径需统一"), (closed.State, closed.Answer));
        var pointer = (await _store.GetPublicationAsync(Mini.Q3, UnitLevel.County))!;
        Assert.Equal((final.Id, 3), (pointer.RunId, pointer.Revision));
        Assert.Equal([NoticeState.Final, NoticeState.Withdrawn, NoticeState.Final],
            (await Reviews.GetNoticesAsync(Mini.Q3, UnitLevel.County)).Select(n => n.State));

        // Q2 with no earlier publication: withdrawn, the period is no longer published (its history stays).
        var q2 = await RunQ2Async();
        await Reviews.PublishAsync(q2.Id, Office, 5);
        await Reviews.WithdrawPublicationAsync(q2.Id, Office, "重新核对");
        Assert.Null(await _store.GetPublicationAsync(Mini.Q2, UnitLevel.County));
        Assert.Null(await Reviews.GetNoticeAsync(Mini.Q2, UnitLevel.County));
        Assert.Equal(NoticeState.Withdrawn, Assert.Single(await Reviews.GetNoticesAsync(Mini.Q2, UnitLevel.County)).State);
    }

    [Fact]
    public async Task Of_two_concurrent_answers_exactly_one_is_written()
    {
        var run = await RunQ2Async();
        await Reviews.PublishAsync(run.Id, Office, 5);
        var rv = await Reviews.FileAsync(run.Id, Unit("B1"), ReviewTargetKind.Indicator, "fai", "漏报", []);
        var answers = await Task.WhenAll(
            Attempt(() => _store.AnswerReviewAsync(rv.Id, rv.Version, true, "更正", "office-a", Published)),
            Attempt(() => _store.AnswerReviewAsync(rv.Id, rv.Version, false, "维持", "office-b", Published)),
            Attempt(() => _store.WithdrawReviewAsync(rv.Id, rv.Version, "撤回", "u-B1", Published)));
        Assert.Single(answers, a => a is null);
        Assert.All(answers.Where(a => a is not null), a => Assert.Equal(StoreError.Concurrency, a!.Error));
        Assert.Equal(2, (await Reviews.GetAsync(rv.Id, Office)).Version);

        static async Task<StoreException?> Attempt(Func<Task> change)
        {
            try { await change(); return null; }
            catch (StoreException e) { return e; }
        }
    }

    [Fact]
    public async Task A_timer_run_is_published_provisionally_with_the_auto_publish_notice_days()
    {
        var runs = _service.Runs.With(new BaiQianWan.Assess.Workflow.Runs.RunOptions { BatchSize = 2, AutoPublish = true, AutoPublishNoticeDays = 3 });
        var (timer, batches) = await runs.QueueAsync(Mini.Q3, UnitLevel.County, BaiQianWan.Assess.Workflow.Runs.RunOptions.TimerActor);
        foreach (var batch in batches) await runs.RenderAsync(batch);

        var notice = (await Reviews.GetNoticeAsync(Mini.Q3, UnitLevel.County))!;
        Assert.Equal((timer.Id, NoticeState.Provisional, 3, new DateTimeOffset(2026, 3, 14, 0, 0, 0, China), "timer"),
            (notice.RunId, notice.State, notice.NoticeDays!.Value, notice.Deadline!.Value, notice.Actor));
    }
}
