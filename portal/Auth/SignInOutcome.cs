namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>How a sign-in attempt ended.</summary>
public enum SignInOutcome
{
    /// <summary>Signed in: a session token was issued.</summary>
    SignedIn,

    /// <summary>Unknown name, wrong password or disabled account (deliberately not told apart).</summary>
    Refused,

    /// <summary>Too many failures: refused without checking the password until <see cref="SignInResult.LockedUntil"/>.</summary>
    LockedOut,
}
