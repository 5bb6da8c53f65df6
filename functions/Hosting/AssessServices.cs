using System.Text.Json;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Functions.Portal;
using BaiQianWan.Assess.Functions.Runs;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Runs;
using Microsoft.Extensions.Options;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// The services both hosts share: configuration-bound settings, store, workflow, renderer, authentication, run
/// orchestrator and dispatcher. Settings are read when services are first resolved, so settings a test host adds late apply.
/// </summary>
public static class AssessServices
{
    /// <summary>Registers the services.</summary>
    /// <param name="services">The container.</param>
    /// <param name="hosted">True under the Functions host (Easy Auth may be trusted; HTTP runs may go through the queue).</param>
    public static IServiceCollection AddAssess(this IServiceCollection services, bool hosted)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<RunSettings>().BindConfiguration("Runs");
        services.AddSingleton(sp => AuthConfiguration.Resolve(sp.GetRequiredService<IConfiguration>(), hosted));
        services.AddSingleton<TokenAuthenticator>();
        services.AddSingleton<CallerAuthenticator>();
        services.AddSingleton(sp => new TrustedProxies(sp.GetRequiredService<IConfiguration>(), hosted));
        services.AddSingleton<FunctionGate>();

        services.AddSingleton(sp => StoreSetup.Open(sp.GetRequiredService<IConfiguration>()));
        // The PDF renderer (scorecards/); a character no embedded font has is logged with its document.
        services.AddSingleton<IDocumentRenderer>(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger<PdfDocumentRenderer>();
            return new PdfDocumentRenderer((key, missing) => log.LogWarning("字体缺字：{Document}：{Missing}", key, missing));
        });
        services.AddSingleton(sp => new AssessmentService(sp.GetRequiredService<IAssessStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IDocumentRenderer>()));
        // The one run orchestrator (workflow/Runs), its options bound from the Runs section.
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<RunSettings>>().Value;
            return new RunOrchestrator(sp.GetRequiredService<AssessmentService>(),
                new RunOptions { BatchSize = Math.Max(1, settings.BatchSize), AutoPublish = settings.AutoPublish });
        });
        services.AddPortal();
        services.AddSingleton<ResultsCache>();
        services.AddSingleton<BaiQianWan.Assess.Portal.Auth.PublishedUnits>();

        services.AddSingleton<InProcessRunDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<InProcessRunDispatcher>());
        services.AddSingleton<IRunDispatcher>(sp => UsesQueue(sp, hosted)
            ? new QueueRunDispatcher(sp.GetRequiredService<RunOrchestrator>(),
                BaiQianWan.Assess.Store.Azure.AzureStorageAccount.Parse(StoreSetup.QueueConnection(sp.GetRequiredService<IConfiguration>())!),
                sp.GetRequiredService<ILogger<QueueRunDispatcher>>())
            : sp.GetRequiredService<InProcessRunDispatcher>());
        return services;
    }

    /// <summary>
    /// Whether HTTP-started runs render through the queue: only when the queue function exists to take the batches
    /// (hosted by Functions) and a storage account is configured, unless <c>Runs:Dispatch</c> says otherwise.
    /// </summary>
    private static bool UsesQueue(IServiceProvider sp, bool hosted)
    {
        var configuration = sp.GetRequiredService<IConfiguration>();
        return sp.GetRequiredService<IOptions<RunSettings>>().Value.Dispatch.ToLowerInvariant() switch
        {
            "queue" => true,
            "inprocess" => false,
            _ => hosted && StoreSetup.QueueConnection(configuration) is not null,
        };
    }
}
