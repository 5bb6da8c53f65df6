using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store.Internal;
using Microsoft.Data.Sqlite;

namespace BaiQianWan.Assess.Store.Sqlite;

// Notice and review: each publication's notice (publication_notice) and the review requests (review_request), with the
// pointer switch of the publications in the same transaction.
public sealed partial class SqliteAssessStore : IReviewStore
{
    private const string NoticeColumns = "period, level, revision, run_id, state, actor, at, notice_days, deadline, closed_by, closed_at, closed_note";

    private const string ReviewColumns = "id, period, level, unit, filed_run, filed_revision, run_id, revision, target_kind, target, reason, files, "
        + "filed_by, filed_at, state, answer, answered_by, answered_at, correcting_run, closed_at, version";

    /// <inheritdoc />
    public Task<Publication> PublishAsync(string runId, string actor, DateTimeOffset at, int? noticeDays, DateTimeOffset? deadline,
        CancellationToken cancellationToken = default)
    {
        if ((noticeDays is null) != (deadline is null)) throw new ArgumentException("notice days and deadline go together");
        return ChangeAsync(change =>
        {
            var (c, tx) = change;
            var run = RequireRun(c, tx, runId);
            if (run.Status != RunStatus.Succeeded)
                throw new StoreException(StoreError.Conflict, $"运行 {runId} 的状态是 {StoreText.Status(run.Status)}，只有成功的运行可以发布");
            var current = ReadPublication(c, tx, run.Period, run.Level);
            var notice = current is null ? null : ReadNotices(c, tx, run.Period, run.Level, current.Revision).SingleOrDefault();
            var where = $"{run.Period} {StoreText.Level(run.Level)}";
            // Times follow revision order: a racing publisher that read the clock earlier is stamped with the current one's time.
            if (current is not null && current.At > at) at = current.At;
            var pending = ReadReviews(c, tx, "WHERE period = $period AND level = $level AND state IN ('open', 'correcting')",
                ("$period", run.Period.ToString()), ("$level", StoreText.Level(run.Level)));
            if (deadline is null && notice is { State: NoticeState.Provisional })
            {
                if (at < notice.Deadline)
                    throw new StoreException(StoreError.Conflict, $"{where} 正在公示（截止 {ReviewJson.ChinaTime(notice.Deadline!.Value)}），公示期满前不能正式发布");
                if (pending.FirstOrDefault(r => r.State == ReviewState.Open) is { } open)
                    throw new StoreException(StoreError.Conflict, $"{where} 的复核申请 {open.Id} 还没有答复，不能正式发布");
            }
            if (deadline is null && notice is { State: NoticeState.Final, HadNotice: true })
                throw new StoreException(StoreError.Conflict,
                    $"{where} 已经正式发布（第 {notice.Revision} 次发布，经公示），此后只能以新的运行重新公示（--notice-days）");
            // A period withdrawn with no final publication before has no pointer, but its notices keep their revisions: the next one follows them.
            var last = current?.Revision
                ?? Convert.ToInt32(Scalar(c, tx, "SELECT COALESCE(MAX(revision), 0) FROM publication_notice WHERE period = $period AND level = $level;",
                    ("$period", run.Period.ToString()), ("$level", StoreText.Level(run.Level))), System.Globalization.CultureInfo.InvariantCulture);
            var publication = new Publication(run.Period, run.Level, runId, actor, at, last + 1);
            Exec(c, tx, """
                INSERT INTO publication (period, level, run_id, actor, at, revision) VALUES ($period, $level, $run, $actor, $at, $rev)
                ON CONFLICT (period, level) DO UPDATE SET run_id = excluded.run_id, actor = excluded.actor, at = excluded.at, revision = excluded.revision;
                """,
                ("$period", run.Period.ToString()), ("$level", StoreText.Level(run.Level)), ("$run", runId), ("$actor", actor),
                ("$at", StoreText.Time(at)), ("$rev", publication.Revision));
            if (notice is { State: NoticeState.Provisional })
                CloseNotice(c, tx, notice with { State = NoticeState.Replaced, ClosedBy = actor, ClosedAt = at, ClosedNote = runId });
            WriteNotice(c, tx, new PublicationNotice(run.Period, run.Level, publication.Revision, runId,
                deadline is null ? NoticeState.Final : NoticeState.Provisional, actor, at, noticeDays, deadline));
            var moved = 0;
            var corrected = 0;
            foreach (var request in pending)
            {
                if (request.State == ReviewState.Correcting)
                {
                    WriteReview(c, tx, request with { State = ReviewState.Corrected, CorrectingRunId = runId, ClosedAt = at, Version = request.Version + 1 });
                    change.Audit(at, actor, "review-corrected", request.Id, $"{where} corrected-by={runId} revision={publication.Revision}");
                    corrected++;
                }
                else
                {
                    WriteReview(c, tx, request with { RunId = runId, Revision = publication.Revision, Version = request.Version + 1 });
                    change.Audit(at, actor, "review-moved", request.Id, $"{where} to={runId} revision={publication.Revision}");
                    moved++;
                }
            }
            change.Audit(at, actor, current is null ? "publish" : "republish", runId,
                $"{where} revision={publication.Revision}" + (current is null ? "" : $" replaces={current.RunId}")
                + (deadline is null ? " final" : $" notice-days={noticeDays} deadline={StoreText.Time(deadline.Value)}")
                + (moved + corrected > 0 ? $" moved={moved} corrected={corrected}" : ""));
            return publication;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<PublicationNotice?> GetNoticeAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        using var tx = c.BeginTransaction(deferred: true);
        return CurrentNotice(c, tx, period, level);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PublicationNotice>> GetNoticesAsync(Period period, UnitLevel level, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return ReadNotices(c, null, period, level, null);
    }

    /// <inheritdoc />
    public Task<PublicationNotice> MakeFinalAsync(Period period, UnitLevel level, int revision, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(change =>
        {
            var (c, tx) = change;
            var notice = RequireProvisional(c, tx, period, level, revision);
            var where = $"{period} {StoreText.Level(level)}";
            if (at < notice.Deadline)
                throw new StoreException(StoreError.Conflict, $"{where} 的公示期到 {ReviewJson.ChinaTime(notice.Deadline!.Value)} 才满，现在不能转为正式发布");
            var pending = ReadReviews(c, tx, "WHERE period = $period AND level = $level AND state IN ('open', 'correcting')",
                ("$period", period.ToString()), ("$level", StoreText.Level(level)));
            if (pending.FirstOrDefault(r => r.State == ReviewState.Open) is { } open)
                throw new StoreException(StoreError.Conflict, $"{where} 的复核申请 {open.Id} 还没有答复，不能转为正式发布");
            if (pending.FirstOrDefault(r => r.State == ReviewState.Correcting) is { } correcting)
                throw new StoreException(StoreError.Conflict, $"{where} 的复核申请 {correcting.Id} 答复为更正，更正的运行发布前不能转为正式发布");
            var final = notice with { State = NoticeState.Final, ClosedBy = actor, ClosedAt = at };
            CloseNotice(c, tx, final);
            change.Audit(at, actor, "publish-final", notice.RunId, $"{where} revision={revision}");
            return final;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<PublicationNotice> WithdrawPublicationAsync(Period period, UnitLevel level, int revision, string actor, string reason,
        DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangeAsync(change =>
        {
            var (c, tx) = change;
            var notice = RequireProvisional(c, tx, period, level, revision);
            var where = $"{period} {StoreText.Level(level)}";
            var withdrawn = notice with { State = NoticeState.Withdrawn, ClosedBy = actor, ClosedAt = at, ClosedNote = reason };
            CloseNotice(c, tx, withdrawn);
            foreach (var request in ReadReviews(c, tx, "WHERE period = $period AND level = $level AND state IN ('open', 'correcting')",
                         ("$period", period.ToString()), ("$level", StoreText.Level(level))))
            {
                WriteReview(c, tx, request with
                {
                    State = ReviewState.Withdrawn, Answer = $"公示撤回：{reason}", AnsweredBy = actor, AnsweredAt = at, ClosedAt = at,
                    Version = request.Version + 1,
                });
                change.Audit(at, actor, "review-withdrawn", request.Id, $"{where} publication withdrawn");
            }
            var earlier = ReadNotices(c, tx, period, level, null).Where(n => n.State == NoticeState.Final).MaxBy(n => n.Revision);
            if (earlier is null)
            {
                // No earlier final publication: the period is no longer published; its notices keep the history.
                Exec(c, tx, "DELETE FROM publication WHERE period = $period AND level = $level;",
                    ("$period", period.ToString()), ("$level", StoreText.Level(level)));
                change.Audit(at, actor, "publish-withdraw", notice.RunId, $"{where} revision={revision} unpublished reason={reason}");
            }
            else
            {
                var back = revision + 1;
                Exec(c, tx, "UPDATE publication SET run_id = $run, actor = $actor, at = $at, revision = $rev WHERE period = $period AND level = $level;",
                    ("$period", period.ToString()), ("$level", StoreText.Level(level)), ("$run", earlier.RunId), ("$actor", actor),
                    ("$at", StoreText.Time(at)), ("$rev", back));
                WriteNotice(c, tx, new PublicationNotice(period, level, back, earlier.RunId, NoticeState.Final, actor, at, earlier.NoticeDays,
                    earlier.Deadline, actor, at, $"撤回第 {revision} 次发布后恢复第 {earlier.Revision} 次发布"));
                change.Audit(at, actor, "publish-withdraw", notice.RunId,
                    $"{where} revision={revision} restores={earlier.RunId} revision={back} reason={reason}");
            }
            return withdrawn;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ReviewRequest> FileReviewAsync(ReviewDraft draft, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return ChangeAsync(change =>
        {
            var (c, tx) = change;
            var notice = RequireProvisional(c, tx, draft.Period, draft.Level, draft.Revision);
            if (at >= notice.Deadline)
                throw new StoreException(StoreError.Conflict,
                    $"{draft.Period} {StoreText.Level(draft.Level)} 的公示期已于 {ReviewJson.ChinaTime(notice.Deadline!.Value)} 届满，不再受理复核申请");
            var number = Convert.ToInt64(Scalar(c, tx, "SELECT COUNT(*) FROM review_request;")!, System.Globalization.CultureInfo.InvariantCulture) + 1;
            var request = new ReviewRequest($"rv-{number:D6}", draft.Period, draft.Level, draft.Unit, notice.RunId, notice.Revision, notice.RunId,
                notice.Revision, draft.TargetKind, draft.Target, draft.Reason, draft.Files, draft.FiledBy, at, ReviewState.Open, null, null, null,
                null, null, 1);
            Exec(c, tx, $"""
                INSERT INTO review_request ({ReviewColumns}) VALUES ($id, $period, $level, $unit, $frun, $frev, $run, $rev, $kind, $target, $reason,
                    $files, $by, $at, 'open', NULL, NULL, NULL, NULL, NULL, 1);
                """,
                ("$id", request.Id), ("$period", draft.Period.ToString()), ("$level", StoreText.Level(draft.Level)), ("$unit", draft.Unit),
                ("$frun", notice.RunId), ("$frev", notice.Revision), ("$run", notice.RunId), ("$rev", notice.Revision),
                ("$kind", draft.TargetKind.ToText()), ("$target", draft.Target), ("$reason", draft.Reason), ("$files", ReviewJson.Files(draft.Files)),
                ("$by", draft.FiledBy), ("$at", StoreText.Time(at)));
            change.Audit(at, draft.FiledBy, "review-file", request.Id,
                $"{draft.Period} {StoreText.Level(draft.Level)} unit={draft.Unit} run={notice.RunId} {draft.TargetKind.ToText()}={draft.Target} files={draft.Files.Length}");
            return request;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReviewRequest> AnswerReviewAsync(string id, int version, bool correct, string reason, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(change =>
        {
            var (c, tx) = change;
            var request = RequireOpenReview(c, tx, id, version, "答复");
            var answered = request with
            {
                State = correct ? ReviewState.Correcting : ReviewState.Upheld, Answer = reason, AnsweredBy = actor, AnsweredAt = at,
                ClosedAt = correct ? null : at, Version = version + 1,
            };
            WriteReview(c, tx, answered);
            change.Audit(at, actor, correct ? "review-correct" : "review-uphold", id, $"{request.Period} {StoreText.Level(request.Level)} unit={request.Unit}");
            return answered;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ReviewRequest> WithdrawReviewAsync(string id, int version, string reason, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(change =>
        {
            var (c, tx) = change;
            var request = RequireOpenReview(c, tx, id, version, "撤回");
            var withdrawn = request with
            {
                State = ReviewState.Withdrawn, Answer = reason, AnsweredBy = actor, AnsweredAt = at, ClosedAt = at, Version = version + 1,
            };
            WriteReview(c, tx, withdrawn);
            change.Audit(at, actor, "review-withdraw", id, $"{request.Period} {StoreText.Level(request.Level)} unit={request.Unit}");
            return withdrawn;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<ReviewRequest?> GetReviewAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return ReadReviews(c, null, "WHERE id = $id", ("$id", id)).SingleOrDefault();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReviewRequest>> ListReviewsAsync(Period? period = null, UnitLevel? level = null, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenAsync(cancellationToken);
        return ReadReviews(c, null, "WHERE ($period IS NULL OR period = $period) AND ($level IS NULL OR level = $level)",
            ("$period", period?.ToString()), ("$level", level is { } l ? StoreText.Level(l) : null));
    }

    // ---- helpers ----

    private static PublicationNotice? CurrentNotice(SqliteConnection c, SqliteTransaction? tx, Period period, UnitLevel level) =>
        ReadPublication(c, tx, period, level) is { } current ? ReadNotices(c, tx, period, level, current.Revision).SingleOrDefault()
            // A pointer written before notices existed (migration 13 gives every pointer its notice): final.
            ?? new PublicationNotice(period, level, current.Revision, current.RunId, NoticeState.Final, current.Actor, current.At, null, null)
            : null;

    private static PublicationNotice RequireProvisional(SqliteConnection c, SqliteTransaction tx, Period period, UnitLevel level, int revision)
    {
        var where = $"{period} {StoreText.Level(level)}";
        var notice = CurrentNotice(c, tx, period, level) ?? throw new StoreException(StoreError.NotFound, $"{where} 还没有发布");
        if (notice.Revision != revision)
            throw new StoreException(StoreError.Concurrency, $"{where} 的发布已变为第 {notice.Revision} 次发布（这里是第 {revision} 次），请重新查看后再操作");
        if (notice.State != NoticeState.Provisional)
            throw new StoreException(StoreError.Conflict, $"{where} 的第 {revision} 次发布{notice.State.ToChinese()}，不在公示期");
        return notice;
    }

    private static ReviewRequest RequireOpenReview(SqliteConnection c, SqliteTransaction tx, string id, int version, string what)
    {
        var request = ReadReviews(c, tx, "WHERE id = $id", ("$id", id)).SingleOrDefault()
            ?? throw new StoreException(StoreError.NotFound, $"没有复核申请 {id}");
        if (request.Version != version)
            throw new StoreException(StoreError.Concurrency, $"复核申请 {id} 已被改动（第 {request.Version} 版，这里是第 {version} 版），请重新查看后再{what}");
        if (request.State != ReviewState.Open)
            throw new StoreException(StoreError.Conflict, $"复核申请 {id} {request.State.ToChinese()}，不能再{what}");
        return request;
    }

    private static List<PublicationNotice> ReadNotices(SqliteConnection c, SqliteTransaction? tx, Period period, UnitLevel level, int? revision)
    {
        using var cmd = Command(c, tx, $"SELECT {NoticeColumns} FROM publication_notice WHERE period = $period AND level = $level "
            + "AND ($rev IS NULL OR revision = $rev) ORDER BY revision;",
            ("$period", period.ToString()), ("$level", StoreText.Level(level)), ("$rev", revision));
        using var r = cmd.ExecuteReader();
        var list = new List<PublicationNotice>();
        while (r.Read())
            list.Add(new PublicationNotice(Period.Parse(r.GetString(0)), StoreText.Level(r.GetString(1)), r.GetInt32(2), r.GetString(3),
                ReviewWords.NoticeStateOf(r.GetString(4)), r.GetString(5), StoreText.Time(r.GetString(6)), r.IsDBNull(7) ? null : r.GetInt32(7),
                StoreText.OptTime(Opt(r, 8)), Opt(r, 9), StoreText.OptTime(Opt(r, 10)), Opt(r, 11)));
        return list;
    }

    private static void WriteNotice(SqliteConnection c, SqliteTransaction tx, PublicationNotice n) =>
        Exec(c, tx, $"INSERT INTO publication_notice ({NoticeColumns}) VALUES ($period, $level, $rev, $run, $state, $actor, $at, $days, $deadline, $cby, $cat, $cnote);",
            ("$period", n.Period.ToString()), ("$level", StoreText.Level(n.Level)), ("$rev", n.Revision), ("$run", n.RunId), ("$state", n.State.ToText()),
            ("$actor", n.Actor), ("$at", StoreText.Time(n.At)), ("$days", n.NoticeDays), ("$deadline", n.Deadline is { } d ? StoreText.Time(d) : null),
            ("$cby", n.ClosedBy), ("$cat", n.ClosedAt is { } a ? StoreText.Time(a) : null), ("$cnote", n.ClosedNote));

    private static void CloseNotice(SqliteConnection c, SqliteTransaction tx, PublicationNotice n) =>
        Exec(c, tx, "UPDATE publication_notice SET state = $state, closed_by = $cby, closed_at = $cat, closed_note = $cnote "
            + "WHERE period = $period AND level = $level AND revision = $rev;",
            ("$period", n.Period.ToString()), ("$level", StoreText.Level(n.Level)), ("$rev", n.Revision), ("$state", n.State.ToText()),
            ("$cby", n.ClosedBy), ("$cat", n.ClosedAt is { } a ? StoreText.Time(a) : null), ("$cnote", n.ClosedNote));

    private static List<ReviewRequest> ReadReviews(SqliteConnection c, SqliteTransaction? tx, string where, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, tx, $"SELECT {ReviewColumns} FROM review_request {where} ORDER BY id;", args);
        using var r = cmd.ExecuteReader();
        var list = new List<ReviewRequest>();
        while (r.Read())
            list.Add(new ReviewRequest(r.GetString(0), Period.Parse(r.GetString(1)), StoreText.Level(r.GetString(2)), r.GetString(3), r.GetString(4),
                r.GetInt32(5), r.GetString(6), r.GetInt32(7), ReviewWords.TargetKindOf(r.GetString(8)) ?? ReviewTargetKind.Indicator, r.GetString(9),
                r.GetString(10), ReviewJson.Files(r.GetString(11)), r.GetString(12), StoreText.Time(r.GetString(13)), ReviewWords.ReviewStateOf(r.GetString(14)),
                Opt(r, 15), Opt(r, 16), StoreText.OptTime(Opt(r, 17)), Opt(r, 18), StoreText.OptTime(Opt(r, 19)), r.GetInt32(20)));
        return list;
    }

    private static void WriteReview(SqliteConnection c, SqliteTransaction tx, ReviewRequest q) =>
        Exec(c, tx, """
            UPDATE review_request SET run_id = $run, revision = $rev, state = $state, answer = $answer, answered_by = $by, answered_at = $at,
                correcting_run = $correcting, closed_at = $closed, version = $version WHERE id = $id;
            """,
            ("$id", q.Id), ("$run", q.RunId), ("$rev", q.Revision), ("$state", q.State.ToText()), ("$answer", q.Answer), ("$by", q.AnsweredBy),
            ("$at", q.AnsweredAt is { } a ? StoreText.Time(a) : null), ("$correcting", q.CorrectingRunId),
            ("$closed", q.ClosedAt is { } x ? StoreText.Time(x) : null), ("$version", q.Version));

    private static string? Opt(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
