using BaiQianWan.Assess.Functions.Http;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// The one place an HTTP function is let in and its failures are answered, used by the worker middleware
/// (<see cref="Hosting.AuthorizationMiddleware"/>) and the standalone pipeline alike: security headers, authentication,
/// the function's policy (401 without a valid caller, 403 without the right, both as problem details), then the
/// function, whose refusals become problem details and whose faults a logged 500.
/// </summary>
public sealed class FunctionGate(TokenAuthenticator authenticator, ILogger<FunctionGate> log)
{
    /// <summary>Runs <paramref name="function"/> for the request if <paramref name="policy"/> lets the caller in.</summary>
    /// <param name="http">The exchange.</param>
    /// <param name="functionName">For the log.</param>
    /// <param name="policy">A <see cref="Policies"/> name.</param>
    /// <param name="function">Runs the function (and, standalone, writes its result).</param>
    public async Task RunAsync(HttpContext http, string functionName, string policy, Func<Task> function)
    {
        SecurityHeaders.Apply(http.Response);
        if (policy == Policies.Portal)
        {
            // A page: whoever the credentials name (or nobody); the page decides what an anonymous visitor sees.
            if ((await authenticator.AuthenticateAsync(http.Request)).Principal is { } visitor) http.User = visitor;
        }
        else if (policy != Policies.Anonymous)
        {
            var authentication = await authenticator.AuthenticateAsync(http.Request);
            if (authentication.Principal is null)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                await Problems.WriteAsync(http, Problems.Unauthorized(authentication.Refusal ?? "缺少访问令牌"));
                return;
            }
            http.User = authentication.Principal;
            if (!Policies.Allows(policy, http.User))
            {
                await Problems.WriteAsync(http, Problems.Forbidden());
                return;
            }
        }
        try
        {
            await function();
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody to answer.
        }
        catch (Exception e)
        {
            var problem = Problems.From(e);
            if (problem is null)
            {
                log.LogError(e, "Function {Function} failed on {Method} {Path}", functionName, http.Request.Method, http.Request.Path);
                problem = Problems.Fault();
            }
            if (http.Response.HasStarted) throw;
            http.Response.Clear();
            SecurityHeaders.Apply(http.Response);
            await Problems.WriteAsync(http, problem);
        }
    }
}
