using System.Security.Claims;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Portal.Rendering;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using Microsoft.AspNetCore.Components;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>
/// What every page function does around its view model: who the visitor is (the request's one <see cref="Caller"/>, built
/// by the gate from the session cookie, bearer token or Easy Auth), the antiforgery token of its forms,
/// redirects to sign in or to change a one-time password, and the HTML answer with the portal's CSP.
/// </summary>
public sealed class PortalHttp(PortalKeys keys, IAccountStore accounts, PageRenderer renderer, StoreRefusals refusals, ILogger<PortalHttp> log)
{
    /// <summary>Messages shown after a redirect, by code (a code in the address, never text, so a link cannot put words on a page).</summary>
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["units"] = "单位名单已导入",
        ["observations"] = "指标数据已导入",
        ["same"] = "这个文件之前已导入过，未作改动",
        ["published"] = "已发布：各单位现在可以看到本期结果",
        ["filed"] = "已提交复核申请，等待考核办答复",
        ["withdrawn"] = "已撤回复核申请",
        ["noticed"] = "已公示：各单位现在可以看到本期结果，并可在公示期内申请复核",
        ["activated"] = "已启用该版本",
        ["deactivated"] = "已停用该规则集",
        ["saved"] = "已保存为新版本",
        ["password"] = "密码已更新",
        ["enabled"] = "账户已启用",
        ["disabled"] = "账户已停用",
    };

    /// <summary>The session keys.</summary>
    public PortalKeys Keys => keys;

    /// <summary>
    /// The signed-in user, or null: the request's one <see cref="Caller"/>, as the gate built it (a session only while its
    /// account is enabled and still holds it; a token or Easy Auth with the role its claims give).
    /// </summary>
    public Task<PortalUser?> UserAsync(HttpContext http) => Task.FromResult(Caller.Of(http)?.User);

    /// <summary>
    /// The answer for a visitor who may not see <paramref name="page"/> (its declared right, <see cref="AccessPolicy.Has"/>,
    /// the API's rule too), or null to let them in; asked once per request by the gate (<see cref="FunctionGate"/>) before
    /// the page runs: a redirect to sign in, to change a one-time password, or the 403 page; for a page's script, a bare 401
    /// for nobody and 403 otherwise.
    /// </summary>
    public async Task<IResult?> RefusalAsync(HttpContext http, PageAttribute page)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Right is not { } right) return null;
        var caller = Caller.Of(http);
        var mustChange = caller?.Account is { MustChangePassword: true };
        if (page.Script)
            return caller?.User is null ? Results.StatusCode(StatusCodes.Status401Unauthorized)
                : mustChange || !AccessPolicy.Has(caller.User, right) ? Results.StatusCode(StatusCodes.Status403Forbidden) : null;
        if (caller?.User is not { } user) return SignInRedirect(http);
        if (mustChange) return Results.Redirect(PortalUrls.Password);
        if (!AccessPolicy.Has(user, right)) return await ErrorAsync(http, user, PortalException.Forbidden());
        return null;
    }

    /// <summary>The visitor of a page the gate let in for its declared right (<see cref="RefusalAsync"/>).</summary>
    private static PortalUser Admitted(HttpContext http) =>
        Caller.Of(http)?.User ?? throw new InvalidOperationException(
            $"Page {http.Request.Path} was not let in for a right: its function needs [Page(Right.…)].");

    /// <summary>The frame of a page for <paramref name="user"/>, with its antiforgery token and the message a redirect asked for.</summary>
    public PageFrame Frame(HttpContext http, PortalUser? user, string? alert = null)
    {
        var notice = http.Request.Query["done"].ToString() is { Length: > 0 } code && Notices.TryGetValue(code, out var text) ? text : null;
        return new PageFrame("", user, keys.Antiforgery.TokenFor(Binding(http, user)), "", notice, alert);
    }

    /// <summary>
    /// The frame of a page whose functions have redirect notices of their own (<paramref name="own"/>, by code): the portal's
    /// notice for the code first, else the page's own.
    /// </summary>
    public PageFrame Frame(HttpContext http, PortalUser? user, IReadOnlyDictionary<string, string> own)
    {
        ArgumentNullException.ThrowIfNull(own);
        var frame = Frame(http, user);
        return frame.Notice is null && http.Request.Query["done"].ToString() is { Length: > 0 } code && own.TryGetValue(code, out var text)
            ? frame with { Notice = text }
            : frame;
    }

    /// <summary>
    /// A flow's refusals as the portal's: <typeparamref name="TRefused"/> (the flow refusing the actor) the 403 page; rejected
    /// input (a note, a file) the error page listing its first 20 errors.
    /// </summary>
    public static async Task<IResult> RefusalsOf<TRefused>(Func<Task<IResult>> body) where TRefused : Exception
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (TRefused)
        {
            throw new PortalException(StatusCodes.Status403Forbidden, "您没有权限查看此页面或进行此操作");
        }
        catch (InputRejectedException e)
        {
            throw new PortalException(StatusCodes.Status422UnprocessableEntity,
                "未作处理：" + string.Join("；", e.Errors.Take(20).Select(x => x.File is "-" || x.Message.StartsWith(x.File, StringComparison.Ordinal) ? x.Message : $"{x.File}：{x.Message}")));
        }
    }

    /// <summary>True when a posted form carries the right antiforgery token for this visitor.</summary>
    public bool FormIsGenuine(HttpContext http, PortalUser? user, IFormCollection form) =>
        http.Request.Cookies[Antiforgery.CookieName] is { Length: > 0 } && keys.Antiforgery.IsValid(Binding(http, user), form[Antiforgery.FieldName].ToString());

    /// <summary>Renders a page with its model; HTML with the portal's CSP and no caching.</summary>
    public async Task<IResult> PageAsync<TPage>(HttpContext http, object model, int status = StatusCodes.Status200OK) where TPage : IComponent
    {
        var html = await renderer.RenderAsync<TPage>(model);
        foreach (var (name, value) in ContentSecurity.Headers) http.Response.Headers[name] = value;
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    /// <summary>The error page for a refusal (403 the same whether or not the thing exists, 404, 400).</summary>
    public Task<IResult> ErrorAsync(HttpContext http, PortalUser? user, PortalException e) =>
        PageAsync<ErrorPage>(http, new ErrorPageModel(Frame(http, user) with { Title = e.Status == 403 ? "无权访问" : "出错了" }, e.Status, e.Message), e.Status);

    /// <summary>
    /// Builds and renders a page; a refusal (<see cref="PortalException"/>), a store refusal, or a store that cannot be used
    /// (<see cref="StoreRefusals"/>: 503) becomes an error page.
    /// </summary>
    public async Task<IResult> GuardAsync(HttpContext http, PortalUser user, Func<Task<IResult>> page)
    {
        try
        {
            return await page();
        }
        catch (PortalException e)
        {
            return await ErrorAsync(http, user, e);
        }
        catch (StoreException e)
        {
            // The API's status for the same refusal (one mapping for both hosts).
            return await ErrorAsync(http, user, new PortalException(StoreStatus.Of(e.Error), e.Message));
        }
        catch (Exception e) when (refusals.Of(e) is { } refusal)
        {
            // A store that cannot be used (a damaged page this page read): the CLI's line, the API's 503.
            log.LogError("Page {Path}: {Refusal}", http.Request.Path, refusal.Message);
            return await ErrorAsync(http, user, new PortalException(StoreStatus.Of(refusal.Error), refusal.Message));
        }
    }

    /// <summary>
    /// A page the gate let in for the right its function declares (<see cref="PageAttribute"/>), built inside
    /// <see cref="GuardAsync"/>, so a refusal becomes the error page.
    /// </summary>
    public Task<IResult> ServeAsync(HttpRequest request, Func<HttpContext, PortalUser, Task<IResult>> page)
    {
        ArgumentNullException.ThrowIfNull(request);
        var http = request.HttpContext;
        var user = Admitted(http);
        return GuardAsync(http, user, () => page(http, user));
    }

    /// <summary>
    /// A posted form the gate let in for the right its function declares (<see cref="PageAttribute"/>): the form is read and
    /// its antiforgery token checked (a 400 page without it), then it is handled inside <see cref="GuardAsync"/>. <paramref name="valueLimit"/> raises the
    /// bound of one field's length for a form that brings a file back in a field (<see cref="UploadStages"/>).
    /// </summary>
    public async Task<IResult> PostAsync(HttpRequest request, CancellationToken cancellationToken,
        Func<HttpContext, PortalUser, IFormCollection, Task<IResult>> handle, int? valueLimit = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var http = request.HttpContext;
        var user = Admitted(http);
        if (valueLimit is { } limit && request.HasFormContentType)
            http.Features.Set<Microsoft.AspNetCore.Http.Features.IFormFeature>(new Microsoft.AspNetCore.Http.Features.FormFeature(request,
                new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = limit + 1024, MultipartBodyLengthLimit = BodyReader.ImportLimit }));
        var (form, bad) = await this.FormAsync(http, user, cancellationToken);
        if (form is null) return bad!;
        if (!FormIsGenuine(http, user, form)) return await ForgedAsync(http, user);
        return await GuardAsync(http, user!, () => handle(http, user!, form));
    }

    /// <summary>A redirect to <paramref name="url"/> that shows a notice (a code of <see cref="Notices"/>) there.</summary>
    public static IResult Done(string url, string notice, params (string Name, string Value)[] query) =>
        Results.Redirect($"{url}?done={notice}" + string.Concat(query.Select(q => $"&{q.Name}={Uri.EscapeDataString(q.Value)}")));

    /// <summary>A 400 page for a form without a genuine antiforgery token.</summary>
    public Task<IResult> ForgedAsync(HttpContext http, PortalUser? user) =>
        ErrorAsync(http, user, new PortalException(StatusCodes.Status400BadRequest, "表单已过期或来源不明，请返回重新提交"));

    /// <summary>Sets the session cookie for a freshly issued token (Secure when the request came over https, directly or through a trusted proxy).</summary>
    public void StartSession(HttpContext http, string token, DateTimeOffset expires) =>
        http.Response.Headers.Append("Set-Cookie", SessionCookie.Format(SessionCookie.Name, token, expires, http.Request.IsHttps));

    /// <summary>
    /// Signs out: every session of the signed-in account ends (the cookie copied elsewhere with it), and the cookie is removed.
    /// </summary>
    public async Task EndSessionAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (Caller.Of(http) is { Kind: CallerKind.Session, Account: { } account }) await accounts.EndSessionsAsync(account.Name, cancellationToken);
        http.Response.Headers.Append("Set-Cookie", SessionCookie.Clear(SessionCookie.Name, http.Request.IsHttps));
    }

    /// <summary>
    /// Where sign-in sends a visitor back to: a path on this site only. Refused (the fallback): anything not starting with
    /// one <c>/</c>, a second <c>/</c> or <c>\</c> after it, a scheme, any backslash, and any control character or space
    /// (browsers drop tabs and newlines, so <c>/\t/evil.example</c> would be read as <c>//evil.example</c>, another host,
    /// and a newline cannot be put in a <c>Location</c> header).
    /// </summary>
    public static string LocalOr(string? url, string fallback) =>
        url is { Length: > 1 } u && u[0] == '/' && u[1] != '/' && !u.Contains('\\') && !u.Contains("://", StringComparison.Ordinal)
            && !u.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) ? u : fallback;

    private IResult SignInRedirect(HttpContext http)
    {
        var back = http.Request.Path + http.Request.QueryString;
        return Results.Redirect(back == "/" ? PortalUrls.SignIn : $"{PortalUrls.SignIn}?returnUrl={Uri.EscapeDataString(back)}");
    }

    /// <summary>
    /// Forms are bound to a random value in an HttpOnly, SameSite=Strict cookie of their own (set on the first page) and to
    /// the user's name, so a token from another visitor or from before signing in does not pass.
    /// </summary>
    private static string Binding(HttpContext http, PortalUser? user)
    {
        var binding = http.Request.Cookies[Antiforgery.CookieName];
        if (string.IsNullOrEmpty(binding))
        {
            binding = (string?)http.Items[Antiforgery.CookieName];
            if (binding is null)
            {
                binding = Antiforgery.NewBinding();
                http.Items[Antiforgery.CookieName] = binding;
                http.Response.Headers.Append("Set-Cookie", SessionCookie.Format(Antiforgery.CookieName, binding, null, http.Request.IsHttps));
            }
        }
        return binding + "|" + (user?.Name ?? "");
    }
}
