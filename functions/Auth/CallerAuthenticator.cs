using BaiQianWan.Assess.Functions.Portal;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// Builds a request's one <see cref="Caller"/> from its credentials, for <see cref="FunctionGate"/>: a bearer token when
/// <c>Authorization</c> is sent (nothing else is then read); else the portal's session cookie, valid only while its
/// account exists, is enabled, still has the session's epoch (sign-out, a new password, enabling or disabling move it on)
/// and the same role and unit, and the session is within its absolute lifetime; else Easy Auth's identity when trusted.
/// Sessions are checked with the app's clock, here and nowhere else, for the portal and the API alike.
/// </summary>
public sealed class CallerAuthenticator(TokenAuthenticator tokens, PortalKeys keys, IAccountStore accounts, TimeProvider clock)
{
    /// <summary>Why a session cookie is refused (one text: it does not tell a disabled account from a signed-out one).</summary>
    public const string SessionEnded = "会话已结束，请重新登录";

    /// <summary>The session tokens, or null when the app has no shared key (no password sign-in).</summary>
    public SessionTokens? Sessions => keys.Sessions;

    /// <summary>The caller, or null and why not (null too when no credentials came at all).</summary>
    /// <param name="http">The exchange.</param>
    /// <returns>The caller; or null with the refusal for the 401, and whether a session cookie was refused (to clear it).</returns>
    public async Task<(Caller? Caller, string? Refusal, bool CookieRefused)> AuthenticateAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (request.Headers.Authorization.Count > 0)
        {
            var bearer = await tokens.AuthenticateAsync(request);
            return bearer.Principal is { } principal ? (Caller.FromClaims(principal, CallerKind.Bearer), null, false) : (null, bearer.Refusal, false);
        }
        string? refusal = null;
        var cookieRefused = false;
        if (request.Cookies[SessionCookie.Name] is { Length: > 0 } cookie && keys.Sessions is { } sessions)
        {
            if (await SessionAsync(sessions, cookie, http.RequestAborted) is { } caller) return (caller, null, false);
            (refusal, cookieRefused) = (SessionEnded, true);
        }
        var other = await tokens.AuthenticateAsync(request);
        if (other.Principal is { } easy) return (Caller.FromClaims(easy, CallerKind.EasyAuth), null, cookieRefused);
        return (null, refusal ?? (ReferenceEquals(other, Authentication.None) ? null : other.Refusal), cookieRefused);
    }

    private async Task<Caller?> SessionAsync(SessionTokens sessions, string cookie, CancellationToken cancellationToken)
    {
        if (sessions.Validate(cookie, clock.GetUtcNow()) is not { } session) return null;
        var account = await accounts.GetAsync(session.User.Name, cancellationToken);
        if (account is null || !account.Enabled || account.SessionEpoch != session.Epoch
            || account.Role != session.User.Role || !string.Equals(account.UnitCode, session.User.UnitCode, StringComparison.Ordinal))
            return null;
        return Caller.FromSession(account, session);
    }
}
