using System.Text.Json;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Functions.Invocations;
using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Workflow;
using Microsoft.Extensions.Options;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// The one place the app is composed: configuration, store, workflow, auth, HTTP API and the custom-handler
/// invocation endpoints. Tests and other hosts call <see cref="Build"/> and may register services (e.g. the real
/// PDF renderer as <see cref="IDocumentRenderer"/>) through <c>configure</c>, which runs after the defaults so it can
/// replace them. Configuration is read when services are first resolved, so settings a test host adds late apply.
/// </summary>
public static class AssessApp
{
    /// <summary>Environment variable the Functions host sets to the port the handler must listen on.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Builds the app from command-line arguments (e.g. <c>--urls</c>), appsettings and the environment.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (HostedByFunctions)
        {
            // Under the Functions host: listen where it expects, on loopback only.
            builder.WebHost.UseUrls($"http://127.0.0.1:{Environment.GetEnvironmentVariable(CustomHandlerPortVariable)}");
        }
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = BodyReader.ImportLimit);
        ConfigureServices(builder.Services);
        configure?.Invoke(builder);
        var app = builder.Build();
        Configure(app);
        return app;
    }

    /// <summary>True when the Functions host started this process.</summary>
    public static bool HostedByFunctions => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CustomHandlerPortVariable));

    private static void ConfigureServices(IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddAssessAuth();
        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityTransformer>());
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<RunSettings>().BindConfiguration("Runs");

        services.AddSingleton(sp => StoreSetup.Open(sp.GetRequiredService<IConfiguration>()));
        // The PDF renderer (scorecards/); a character no embedded font has is logged with its document.
        services.AddSingleton<IDocumentRenderer>(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger<PdfDocumentRenderer>();
            return new PdfDocumentRenderer((key, missing) => log.LogWarning("字体缺字：{Document}：{Missing}", key, missing));
        });
        services.AddSingleton(sp => new AssessmentService(sp.GetRequiredService<IAssessStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IDocumentRenderer>()));
        services.AddSingleton<RunPipeline>();
        services.AddSingleton<ResultsCache>();
        services.AddSingleton<QuarterlyEvaluationFunction>();
        services.AddSingleton<RenderScorecardsFunction>();

        services.AddSingleton<InProcessRunDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<InProcessRunDispatcher>());
        services.AddSingleton<IRunDispatcher>(sp => UsesQueue(sp)
            ? new QueueRunDispatcher(sp.GetRequiredService<RunPipeline>(), sp.GetRequiredService<IOptions<RunSettings>>(),
                BaiQianWan.Assess.Store.Azure.AzureStorageAccount.Parse(StoreSetup.QueueConnection(sp.GetRequiredService<IConfiguration>())!),
                sp.GetRequiredService<ILogger<QueueRunDispatcher>>())
            : sp.GetRequiredService<InProcessRunDispatcher>());
    }

    /// <summary>
    /// Whether HTTP-started runs render through the queue: only when a queue function exists to take the
    /// batches (hosted by Functions) and a storage account is configured, unless <c>Runs:Dispatch</c> says otherwise.
    /// </summary>
    private static bool UsesQueue(IServiceProvider sp)
    {
        var configuration = sp.GetRequiredService<IConfiguration>();
        return sp.GetRequiredService<IOptions<RunSettings>>().Value.Dispatch.ToLowerInvariant() switch
        {
            "queue" => true,
            "inprocess" => false,
            _ => HostedByFunctions && StoreSetup.Kind(configuration) == "azure" && StoreSetup.QueueConnection(configuration) is not null,
        };
    }

    private static void Configure(WebApplication app)
    {
        AuthSetup.Validate(app.Configuration);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        // The host's readiness probe polls GET / until it answers.
        app.MapGet("/", () => Results.Text("BaiQianWan.Assess")).AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi("/api/openapi.json").AllowAnonymous().WithName("OpenApi");
        app.MapEvaluations();
        app.MapPeriods();
        app.MapRulesets();
        app.MapUnits();
        // Timer and queue deliveries come from the host on loopback; standalone they exist only when asked for.
        if (HostedByFunctions || app.Configuration.GetValue<bool>("Functions:Invocations")) app.MapInvocations();
    }
}
