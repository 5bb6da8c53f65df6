using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// The standalone app's server: before the public server (Kestrel on the app's own addresses) starts, a second Kestrel on a
/// private loopback port (port 0, the system's choice) serves the same application, pipeline and routes, and
/// the warm-up (<see cref="StartupWarmup.HttpAsync"/>) sends it real HTTP requests over several connections at once; then the private server stops and the
/// public one starts. So the first public requests find Kestrel's connection and request code compiled, the thread pool
/// grown, the route table built and the middleware created, and nothing public is accepted before that: the public port
/// is bound only once the warm-up has ended. A warm-up that fails or outlasts <see cref="Budget"/> is logged (a warning)
/// and the public server starts all the same.
/// </summary>
public sealed class WarmingServer(IServer inner, IServiceProvider services, Func<Uri, CancellationToken, Task> warm, ILogger<WarmingServer> logger) : IServer
{
    /// <summary>The longest a warm-up may take before it is abandoned and the public server starts.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    /// <summary>Whether the public server has started (the warm-up, if any, has ended).</summary>
    public bool PublicStarted { get; private set; }

    /// <summary>The public server's features (the host sets its addresses, <c>--urls</c>, here).</summary>
    public IFeatureCollection Features => inner.Features;

    /// <summary>Warms through a private Kestrel, then starts the public server.</summary>
    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        await WarmAsync(application, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        await inner.StartAsync(application, cancellationToken);
        PublicStarted = true;
    }

    private async Task WarmAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            // Options of its own: only the private port, whatever Kestrel:Endpoints or --urls say for the public server.
            var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = services };
            options.Listen(IPAddress.Loopback, 0);
            using var server = new KestrelServer(Options.Create(options), services.GetRequiredService<IConnectionListenerFactory>(),
                services.GetRequiredService<ILoggerFactory>());
            await server.StartAsync(application, budget.Token);
            try
            {
                var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? throw new InvalidOperationException("the private warm-up server has no address");
                await warm(new Uri(address), budget.Token);
            }
            finally
            {
                using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await server.StopAsync(stopping.Token);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            StartupTrace.Mark("warm-http failed: " + e.GetType().Name);
            logger.LogWarning("启动预热（经 HTTP）未完成，照常开始服务：{Error}", e.Message);
        }
    }

    /// <summary>Stops the public server.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    /// <summary>Disposes the public server.</summary>
    public void Dispose() => inner.Dispose();
}
