using System.Net;
using System.Net.Sockets;
using BaiQianWan.Assess.Functions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// The server the standalone app starts (issue 20 item 5): a private loopback Kestrel serves the application to the
/// warm-up's real HTTP requests before the public server starts, and a failing warm-up only delays nothing but itself.
/// The public server here is a recording stand-in (the seam); the private one is a real Kestrel on a real socket.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class WarmingServerTests
{
    [Fact]
    public async Task The_warm_up_requests_reach_the_application_over_http_before_the_public_server_starts()
    {
        var application = new RecordingApplication();
        var inner = new RecordingServer();
        var logger = new ListLogger();
        var warmedAt = new List<(int Status, string Body, bool PublicStarted)>();
        Uri? warmUrl = null;
        await using var services = Services();
        using var server = new WarmingServer(inner, services, async (url, token) =>
        {
            warmUrl = url;
            using var client = new HttpClient { BaseAddress = url };
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
            {
                using var response = await client.GetAsync($"/warm/{i}", token);
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(token), inner.Started);
            }));
            warmedAt.AddRange(answers);
        }, logger);

        Assert.False(server.PublicStarted);
        await server.StartAsync(application, CancellationToken.None);

        Assert.Equal(4, warmedAt.Count);
        Assert.All(warmedAt, w => Assert.Equal((200, "warm", false), w));
        // The application saw them over a loopback connection to the private port, which is not the public server's.
        Assert.Equal(4, application.Requests.Count);
        Assert.All(application.Requests, r => Assert.Equal((IPAddress.Loopback, warmUrl!.Port), (r.Local, r.Port)));
        Assert.Equal(["/warm/0", "/warm/1", "/warm/2", "/warm/3"], application.Requests.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.Equal(1, inner.Starts);
        Assert.Same(application, inner.Application);
        Assert.True(server.PublicStarted);
        Assert.Empty(logger.Warnings);
        // The private server has stopped: its port takes no connection any more.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, warmUrl!.Port));
    }

    [Fact]
    public async Task A_failing_warm_up_is_logged_and_the_public_server_starts_all_the_same()
    {
        var inner = new RecordingServer();
        var logger = new ListLogger();
        await using var services = Services();
        using var server = new WarmingServer(inner, services, (_, _) => throw new InvalidOperationException("预热请求失败"), logger);

        await server.StartAsync(new RecordingApplication(), CancellationToken.None);

        Assert.Equal(1, inner.Starts);
        Assert.True(server.PublicStarted);
        var warning = Assert.Single(logger.Warnings);
        Assert.Equal("启动预热（经 HTTP）未完成，照常开始服务：预热请求失败", warning);
    }

    [Fact]
    public async Task A_warm_up_that_fails_to_answer_is_logged_and_the_public_server_starts_all_the_same()
    {
        // The application itself fails every warm request: the warm-up sees 500s and says so, the public server starts.
        var inner = new RecordingServer();
        var logger = new ListLogger();
        var statuses = new List<int>();
        await using var services = Services();
        var application = new RecordingApplication(fail: true);
        using var server = new WarmingServer(inner, services, async (url, token) =>
        {
            try
            {
                await StartupWarmup.HttpAsync(services, url, [], 3, token);
            }
            finally
            {
                statuses.Add(application.Requests.Count);
            }
        }, logger);

        await server.StartAsync(application, CancellationToken.None);

        // Nothing published to download: three connections read the OpenAPI document twice each, and fail.
        Assert.Equal([3 * StartupWarmup.RequestsPerConnection], statuses);
        Assert.All(application.Requests, r => Assert.Equal("/api/openapi.json", r.Path));
        Assert.Equal(1, inner.Starts);
        Assert.Equal("启动预热（经 HTTP）未完成，照常开始服务：GET /api/openapi.json 的回答：500x6", Assert.Single(logger.Warnings));
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory, SocketTransportFactory>();
        services.AddOptions<SocketTransportOptions>();
        return services.BuildServiceProvider();
    }

    private sealed class RecordingApplication(bool fail = false) : IHttpApplication<HttpContext>
    {
        public List<(IPAddress? Local, int Port, string Path)> Requests { get; } = [];

        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public async Task ProcessRequestAsync(HttpContext context)
        {
            lock (Requests) Requests.Add((context.Connection.LocalIpAddress, context.Connection.LocalPort, context.Request.Path.Value!));
            if (fail) throw new InvalidOperationException("the application fails");
            await context.Response.WriteAsync("warm");
        }

        public void DisposeContext(HttpContext context, Exception? exception) { }
    }

    private sealed class RecordingServer : IServer
    {
        public int Starts { get; private set; }

        public bool Started => Starts > 0;

        public object? Application { get; private set; }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
        {
            Starts++;
            Application = application;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() { }
    }

    private sealed class ListLogger : ILogger<WarmingServer>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) Warnings.Add(formatter(state, exception));
        }
    }
}
