using BaiQianWan.Assess.Functions.Auth;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// Worker middleware: every HTTP invocation passes <see cref="FunctionGate"/> with its function's policy before the
/// function runs. Timer and queue invocations pass straight through. An HTTP function the catalog does not know is refused,
/// and one arriving without its HttpContext fails.
/// </summary>
public sealed class AuthorizationMiddleware(FunctionGate gate) : IFunctionsWorkerMiddleware
{
    /// <inheritdoc />
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var function = HttpFunctionCatalog.Find(context.FunctionDefinition.Name);
        var http = context.GetHttpContext();
        if (http is null)
        {
            // Never run an HTTP function unauthorized: without the ASP.NET Core integration there is nothing to check.
            if (function is not null)
                throw new InvalidOperationException($"HTTP function {function.Name} invoked without an HttpContext (ConfigureFunctionsWebApplication missing).");
            return next(context);
        }
        // Fail closed: a function outside the catalog would have no policy.
        var policy = function?.Policy ?? "none";
        return gate.RunAsync(http, context.FunctionDefinition.Name, policy, () => next(context));
    }
}
