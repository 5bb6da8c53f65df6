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

    /// <summary>A new password: the failure count and any lock are cleared, and every session of the account ends.</summary>
    public static Account Password(Account a, string passwordHash, bool mustChange) =>
        EndSessions(a) with { PasswordHash = passwordHash, MustChangePassword = mustChange, FailedSignIns = 0, LockedUntil = null };

    /// <summary>Every session of the account ends: the next epoch.</summary>
    public static Account EndSessions(Account a) => a with { SessionEpoch = a.SessionEpoch + 1 };

    /// <summary>The audit entry of a new account.</summary>
    public static AccountAudit Created(Account a, string actor) =>
        new(a.CreatedAt, Actor(actor), "account.create", $"role={a.Role.ToClaim()}{(a.UnitCode is { } u ? " unit=" + u : "")} name={a.DisplayName}");

    /// <summary>The audit entry of enabling or disabling.</summary>
    public static AccountAudit Enabled(bool enabled, string actor, DateTimeOffset at) => new(at, Actor(actor), enabled ? "account.enable" : "account.disable", null);

    /// <summary>The audit entry of a new password: a one-time one set by an office, or one the user chose.</summary>
    public static AccountAudit PasswordSet(bool mustChange, string actor, DateTimeOffset at) =>
        new(at, Actor(actor), mustChange ? "account.reset" : "account.password", mustChange ? "一次性密码，须在下次登录时修改" : null);

    /// <summary>The audit entry of a failure that locked the account, or null when it did not.</summary>
    public static AccountAudit? Locked(Account before, Account after, DateTimeOffset at) =>
        after.LockedUntil is { } until && before.LockedUntil != until
            ? new(at, IAccountStore.SystemActor, "account.lock",
                $"连续登录失败，锁定至 {until.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)}")
            : null;

    private static string Actor(string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return actor.Trim();
    }

    /// <summary>True for an office account that is enabled: the offices that can still run the portal.</summary>
    public static bool IsActiveOffice(Account a) => a is { Role: AccountRole.Office, Enabled: true };

    /// <summary>True when a change takes an active office out of service (disabled, or no longer an office).</summary>
    public static bool RemovesAnOffice(Account before, Account after) => IsActiveOffice(before) && !IsActiveOffice(after);

    /// <summary>The refusal of a change that would leave no active office (checked inside the store's change).</summary>
    public static StoreException LastOffice(string name) =>
        new(StoreError.Conflict, $"不能停用 {name}：它是最后一个启用的考核办账户，至少要保留一个");

    /// <summary>A successful sign-in: the failure count and any lock are cleared, the time recorded.</summary>
    public static Account SignedIn(Account a, DateTimeOffset at) => a with { FailedSignIns = 0, LockedUntil = null, LastSignInAt = at };
}
