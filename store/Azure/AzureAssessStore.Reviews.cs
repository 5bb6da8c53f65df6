using Azure.Data.Tables;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store.Internal;

namespace BaiQianWan.Assess.Store.Azure;

// Notice and review: each publication's notice (ntc|PERIOD|LEVEL|REVISION) and the review requests (rvw|ID) in the control
// partition, changed in one entity group transaction with the publication pointer and the counter (so of two concurrent
// changes one wins). A change writes at most 100 entities: a publication moving or correcting more than 47 requests at once
// is refused (Conflict).
public sealed partial class AzureAssessStore : IReviewStore
{
    private const int MaxActions = 100;

    /// <inheritdoc />
    public Task<Publication> PublishAsync(string runId, string actor, DateTimeOffset at, int? noticeDays, DateTimeOffset? deadline,
        CancellationToken cancellationToken = default)
    {
        if ((noticeDays is null) != (deadline is null)) throw new ArgumentException("notice days and deadline go together");
        return MutateAsync(async change =>
        {
            var (_, run) = await RequireRunAsync(runId, cancellationToken);
            if (run.Status != RunStatus.Succeeded)
                throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(run.Status)}，只有成功的运行可以发布");
            var where = $"{run.Period} {run.Level.ToText()}";
            var key = AzureNames.Publication(run.Period.ToString(), run.Level.ToText());
            var current = await RetrieveAsync(key, cancellationToken);
            // A period withdrawn with no final publication before has no pointer, but its notices keep their revisions: the next one follows them.
            var revision = (current?.GetInt32("Revision") ?? (await GetNoticesAsync(run.Period, run.Level, cancellationToken)).LastOrDefault()?.Revision ?? 0) + 1;
            var noticeRow = current is null ? null : await RetrieveAsync(NoticeKey(run.Period, run.Level, revision - 1), cancellationToken);
            var notice = noticeRow is null ? null : Notice(noticeRow);
            // Times follow revision order: a racing publisher that read the clock earlier is stamped with the current one's time.
            var stamped = current is not null && StoreText.Time(current.GetString("At")) is var previous && previous > at ? previous : at;
            var pending = (await ReviewRowsAsync(run.Period, run.Level, cancellationToken)).Where(r => Review(r).IsPending).ToList();
            if (deadline is null && notice is { State: NoticeState.Provisional })
            {
                if (stamped < notice.Deadline)
                    throw new StoreException(StoreError.Conflict, $"{where} 正在公示（截止 {ReviewJson.ChinaTime(notice.Deadline!.Value)}），公示期满前不能正式发布");
                if (pending.Select(Review).FirstOrDefault(r => r.State == ReviewState.Open) is { } open)
                    throw new StoreException(StoreError.Conflict, $"{where} 的复核申请 {open.Id} 还没有答复，不能正式发布");
            }
            if (deadline is null && notice is { State: NoticeState.Final, HadNotice: true })
                throw new StoreException(StoreError.Conflict,
                    $"{where} 已经正式发布（第 {notice.Revision} 次发布，经公示），此后只能以新的运行重新公示（--notice-days）");
            var next = new TableEntity(AzureNames.Control, key)
            {
                ["RunId"] = runId,
                ["Actor"] = actor,
                ["At"] = StoreText.Time(stamped),
                ["Revision"] = revision,
            };
            change.Put(next, current);
            if (notice is { State: NoticeState.Provisional })
                change.Replace(NoticeRow(notice with { State = NoticeState.Replaced, ClosedBy = actor, ClosedAt = stamped, ClosedNote = runId }, noticeRow!.ETag));
            change.Insert(NoticeRow(new PublicationNotice(run.Period, run.Level, revision, runId,
                deadline is null ? NoticeState.Final : NoticeState.Provisional, actor, stamped, noticeDays, deadline), default));
            int moved = 0, corrected = 0;
            foreach (var row in pending)
            {
                var request = Review(row);
                if (request.State == ReviewState.Correcting)
                {
                    change.Replace(ReviewRow(request with { State = ReviewState.Corrected, CorrectingRunId = runId, ClosedAt = stamped, Version = request.Version + 1 }, row.ETag));
                    change.Audit(stamped, actor, "review-corrected", request.Id, $"{where} corrected-by={runId} revision={revision}");
                    corrected++;
                }
                else
                {
                    change.Replace(ReviewRow(request with { RunId = runId, Revision = revision, Version = request.Version + 1 }, row.ETag));
                    change.Audit(stamped, actor, "review-moved", request.Id, $"{where} to={runId} revision={revision}");
                    moved++;
                }
            }
            change.Audit(stamped, actor, current is null ? "publish" : "republish", runId,
                $"{where} revision={revision}" + (current is null ? "" : $" replaces={current.GetString("RunId")}")
                + (deadline is null ? " final" : $" notice-days={noticeDays} deadline={StoreText.Time(deadline.Value)}")
                + (moved + corrected > 0 ? $" moved={moved} corrected={corrected}" : ""));
            RequireFits(change, where);
            return change.Done(new Publication(run.Period, run.Level, runId, actor, stamped, revision));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<PublicationNotice?> GetNoticeAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default) =>
        (await CurrentNoticeAsync(period, level, cancellationToken)).Notice;

    /// <inheritdoc />
    public async Task<IReadOnlyList<PublicationNotice>> GetNoticesAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default) =>
        [.. (await QueryControlAsync($"ntc|{period}|{level.ToText()}|", cancellationToken)).Select(Notice).OrderBy(n => n.Revision)];

    /// <inheritdoc />
    public Task<PublicationNotice> MakeFinalAsync(Period period, UnitLevel level, int revision, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        MutateAsync(async change =>
        {
            var (notice, row) = await RequireProvisionalAsync(period, level, revision, cancellationToken);
            var where = $"{period} {level.ToText()}";
            if (at < notice.Deadline)
                throw new StoreException(StoreError.Conflict, $"{where} 的公示期到 {ReviewJson.ChinaTime(notice.Deadline!.Value)} 才满，现在不能转为正式发布");
            var pending = (await ReviewRowsAsync(period, level, cancellationToken)).Select(Review).Where(r => r.IsPending).ToList();
            if (pending.FirstOrDefault(r => r.State == ReviewState.Open) is { } open)
                throw new StoreException(StoreError.Conflict, $"{where} 的复核申请 {open.Id} 还没有答复，不能转为正式发布");
            if (pending.FirstOrDefault(r => r.State == ReviewState.Correcting) is { } correcting)
                throw new StoreException(StoreError.Conflict, $"{where} 的复核申请 {correcting.Id} 答复为更正，更正的运行发布前不能转为正式发布");
            var final = notice with { State = NoticeState.Final, ClosedBy = actor, ClosedAt = at };
            change.Replace(NoticeRow(final, row.ETag));
            change.Audit(at, actor, "publish-final", notice.RunId, $"{where} revision={revision}");
            return change.Done(final);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<PublicationNotice> WithdrawPublicationAsync(Period period, UnitLevel level, int revision, string actor, string reason,
        DateTimeOffset at, CancellationToken cancellationToken = default) =>
        MutateAsync(async change =>
        {
            var (notice, row) = await RequireProvisionalAsync(period, level, revision, cancellationToken);
            var where = $"{period} {level.ToText()}";
            var withdrawn = notice with { State = NoticeState.Withdrawn, ClosedBy = actor, ClosedAt = at, ClosedNote = reason };
            change.Replace(NoticeRow(withdrawn, row.ETag));
            foreach (var requestRow in await ReviewRowsAsync(period, level, cancellationToken))
            {
                var request = Review(requestRow);
                if (!request.IsPending) continue;
                change.Replace(ReviewRow(request with
                {
                    State = ReviewState.Withdrawn, Answer = $"公示撤回：{reason}", AnsweredBy = actor, AnsweredAt = at, ClosedAt = at,
                    Version = request.Version + 1,
                }, requestRow.ETag));
                change.Audit(at, actor, "review-withdrawn", request.Id, $"{where} publication withdrawn");
            }
            // Read after the notice: a concurrent withdrawal may have moved it meanwhile (the counter's ETag refuses this change then too).
            var pointer = await RetrieveAsync(AzureNames.Publication(period.ToString(), level.ToText()), cancellationToken)
                ?? throw new StoreException(StoreError.Concurrency, $"{where} 的发布已被同时撤回，请重新查看");
            var earlier = (await GetNoticesAsync(period, level, cancellationToken)).Where(n => n.State == NoticeState.Final).MaxBy(n => n.Revision);
            if (earlier is null)
            {
                change.Delete(pointer);
                change.Audit(at, actor, "publish-withdraw", notice.RunId, $"{where} revision={revision} unpublished reason={reason}");
            }
            else
            {
                var back = revision + 1;
                pointer["RunId"] = earlier.RunId;
                pointer["Actor"] = actor;
                pointer["At"] = StoreText.Time(at);
                pointer["Revision"] = back;
                change.Replace(pointer);
                change.Insert(NoticeRow(new PublicationNotice(period, level, back, earlier.RunId, NoticeState.Final, actor, at, earlier.NoticeDays,
                    earlier.Deadline, actor, at, $"撤回第 {revision} 次发布后恢复第 {earlier.Revision} 次发布"), default));
                change.Audit(at, actor, "publish-withdraw", notice.RunId,
                    $"{where} revision={revision} restores={earlier.RunId} revision={back} reason={reason}");
            }
            RequireFits(change, where);
            return change.Done(withdrawn);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ReviewRequest> FileReviewAsync(ReviewDraft draft, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return MutateAsync(async change =>
        {
            var (notice, _) = await RequireProvisionalAsync(draft.Period, draft.Level, draft.Revision, cancellationToken);
            if (at >= notice.Deadline)
                throw new StoreException(StoreError.Conflict,
                    $"{draft.Period} {draft.Level.ToText()} 的公示期已于 {ReviewJson.ChinaTime(notice.Deadline!.Value)} 届满，不再受理复核申请");
            var number = change.NextReview();
            var request = new ReviewRequest($"rv-{number:D6}", draft.Period, draft.Level, draft.Unit, notice.RunId, notice.Revision, notice.RunId,
                notice.Revision, draft.TargetKind, draft.Target, draft.Reason, draft.Files, draft.FiledBy, at, ReviewState.Open, null, null, null,
                null, null, 1);
            change.Insert(ReviewRow(request, default));
            change.Audit(at, draft.FiledBy, "review-file", request.Id,
                $"{draft.Period} {draft.Level.ToText()} unit={draft.Unit} run={notice.RunId} {draft.TargetKind.ToText()}={draft.Target} files={draft.Files.Length}");
            return change.Done(request);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReviewRequest> AnswerReviewAsync(string id, int version, bool correct, string reason, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        MutateAsync(async change =>
        {
            var (request, row) = await RequireOpenReviewAsync(id, version, "答复", cancellationToken);
            var answered = request with
            {
                State = correct ? ReviewState.Correcting : ReviewState.Upheld, Answer = reason, AnsweredBy = actor, AnsweredAt = at,
                ClosedAt = correct ? null : at, Version = version + 1,
            };
            change.Replace(ReviewRow(answered, row.ETag));
            change.Audit(at, actor, correct ? "review-correct" : "review-uphold", id, $"{request.Period} {request.Level.ToText()} unit={request.Unit}");
            return change.Done(answered);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ReviewRequest> WithdrawReviewAsync(string id, int version, string reason, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        MutateAsync(async change =>
        {
            var (request, row) = await RequireOpenReviewAsync(id, version, "撤回", cancellationToken);
            var withdrawn = request with
            {
                State = ReviewState.Withdrawn, Answer = reason, AnsweredBy = actor, AnsweredAt = at, ClosedAt = at, Version = version + 1,
            };
            change.Replace(ReviewRow(withdrawn, row.ETag));
            change.Audit(at, actor, "review-withdraw", id, $"{request.Period} {request.Level.ToText()} unit={request.Unit}");
            return change.Done(withdrawn);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<ReviewRequest?> GetReviewAsync(string id, CancellationToken cancellationToken = default) =>
        await RetrieveAsync(ReviewKey(id), cancellationToken) is { } row ? Review(row) : null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReviewRequest>> ListReviewsAsync(Period? period = null, UnitLevel? level = null, CancellationToken cancellationToken = default) =>
        [.. (await QueryControlAsync("rvw|", cancellationToken)).Select(Review)
            .Where(r => (period is null || r.Period == period) && (level is null || r.Level == level)).OrderBy(r => r.Id, StringComparer.Ordinal)];

    // ---- helpers ----

    private static string NoticeKey(Period period, UnitLevel level, int revision) => $"ntc|{period}|{level.ToText()}|{revision:D6}";

    private static string ReviewKey(string id) => $"rvw|{id}";

    private static void RequireFits(Change change, string where)
    {
        // The counter's replacement is added when the change is submitted.
        if (change.Actions.Count + 1 > MaxActions)
            throw new StoreException(StoreError.Conflict, $"{where} 一次要改动的复核申请太多（超过一次事务的 {MaxActions} 个实体），请先答复部分申请");
    }

    private async Task<(PublicationNotice? Notice, TableEntity? Row)> CurrentNoticeAsync(Period period, UnitLevel level, CancellationToken cancellationToken)
    {
        var pointer = await RetrieveAsync(AzureNames.Publication(period.ToString(), level.ToText()), cancellationToken);
        if (pointer is null) return (null, null);
        var revision = pointer.GetInt32("Revision")!.Value;
        var row = await RetrieveAsync(NoticeKey(period, level, revision), cancellationToken);
        // A pointer written before notices existed (migration 7 gives every pointer its notice): final.
        return row is null
            ? (new PublicationNotice(period, level, revision, pointer.GetString("RunId"), NoticeState.Final, pointer.GetString("Actor"),
                StoreText.Time(pointer.GetString("At")), null, null), null)
            : (Notice(row), row);
    }

    private async Task<(PublicationNotice Notice, TableEntity Row)> RequireProvisionalAsync(Period period, UnitLevel level, int revision,
        CancellationToken cancellationToken)
    {
        var where = $"{period} {level.ToText()}";
        var (notice, row) = await CurrentNoticeAsync(period, level, cancellationToken);
        if (notice is null) throw new StoreException(StoreError.NotFound, $"{where} 还没有发布");
        if (notice.Revision != revision)
            throw new StoreException(StoreError.Concurrency, $"{where} 的发布已变为第 {notice.Revision} 次发布（这里是第 {revision} 次），请重新查看后再操作");
        if (notice.State != NoticeState.Provisional)
            throw new StoreException(StoreError.Conflict, $"{where} 的第 {revision} 次发布{notice.State.ToChinese()}，不在公示期");
        return (notice, row!);
    }

    private async Task<(ReviewRequest Request, TableEntity Row)> RequireOpenReviewAsync(string id, int version, string what, CancellationToken cancellationToken)
    {
        var row = await RetrieveAsync(ReviewKey(id), cancellationToken) ?? throw new StoreException(StoreError.NotFound, $"没有复核申请 {id}");
        var request = Review(row);
        if (request.Version != version)
            throw new StoreException(StoreError.Concurrency, $"复核申请 {id} 已被改动（第 {request.Version} 版，这里是第 {version} 版），请重新查看后再{what}");
        if (request.State != ReviewState.Open)
            throw new StoreException(StoreError.Conflict, $"复核申请 {id} {request.State.ToChinese()}，不能再{what}");
        return (request, row);
    }

    private async Task<List<TableEntity>> ReviewRowsAsync(Period period, UnitLevel level, CancellationToken cancellationToken) =>
        [.. (await QueryControlAsync("rvw|", cancellationToken)).Where(r => r.GetString("Period") == period.ToString() && r.GetString("Level") == level.ToText())
            .OrderBy(r => r.RowKey, StringComparer.Ordinal)];

    private static PublicationNotice Notice(TableEntity row) =>
        new(Period.Parse(row.GetString("Period")), StoreText.Level(row.GetString("Level")), row.GetInt32("Revision")!.Value, row.GetString("RunId"),
            ReviewWords.NoticeStateOf(row.GetString("State")), row.GetString("Actor"), StoreText.Time(row.GetString("At")), row.GetInt32("NoticeDays"),
            StoreText.OptTime(row.GetString("Deadline")), row.GetString("ClosedBy"), StoreText.OptTime(row.GetString("ClosedAt")), row.GetString("ClosedNote"));

    private static TableEntity NoticeRow(PublicationNotice n, global::Azure.ETag etag)
    {
        var row = new TableEntity(AzureNames.Control, NoticeKey(n.Period, n.Level, n.Revision))
        {
            ["Period"] = n.Period.ToString(),
            ["Level"] = n.Level.ToText(),
            ["Revision"] = n.Revision,
            ["RunId"] = n.RunId,
            ["State"] = n.State.ToText(),
            ["Actor"] = n.Actor,
            ["At"] = StoreText.Time(n.At),
            ETag = etag,
        };
        if (n.NoticeDays is { } days) row["NoticeDays"] = days;
        Set(row, "Deadline", n.Deadline is { } d ? StoreText.Time(d) : null);
        Set(row, "ClosedBy", n.ClosedBy);
        Set(row, "ClosedAt", n.ClosedAt is { } c ? StoreText.Time(c) : null);
        Set(row, "ClosedNote", n.ClosedNote);
        return row;
    }

    private static ReviewRequest Review(TableEntity row) =>
        new(row.GetString("Id"), Period.Parse(row.GetString("Period")), StoreText.Level(row.GetString("Level")), row.GetString("Unit"),
            row.GetString("FiledRun"), row.GetInt32("FiledRevision")!.Value, row.GetString("RunId"), row.GetInt32("Revision")!.Value,
            ReviewWords.TargetKindOf(row.GetString("TargetKind")) ?? ReviewTargetKind.Indicator, row.GetString("Target"), row.GetString("Reason"),
            ReviewJson.Files(row.GetString("Files")), row.GetString("FiledBy"), StoreText.Time(row.GetString("FiledAt")),
            ReviewWords.ReviewStateOf(row.GetString("State")), row.GetString("Answer"), row.GetString("AnsweredBy"),
            StoreText.OptTime(row.GetString("AnsweredAt")), row.GetString("CorrectingRun"), StoreText.OptTime(row.GetString("ClosedAt")),
            row.GetInt32("Version")!.Value);

    private static TableEntity ReviewRow(ReviewRequest q, global::Azure.ETag etag)
    {
        var row = new TableEntity(AzureNames.Control, ReviewKey(q.Id))
        {
            ["Id"] = q.Id,
            ["Period"] = q.Period.ToString(),
            ["Level"] = q.Level.ToText(),
            ["Unit"] = q.Unit,
            ["FiledRun"] = q.FiledRunId,
            ["FiledRevision"] = q.FiledRevision,
            ["RunId"] = q.RunId,
            ["Revision"] = q.Revision,
            ["TargetKind"] = q.TargetKind.ToText(),
            ["Target"] = q.Target,
            ["Reason"] = q.Reason,
            ["Files"] = ReviewJson.Files(q.Files),
            ["FiledBy"] = q.FiledBy,
            ["FiledAt"] = StoreText.Time(q.FiledAt),
            ["State"] = q.State.ToText(),
            ["Version"] = q.Version,
            ETag = etag,
        };
        Set(row, "Answer", q.Answer);
        Set(row, "AnsweredBy", q.AnsweredBy);
        Set(row, "AnsweredAt", q.AnsweredAt is { } a ? StoreText.Time(a) : null);
        Set(row, "CorrectingRun", q.CorrectingRunId);
        Set(row, "ClosedAt", q.ClosedAt is { } c ? StoreText.Time(c) : null);
        return row;
    }

    /// <summary>
    /// Migration 7, in one change with its record: every publication pointer gets its notice (final), so the history of a
    /// period's publications is whole. A pointer that has one already is left as it is.
    /// </summary>
    private Task NoticesForPublicationsAsync(CancellationToken cancellationToken) =>
        MutateAsync(async change =>
        {
            if (change.Schema >= 7) return change.NoOp(false);
            foreach (var pointer in await QueryControlAsync("pub|", cancellationToken))
            {
                var parts = pointer.RowKey["pub|".Length..].Split('|');
                var (period, level) = (Period.Parse(parts[0]), StoreText.Level(parts[1]));
                var revision = pointer.GetInt32("Revision")!.Value;
                if (await RetrieveAsync(NoticeKey(period, level, revision), cancellationToken) is not null) continue;
                change.Actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, NoticeRow(new PublicationNotice(period, level,
                    revision, pointer.GetString("RunId"), NoticeState.Final, pointer.GetString("Actor"), StoreText.Time(pointer.GetString("At")), null, null), default)));
            }
            if (change.Actions.Count + 2 > MaxActions)
                throw new StoreException(StoreError.Conflict, $"Azure 存储（表 {TableName}）的发布太多，无法在一次事务中完成迁移 7");
            return change.Migrated(7);
        }, cancellationToken);
}
