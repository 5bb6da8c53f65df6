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
}
