using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Reviews;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>
/// Builds the notice-and-review pages' view models (公示、复核) over <see cref="ReviewService"/>: the office's list of
/// publications with their notices, a period's notice page with its requests and files, and a unit's review panel on its
/// published scorecard. The caller's actor is <see cref="AccessPolicy.ReviewActorOf"/> of the request's one user; the
/// service decides what it may see and do (a refusal is its <see cref="ReviewRefusedException"/>, the 403 page).
/// </summary>
public sealed class NoticePages(AssessmentService service, TimeProvider clock)
{
    /// <summary>The review use case; a store that keeps no notices is refused as a conflict (the CLI's words).</summary>
    public ReviewService Service => service.Reviews ?? throw new StoreException(StoreError.Conflict, "这个存储不支持公示和复核");

    /// <summary>The review actor for <paramref name="user"/>, or a refusal for someone with no business in the review flow.</summary>
    public static ReviewActor Actor(PortalUser user) => AccessPolicy.ReviewActorOf(user) ?? throw new ReviewRefusedException("没有公示复核权限");

    private static ReviewActor OfficeActor(PortalUser user)
    {
        var actor = Actor(user);
        return actor.IsOffice ? actor : throw new ReviewRefusedException("只有考核办可以查看公示与复核总览");
    }

    /// <summary>The office's list: the current publication of each period and level (and periods whose publication was withdrawn with requests).</summary>
    public async Task<NoticesPageModel> ListAsync(PortalUser user, PageFrame frame, CancellationToken cancellationToken = default)
    {
        var actor = OfficeActor(user);
        var reviews = Service;
        var all = await reviews.ListAsync(actor, cancellationToken: cancellationToken);
        var keys = (await service.ListPublicationsAsync(cancellationToken)).Select(p => (p.Publication.Period, p.Publication.Level))
            .Concat(all.Select(r => (r.Period, r.Level))).Distinct().ToList();
        var rows = new List<NoticeRow>();
        foreach (var (period, level) in keys)
        {
            var notice = await reviews.GetNoticeAsync(period, level, cancellationToken)
                ?? (await reviews.GetNoticesAsync(period, level, cancellationToken)).LastOrDefault();
            if (notice is null) continue;
            var requests = all.Where(r => r.Period == period && r.Level == level).ToList();
            rows.Add(new NoticeRow(notice, requests.Count(r => r.IsPending), requests.Count, NoticeUrls.Notice(period, level)));
        }
        var ordered = rows.OrderBy(r => r.Notice.State == NoticeState.Provisional ? 0 : 1).ThenByDescending(r => r.Notice.Period)
            .ThenBy(r => r.Notice.Level).ToList();
        return new NoticesPageModel(frame with { Title = "公示与复核", Section = "notices" }, ordered);
    }

    /// <summary>The office's page of a period's and level's notice: its publications, every request with its files, the forms.</summary>
    public async Task<NoticePageModel> NoticeAsync(PortalUser user, PageFrame frame, Period period, UnitLevel level, CancellationToken cancellationToken = default)
    {
        var actor = OfficeActor(user);
        var reviews = Service;
        var history = await reviews.GetNoticesAsync(period, level, cancellationToken);
        var requests = await reviews.ListAsync(actor, period, level, cancellationToken);
        if (history.Count == 0 && requests.Count == 0) throw PortalException.NotFound($"{period} {level.ToChinese()}级还没有发布");
        var current = await reviews.GetNoticeAsync(period, level, cancellationToken);
        var now = clock.GetUtcNow();
        string? blocked = null;
        if (current is { State: NoticeState.Provisional, Deadline: { } deadline })
        {
            var waiting = requests.Where(r => r.IsPending).ToList();
            blocked = now < deadline ? $"公示期到 {Notice.Text(deadline)} 才满，届满后才能转为正式发布"
                : waiting.Count > 0 ? $"还有 {waiting.Count} 件复核申请待答复或更正中（{string.Join("、", waiting.Select(r => r.Id))}），答复并发布更正后才能转为正式发布"
                : null;
        }
        var lines = new List<ReviewLine>();
        foreach (var r in requests.OrderByDescending(r => r.Id, StringComparer.Ordinal))
            lines.Add(await LineAsync(r, actor, cancellationToken));
        return new NoticePageModel(frame with { Title = $"公示与复核 {period.ToChinese()} {level.ToChinese()}级", Section = "notices" }, period, level, current,
            [.. history.OrderByDescending(n => n.Revision)], lines, await reviews.CountAsync(period, level, cancellationToken), blocked, now);
    }

    /// <summary>
    /// The review panel of a unit's published scorecard (run <paramref name="runId"/> of <paramref name="period"/> and
    /// <paramref name="level"/>): the office sees the unit's requests and a link to the notice page; the unit itself also the
    /// form while the publication of that run is 公示中 and before its deadline; anyone else (a county on one of its towns'
    /// pages) nothing (null).
    /// </summary>
    public async Task<UnitReviewModel?> UnitAsync(PortalUser user, string code, Period period, UnitLevel level, string runId, IReadOnlyList<ReviewTarget> targets,
        CancellationToken cancellationToken = default)
    {
        if (service.Reviews is not { } reviews) return null;
        var actor = AccessPolicy.ReviewActorOf(user);
        if (actor is null || (!actor.IsOffice && actor.Unit != code)) return null;
        var current = await reviews.GetNoticeAsync(period, level, cancellationToken);
        var draft = current?.RunId == runId ? DraftMark.Of(current) : null;
        var mine = (await reviews.ListAsync(actor, period, level, cancellationToken)).Where(r => r.Unit == code).OrderByDescending(r => r.Id, StringComparer.Ordinal);
        var lines = new List<ReviewLine>();
        foreach (var r in mine) lines.Add(await LineAsync(r, actor, cancellationToken));
        var open = draft is not null && clock.GetUtcNow() < draft.Deadline;
        return new UnitReviewModel(draft, open && !actor.IsOffice, targets, lines, NoticeUrls.File(code, period),
            actor.IsOffice ? NoticeUrls.Notice(period, level) : null);
    }

    /// <summary>True when run <paramref name="runId"/> scored unit <paramref name="code"/> (a month run: lit it in its month result).</summary>
    public async Task<bool> HasUnitAsync(string runId, string code, CancellationToken cancellationToken = default) =>
        await service.GetUnitResultAsync(runId, code, cancellationToken) is not null
        || (await service.GetMonthResultsAsync(runId, cancellationToken))?.Units.Any(u => u.Code == code) == true;

    private async Task<ReviewLine> LineAsync(ReviewRequest r, ReviewActor actor, CancellationToken cancellationToken)
    {
        var name = (await service.GetUnitResultAsync(r.RunId, r.Unit, cancellationToken))?.Name
                   ?? (await service.GetUnitResultAsync(r.FiledRunId, r.Unit, cancellationToken))?.Name
                   ?? (r.Period.IsMonth ? (await service.GetMonthResultsAsync(r.RunId, cancellationToken))?.Units.FirstOrDefault(u => u.Code == r.Unit)?.Name : null)
                   ?? r.Unit;
        // The target named by the run the request is on now, else by the run it was filed on (a correction's ruleset may differ).
        var names = await NamesAsync(r.RunId, cancellationToken);
        if (!names.ContainsKey(r.Target) && r.FiledRunId != r.RunId) names = await NamesAsync(r.FiledRunId, cancellationToken);
        return new ReviewLine(r, name, [.. r.Files.Select(f => (f, NoticeUrls.Evidence(r.Id, f.Sha256)))],
            CanWithdraw: r.State == ReviewState.Open && !actor.IsOffice && actor.Unit == r.Unit,
            CanAnswer: r.State == ReviewState.Open && actor.IsOffice)
        {
            TargetName = RunNames.Target(r.TargetKind, r.Target, names),
        };
    }

    /// <summary>The names of a run's ids (<see cref="RunNames"/>), kept per run: a run's ruleset and month results never change.</summary>
    private async Task<IReadOnlyDictionary<string, string>> NamesAsync(string runId, CancellationToken cancellationToken)
    {
        if (_names.TryGetValue(runId, out var cached)) return cached;
        var names = await RunNames.ReadAsync(service, runId, cancellationToken);
        if (_names.Count >= NamesKept) _names.Clear();
        return _names[runId] = names;
    }

    private const int NamesKept = 64;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _names = new(StringComparer.Ordinal);
}
