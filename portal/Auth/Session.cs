using System.Security.Claims;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>A session token whose signature and times are valid (whether its account still holds it is the caller's check).</summary>
/// <param name="User">Who, as the token says.</param>
/// <param name="Id">The session id (<c>sid</c>), kept across renewals.</param>
/// <param name="ExpiresAt">When the token stops being valid.</param>
/// <param name="Principal">The token's claims.</param>
/// <param name="Epoch">The account's <see cref="Store.Account.SessionEpoch"/> when the session began (claim <c>sep</c>).</param>
/// <param name="SignedInAt">When the user signed in (claim <c>auth_time</c>): the absolute lifetime counts from here.</param>
public sealed record Session(PortalUser User, string Id, DateTimeOffset ExpiresAt, ClaimsPrincipal Principal, long Epoch, DateTimeOffset SignedInAt);
