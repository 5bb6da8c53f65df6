using System.Security.Claims;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Portal.Rendering;
using BaiQianWan.Assess.Store;
using Microsoft.AspNetCore.Components;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>
/// What every page function does around its view model: who the visitor is (session cookie, bearer token or Easy Auth,
/// as the gate authenticated it, checked against the account on every request), the antiforgery token of its forms,
/// redirects to sign in or to change a one-time password, and the HTML answer with the portal's CSP.
/// </summary>
public sealed class PortalHttp(PortalKeys keys, IAccountStore accounts, PageRenderer renderer, TimeProvider clock)
{
    /// <summary>Messages shown after a redirect, by code (a code in the address, never text, so a link cannot put words on a page).</summary>
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["units"] = "单位名单已导入",
        ["observations"] = "指标数据已导入",
        ["same"] = "这个文件之前已导入过，未作改动",
        ["published"] = "已发布：各单位现在可以看到本期结果",
        ["activated"] = "已启用该版本",
        ["deactivated"] = "已停用该规则集",
        ["saved"] = "已保存为新版本",
        ["password"] = "密码已更新",
        ["enabled"] = "账户已启用",
        ["disabled"] = "账户已停用",
    };

    /// <summary>The session keys.</summary>
    public PortalKeys Keys => keys;

    /// <summary>The signed-in user, or null. A disabled or deleted account is nobody, even with a valid token.</summary>
    public async Task<PortalUser?> UserAsync(HttpContext http) => (await VisitorAsync(http)).User;

    /// <summary>
    /// The user if they may see a page for <paramref name="roles"/> (any role when empty); otherwise the answer to give:
    /// a redirect to sign in, to change a one-time password, or a 403 page.
    /// </summary>
    public async Task<(PortalUser? User, IResult? Stop)> RequireAsync(HttpContext http, params AccountRole[] roles)
    {
        var (user, account) = await VisitorAsync(http);
        if (user is null) return (null, SignInRedirect(http));
        if (account is { MustChangePassword: true }) return (null, Results.Redirect(PortalUrls.Password));
        if (roles.Length > 0 && !roles.Contains(user.Role)) return (null, await ErrorAsync(http, user, PortalException.Forbidden()));
        return (user, null);
    }

    /// <summary>The visitor and their account (null for a machine token without one), read once per request.</summary>
    private async Task<(PortalUser? User, Account? Account)> VisitorAsync(HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(PortalHttp), out var known) && known is ValueTuple<PortalUser?, Account?> cached) return cached;
        var visitor = await ResolveAsync(http);
        http.Items[typeof(PortalHttp)] = visitor;
        return visitor;
    }

    private async Task<(PortalUser? User, Account? Account)> ResolveAsync(HttpContext http)
    {
        var principal = http.User;
        if (principal.Identity?.IsAuthenticated != true) return (null, null);
        var sub = principal.FindFirstValue(Roles.SubjectClaim) ?? "";
        if (principal.Identity.AuthenticationType == "EasyAuth")
        {
            // App Service authenticated the person: their name is the account's (no password asked).
            var name = sub.StartsWith("easyauth:", StringComparison.Ordinal) ? sub["easyauth:".Length..] : sub;
            var byName = await accounts.GetAsync(name, http.RequestAborted);
            if (byName is { Enabled: true }) return (PortalUser.Of(byName), byName with { MustChangePassword = false }); // no password in play
            return (PortalUser.FromClaims(principal), null);
        }
        var user = PortalUser.FromClaims(principal);
        if (user is null) return (null, null);
        var account = await accounts.GetAsync(user.Name, http.RequestAborted);
        if (account is null) return (http.Request.Cookies.ContainsKey(SessionCookie.Name) && !HasBearer(http) ? null : user, null); // cli tokens have no account
        if (!account.Enabled) return (null, null);
        var current = PortalUser.Of(account);
        RenewIfOld(http, principal, current);
        return (current, account);
    }

    /// <summary>The frame of a page for <paramref name="user"/>, with its antiforgery token and the message a redirect asked for.</summary>
    public PageFrame Frame(HttpContext http, PortalUser? user, string? alert = null)
    {
        var notice = http.Request.Query["done"].ToString() is { Length: > 0 } code && Notices.TryGetValue(code, out var text) ? text : null;
        return new PageFrame("", user, keys.Antiforgery.TokenFor(Binding(http, user)), "", notice, alert);
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

    /// <summary>Builds and renders a page; a refusal (<see cref="PortalException"/>) or a store refusal becomes an error page.</summary>
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
            return await ErrorAsync(http, user, new PortalException(e.Error == StoreError.NotFound ? 404 : 409, e.Message));
        }
    }

    /// <summary>
    /// A page for <paramref name="roles"/> (any role when empty): the visitor is checked (<see cref="RequireAsync"/>), then
    /// the page is built inside <see cref="GuardAsync"/>, so a refusal becomes the error page.
    /// </summary>
    public async Task<IResult> ServeAsync(HttpRequest request, Func<HttpContext, PortalUser, Task<IResult>> page, params AccountRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(request);
        var http = request.HttpContext;
        var (user, stop) = await RequireAsync(http, roles);
        if (stop is not null) return stop;
        return await GuardAsync(http, user!, () => page(http, user!));
    }

    /// <summary>
    /// A posted form for <paramref name="roles"/>: the visitor is checked, the form read and its antiforgery token checked
    /// (a 400 page without it), then it is handled inside <see cref="GuardAsync"/>.
    /// </summary>
    public async Task<IResult> PostAsync(HttpRequest request, CancellationToken cancellationToken,
        Func<HttpContext, PortalUser, IFormCollection, Task<IResult>> handle, params AccountRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(request);
        var http = request.HttpContext;
        var (user, stop) = await RequireAsync(http, roles);
        if (stop is not null) return stop;
        var (form, bad) = await this.FormAsync(http, user, cancellationToken);
        if (form is null) return bad!;
        if (!FormIsGenuine(http, user, form)) return await ForgedAsync(http, user);
        return await GuardAsync(http, user!, () => handle(http, user!, form));
    }

    /// <summary>A redirect to <paramref name="url"/> that shows a notice (a code of <see cref="Notices"/>) there.</summary>
    public static IResult Done(string url, string notice) => Results.Redirect($"{url}?done={notice}");

    /// <summary>A 400 page for a form without a genuine antiforgery token.</summary>
    public Task<IResult> ForgedAsync(HttpContext http, PortalUser? user) =>
        ErrorAsync(http, user, new PortalException(StatusCodes.Status400BadRequest, "表单已过期或来源不明，请返回重新提交"));

    /// <summary>Sets the session cookie for a freshly issued token.</summary>
    public void StartSession(HttpContext http, string token, DateTimeOffset expires) =>
        http.Response.Headers.Append("Set-Cookie", SessionCookie.Format(SessionCookie.Name, token, expires, http.Request.IsHttps));

    /// <summary>Removes the session cookie.</summary>
    public void EndSession(HttpContext http) => http.Response.Headers.Append("Set-Cookie", SessionCookie.Clear(SessionCookie.Name, http.Request.IsHttps));

    /// <summary>Where sign-in sends a visitor back to: a local path only (never another site).</summary>
    public static string LocalOr(string? url, string fallback) =>
        url is { Length: > 1 } u && u[0] == '/' && u[1] != '/' && u[1] != '\\' && !u.Contains("://", StringComparison.Ordinal) ? u : fallback;

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

    private static bool HasBearer(HttpContext http) => http.Request.Headers.Authorization.Count > 0;

    private void RenewIfOld(HttpContext http, ClaimsPrincipal principal, PortalUser user)
    {
        // An active session is renewed when less than half of it is left, so it ends an hour after the last page, not the first.
        if (keys.Sessions is not { } sessions || HasBearer(http) || !http.Request.Cookies.ContainsKey(SessionCookie.Name)) return;
        if (!long.TryParse(principal.FindFirstValue("exp"), out var exp)) return;
        var now = clock.GetUtcNow();
        if (DateTimeOffset.FromUnixTimeSeconds(exp) - now > sessions.Options.Lifetime / 2) return;
        StartSession(http, sessions.Issue(user, now), now + sessions.Options.Lifetime);
    }
}
