using System.Globalization;
using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>
/// Session tokens for the portal's cookie: HS256 JWTs signed with the API's key and carrying the API's claims
/// (<c>sub</c>, <c>role</c>, <c>unit</c>) plus the display name and a session id (<c>sid</c>), so one authorization
/// reads both a bearer token and a session cookie. A session also carries the account's session epoch (<c>sep</c>) and
/// its sign-in time (<c>auth_time</c>): it is ended by moving the account's epoch on, and never renewed past
/// <see cref="SessionOptions.AbsoluteLifetime"/> after signing in.
/// </summary>
public sealed class SessionTokens
{
    private readonly SessionOptions _options;
    private readonly SymmetricSecurityKey _key;

    /// <summary>Creates the issuer/validator; the key must have at least 32 bytes.</summary>
    public SessionTokens(SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SigningKey.Length < 32) throw new ArgumentException("签名密钥至少需要 32 字节", nameof(options));
        if (options.Lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "会话有效期必须大于 0");
        _options = options;
        _key = new SymmetricSecurityKey(options.SigningKey);
    }

    /// <summary>The options.</summary>
    public SessionOptions Options => _options;

    /// <summary>The claim holding the account's session epoch.</summary>
    public const string EpochClaim = "sep";

    /// <summary>The claim holding the sign-in time (seconds since 1970).</summary>
    public const string SignedInClaim = "auth_time";

    /// <summary>
    /// Issues a token for <paramref name="user"/> at sign-in (<paramref name="now"/>), under the account's session
    /// <paramref name="epoch"/>, valid for the configured lifetime.
    /// </summary>
    public string Issue(PortalUser user, long epoch, DateTimeOffset now) =>
        Write(user, epoch, Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)), now, now);

    /// <summary>
    /// The same session for another lifetime from <paramref name="now"/> (same id, epoch and sign-in time), never past its
    /// absolute end; null when that end has come.
    /// </summary>
    public string? Renew(Session session, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (now >= AbsoluteEnd(session.SignedInAt)) return null;
        return Write(session.User, session.Epoch, session.Id, session.SignedInAt, now);
    }

    /// <summary>When a session signed in at <paramref name="signedInAt"/> ends whatever its renewals.</summary>
    public DateTimeOffset AbsoluteEnd(DateTimeOffset signedInAt) => signedInAt + _options.AbsoluteLifetime;

    private string Write(PortalUser user, long epoch, string sid, DateTimeOffset signedInAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        // Whole seconds, as the token keeps them, so a renewal's end is computed from what was read back.
        signedInAt = DateTimeOffset.FromUnixTimeSeconds(signedInAt.ToUnixTimeSeconds());
        var claims = new List<Claim>
        {
            new("sub", user.Name),
            new("role", Store.AccountRoles.ToClaim(user.Role)),
            new(PortalUser.DisplayNameClaim, user.DisplayName),
            new("sid", sid),
            new(EpochClaim, epoch.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            new(SignedInClaim, signedInAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        };
        if (user.UnitCode is not null) claims.Add(new Claim("unit", user.UnitCode));
        var end = now.Add(_options.Lifetime);
        if (end > AbsoluteEnd(signedInAt)) end = AbsoluteEnd(signedInAt);
        var token = new JwtSecurityToken(_options.Issuer, _options.Audience, claims, now.UtcDateTime, end.UtcDateTime,
            new SigningCredentials(_key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    /// <summary>
    /// The session a token describes at <paramref name="now"/>, or null when it is forged, expired, not yet valid,
    /// for another issuer or audience, lacks the claims (a token from before epochs included), or is past its absolute
    /// lifetime (no exception for a bad token: it is simply no session).
    /// </summary>
    public Session? Validate(string? token, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(token)) return null;
        var handler = new JwtSecurityTokenHandler { MapInboundClaims = false };
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } e && now.UtcDateTime < e && (notBefore is not { } nb || now.UtcDateTime >= nb),
        };
        try
        {
            var principal = handler.ValidateToken(token, parameters, out var validated);
            var user = PortalUser.FromClaims(principal);
            if (user is null) return null;
            if (!long.TryParse(principal.FindFirst(EpochClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)) return null;
            if (!long.TryParse(principal.FindFirst(SignedInClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) return null;
            var signedInAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
            if (now < signedInAt || now >= AbsoluteEnd(signedInAt)) return null;
            if (principal.FindFirst("sid")?.Value is not { Length: > 0 } sid) return null;
            return new Session(user, sid, new DateTimeOffset(validated.ValidTo, TimeSpan.Zero), principal, epoch, signedInAt);
        }
        catch (Exception e) when (e is SecurityTokenException or ArgumentException)
        {
            return null;
        }
    }
}
