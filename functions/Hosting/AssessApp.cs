using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Store;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// The composition root, for both ways the app runs from the same function classes: as an Azure Functions
/// isolated worker (the host starts it with its gRPC arguments) and on its own (<c>dotnet run --project functions --
/// --urls …</c>), where Kestrel serves exactly the HTTP functions, <see cref="QuarterlySchedule"/>, <see cref="MonthlySchedule"/> and <see cref="AnnualSchedule"/> fire the timer
/// functions and runs render in-process. Tests build the standalone app through <c>WebApplicationFactory</c>.
/// </summary>
public static class AssessApp
{
    /// <summary>Runs the app; a configuration error is one line on stderr and exit code 1.</summary>
    public static async Task<int> MainAsync(string[] args)
    {
        try
        {
            if (HostedByFunctions(args)) await BuildWorker(args).RunAsync();
            else await BuildStandalone(args).RunAsync();
            return 0;
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"无法监听：{e.Message}");
            return 1;
        }
    }

    /// <summary>True when the Functions host started this process (it passes the worker id and its gRPC address).</summary>
    public static bool HostedByFunctions(string[] args) =>
        args.Any(a => a is "--workerId" or "--functions-worker-id" || a.StartsWith("--functions-worker-id=", StringComparison.Ordinal));

    /// <summary>The isolated worker: ASP.NET Core integration, the authorization middleware, the shared services.</summary>
    public static IHost BuildWorker(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<AuthorizationMiddleware>();
        builder.Services.AddAssess(hosted: true);
        // The worker's own Kestrel, which the host forwards HTTP requests to: no "Server: Kestrel" either.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.AddServerHeader = false);
        var host = builder.Build();
        // Hosted, a missing key or authority refuses to start, and so does a damaged or read-only store.
        host.Services.GetRequiredService<AuthConfiguration>();
        StoreSetup.OpenAtStart(host.Services, host.Services.GetRequiredService<IConfiguration>());
        return host;
    }

    /// <summary>The app on its own: every HTTP function on its route, through the same gate; the schedule; in-process runs.</summary>
    public static WebApplication BuildStandalone(string[] args)
    {
        StartupTrace.Mark("main");
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = BodyReader.ImportLimit;
            k.AddServerHeader = false; // no "Server: Kestrel"
        });
        builder.Services.AddAssess(hosted: false);
        builder.Services.AddHostedService<QuarterlySchedule>();
        builder.Services.AddHostedService<MonthlySchedule>();
        builder.Services.AddHostedService<AnnualSchedule>();
        // The warm-up through HTTP (a private Kestrel first, then the public one), when the server is Kestrel: tests that
        // host the app in memory (TestServer) replace the server after this and keep only the in-process warm-up.
        IReadOnlyList<StartupWarmup.Target> targets = [];
        var warmConnections = StartupWarmup.Enabled(builder.Configuration) ? StartupWarmup.Connections(builder.Configuration) : 0;
        if (warmConnections > 0 && builder.Services.LastOrDefault(d => d.ServiceType == typeof(IServer)) is { ImplementationType: { } kestrel } server)
        {
            builder.Services.Remove(server);
            builder.Services.AddSingleton<IServer>(sp => new WarmingServer((IServer)ActivatorUtilities.CreateInstance(sp, kestrel), sp,
                (url, token) => StartupWarmup.HttpAsync(sp, url, targets, warmConnections, token), sp.GetRequiredService<ILogger<WarmingServer>>()));
        }
        var app = builder.Build();
        // A bad Timer:MonthlySchedule or Timer:AnnualSchedule stops the start here, naming the setting (not later, inside the schedule's worker).
        if (app.Configuration.GetValue("Timer:Enabled", true))
        {
            MonthlySchedule.Expression(app.Configuration);
            AnnualSchedule.Expression(app.Configuration);
        }
        StartupTrace.Mark("built");
        var auth = app.Services.GetRequiredService<AuthConfiguration>();
        if (auth.Options.EasyAuth)
            app.Logger.LogWarning("Auth:EasyAuth 只在 Azure Functions 托管时生效；单独运行时忽略 X-MS-CLIENT-PRINCIPAL");
        var warm = StartupWarmup.Enabled(app.Configuration);
        // The store opens (and is checked: the whole file is read) while the token path warms on the other core.
        var opening = Task.Run(() => StoreSetup.OpenAtStart(app.Services, app.Configuration));
        if (warm) StartupWarmup.Token(app.Services);
        opening.GetAwaiter().GetResult();
        StartupTrace.Mark("store-open");
        if (warm)
        {
            targets = StartupWarmup.FindAsync(app.Services).GetAwaiter().GetResult();
            // Over HTTP the same download runs again, through Kestrel as well: the in-process one only when that is off.
            if (targets.Count > 0 && app.Services.GetRequiredService<IServer>() is not WarmingServer)
                StartupWarmup.DownloadAsync(app.Services, targets[0]).GetAwaiter().GetResult();
        }
        app.Lifetime.ApplicationStarted.Register(() => StartupTrace.Mark("listening"));
        if (auth.CreatedKeyFile is { } file)
            Console.WriteLine($"未配置签名密钥：已生成 {file}（仅所有者可读）；签发令牌：dotnet run --project cli -- token --role office --key \"$(cat {file})\"");
        var proxies = app.Services.GetRequiredService<TrustedProxies>();
        // The first response traced is the first public one, not the warm-up's.
        var publicServer = app.Services.GetRequiredService<IServer>() as WarmingServer;
        app.Use((http, next) =>
        {
            // Also for addresses no function has (404s): the gate applies them again for functions.
            proxies.Apply(http);
            SecurityHeaders.Apply(http);
            return StartupTrace.On && publicServer?.PublicStarted != false ? Traced(http, next) : next(http);
        });
        var gate = app.Services.GetRequiredService<FunctionGate>();
        foreach (var function in HttpFunctionCatalog.All)
            app.MapMethods(function.Path, [.. function.Methods.Select(m => m.ToUpperInvariant())],
                (HttpContext http) => gate.RunAsync(http, function.Name, function.Policy, () => HttpFunctionInvoker.InvokeAsync(http, function)))
                .WithName(function.Name);
        return app;
    }

    private static async Task Traced(HttpContext http, RequestDelegate next)
    {
        await next(http);
        StartupTrace.FirstRequestDone(http.Request.Path);
    }
}
