using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// The one place an HTTP function is let in and its failures are answered, used by the worker middleware
/// (<see cref="Hosting.AuthorizationMiddleware"/>) and the standalone pipeline alike: the scheme a trusted proxy forwarded,
/// security headers, the request's one <see cref="Caller"/> (built here, read by the API and the portal), the renewal of
/// its session, the function's policy (401 without a valid caller, 403 without the right, both as problem details), a
/// portal page's declared right (<see cref="PageAttribute"/>, read once here: sign in, change the password, or the 403 page), the
/// cross-site checks of a cookie-authenticated API change, then the function, whose refusals become problem details and
/// whose faults a logged 500. A store that cannot be used (a damaged page read by this request) is the store's one-line
/// refusal, as the CLI prints it (<see cref="StoreRefusals"/>): a logged 503.
/// </summary>
public sealed class FunctionGate(CallerAuthenticator callers, TrustedProxies proxies, TimeProvider clock, StoreRefusals refusals, IServiceProvider services,
    ILogger<FunctionGate> log)
{
    /// <summary>The 415 a cookie-authenticated API change without a JSON body gets.</summary>
    public const string JsonRequired = "用会话 Cookie 调用修改数据的接口时，请求的 Content-Type 必须是 application/json";

    /// <summary>The 403 a cookie-authenticated API change from another origin gets.</summary>
    public const string ForeignOrigin = "来自其他站点的请求不能使用会话 Cookie";

    /// <summary>Runs <paramref name="function"/> for the request if <paramref name="policy"/> lets the caller in.</summary>
    /// <param name="http">The exchange.</param>
    /// <param name="functionName">For the log.</param>
    /// <param name="policy">A <see cref="Policies"/> name.</param>
    /// <param name="function">Runs the function (and, standalone, writes its result).</param>
    public async Task RunAsync(HttpContext http, string functionName, string policy, Func<Task> function)
    {
        proxies.Apply(http);
        var authenticated = policy != Policies.Anonymous;
        SecurityHeaders.Apply(http, authenticated);
        try
        {
            // Inside the try: a store that cannot be read while checking a session is a logged 500 as problem details,
            // like any other fault, never an answer the framework writes.
            if (authenticated && !await LetInAsync(http, functionName, policy)) return;
            await function();
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
        }
        catch (Exception e)
        {
            var refusal = refusals.Of(e);
            if (refusal is not null) log.LogError("Function {Function} on {Method} {Path}: {Refusal}", functionName, http.Request.Method, http.Request.Path, refusal.Message);
            var problem = Problems.From(refusal ?? e);
            if (problem is null)
            {
                log.LogError(e, "Function {Function} failed on {Method} {Path}", functionName, http.Request.Method, http.Request.Path);
                problem = Problems.Fault();
            }
            if (http.Response.HasStarted) throw;
            http.Response.Clear();
            SecurityHeaders.Apply(http, authenticated);
            await Problems.WriteAsync(http, problem);
        }
    }

    /// <summary>
    /// Builds the request's caller and lets it in, or answers the refusal (401, 403, 415 as problem details) and says no.
    /// A page (<see cref="Policies.Portal"/>) lets in whoever has the right it declares (<see cref="PageAttribute"/>), and a
    /// page open to every visitor anyone; the portal answers the others (<see cref="Portal.PortalHttp.RefusalAsync"/>).
    /// </summary>
    private async Task<bool> LetInAsync(HttpContext http, string functionName, string policy)
    {
        var (caller, refusal, cookieRefused) = await callers.AuthenticateAsync(http);
        // A cookie that no longer opens anything is removed, so the browser stops sending it.
        if (cookieRefused) http.Response.Headers.Append("Set-Cookie", SessionCookie.Clear(SessionCookie.Name, http.Request.IsHttps));
        if (caller is not null)
        {
            http.User = caller.Principal;
            http.Features.Set(caller);
            Renew(http, caller);
        }
        // A page: the right it declares (none: whoever the credentials name, or nobody, and the page decides what an anonymous
        // visitor sees).
        if (policy == Policies.Portal)
        {
            if (Hosting.HttpFunctionCatalog.Find(functionName)?.Page is not { Right: not null } page) return true;
            if (await services.GetRequiredService<Portal.PortalHttp>().RefusalAsync(http, page) is not { } refused) return true;
            await refused.ExecuteAsync(http);
            return false;
        }
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.WriteAsync(http, Problems.Unauthorized(refusal ?? "缺少访问令牌"));
            return false;
        }
        if (!Policies.Allows(policy, caller.Principal))
        {
            await Problems.WriteAsync(http, Problems.Forbidden());
            return false;
        }
        if (caller.Kind == CallerKind.Session && CrossSiteRefusal(http.Request) is { } problem)
        {
            await Problems.WriteAsync(http, problem);
            return false;
        }
        return true;
    }

    /// <summary>
    /// A session is renewed when less than half of its token's time is left, so it ends an hour after the last request,
    /// not the first; never past its absolute end (8 hours after signing in), after which it simply expires.
    /// </summary>
    private void Renew(HttpContext http, Caller caller)
    {
        if (caller is not { Kind: CallerKind.Session, Session: { } session, User: { } user } || callers.Sessions is not { } sessions) return;
        var now = clock.GetUtcNow();
        if (session.ExpiresAt - now > sessions.Options.Lifetime / 2) return;
        if (sessions.Renew(session with { User = user }, now) is not { } token) return;
        var end = now + sessions.Options.Lifetime;
        if (end > sessions.AbsoluteEnd(session.SignedInAt)) end = sessions.AbsoluteEnd(session.SignedInAt);
        http.Response.Headers.Append("Set-Cookie", SessionCookie.Format(SessionCookie.Name, token, end, http.Request.IsHttps));
    }

    /// <summary>
    /// A browser sends the session cookie with any request to this site, whoever made the page; an API call that changes
    /// something on the strength of that cookie must therefore come from this site (<c>Origin</c>, when sent, is this one)
    /// and carry JSON, which another site's form or simple request cannot send without a preflight the app never allows.
    /// Reads (GET, HEAD) need neither. Bearer tokens are not sent by browsers on their own, so they are not checked.
    /// </summary>
    private static Microsoft.AspNetCore.Mvc.ProblemDetails? CrossSiteRefusal(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return null;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase))
            return new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "无权访问", Detail = ForeignOrigin };
        if (!IsJson(request.ContentType))
            return new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status415UnsupportedMediaType, Title = "请求无效", Detail = JsonRequired };
        return null;
    }

    private static bool IsJson(string? contentType)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)) return false;
        var media = type.MediaType.Value ?? "";
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
