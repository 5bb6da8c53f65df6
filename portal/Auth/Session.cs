using System.Security.Claims;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>A validated session.</summary>
/// <param name="User">Who.</param>
/// <param name="Id">The session id (<c>sid</c>): antiforgery tokens are bound to it.</param>
/// <param name="ExpiresAt">When the token stops being valid.</param>
/// <param name="Principal">The token's claims, for the API's authorization.</param>
public sealed record Session(PortalUser User, string Id, DateTimeOffset ExpiresAt, ClaimsPrincipal Principal);
