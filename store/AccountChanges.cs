namespace BaiQianWan.Assess.Store;

/// <summary>The account state changes both stores apply the same way.</summary>
internal static class AccountChanges
{
    /// <summary>One more failure; at <paramref name="lockAfter"/> the account locks and the count restarts.</summary>
    public static Account Failed(Account a, DateTimeOffset at, int lockAfter, TimeSpan lockFor)
    {
        var failed = a.FailedSignIns + 1;
        return failed >= lockAfter
            ? a with { FailedSignIns = 0, LockedUntil = at + lockFor }
            : a with { FailedSignIns = failed };
    }

    /// <summary>A new password: the failure count and any lock are cleared.</summary>
    public static Account Password(Account a, string passwordHash, bool mustChange) =>
        a with { PasswordHash = passwordHash, MustChangePassword = mustChange, FailedSignIns = 0, LockedUntil = null };

    /// <summary>A successful sign-in: the failure count and any lock are cleared, the time recorded.</summary>
    public static Account SignedIn(Account a, DateTimeOffset at) => a with { FailedSignIns = 0, LockedUntil = null, LastSignInAt = at };
}
