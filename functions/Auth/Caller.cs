using System.Security.Claims;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>How a caller proved who they are.</summary>
public enum CallerKind
{
    /// <summary>A bearer token in <c>Authorization</c> (the CLI's, or an authority's): its claims are the caller.</summary>
    Bearer,

    /// <summary>The portal's session cookie, checked against its account on this request.</summary>
    Session,

    /// <summary>The identity App Service Authentication forwarded (hosted, when trusted): its app roles are the caller's.</summary>
    EasyAuth,
}

/// <summary>
/// The one caller of a request, built once by <see cref="FunctionGate"/> (through <see cref="CallerAuthenticator"/>) before
/// any function runs, and read by the API (<see cref="HttpContext.User"/> is its <see cref="Principal"/>) and the portal
/// (<see cref="User"/>) alike. Its role comes from its credential: a bearer token's or Easy Auth's own claims, or, for a
/// session, the account the session was checked against (which is the role the session was issued with: a session whose
/// account's role or unit has changed since is refused). Never from an account that merely shares a name.
/// </summary>
/// <param name="Principal">The claims the API's policies read (<c>sub</c>, <c>role</c>, <c>unit</c>).</param>
/// <param name="Kind">The credential.</param>
/// <param name="User">The portal's view of the same caller, or null when the credential names no role the portal knows.</param>
/// <param name="Account">The account (sessions only; null for tokens and Easy Auth, which have none in play).</param>
/// <param name="Session">The session (sessions only).</param>
public sealed record Caller(ClaimsPrincipal Principal, CallerKind Kind, PortalUser? User, Account? Account, Session? Session)
{
    /// <summary>The request's caller, or null when nobody is authenticated (or the gate has not run).</summary>
    public static Caller? Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Features.Get<Caller>();
    }

    /// <summary>A caller whose claims come from a token or Easy Auth.</summary>
    public static Caller FromClaims(ClaimsPrincipal principal, CallerKind kind) => new(principal, kind, PortalUser.FromClaims(principal), null, null);

    /// <summary>A session's caller: the account's name, role, unit and display name (the ones the session was issued with).</summary>
    public static Caller FromSession(Account account, Session session)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(session);
        var claims = new List<Claim>
        {
            new(Roles.SubjectClaim, account.Name),
            new(Roles.RoleClaim, account.Role.ToClaim()),
            new(PortalUser.DisplayNameClaim, account.DisplayName),
            new("sid", session.Id),
        };
        if (account.Role == AccountRole.Unit && account.UnitCode is { } unit) claims.Add(new Claim(Roles.UnitClaim, unit));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Session", Roles.SubjectClaim, Roles.RoleClaim));
        return new Caller(principal, CallerKind.Session, PortalUser.Of(account), account, session);
    }
}
