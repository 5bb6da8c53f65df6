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
/// of the latest published runs of the first level that has one (counties; a year of quarters) read into the read model of
/// published results (<see cref="PublishedResults"/>, <see cref="FindAsync"/>); then, as the server starts, their scorecards
/// downloaded over real HTTP on several connections at once from a private loopback Kestrel serving the app's own pipeline
/// before the public port is bound (<see cref="HttpAsync"/>, <see cref="WarmingServer"/>), or, when that is off or the
/// server is not Kestrel (tests in memory), one scorecard downloaded through the gate and the function in process, its
/// bytes written nowhere (<see cref="DownloadAsync(IServiceProvider, Target, CancellationToken)"/>).
/// Nothing is written to the store. A warm-up that fails is only traced (and, over HTTP, logged): the request it stood
/// for would fail alike, and answer for itself.
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

    /// <summary>A scorecard to warm with: a published unit of the latest publication of the first level that has one.</summary>
    public sealed record Target(Period Period, string Unit)
    {
        /// <summary>The download's path.</summary>
        public string Path => $"/api/periods/{Period}/scorecards/{Unit}.pdf";
    }

    /// <summary>How many of a level's latest publications the warm-up reads and downloads from (a year of quarters).</summary>
    public const int RecentPublications = 4;

    /// <summary>
    /// Reads the units of the latest <see cref="RecentPublications"/> publications of the first level that has any (into the read
    /// model of published results, at once) and names the first unit's scorecard of each, latest first; empty when nothing
    /// is published within three years of the clock, or on a failure.
    /// </summary>
    public static async Task<IReadOnlyList<Target>> FindAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        try
        {
            var service = services.GetRequiredService<AssessmentService>();
            var published = services.GetRequiredService<PublishedResults>();
            var found = new List<Target>();
            // The first level with a publication (counties before towns, as a scorecard request looks): a town's first
            // request still reads the towns' run (seven times the counties' results, which would delay every start).
            foreach (var level in Enum.GetValues<UnitLevel>())
            {
                var publications = await RecentAsync(service, level, services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
                var units = await Task.WhenAll(publications.Select(p => published.UnitsAsync(service, p.RunId, cancellationToken)));
                found.AddRange(publications.Zip(units).Where(p => p.Second.Count > 0)
                    .Select(p => new Target(p.First.Period, p.Second.Keys.Order(StringComparer.Ordinal).First())));
                if (found.Count > 0) break;
            }
            StartupTrace.Mark("warm-units");
            return found;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StartupTrace.Mark("warm-units failed: " + e.GetType().Name);
            return [];
        }
    }

    /// <summary>
    /// Reads the latest published units of the first level that has any and downloads one's scorecard in process; the
    /// download's status, or null when nothing was downloaded (nothing published, no key to sign a token with, a failure).
    /// </summary>
    public static async Task<int?> DownloadAsync(IServiceProvider services, CancellationToken cancellationToken = default) =>
        await FindAsync(services, cancellationToken) is [var target, ..] ? await DownloadAsync(services, target, cancellationToken) : null;

    /// <summary>Downloads <paramref name="target"/>'s scorecard in process, through the gate and the function; its status, or null.</summary>
    public static async Task<int?> DownloadAsync(IServiceProvider services, Target target, CancellationToken cancellationToken = default)
    {
        try
        {
            if (HttpFunctionCatalog.Find("Scorecard") is not { } function || TokenFor(services, Roles.Unit, target.Unit) is not { } token) return null;
            await using var scope = services.CreateAsyncScope();
            var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            http.Request.Method = "GET";
            http.Request.Scheme = "http";
            http.Request.Host = new HostString("127.0.0.1");
            http.Request.Path = target.Path;
            http.Request.RouteValues["period"] = target.Period.ToString();
            http.Request.RouteValues["unitCode"] = target.Unit;
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

    /// <summary>How many connections the warm-up over HTTP opens at once (<c>Startup:WarmConnections</c>, default 16; 0 turns it off).</summary>
    public static int Connections(IConfiguration configuration) => Math.Clamp(configuration.GetValue("Startup:WarmConnections", 16), 0, 256);

    /// <summary>How many requests each warm-up connection sends, one after another.</summary>
    public const int RequestsPerConnection = 2;

    /// <summary>
    /// Real HTTP requests to <paramref name="server"/> (the private warm-up server, <see cref="WarmingServer"/>):
    /// <paramref name="connections"/> connections at once, each downloading one of <paramref name="targets"/>' scorecards
    /// (connection i the target i modulo their number) <see cref="RequestsPerConnection"/> times with the unit's own token
    /// (or, with nothing published or no key, reading <c>/api/openapi.json</c>); the statuses, one per request. An answer
    /// that is not a success is an <see cref="InvalidOperationException"/> naming the statuses, which
    /// <see cref="WarmingServer"/> logs as a warning.
    /// </summary>
    public static async Task<IReadOnlyList<int>> HttpAsync(IServiceProvider services, Uri server, IReadOnlyList<Target> targets, int connections, CancellationToken cancellationToken)
    {
        var requests = targets.Select(t => (t.Path, Token: TokenFor(services, Roles.Unit, t.Unit))).Where(r => r.Token is not null).ToList();
        if (requests.Count == 0) requests.Add(("/api/openapi.json", null));
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        }) { BaseAddress = server };
        async Task<int> GetAsync(string path, string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return (int)response.StatusCode;
        }
        var statuses = await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            var (path, token) = requests[c % requests.Count];
            var mine = new int[RequestsPerConnection];
            for (var i = 0; i < mine.Length; i++) mine[i] = await GetAsync(path, token);
            return mine;
        }, cancellationToken)));
        var all = statuses.SelectMany(s => s).ToList();
        var summary = string.Join(",", all.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}x{g.Count()}"));
        var paths = string.Join(" ", requests.Take(connections).Select(r => r.Path));
        StartupTrace.Mark($"warm-http {connections}x{RequestsPerConnection} {paths} {summary} via {server.Authority}");
        // Not an error of the app's (the request it stood for answers for itself), but worth a warning in the log.
        if (all.Any(s => s is < 200 or > 299)) throw new InvalidOperationException($"GET {paths} 的回答：{summary}");
        return all;
    }

    /// <summary>The latest <see cref="RecentPublications"/> publications of a level within <see cref="QuartersBack"/> quarters of <paramref name="now"/>, latest first.</summary>
    private static async Task<IReadOnlyList<Publication>> RecentAsync(AssessmentService service, UnitLevel level, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new List<Publication>();
        var (year, quarter) = (now.Year, (now.Month - 1) / 3 + 1);
        for (var i = 0; i < QuartersBack && found.Count < RecentPublications; i++)
        {
            if (await service.GetPublicationAsync(Period.OfQuarter(year, quarter), level, cancellationToken) is { } publication) found.Add(publication);
            (year, quarter) = quarter == 1 ? (year - 1, 4) : (year, quarter - 1);
        }
        return found;
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
