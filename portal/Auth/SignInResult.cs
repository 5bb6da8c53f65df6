namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>The answer to a sign-in attempt.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="User">The user, when signed in.</param>
/// <param name="Token">The session token for the cookie, when signed in.</param>
/// <param name="MustChangePassword">True when the password was a one-time one: the portal asks for a new one first.</param>
/// <param name="LockedUntil">Until when the account is locked (locked out, or locked by this failure).</param>
/// <param name="Message">What to tell the user (Chinese), null when signed in.</param>
/// <param name="RetryAfter">How long to wait when throttled.</param>
public sealed record SignInResult(SignInOutcome Outcome, PortalUser? User, string? Token, bool MustChangePassword, DateTimeOffset? LockedUntil, string? Message,
    TimeSpan? RetryAfter = null)
{
    /// <summary>True when signed in.</summary>
    public bool Succeeded => Outcome == SignInOutcome.SignedIn;
}
