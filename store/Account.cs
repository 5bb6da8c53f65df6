namespace BaiQianWan.Assess.Store;

/// <summary>A portal account as stored.</summary>
/// <param name="Name">Sign-in name: lower case, 1–64 of <c>a-z 0-9 . _ - @</c> (see <see cref="AccountNames"/>).</param>
/// <param name="DisplayName">Name shown in the portal.</param>
/// <param name="Role">What the account may do.</param>
/// <param name="UnitCode">The unit's code for <see cref="AccountRole.Unit"/> accounts, otherwise null.</param>
/// <param name="Enabled">False when an office has disabled it: it cannot sign in.</param>
/// <param name="PasswordHash">ASP.NET Core Identity's PBKDF2 hash of the password.</param>
/// <param name="MustChangePassword">True while the password is a one-time one (new or reset account).</param>
/// <param name="FailedSignIns">Failed sign-ins since the last success or lockout.</param>
/// <param name="LockedUntil">Until when sign-in is refused after too many failures, or null.</param>
/// <param name="CreatedAt">When the account was made.</param>
/// <param name="LastSignInAt">The last successful sign-in, or null.</param>
/// <param name="SessionEpoch">
/// The account's session generation: every portal session carries the epoch it was issued under and is valid only while
/// the account still has it. Sign-out, a new password (reset or change) and enabling or disabling add one, which ends
/// every session of the account at once.
/// </param>
public sealed record Account(
    string Name,
    string DisplayName,
    AccountRole Role,
    string? UnitCode,
    bool Enabled,
    string PasswordHash,
    bool MustChangePassword,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt,
    long SessionEpoch = 0);
