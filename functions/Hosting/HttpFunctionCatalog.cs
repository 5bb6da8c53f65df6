using System.Reflection;
using BaiQianWan.Assess.Functions.Auth;
using Microsoft.Azure.Functions.Worker;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// Every HTTP function of this assembly, read from the same attributes the Functions SDK compiles into
/// <c>functions.metadata</c>: the standalone app maps exactly these, and the worker middleware finds each one's policy here.
/// </summary>
public static class HttpFunctionCatalog
{
    /// <summary>host.json's <c>extensions.http.routePrefix</c>.</summary>
    public const string RoutePrefix = "";

    private static readonly Lazy<IReadOnlyList<HttpFunction>> Functions = new(() => Discover(typeof(HttpFunctionCatalog).Assembly));

    private static readonly Lazy<IReadOnlyDictionary<string, HttpFunction>> ByName =
        new(() => Functions.Value.ToDictionary(f => f.Name, StringComparer.Ordinal));

    /// <summary>All HTTP functions, ordered by name.</summary>
    public static IReadOnlyList<HttpFunction> All => Functions.Value;

    /// <summary>The HTTP function of that name, or null (not an HTTP function).</summary>
    public static HttpFunction? Find(string name) => ByName.Value.GetValueOrDefault(name);

    /// <summary>
    /// Reads the functions of an assembly; an HTTP function without exactly one policy is an error, and so is a portal
    /// function (<see cref="Policies.Portal"/>) without its <see cref="PageAttribute"/> or another with one.
    /// </summary>
    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly)
    {
        var found = new List<HttpFunction>();
        foreach (var type in assembly.GetTypes())
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function) continue;
                var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
                if (trigger is null) continue;
                var access = method.GetCustomAttribute<AccessAttribute>()
                    ?? throw new InvalidOperationException($"HTTP function {function.Name} has no [Access(Policies.…)]: every HTTP function names who may call it.");
                if (!Policies.All.Contains(access.Policy))
                    throw new InvalidOperationException($"HTTP function {function.Name} names an unknown policy '{access.Policy}'.");
                var page = method.GetCustomAttribute<PageAttribute>();
                if (access.Policy == Policies.Portal && page is null)
                    throw new InvalidOperationException($"Portal function {function.Name} has no [Page(Right.…)] (or [Page] for a page open to every visitor): every page declares its right.");
                if (access.Policy != Policies.Portal && page is not null)
                    throw new InvalidOperationException($"HTTP function {function.Name} is not a portal page ([Access(Policies.Portal)]) but carries [Page].");
                if (trigger.AuthLevel != AuthorizationLevel.Anonymous)
                    throw new InvalidOperationException($"HTTP function {function.Name}: authorization is the app's (AuthorizationLevel.Anonymous), not function keys.");
                var methods = (trigger.Methods ?? []).Select(m => m.ToLowerInvariant()).ToList();
                if (methods.Count == 0) throw new InvalidOperationException($"HTTP function {function.Name} names no HTTP method.");
                // As the Functions host does: no route, or an empty one, is the function's name.
                found.Add(new HttpFunction(function.Name, string.IsNullOrEmpty(trigger.Route) ? function.Name : trigger.Route, methods, access.Policy, method, page));
            }
        return [.. found.OrderBy(f => f.Name, StringComparer.Ordinal)];
    }
}
