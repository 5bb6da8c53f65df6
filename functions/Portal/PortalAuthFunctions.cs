using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Portal.Pages;
using BaiQianWan.Assess.Portal.Rendering;
using BaiQianWan.Assess.Store;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>The portal's front door: <c>/</c>, sign-in and sign-out, changing a password, and the embedded CSS and script.</summary>
public sealed class PortalAuthFunctions(PortalHttp portal, IAccountStore accounts, TimeProvider clock, SignInThrottle throttle)
{
    /// <summary>
    /// <c>GET /</c>: the signed-in user's start page, or sign-in. The route is an optional parameter that only the empty
    /// path satisfies: the Functions host serves an empty route at the function's name (<c>/PortalHome</c>), not at the
    /// root, and with this one it matches <c>/</c> before its own home page would (docs/deploy.md).
    /// </summary>
    [Function("PortalHome")]
    [Access(Policies.Portal)]
    [Page]
    public async Task<IResult> Home([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{root:maxlength(0)?}")] HttpRequest request)
    {
        var user = await portal.UserAsync(request.HttpContext);
        return Results.Redirect(user is null ? PortalUrls.SignIn : PortalUrls.Home(user.Role, user.UnitCode));
    }

    /// <summary><c>GET /signin</c>.</summary>
    [Function("PortalSignInPage")]
    [Access(Policies.Portal)]
    [Page]
    public async Task<IResult> SignInPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signin")] HttpRequest request)
    {
        var http = request.HttpContext;
        if (await portal.UserAsync(http) is { } user) return Results.Redirect(PortalUrls.Home(user.Role, user.UnitCode));
        var alert = portal.Keys.Sessions is null ? "本站点通过统一身份认证登录，不使用密码" : null;
        return await portal.PageAsync<SignInPage>(http, new SignInPageModel(portal.Frame(http, null, alert) with { Title = "登录" }, null,
            PortalHttp.LocalOr(request.Query["returnUrl"], "") is { Length: > 0 } back ? back : null));
    }

    /// <summary>
    /// <c>POST /signin</c>: name and password; on success the session cookie and a redirect. Every refusal is the same 401
    /// page; over the throttle's limits (per name, per client address) a 429 with <c>Retry-After</c>.
    /// </summary>
    [Function("PortalSignIn")]
    [Access(Policies.Portal)]
    [Page]
    public async Task<IResult> SignIn([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signin")] HttpRequest request, CancellationToken ct)
    {
        var http = request.HttpContext;
        var (form, bad) = await portal.FormAsync(http, null, ct);
        if (form is null) return bad!;
        if (!portal.FormIsGenuine(http, null, form)) return await portal.ForgedAsync(http, null);
        if (portal.Keys.Sessions is not { } sessions) return await portal.ErrorAsync(http, null, new PortalException(400, "本站点不使用密码登录"));
        var service = new SignInService(accounts, sessions, clock, throttle);
        var name = form["name"].ToString();
        var result = await service.SignInAsync(name, form["password"].ToString(), ClientAddress.Of(http), ct);
        var back = PortalHttp.LocalOr(form["returnUrl"], "");
        if (!result.Succeeded)
        {
            var status = StatusCodes.Status401Unauthorized;
            if (result is { Outcome: SignInOutcome.Throttled, RetryAfter: { } wait })
            {
                status = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return await portal.PageAsync<SignInPage>(http, new SignInPageModel(portal.Frame(http, null, result.Message) with { Title = "登录" }, name,
                back.Length > 0 ? back : null), status);
        }
        portal.StartSession(http, result.Token!, clock.GetUtcNow() + sessions.Options.Lifetime);
        var user = result.User!;
        return Results.Redirect(result.MustChangePassword ? PortalUrls.Password : back.Length > 0 ? back : PortalUrls.Home(user.Role, user.UnitCode));
    }

    /// <summary><c>POST /signout</c>: ends every session of the account (a copied cookie too) and removes the cookie.</summary>
    [Function("PortalSignOut")]
    [Access(Policies.Portal)]
    [Page]
    public async Task<IResult> SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signout")] HttpRequest request, CancellationToken ct)
    {
        var http = request.HttpContext;
        var user = await portal.UserAsync(http);
        var (form, bad) = await portal.FormAsync(http, user, ct);
        if (form is null) return bad!;
        if (!portal.FormIsGenuine(http, user, form)) return await portal.ForgedAsync(http, user);
        await portal.EndSessionAsync(http, ct);
        return Results.Redirect(PortalUrls.SignIn);
    }

    /// <summary><c>GET /password</c>.</summary>
    [Function("PortalPasswordPage")]
    [Access(Policies.Portal)]
    [Page]
    public async Task<IResult> PasswordPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "password")] HttpRequest request)
    {
        var http = request.HttpContext;
        var user = await portal.UserAsync(http);
        if (user is null) return Results.Redirect(PortalUrls.SignIn);
        if (NoPassword(http) is { } refusal) return await portal.ErrorAsync(http, user, refusal);
        var required = (await accounts.GetAsync(user.Name, http.RequestAborted))?.MustChangePassword ?? false;
        return await portal.PageAsync<PasswordPage>(http, new PasswordPageModel(portal.Frame(http, user) with { Title = "修改密码" }, required));
    }

    /// <summary>
    /// <c>POST /password</c>: current and new password. The new password ends every session of the account (a cookie copied
    /// elsewhere no longer works); the browser that changed it gets a new session.
    /// </summary>
    [Function("PortalPassword")]
    [Access(Policies.Portal)]
    [Page]
    public async Task<IResult> Password([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "password")] HttpRequest request, CancellationToken ct)
    {
        var http = request.HttpContext;
        var user = await portal.UserAsync(http);
        if (user is null) return Results.Redirect(PortalUrls.SignIn);
        if (NoPassword(http) is { } refusal) return await portal.ErrorAsync(http, user, refusal);
        var (form, bad) = await portal.FormAsync(http, user, ct);
        if (form is null) return bad!;
        if (!portal.FormIsGenuine(http, user, form)) return await portal.ForgedAsync(http, user);
        var service = new SignInService(accounts, portal.Keys.Sessions ?? throw new InvalidOperationException("no sessions"), clock);
        var problem = await service.ChangePasswordAsync(user.Name, form["current"].ToString(), form["replacement"].ToString(), ct);
        if (problem is not null)
        {
            var required = (await accounts.GetAsync(user.Name, ct))?.MustChangePassword ?? false;
            return await portal.PageAsync<PasswordPage>(http, new PasswordPageModel(portal.Frame(http, user, problem) with { Title = "修改密码" }, required),
                StatusCodes.Status422UnprocessableEntity);
        }
        if (Caller.Of(http) is { Kind: CallerKind.Session } && portal.Keys.Sessions is { } sessions && await accounts.GetAsync(user.Name, ct) is { } account)
        {
            var now = clock.GetUtcNow();
            portal.StartSession(http, sessions.Issue(PortalUser.Of(account), account.SessionEpoch, now), now + sessions.Options.Lifetime);
        }
        return Results.Redirect(PortalUrls.Home(user.Role, user.UnitCode) + "?done=password");
    }

    /// <summary>
    /// A password belongs to a caller signed in with one (a session): a bearer token or Easy Auth has none, even when an
    /// account shares its name (the caller is the credential's, never the account's of that name).
    /// </summary>
    private static PortalException? NoPassword(HttpContext http) =>
        Caller.Of(http) is { Kind: CallerKind.Session } ? null : new PortalException(StatusCodes.Status403Forbidden, "只有用密码登录的账户可以修改密码");

    /// <summary><c>GET /assets/{name}</c>: the embedded stylesheet and script, cached for a year (their URLs carry their hash).</summary>
    [Function("PortalAsset")]
    [Access(Policies.Anonymous)]
    public Task<IResult> Asset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{name}")] HttpRequest request, string name)
    {
        if (PortalAssets.Get(name) is not { } asset) return Task.FromResult(Results.NotFound());
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Task.FromResult(Results.Bytes(asset.Content, asset.ContentType, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue(asset.ETag)));
    }
}
