using System.Security.Claims;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Workflow;
using BaiQianWan.Assess.Workflow.Publications;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BaiQianWan.Assess.Functions.Hosting;

/// <summary>
/// What the first downloads after a start need, done once before the standalone app listens (<c>Startup:Warm</c>,
/// default on), so that a burst of first requests finds the code compiled and the caches full instead of each paying
/// for them at once: a bearer token validated (while the store opens, <see cref="Token"/>), then the published units
/// of the latest published run of the first level that has one (counties) read into the read model of published results (<see cref="PublishedResults"/>), and one unit's scorecard
/// downloaded through the gate and the function, in process, its bytes written nowhere (<see cref="DownloadAsync"/>).
/// Nothing is written to the store. A warm-up that fails is only traced: the request it stood for would fail alike, and
/// answer for itself.
/// </summary>
public static class StartupWarmup
{
    /// <summary>How far back from the clock's quarter a published run is looked for (three years).</summary>
    private const int QuartersBack = 12;

    /// <summary>Whether configuration asks for the warm-up (<c>Startup:Warm</c>, default true).</summary>
    public static bool Enabled(IConfiguration configuration) => configuration.GetValue("Startup:Warm", true);

    /// <summary>Validates a token signed with the app's key (JIT-compiles token validation); needs no store.</summary>
    public static void Token(IServiceProvider services)
    {
        try
        {
            if (TokenFor(services, Roles.Office, null) is not { } token) return;
            var http = new DefaultHttpContext();
            http.Request.Headers.Authorization = "Bearer " + token;
            services.GetRequiredService<TokenAuthenticator>().AuthenticateAsync(http.Request).GetAwaiter().GetResult();
            StartupTrace.Mark("warm-token");
        }
        catch (Exception e)
        {
            StartupTrace.Mark("warm-token failed: " + e.GetType().Name);
        }
    }

    /// <summary>
    /// Reads the latest published units of the first level that has any and downloads one's scorecard in process; the
    /// download's status, or null when nothing was downloaded (nothing published, no key to sign a token with, a failure).
    /// </summary>
    public static async Task<int?> DownloadAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        try
        {
            var service = services.GetRequiredService<AssessmentService>();
            var published = services.GetRequiredService<PublishedResults>();
            Publication? first = null;
            string? unit = null;
            // The first level with a publication (counties before towns, as a scorecard request looks): a town's first
            // request still reads the towns' run (seven times the counties' results, which would delay every start).
            foreach (var level in Enum.GetValues<UnitLevel>())
            {
                if (await LatestAsync(service, level, services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken) is not { } publication)
                    continue;
                var units = await published.UnitsAsync(service, publication.RunId, cancellationToken);
                if (units.Count == 0) continue;
                (first, unit) = (publication, units.Keys.Order(StringComparer.Ordinal).First());
                break;
            }
            StartupTrace.Mark("warm-units");
            if (first is null || unit is null || HttpFunctionCatalog.Find("Scorecard") is not { } function
                || TokenFor(services, Roles.Unit, unit) is not { } token) return null;
            await using var scope = services.CreateAsyncScope();
            var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            http.Request.Method = "GET";
            http.Request.Scheme = "http";
            http.Request.Host = new HostString("127.0.0.1");
            http.Request.Path = $"/api/periods/{first.Period}/scorecards/{unit}.pdf";
            http.Request.RouteValues["period"] = first.Period.ToString();
            http.Request.RouteValues["unitCode"] = unit;
            http.Request.Headers.Authorization = "Bearer " + token;
            http.Response.Body = Stream.Null;
            await services.GetRequiredService<FunctionGate>().RunAsync(http, function.Name, function.Policy,
                () => HttpFunctionInvoker.InvokeAsync(http, function));
            StartupTrace.Mark($"warm-download {http.Response.StatusCode}");
            return http.Response.StatusCode;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StartupTrace.Mark("warm-download failed: " + e.GetType().Name);
            return null;
        }
    }

    /// <summary>The latest publication of a level within <see cref="QuartersBack"/> quarters of <paramref name="now"/>.</summary>
    private static async Task<Publication?> LatestAsync(AssessmentService service, UnitLevel level, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (year, quarter) = (now.Year, (now.Month - 1) / 3 + 1);
        for (var i = 0; i < QuartersBack; i++)
        {
            if (await service.GetPublicationAsync(Period.OfQuarter(year, quarter), level, cancellationToken) is { } found) return found;
            (year, quarter) = quarter == 1 ? (year - 1, 4) : (year, quarter - 1);
        }
        return null;
    }

    /// <summary>A one-minute token signed with the app's own key, as <c>cli token</c> issues them; null without a key.</summary>
    private static string? TokenFor(IServiceProvider services, string role, string? unit)
    {
        var auth = services.GetRequiredService<AuthConfiguration>();
        if (auth.SigningKey is not { } key) return null;
        // The validator reads the system clock, whatever the app's TimeProvider says.
        var now = DateTimeOffset.UtcNow;
        var claims = new List<Claim> { new(Roles.SubjectClaim, "startup-warmup"), new(Roles.RoleClaim, role) };
        if (unit is not null) claims.Add(new Claim(Roles.UnitClaim, unit));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Options.Issuer,
            Audience = auth.Options.Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.UtcDateTime.AddMinutes(-1),
            IssuedAt = now.UtcDateTime,
            Expires = now.UtcDateTime.AddMinutes(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }
}
