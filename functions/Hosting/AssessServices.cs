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
/// The services both hosts share: configuration-bound settings, store, workflow (with its run use case), renderer,
/// authentication and the run carrier. Settings are read when services are first resolved, so settings a test host adds late apply.
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
        services.AddOptions<RunOptions>().BindConfiguration("Runs").PostConfigure(o => o.BatchSize = Math.Max(1, o.BatchSize));
        services.AddSingleton(sp => AuthConfiguration.Resolve(sp.GetRequiredService<IConfiguration>(), hosted));
        services.AddSingleton<TokenAuthenticator>();
        services.AddSingleton<CallerAuthenticator>();
        services.AddSingleton(sp => new TrustedProxies(sp.GetRequiredService<IConfiguration>(), hosted));
        services.AddSingleton<FunctionGate>();
        services.AddSingleton<StoreRefusals>();

        services.AddSingleton(sp => StoreSetup.Open(sp.GetRequiredService<IConfiguration>()));
        // The task ledger of the same store, opened after it (its derived observations join every run's data).
        services.AddSingleton(sp =>
        {
            sp.GetRequiredService<IAssessStore>();
            return StoreSetup.OpenLedger(sp.GetRequiredService<IConfiguration>());
        });
        // The PDF renderer (scorecards/); a character no embedded font has is logged with its document.
        services.AddSingleton<IDocumentRenderer>(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger<PdfDocumentRenderer>();
            // A year's documents show the figures of the publications it read (their stored results, read back by run).
            var sources = new AnnualSources(sp.GetRequiredService<IAssessStore>());
            return new PdfDocumentRenderer((key, missing) => log.LogWarning("字体缺字：{Document}：{Missing}", key, missing), sources: sources.Read);
        });
        // The workflow and its one run use case (workflow/Runs), its options bound from the Runs section; the runs' ledger
        // documents (a unit's scorecard section, a month's ledger bulletin) light tasks with the Ledger section's settings.
        services.AddSingleton(sp => new AssessmentService(sp.GetRequiredService<IAssessStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IDocumentRenderer>(), sp.GetRequiredService<IOptions<RunOptions>>().Value, sp.GetRequiredService<ILedgerStore>(),
            Portal.PortalSetup.LedgerSettingsOf(sp.GetRequiredService<IConfiguration>()))
        {
            // Repairs (a damaged stored archive rebuilt) and refusals as one line each, without a stack trace.
            Warn = sp.GetRequiredService<ILoggerFactory>().CreateLogger<AssessmentService>() is var log ? m => log.LogWarning("{Warning}", m) : null,
        });
        services.AddSingleton(sp => sp.GetRequiredService<AssessmentService>().Runs);
        services.AddPortal();
        // The read model of published results, one per app: the API and the portal read publications, a run's units (for
        // the access policy) and its rankings JSON through it.
        services.AddSingleton(_ => new BaiQianWan.Assess.Workflow.Publications.PublishedResults());

        // The carrier: the one host-specific part of a run.
        services.AddSingleton<BackgroundRunCarrier>();
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundRunCarrier>());
        services.AddSingleton<IRunCarrier>(sp => UsesQueue(sp, hosted)
            ? new QueueRunCarrier(
                BaiQianWan.Assess.Store.Azure.AzureStorageAccount.Parse(StoreSetup.QueueConnection(sp.GetRequiredService<IConfiguration>())!),
                sp.GetRequiredService<ILogger<QueueRunCarrier>>())
            : sp.GetRequiredService<BackgroundRunCarrier>());
        return services;
    }

    /// <summary>
    /// Whether HTTP-started runs render through the queue: only when the queue function exists to take the batches
    /// (hosted by Functions) and a storage account is configured, unless <c>Runs:Dispatch</c> says otherwise
    /// (<c>auto</c>, <c>queue</c> or <c>inprocess</c>).
    /// </summary>
    private static bool UsesQueue(IServiceProvider sp, bool hosted)
    {
        var configuration = sp.GetRequiredService<IConfiguration>();
        return (configuration["Runs:Dispatch"] ?? "auto").Trim().ToLowerInvariant() switch
        {
            "queue" => true,
            "inprocess" => false,
            _ => hosted && StoreSetup.QueueConnection(configuration) is not null,
        };
    }
}
