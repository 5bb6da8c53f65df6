using System.Reflection;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>An HTTP function as its attributes declare it.</summary>
/// <param name="Name">The <c>[Function]</c> name (the operation id too).</param>
/// <param name="Route">The <c>[HttpTrigger]</c> route, without the <c>api/</c> prefix (host.json <c>routePrefix</c>).</param>
/// <param name="Methods">HTTP methods, lower case.</param>
/// <param name="Policy">Its <see cref="Auth.AccessAttribute"/> policy.</param>
/// <param name="Method">The method the worker calls.</param>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, string Policy, MethodInfo Method)
{
    /// <summary>The path the app serves it on: <c>/api/</c> + route.</summary>
    public string Path => "/" + HttpFunctionCatalog.RoutePrefix + "/" + Route;
}
