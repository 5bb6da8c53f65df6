using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Portal.Building;
using BaiQianWan.Assess.Portal.Models;
using BaiQianWan.Assess.Workflow.Runs;
using Microsoft.Extensions.Options;
using BaiQianWan.Assess.Portal.Rendering;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Azure;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Ledger;
using BaiQianWan.Assess.Rules.Ledger;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionOptions = BaiQianWan.Assess.Portal.Auth.SessionOptions;

namespace BaiQianWan.Assess.Functions.Portal;

/// <summary>The portal's services: accounts beside the store, sessions on the API's key, the page builder and renderer.</summary>
public static class PortalSetup
{
    /// <summary>Registers the portal's services (called by <see cref="AssessServices.AddAssess"/>).</summary>
    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddSingleton(sp => OpenAccounts(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp =>
        {
            var auth = sp.GetRequiredService<AuthConfiguration>();
            // Sessions are tokens on the API's key, so one authenticator reads both; without a shared key (an authority
            // or Easy Auth only) the portal signs in through Easy Auth and has no password sign-in.
            var tokens = auth.SigningKey is { } key
                ? new SessionTokens(new SessionOptions(key, auth.Options.Issuer, auth.Options.Audience, SessionOptions.DefaultLifetime))
                : null;
            var antiforgeryKey = auth.SigningKey ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            return new PortalKeys(tokens, new Antiforgery(antiforgeryKey));
        });
        services.AddSingleton(sp => new PortalPages(sp.GetRequiredService<AssessmentService>(), sp.GetRequiredService<IAccountStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<BaiQianWan.Assess.Workflow.Publications.PublishedResults>())
        {
            // The publish form's notice: the timers' setting (Runs__AutoPublishNoticeDays) ticks 公示 with its days; else 正式, 5 days offered.
            PublishDefaults = sp.GetRequiredService<IOptions<RunOptions>>().Value.AutoPublishNoticeDays is { } days
                ? new PublishChoice(true, days)
                : new PublishChoice(false, PortalPages.DefaultNoticeDays),
        });
        services.AddSingleton(sp => new NoticePages(sp.GetRequiredService<AssessmentService>(), sp.GetRequiredService<TimeProvider>()));
        // The ledger's use cases (the API's too: registered once, by whichever host part comes first) and the ledger pages over them.
        services.TryAddSingleton(sp => new LedgerService(sp.GetRequiredService<ILedgerStore>(), sp.GetRequiredService<IAssessStore>(),
            sp.GetRequiredService<TimeProvider>(), LedgerSettingsOf(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton(sp => new LedgerPages(sp.GetRequiredService<LedgerService>(), sp.GetRequiredService<IAssessStore>(),
            sp.GetRequiredService<PageRenderer>()));
        services.AddSingleton(sp => new AccountAdmin(sp.GetRequiredService<IAccountStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IAssessStore>()));
        services.AddSingleton(sp => new SignInThrottle(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PageRenderer>();
        services.AddSingleton<PortalHttp>();
        return services;
    }

    /// <summary>
    /// The lights' settings: <c>Ledger:RemindDays</c> (default 3) and <c>Ledger:RedAfterDays</c> (default 30); a value that is not a
    /// whole number of days, or a negative one, stops the host with a line naming the setting.
    /// </summary>
    public static LedgerSettings LedgerSettingsOf(IConfiguration configuration)
    {
        int Days(string key, int fallback) =>
            configuration[key] is not { Length: > 0 } text ? fallback
            : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d
            : throw new ConfigurationException($"{key} 应为非负整数（天数），这里是 '{text}'");
        var settings = new LedgerSettings(Days("Ledger:RemindDays", LedgerSettings.Default.RemindDays), Days("Ledger:RedAfterDays", LedgerSettings.Default.RedAfterDays));
        return settings.Problem is { } problem ? throw new ConfigurationException(problem) : settings;
    }

    /// <summary>The account store beside the assessment store: the same SQLite file, or the same storage account and prefix.</summary>
    public static IAccountStore OpenAccounts(IConfiguration configuration)
    {
        IAccountStore accounts = StoreSetup.Kind(configuration) == "sqlite"
            ? new SqliteAccountStore(StoreSetup.SqlitePath(configuration))
            : new AzureAccountStore(
                configuration["Store:Connection"] is { Length: > 0 } c ? c
                : configuration["AzureWebJobsStorage"] is { Length: > 0 } h ? h
                : throw new ConfigurationException("Store:Kind=azure 需要 Store:Connection 或 AzureWebJobsStorage"),
                configuration["Store:Prefix"] is { Length: > 0 } prefix ? prefix : "bqw");
        accounts.InitializeAsync().GetAwaiter().GetResult();
        return accounts;
    }
}
