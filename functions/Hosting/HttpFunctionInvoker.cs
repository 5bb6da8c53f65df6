using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// Calls an HTTP function outside the Functions host, binding its parameters the way the worker does for the
/// signatures this app uses (the trigger's <see cref="HttpRequest"/>, route values by name, the cancellation token),
/// and writes the <see cref="IResult"/> it returns, as the worker's ASP.NET Core integration does.
/// </summary>
public static class HttpFunctionInvoker
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, ObjectFactory> Factories = new();

    /// <summary>Creates the function's class from the request's services, calls the function and writes its result.</summary>
    public static async Task InvokeAsync(HttpContext http, HttpFunction function)
    {
        var result = await CallAsync(http, function);
        await result.ExecuteAsync(http);
    }

    /// <summary>Creates the function's class and calls the function; returns what it returns.</summary>
    public static async Task<IResult> CallAsync(HttpContext http, HttpFunction function)
    {
        var method = function.Method;
        var target = method.IsStatic ? null
            : Factories.GetOrAdd(method.DeclaringType!, type => ActivatorUtilities.CreateFactory(type, Type.EmptyTypes))(http.RequestServices, null);
        var arguments = method.GetParameters().Select(p => Bind(http, function, p)).ToArray();
        object? returned;
        try
        {
            returned = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        return returned switch
        {
            Task<IResult> task => await task,
            IResult done => done,
            _ => throw new InvalidOperationException($"HTTP function {function.Name} must return Task<IResult>."),
        };
    }

    private static object? Bind(HttpContext http, HttpFunction function, ParameterInfo parameter)
    {
        if (parameter.ParameterType == typeof(HttpRequest)) return http.Request;
        if (parameter.ParameterType == typeof(CancellationToken)) return http.RequestAborted;
        var value = http.Request.RouteValues[parameter.Name!]?.ToString()
            ?? throw new InvalidOperationException($"HTTP function {function.Name}: parameter {parameter.Name} is not in its route.");
        if (parameter.ParameterType == typeof(string)) return value;
        if (parameter.ParameterType == typeof(int)) return int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"HTTP function {function.Name}: parameter {parameter.Name} of type {parameter.ParameterType.Name} is not bound.");
    }
}
