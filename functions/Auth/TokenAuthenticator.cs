using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// Authenticates a request: a bearer JWT (HS256 with the shared key, or signed by the authority's keys), or, when
/// trusted (<see cref="AuthConfiguration.TrustEasyAuth"/>), the identity Easy Auth forwards. A caller carries exactly
/// one role and at most one unit: a token with more than one of either is refused, never read as its first value.
/// An authority's tokens may carry the role as Entra ID app roles (<c>roles</c>: <c>office</c>, <c>author</c>,
/// <c>unit.CODE</c>, as Easy Auth's), and name the caller by <c>preferred_username</c> when they have one.
/// </summary>
public sealed class TokenAuthenticator
{
    /// <summary>The header App Service Authentication sets (base64 JSON of the signed-in principal).</summary>
    public const string EasyAuthHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The claim an authority's app roles come in (Microsoft Entra ID).</summary>
    public const string AppRolesClaim = "roles";

    /// <summary>The claim naming the signed-in user in an authority's tokens, preferred over <c>sub</c> as the actor.</summary>
    public const string UserNameClaim = "preferred_username";

    private readonly AuthConfiguration _auth;
    private readonly ILogger _log;
    private readonly TokenValidationParameters _parameters;
    private readonly string? _metadataAddress;
    private readonly Lock _refreshing = new();
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    /// <summary>The shortest time between two fetches of the authority's keys that a token naming an unknown key forces.</summary>
    public static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromMinutes(5);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>Prepares validation for the settled configuration.</summary>
    public TokenAuthenticator(AuthConfiguration auth, ILogger<TokenAuthenticator>? log = null)
    {
        _auth = auth;
        _log = log ?? (ILogger)NullLogger.Instance;
        var options = auth.Options;
        _parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = options.Issuer,
            ValidateAudience = true,
            ValidAudience = options.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(1),
            NameClaimType = Roles.SubjectClaim,
            RoleClaimType = Roles.RoleClaim,
            AuthenticationType = "Bearer",
        };
        if (auth.SigningKey is { } key)
        {
            _parameters.IssuerSigningKey = new SymmetricSecurityKey(key);
            _parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
        else if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            var authority = options.Authority.TrimEnd('/');
            // The authority's document names its issuer and signing keys; they are fetched and refreshed as needed.
            _parameters.ValidateIssuer = true;
            _parameters.ValidIssuer = null;
            _metadataAddress = authority + "/.well-known/openid-configuration";
            _parameters.ConfigurationManager = NewAuthority();
        }
    }

    /// <summary>
    /// Authenticates <paramref name="request"/> by its bearer token, or else Easy Auth's identity when trusted. The portal's
    /// session cookie is not read here: <see cref="CallerAuthenticator"/> checks it against its account.
    /// </summary>
    public async Task<Authentication> AuthenticateAsync(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0) return await BearerAsync(header);
        if (_auth.TrustEasyAuth && request.Headers[EasyAuthHeader].ToString() is { Length: > 0 } principal) return EasyAuth(principal);
        return Authentication.None;
    }

    private async Task<Authentication> BearerAsync(string header)
    {
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Authentication.Refused("Authorization 应为 Bearer 令牌");
        if (_auth.SigningKey is null && _parameters.ConfigurationManager is null) return Authentication.Refused("这个应用不接受 Bearer 令牌");
        var token = header["Bearer ".Length..].Trim();
        var authority = _parameters.ConfigurationManager;
        if (authority is not null)
        {
            // The authority's keys, fetched once and kept (refreshed as it says); a failure is the caller's 401 and a log
            // line for the operator, never a 500.
            try
            {
                await authority.GetBaseConfigurationAsync(CancellationToken.None);
            }
            catch (Exception e) when (Unreachable(e))
            {
                _log.LogError(e, "无法从 {Authority} 取得令牌颁发者的签名密钥", _auth.Options.Authority);
                return Authentication.Refused("无法取得令牌颁发者的签名密钥");
            }
        }
        var result = await ValidateAsync(token);
        if (authority is not null && result?.Exception is SecurityTokenSignatureKeyNotFoundException && await RefetchKeysAsync())
        {
            // A key the authority rotated in since its keys were fetched: they were fetched again; validate once more.
            result = await ValidateAsync(token);
        }
        if (result is null) return Authentication.Refused("令牌无效");
        if (!result.IsValid)
            return Authentication.Refused(result.Exception is SecurityTokenExpiredException ? "令牌已过期" : "令牌无效");
        // A portal session's token (same key) copied out of its cookie would escape the session's checks as a bearer token.
        if (result.ClaimsIdentity.HasClaim(c => c.Type == BaiQianWan.Assess.Portal.Auth.SessionTokens.EpochClaim))
            return Authentication.Refused("会话令牌只能由门户的会话 Cookie 携带");
        var claims = authority is null ? result.ClaimsIdentity.Claims : FromAuthority(result.ClaimsIdentity.Claims);
        return Single(new ClaimsIdentity(claims, "Bearer", Roles.SubjectClaim, Roles.RoleClaim));
    }

    private ConfigurationManager<OpenIdConnectConfiguration> NewAuthority() =>
        new(_metadataAddress!, new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = _metadataAddress!.StartsWith("https:", StringComparison.OrdinalIgnoreCase) });

    /// <summary>
    /// Fetches the authority's keys again, now (the SDK's own refresh on request runs in the background, after the
    /// request that needed it), at most once per <see cref="ForcedRefreshInterval"/>, so tokens naming made-up keys
    /// cannot make the app hammer the authority. True when fresh keys are in place.
    /// </summary>
    private async Task<bool> RefetchKeysAsync()
    {
        lock (_refreshing)
        {
            var now = DateTimeOffset.UtcNow;
            if (now - _lastForcedRefresh < ForcedRefreshInterval) return false;
            _lastForcedRefresh = now;
        }
        var fresh = NewAuthority();
        try
        {
            await fresh.GetBaseConfigurationAsync(CancellationToken.None);
        }
        catch (Exception e) when (Unreachable(e))
        {
            _log.LogError(e, "无法从 {Authority} 重新取得令牌颁发者的签名密钥", _auth.Options.Authority);
            return false;
        }
        _parameters.ConfigurationManager = fresh;
        return true;
    }

    /// <summary>What fetching the authority's document or keys throws when it cannot be reached or answers nonsense.</summary>
    private static bool Unreachable(Exception e) => e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException;

    private async Task<TokenValidationResult?> ValidateAsync(string token)
    {
        try
        {
            return await _handler.ValidateTokenAsync(token, _parameters);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return null;
        }
    }

    /// <summary>
    /// An authority's claims in ours: app roles (<c>roles</c>) become a role and unit as Easy Auth's do (others are
    /// ignored), beside any <c>role</c>/<c>unit</c> claims (so two different roles are still refused); the actor is the
    /// signed-in name when the token has one.
    /// </summary>
    private static List<Claim> FromAuthority(IEnumerable<Claim> source)
    {
        var claims = new List<Claim>();
        var userName = source.FirstOrDefault(c => c.Type == UserNameClaim && c.Value.Length > 0)?.Value;
        foreach (var claim in source)
        {
            if (claim.Type == AppRolesClaim) AddAppRole(claims, claim.Value);
            else if (!(claim.Type == Roles.SubjectClaim && userName is not null)) claims.Add(claim);
        }
        if (userName is not null) claims.Add(new Claim(Roles.SubjectClaim, userName));
        // The same role or unit said twice (a role claim and the app role) is one; two different ones stay two.
        return [.. claims.DistinctBy(c => (c.Type, c.Value))];
    }

    /// <summary>
    /// Easy Auth's principal: <c>{"auth_typ":…,"claims":[{"typ":…,"val":…}],"name_typ":…,"role_typ":…}</c>. Its app
    /// roles map to ours: <c>office</c>, <c>author</c>, or <c>unit.CODE</c> (a unit and its code).
    /// </summary>
    private static Authentication EasyAuth(string header)
    {
        EasyAuthPrincipal? principal;
        try
        {
            principal = JsonSerializer.Deserialize<EasyAuthPrincipal>(Convert.FromBase64String(header));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return Authentication.Refused("Easy Auth 身份无效");
        }
        if (principal?.Claims is null) return Authentication.Refused("Easy Auth 身份无效");
        var nameType = principal.NameType ?? ClaimTypes.Name;
        var roleType = principal.RoleType ?? "roles";
        var name = principal.Claims.FirstOrDefault(c => c.Type == nameType)?.Value;
        if (string.IsNullOrEmpty(name)) return Authentication.Refused("Easy Auth 身份没有名称");
        var claims = new List<Claim> { new(Roles.SubjectClaim, "easyauth:" + name) };
        foreach (var role in principal.Claims.Where(c => c.Type == roleType || c.Type == AppRolesClaim || c.Type == ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal))
            AddAppRole(claims, role);
        return Single(new ClaimsIdentity(claims, "EasyAuth", Roles.SubjectClaim, Roles.RoleClaim));
    }

    /// <summary>An app role (Entra ID's, through Easy Auth or in an authority's token) as ours: <c>office</c>, <c>author</c>, or <c>unit.CODE</c> (a unit and its code); any other is ignored.</summary>
    private static void AddAppRole(List<Claim> claims, string role)
    {
        if (role is Roles.Office or Roles.Author) claims.Add(new Claim(Roles.RoleClaim, role));
        else if (role.StartsWith(Roles.Unit + ".", StringComparison.Ordinal) && role.Length > Roles.Unit.Length + 1)
        {
            claims.Add(new Claim(Roles.RoleClaim, Roles.Unit));
            claims.Add(new Claim(Roles.UnitClaim, role[(Roles.Unit.Length + 1)..]));
        }
    }

    private static Authentication Single(ClaimsIdentity identity)
    {
        if (identity.FindAll(Roles.RoleClaim).Count() > 1) return Authentication.Refused("令牌含有多个角色");
        if (identity.FindAll(Roles.UnitClaim).Count() > 1) return Authentication.Refused("令牌含有多个单位");
        return new Authentication(new ClaimsPrincipal(identity), null);
    }

    private sealed record EasyAuthPrincipal(
        [property: System.Text.Json.Serialization.JsonPropertyName("auth_typ")] string? AuthType,
        [property: System.Text.Json.Serialization.JsonPropertyName("claims")] IReadOnlyList<EasyAuthClaim>? Claims,
        [property: System.Text.Json.Serialization.JsonPropertyName("name_typ")] string? NameType,
        [property: System.Text.Json.Serialization.JsonPropertyName("role_typ")] string? RoleType);

    private sealed record EasyAuthClaim(
        [property: System.Text.Json.Serialization.JsonPropertyName("typ")] string Type,
        [property: System.Text.Json.Serialization.JsonPropertyName("val")] string Value);
}
