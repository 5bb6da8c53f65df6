using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>
/// Session tokens for the portal's cookie: HS256 JWTs signed with the API's key and carrying the API's claims
/// (<c>sub</c>, <c>role</c>, <c>unit</c>) plus the display name and a session id (<c>sid</c>), so one authorization
/// reads both a bearer token and a session cookie.
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

    /// <summary>Issues a token for <paramref name="user"/> valid from <paramref name="now"/> for the configured lifetime.</summary>
    public string Issue(PortalUser user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim>
        {
            new("sub", user.Name),
            new("role", Store.AccountRoles.ToClaim(user.Role)),
            new(PortalUser.DisplayNameClaim, user.DisplayName),
            new("sid", Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16))),
        };
        if (user.UnitCode is not null) claims.Add(new Claim("unit", user.UnitCode));
        var token = new JwtSecurityToken(_options.Issuer, _options.Audience, claims, now.UtcDateTime, now.Add(_options.Lifetime).UtcDateTime,
            new SigningCredentials(_key, SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    /// <summary>
    /// The session a token describes at <paramref name="now"/>, or null when it is forged, expired, not yet valid,
    /// for another issuer or audience, or lacks the claims (no exception for a bad token: it is simply no session).
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
            return new Session(user, principal.FindFirst("sid")?.Value ?? "", new DateTimeOffset(validated.ValidTo, TimeSpan.Zero), principal);
        }
        catch (Exception e) when (e is SecurityTokenException or ArgumentException)
        {
            return null;
        }
    }
}
