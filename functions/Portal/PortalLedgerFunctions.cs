using System.Globalization;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Rules.Ledger;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>
/// The ledger's pages (任务台账): the office's board and verification queue, each task's page with its history and files,
/// a unit's task list with its forms, and every change of the ledger contract as a posted form. Thin adapters over
/// <see cref="LedgerPages"/> and <see cref="LedgerService"/>: the visitor is let in by <see cref="Right.Ledger"/> once per
/// request, and the ledger decides from <see cref="AccessPolicy.LedgerActorOf"/> what they may see and do. A refusal is the
/// 403 page, a change the task's state does not allow (or a concurrent one) the error page with the ledger's reason.
/// </summary>
public sealed class PortalLedgerFunctions(PortalHttp portal, LedgerPages pages)
{

    /// <summary>Messages after a change, by the change's word (shown on the page the change redirects to).</summary>
    internal static readonly IReadOnlyDictionary<string, string> Notices = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["submit"] = "已提交销号申请，等待考核办核验",
        ["close"] = "已核验通过，任务已销号",
        ["return"] = "已退回，任务回到推进中",
        ["extend"] = "已提交延期申请，等待考核办决定",
        ["approve"] = "已批准延期",
        ["refuse"] = "已不批准延期",
        ["reopen"] = "已重新挂账",
        ["cancel"] = "已中止",
        ["resume"] = "已恢复",
        ["deadline"] = "已调整完成时限",
    };

    /// <summary><c>GET /office/ledger?year=&amp;unit=&amp;stage=&amp;leader=&amp;state=&amp;light=&amp;page=</c>: the office's board.</summary>
    [Function("PortalLedgerBoard")]
    [Access(Policies.Portal)]
    [Page(Right.Ledger)]
    public Task<IResult> Board([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/ledger")] HttpRequest request) =>
        ServeAsync(request, async (http, user) =>
        {
            var q = request.Query;
            var filter = new LedgerFilter(q["unit"].ToString(), q["stage"].ToString(), q["leader"].ToString(), q["state"].ToString(), q["light"].ToString());
            var page = int.TryParse(q["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1;
            return await portal.PageAsync<LedgerBoardPage>(http, await pages.BoardAsync(user, Frame(http, user), Year(q["year"]), filter, page, http.RequestAborted));
        });

    /// <summary><c>GET /office/ledger/queue?year=</c>: submissions to verify and extension requests to decide.</summary>
    [Function("PortalLedgerQueue")]
    [Access(Policies.Portal)]
    [Page(Right.Ledger)]
    public Task<IResult> Queue([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "office/ledger/queue")] HttpRequest request) =>
        ServeAsync(request, async (http, user) =>
            await portal.PageAsync<LedgerQueuePage>(http, await pages.QueueAsync(user, Frame(http, user), Year(request.Query["year"]), http.RequestAborted)));

    /// <summary><c>GET /ledger/{year}/tasks/{id}</c>: a task and its history (the office, its unit, that unit's parent).</summary>
    [Function("PortalLedgerTask")]
    [Access(Policies.Portal)]
    [Page(Right.Ledger)]
    public Task<IResult> Task([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ledger/{year}/tasks/{id}")] HttpRequest request, string year, string id) =>
        ServeAsync(request, async (http, user) =>
            await portal.PageAsync<LedgerTaskPage>(http, await pages.TaskAsync(user, Frame(http, user), RouteYear(year), id, http.RequestAborted)));

    /// <summary><c>GET /ledger/{year}/tasks/{id}/files/{sha256}</c>: an evidence file, as a download.</summary>
    [Function("PortalLedgerFile")]
    [Access(Policies.Portal)]
    [Page(Right.Ledger)]
    public Task<IResult> File([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ledger/{year}/tasks/{id}/files/{sha256}")] HttpRequest request,
        string year, string id, string sha256) =>
        ServeAsync(request, async (http, user) =>
        {
            var (file, content) = await pages.Service.FileAsync(RouteYear(year), id, sha256, LedgerPages.Actor(user), http.RequestAborted);
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

    /// <summary><c>GET /units/{code}/ledger?year=</c>: a unit's tasks with its forms (the office and the unit itself).</summary>
    [Function("PortalLedgerUnit")]
    [Access(Policies.Portal)]
    [Page(Right.Ledger)]
    public Task<IResult> Unit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "units/{code}/ledger")] HttpRequest request, string code) =>
        ServeAsync(request, async (http, user) =>
            await portal.PageAsync<LedgerUnitPage>(http, await pages.UnitAsync(user, Frame(http, user), code, Year(request.Query["year"]), http.RequestAborted)));

    /// <summary>
    /// <c>POST /ledger/{year}/tasks/{id}/{change}</c>: a change of the ledger contract (<c>submit</c> as multipart with
    /// <c>note</c> and <c>files</c>; <c>close</c> with an optional <c>note</c>; <c>return</c>, <c>cancel</c>, <c>resume</c>
    /// with <c>reason</c>; <c>extend</c> and <c>deadline</c> with <c>reason</c> and <c>date</c>; <c>reopen</c> with
    /// <c>reason</c> and an optional <c>date</c>; <c>approve</c>, <c>refuse</c> with an optional <c>reason</c>). Done: back to
    /// the page the form was on, with a notice.
    /// </summary>
    [Function("PortalLedgerChange")]
    [Access(Policies.Portal)]
    [Page(Right.Ledger)]
    public Task<IResult> Change([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ledger/{year}/tasks/{id}/{change}")] HttpRequest request,
        string year, string id, string change, CancellationToken ct)
    {
        if (change == "submit")
        {
            // A submission carries up to ten files of 20 MiB: its own bounds (read only once the visitor is let in).
            EvidenceForm.Allow(request);
        }
        return portal.PostAsync(request, ct, (http, user, form) => Ledger(async () =>
        {
            if (!LedgerChanges.TryParse(change, out var kind) || !kind.IsStateChange()) throw PortalException.NotFound($"没有这种变更：{change}");
            var y = RouteYear(year);
            var actor = LedgerPages.Actor(user);
            var s = pages.Service;
            string Field(string name) => form[name].ToString();
            string? Optional(string name) => Field(name).Trim() is { Length: > 0 } v ? v : null;
            switch (kind)
            {
                case LedgerChange.Submit:
                    var files = await EvidenceForm.FilesAsync(form, ct);
                    await s.SubmitAsync(y, id, actor, Field("note"), files, ct);
                    break;
                case LedgerChange.Close: await s.CloseAsync(y, id, actor, Optional("note"), ct); break;
                case LedgerChange.Return: await s.ReturnAsync(y, id, actor, Field("reason"), ct); break;
                case LedgerChange.Extend: await s.ExtendAsync(y, id, actor, Field("reason"), Date(Field("date"), "申请的完成时限") ?? throw NoDate("申请的完成时限"), ct); break;
                case LedgerChange.Approve: await s.DecideAsync(y, id, actor, approve: true, Optional("reason"), ct); break;
                case LedgerChange.Refuse: await s.DecideAsync(y, id, actor, approve: false, Optional("reason"), ct); break;
                case LedgerChange.Reopen: await s.ReopenAsync(y, id, actor, Field("reason"), Date(Field("date"), "新的完成时限"), ct); break;
                case LedgerChange.Cancel: await s.CancelAsync(y, id, actor, Field("reason"), ct); break;
                case LedgerChange.Resume: await s.ResumeAsync(y, id, actor, Field("reason"), ct); break;
                default: await s.SetDeadlineAsync(y, id, actor, Field("reason"), Date(Field("date"), "新的完成时限") ?? throw NoDate("新的完成时限"), ct); break;
            }
            var back = Field("back") == "queue" && actor.IsOffice ? LedgerUrls.Queue : LedgerUrls.Task(y, id);
            return Results.Redirect($"{back}{(back.Contains('?', StringComparison.Ordinal) ? "&" : "?")}done={kind.ToWord()}");
        }));
    }

    private PageFrame Frame(HttpContext http, PortalUser user) => portal.Frame(http, user, Notices);

    /// <summary>A ledger page: the visitor let in by <see cref="Right.Ledger"/>, the page built inside <see cref="Ledger"/>.</summary>
    private Task<IResult> ServeAsync(HttpRequest request, Func<HttpContext, PortalUser, Task<IResult>> page) =>
        portal.ServeAsync(request, (http, user) => Ledger(() => page(http, user)));

    /// <summary>The ledger's refusals as the portal's: a refused actor the 403 page; bad input (a note, a file) the error page listing it.</summary>
    private static Task<IResult> Ledger(Func<Task<IResult>> body) => PortalHttp.RefusalsOf<LedgerRefusedException>(body);

    private static int? Year(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1900 and <= 9999 ? y
        : throw PortalException.NotFound($"“{text}”不是年度（应为四位数字）");

    private static int RouteYear(string text) => Year(text) ?? throw PortalException.NotFound("缺少年度");

    private static DateOnly? Date(string text, string what) =>
        text.Trim() is not { Length: > 0 } t ? null
        : DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw new PortalException(StatusCodes.Status422UnprocessableEntity, $"{what}应为“年-月-日”格式的日期（如 2025-06-30），这里是“{t}”");

    private static PortalException NoDate(string what) => new(StatusCodes.Status422UnprocessableEntity, $"请填写{what}");
}
