using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;
using BaiQianWan.Assess.Workflow.Reviews;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>
/// Notice and review in the portal (公示、复核): the office's list of notices and each period's notice page (make final,
/// withdraw the publication, answer each request 维持 / 更正), a unit's request filed from its published scorecard (multipart,
/// with evidence files) and withdrawn, and the evidence files. Thin adapters over <see cref="NoticePages"/> and
/// <see cref="ReviewService"/>: the visitor is let in by <see cref="Right.Review"/> once per request, and the service decides
/// from <see cref="AccessPolicy.ReviewActorOf"/> what they may see and do (a refusal: the 403 page; a change the flow's state
/// or time does not allow: the page again with the reason in Chinese).
/// </summary>
public sealed class PortalNoticeFunctions(PortalHttp portal, NoticePages pages)
{
    /// <summary>
    /// Messages after a change, by the change's word (shown on the page the change redirects to); <c>filed</c>,
    /// <c>withdrawn</c> and <c>noticed</c> are the portal's own (<see cref="PortalHttp.Frame(HttpContext, PortalUser?, string?)"/>).
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> Notices = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["answered"] = "已答复复核申请",
        ["final"] = "已转为正式发布",
        ["unpublished"] = "已撤回本次公示",
    };

    /// <summary><c>GET /office/notices</c>: every period's current publication with its notice (office).</summary>
    [Function("PortalNotices")]
    [Access(Policies.Portal)]
    [Page(Right.Review)]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/notices")] HttpRequest request) =>
        ServeAsync(request, async (http, user) =>
            await portal.PageAsync<NoticesPage>(http, await pages.ListAsync(user, Frame(http, user), http.RequestAborted)));

    /// <summary><c>GET /office/notices/{period}/{level}</c>: a period's notice, its publications and every request (office).</summary>
    [Function("PortalNotice")]
    [Access(Policies.Portal)]
    [Page(Right.Review)]
    public Task<IResult> Notice([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/notices/{period}/{level}")] HttpRequest request,
        string period, string level) =>
        ServeAsync(request, async (http, user) =>
            await portal.PageAsync<NoticePage>(http, await pages.NoticeAsync(user, Frame(http, user), PortalUnitFunctions.ParsePeriod(period), Level(level),
                http.RequestAborted)));

    /// <summary>
    /// <c>POST /office/notices/{period}/{level}/{action}</c>: <c>final</c> makes the current provisional publication final (from
    /// its deadline, every request answered); <c>withdraw</c> withdraws it with <c>reason</c>. A refusal of the flow shows the
    /// notice page again with its reason.
    /// </summary>
    [Function("PortalNoticeChange")]
    [Access(Policies.Portal)]
    [Page(Right.Review)]
    public Task<IResult> Change([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "office/notices/{period}/{level}/{action}")] HttpRequest request,
        string period, string level, string action, CancellationToken ct) =>
        portal.PostAsync(request, ct, (http, user, form) => Review(async () =>
        {
            var p = PortalUnitFunctions.ParsePeriod(period);
            var l = Level(level);
            var actor = NoticePages.Actor(user);
            try
            {
                switch (action)
                {
                    case "final":
                        await pages.Service.MakeFinalAsync(p, l, actor, ct);
                        return PortalHttp.Done(NoticeUrls.Notice(p, l), "final");
                    case "withdraw":
                        var current = await pages.Service.GetNoticeAsync(p, l, ct) ?? throw PortalException.NotFound($"{p} {l.ToChinese()}级还没有发布");
                        await pages.Service.WithdrawPublicationAsync(current.RunId, actor, form["reason"].ToString(), ct);
                        return PortalHttp.Done(NoticeUrls.Notice(p, l), "unpublished");
                    default:
                        throw PortalException.NotFound($"没有操作 {action}");
                }
            }
            catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.Invalid or StoreError.Concurrency)
            {
                return await portal.PageAsync<NoticePage>(http, await pages.NoticeAsync(user, portal.Frame(http, user, e.Message), p, l, ct), StoreStatus.Of(e.Error));
            }
        }));

    /// <summary>
    /// <c>POST /units/{code}/scorecards/{period}/reviews</c>: the unit files a review request on its published result (multipart:
    /// <c>target</c> as <c>kind:id</c>, <c>reason</c>, <c>files</c>); back to its scorecard with a notice. Only the unit itself
    /// (the office and a parent county are refused: a request is a unit's own).
    /// </summary>
    [Function("PortalReviewFile")]
    [Access(Policies.Portal)]
    [Page(Right.Review)]
    public Task<IResult> File([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "units/{code}/scorecards/{period}/reviews")] HttpRequest request,
        string code, string period, CancellationToken ct)
    {
        // Up to ten files of 20 MiB: the form's own bounds (read only once the visitor is let in).
        EvidenceForm.Allow(request);
        return portal.PostAsync(request, ct, (http, user, form) => Review(async () =>
        {
            var p = PortalUnitFunctions.ParsePeriod(period);
            var actor = NoticePages.Actor(user);
            if (actor.IsOffice || actor.Unit != code) throw new ReviewRefusedException("复核申请由单位就本单位的结果提出");
            var target = form["target"].ToString();
            var colon = target.IndexOf(':', StringComparison.Ordinal);
            var kind = colon > 0 ? ReviewWords.TargetKindOf(target[..colon]) : null;
            if (kind is null) throw new PortalException(StatusCodes.Status422UnprocessableEntity, "请选择要复核的指标、加减分项或否决项");
            // The result the unit saw is its period's current publication (of its level: the one its scorecard shows).
            var run = await CurrentRunAsync(code, p, ct);
            var files = await EvidenceForm.FilesAsync(form, ct);
            await pages.Service.FileAsync(run, actor, kind.Value, target[(colon + 1)..], form["reason"].ToString(), files, ct);
            return PortalHttp.Done(p.IsMonth ? PortalUrls.Unit(code) : PortalUrls.Scorecard(code, p), "filed");
        }));
    }

    /// <summary>
    /// <c>POST /reviews/{id}/{action}</c>: <c>answer</c> (the office: <c>decision</c> upheld or corrected, <c>reason</c>) back
    /// to the notice page; <c>withdraw</c> (the request's unit) back to its scorecard.
    /// </summary>
    [Function("PortalReviewChange")]
    [Access(Policies.Portal)]
    [Page(Right.Review)]
    public Task<IResult> Request([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reviews/{id}/{action}")] HttpRequest request,
        string id, string action, CancellationToken ct) =>
        portal.PostAsync(request, ct, (http, user, form) => Review(async () =>
        {
            var actor = NoticePages.Actor(user);
            switch (action)
            {
                case "answer":
                    var decision = form["decision"].ToString();
                    if (decision is not ("upheld" or "corrected")) throw new PortalException(StatusCodes.Status422UnprocessableEntity, "请选择答复：维持或更正");
                    var answered = await pages.Service.AnswerAsync(id, actor, decision == "corrected", form["reason"].ToString(), ct);
                    return PortalHttp.Done(NoticeUrls.Notice(answered.Period, answered.Level), "answered");
                case "withdraw":
                    var withdrawn = await pages.Service.WithdrawAsync(id, actor, form["reason"].ToString(), ct);
                    return PortalHttp.Done(withdrawn.Period.IsMonth ? PortalUrls.Unit(withdrawn.Unit) : PortalUrls.Scorecard(withdrawn.Unit, withdrawn.Period), "withdrawn");
                default:
                    throw PortalException.NotFound($"没有操作 {action}");
            }
        }));

    /// <summary><c>GET /reviews/{id}/files/{sha256}</c>: a request's evidence file, as a download (the office, the request's unit).</summary>
    [Function("PortalReviewEvidence")]
    [Access(Policies.Portal)]
    [Page(Right.Review)]
    public Task<IResult> Evidence([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reviews/{id}/files/{sha256}")] HttpRequest request,
        string id, string sha256) =>
        ServeAsync(request, async (http, user) =>
        {
            var (file, content) = await pages.Service.OpenFileAsync(id, sha256, NoticePages.Actor(user), http.RequestAborted);
            var (type, extension) = file.Type switch
            {
                "pdf" => (Downloads.Pdf, "pdf"),
                "png" => ("image/png", "png"),
                "jpeg" => ("image/jpeg", "jpg"),
                "xlsx" => (Downloads.Xlsx, "xlsx"),
                _ => ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
            };
            http.Response.Headers["X-Content-Type-Options"] = "nosniff";
            return Downloads.File(http, content, file.Sha256, type, $"{id}-{file.Sha256[..12]}.{extension}", file.Name);
        });

    /// <summary>The run of the period's current publication that scored the unit (the one its scorecard page shows).</summary>
    private async Task<string> CurrentRunAsync(string code, Period period, CancellationToken ct)
    {
        foreach (var level in new[] { UnitLevel.County, UnitLevel.Town, UnitLevel.Village })
            if (await pages.Service.GetNoticeAsync(period, level, ct) is { } notice && await pages.HasUnitAsync(notice.RunId, code, ct))
                return notice.RunId;
        throw PortalException.NotFound($"{period} 还没有发布本单位的结果");
    }

    private PageFrame Frame(HttpContext http, PortalUser user) => portal.Frame(http, user, Notices);

    /// <summary>A page let in by <see cref="Right.Review"/>, built inside <see cref="Review"/>.</summary>
    private Task<IResult> ServeAsync(HttpRequest request, Func<HttpContext, PortalUser, Task<IResult>> page) =>
        portal.ServeAsync(request, (http, user) => Review(() => page(http, user)));

    /// <summary>The flow's refusals as the portal's: a refused actor the 403 page; a bad file the error page listing it.</summary>
    private static Task<IResult> Review(Func<Task<IResult>> body) => PortalHttp.RefusalsOf<ReviewRefusedException>(body);

    private static UnitLevel Level(string text) =>
        UnitLevels.TryParse(text, out var level) ? level : throw PortalException.NotFound($"“{text}”不是层级（应为 county、town 或 village）");
}
