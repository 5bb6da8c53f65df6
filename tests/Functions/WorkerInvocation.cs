using System.Net;
using BaiQianWan.Assess.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// A request taken the way the Functions host hands it to the worker: the host matches the route of a function in
/// functions.metadata, the worker's ASP.NET Core integration puts the <see cref="HttpContext"/> in the
/// <see cref="FunctionContext"/> (a Moq mock here), the worker middleware runs, then the function with its bound
/// parameters, and its <c>IResult</c> is written.
/// </summary>
internal static class WorkerInvocation
{
    public sealed record Answer(HttpStatusCode Status, string? ContentType, IHeaderDictionary Headers, byte[] Body)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Body);
    }

    public static async Task<Answer> SendAsync(IServiceProvider services, HttpRequestMessage message)
    {
        var uri = new Uri(new Uri("http://worker.test"), message.RequestUri!);
        var path = PathString.FromUriComponent(uri);
        HttpFunction? function = null;
        var values = new RouteValueDictionary();
        foreach (var f in HttpFunctionCatalog.All.Where(f => f.Methods.Contains(message.Method.Method.ToLowerInvariant())))
        {
            values = new RouteValueDictionary();
            if (new TemplateMatcher(TemplateParser.Parse(f.Path.TrimStart('/')), new RouteValueDictionary()).TryMatch(path, values))
            {
                function = f;
                break;
            }
        }
        // The host answers 404 for a route no function has.
        if (function is null) return new Answer(HttpStatusCode.NotFound, null, new HeaderDictionary(), []);

        await using var scope = services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = message.Method.Method;
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("worker.test");
        http.Request.Path = path;
        http.Request.QueryString = QueryString.FromUriComponent(uri);
        http.Request.RouteValues = values;
        foreach (var (name, value) in message.Headers) http.Request.Headers[name] = value.ToArray();
        if (message.Content is not null)
        {
            foreach (var (name, value) in message.Content.Headers) http.Request.Headers[name] = value.ToArray();
            var bytes = await message.Content.ReadAsByteArrayAsync();
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
        }
        var response = new MemoryStream();
        http.Response.Body = response;

        var context = FunctionContexts.For(function.Name, scope.ServiceProvider, http: http);
        var middleware = ActivatorUtilities.CreateInstance<AuthorizationMiddleware>(scope.ServiceProvider);
        await middleware.Invoke(context, _ => HttpFunctionInvoker.InvokeAsync(http, function));
        return new Answer((HttpStatusCode)http.Response.StatusCode, http.Response.ContentType, http.Response.Headers, response.ToArray());
    }
}
