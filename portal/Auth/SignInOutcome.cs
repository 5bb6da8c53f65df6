namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>How a sign-in attempt ended.</summary>
public enum SignInOutcome
{
    /// <summary>Signed in: a session token was issued.</summary>
    SignedIn,

    /// <summary>Unknown name, wrong password or disabled account (deliberately not told apart).</summary>
    Refused,

    /// <summary>
    /// Too many failures: refused until <see cref="SignInResult.LockedUntil"/>, with the same message as
    /// <see cref="Refused"/> (so a lockout does not tell that the name exists).
    /// </summary>
    LockedOut,

    /// <summary>Too many attempts for the name or from the address: refused unchecked; try again after <see cref="SignInResult.RetryAfter"/>.</summary>
    Throttled,
}
