using System.Reflection;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>An HTTP function as its attributes declare it.</summary>
/// <param name="Name">The <c>[Function]</c> name (the operation id too).</param>
/// <param name="Route">The <c>[HttpTrigger]</c> route (host.json's <c>routePrefix</c> is empty: API routes start with <c>api/</c>, the portal's pages sit at the root).</param>
/// <param name="Methods">HTTP methods, lower case.</param>
/// <param name="Policy">Its <see cref="Auth.AccessAttribute"/> policy.</param>
/// <param name="Method">The method the worker calls.</param>
/// <param name="Page">A portal page's declaration (<see cref="Auth.Policies.Portal"/> functions only): the right it needs.</param>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, string Policy, MethodInfo Method, Auth.PageAttribute? Page = null)
{
    /// <summary>The path the app serves it on: <c>/api/</c> + route.</summary>
    public string Path => HttpFunctionCatalog.RoutePrefix.Length == 0 ? "/" + Route : "/" + HttpFunctionCatalog.RoutePrefix + "/" + Route;
}
