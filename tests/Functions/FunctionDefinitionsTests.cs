using System.Text.Json;
using System.Xml.Linq;
using BaiQianWan.Assess.Functions.Invocations;
using BaiQianWan.Assess.Functions.Runs;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The function definitions the publish script puts in the zip agree with the app: each HTTP endpoint has a
/// proxied function with its route and methods, and the timer and queue functions have the bindings the
/// handler answers for; host.json points at the handler the script publishes.
/// </summary>
public sealed class FunctionDefinitionsTests
{
    private static readonly string Bindings = Repository.Path("functions", "bindings");

    private static JsonElement Definition(string function) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Bindings, function, "function.json"))).RootElement;

    private static IReadOnlyList<(string Name, string Route, string[] Methods)> AppEndpoints()
    {
        var directory = Directory.CreateTempSubdirectory("bqw-defs-").FullName;
        using var app = new AssessAppFactory("sqlite", Path.Combine(directory, "a.db"));
        _ = app.Server;
        return [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .Select(e => (
                e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName,
                e.RoutePattern.RawText!.Trim('/'),
                e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => m.ToLowerInvariant()).ToArray()))];
    }

    /// <summary>The host's routes leave out the <c>api/</c> prefix (host.json routePrefix) and route constraints.</summary>
    private static string HostRoute(string appRoute) =>
        System.Text.RegularExpressions.Regex.Replace(appRoute.StartsWith("api/", StringComparison.Ordinal) ? appRoute[4..] : appRoute, @"\{(\w+):\w+\}", "{$1}");

    [Fact]
    public void Every_http_endpoint_has_a_proxied_function_with_its_route_and_methods()
    {
        var endpoints = AppEndpoints();
        Assert.Equal(17, endpoints.Count);
        foreach (var (name, route, methods) in endpoints)
        {
            var bindings = Definition(name).GetProperty("bindings").EnumerateArray().ToList();
            // Exactly an httpTrigger in and an http out: anything more and the host stops proxying the request.
            Assert.Equal(2, bindings.Count);
            var trigger = bindings.Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            Assert.Equal("http", bindings.Single(b => b.GetProperty("direction").GetString() == "out").GetProperty("type").GetString());
            Assert.Equal(HostRoute(route), trigger.GetProperty("route").GetString());
            Assert.Equal(methods, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal("anonymous", trigger.GetProperty("authLevel").GetString());
        }
    }

    [Fact]
    public void Every_function_folder_is_an_endpoint_or_an_invocation_the_handler_answers()
    {
        var folders = Directory.GetDirectories(Bindings).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList();
        var expected = AppEndpoints().Select(e => e.Name).Append(QuarterlyEvaluationFunction.Name).Append(RenderScorecardsFunction.Name)
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, folders);
    }

    [Fact]
    public void Timer_runs_quarterly_and_outputs_to_the_render_queue()
    {
        var bindings = Definition(QuarterlyEvaluationFunction.Name).GetProperty("bindings").EnumerateArray().ToList();
        var timer = bindings.Single(b => b.GetProperty("type").GetString() == "timerTrigger");
        Assert.Equal("timer", timer.GetProperty("name").GetString());
        Assert.Equal("0 0 2 5 1,4,7,10 *", timer.GetProperty("schedule").GetString());
        var output = bindings.Single(b => b.GetProperty("type").GetString() == "queue");
        Assert.Equal("out", output.GetProperty("direction").GetString());
        Assert.Equal(QuarterlyEvaluationFunction.QueueOutput, output.GetProperty("name").GetString());
        Assert.Equal(new RunSettings().QueueName, output.GetProperty("queueName").GetString());

        var queue = Assert.Single(Definition(RenderScorecardsFunction.Name).GetProperty("bindings").EnumerateArray());
        Assert.Equal("queueTrigger", queue.GetProperty("type").GetString());
        Assert.Equal(RenderScorecardsFunction.Trigger, queue.GetProperty("name").GetString());
        Assert.Equal(new RunSettings().QueueName, queue.GetProperty("queueName").GetString());
        Assert.Equal(output.GetProperty("connection").GetString(), queue.GetProperty("connection").GetString());
    }

    [Fact]
    public void Host_json_starts_the_published_handler_and_proxies_http()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Repository.Path("host.json"))).RootElement;
        Assert.Equal("2.0", host.GetProperty("version").GetString());
        var handler = host.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        var project = XDocument.Load(Repository.Path("functions", "BaiQianWan.Assess.Functions.csproj"));
        var assembly = project.Descendants("AssemblyName").Single().Value;
        Assert.Equal($"handler/{assembly}", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("api", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        var script = File.ReadAllText(Repository.Path("functions", "publish.sh"));
        Assert.Contains("-r linux-x64 --self-contained true", script);
        Assert.Contains("-o \"$stage/handler\"", script);
    }
}
