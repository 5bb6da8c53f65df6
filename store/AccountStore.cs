namespace BaiQianWan.Assess.Store;

/// <summary>
/// What both account stores do the same way: each change to an existing account is a function of the account as it is
/// (<see cref="AccountChanges"/>) and the audit entry it calls for, handed to the adapter's one atomic read–change–write
/// (<see cref="ChangeAsync"/>: a SQLite transaction, or an ETag-checked Azure write with its audit entry).
/// </summary>
public abstract class AccountStore : IAccountStore
{
    /// <inheritdoc />
    public abstract Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract Task<Account> CreateAsync(Account account, string actor, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract Task<Account?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public abstract Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public Task<Account> SetEnabledAsync(string name, bool enabled, string actor, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var audit = AccountChanges.Enabled(enabled, actor, at);
        return ChangeAsync(name, a => AccountChanges.EndSessions(a) with { Enabled = enabled }, (_, _) => audit, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Account> SetPasswordAsync(string name, string passwordHash, bool mustChange, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwordHash);
        var audit = AccountChanges.PasswordSet(mustChange, actor, at);
        return ChangeAsync(name, a => AccountChanges.Password(a, passwordHash, mustChange), (_, _) => audit, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Account> RecordFailedSignInAsync(string name, DateTimeOffset at, int lockAfter, TimeSpan lockFor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lockAfter, 1);
        return ChangeAsync(name, a => AccountChanges.Failed(a, at, lockAfter, lockFor), (before, after) => AccountChanges.Locked(before, after, at),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<Account> RecordSignInAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ChangeAsync(name, a => AccountChanges.SignedIn(a, at), (_, _) => null, cancellationToken);

    /// <inheritdoc />
    public Task<Account> EndSessionsAsync(string name, CancellationToken cancellationToken = default) =>
        ChangeAsync(name, AccountChanges.EndSessions, (_, _) => null, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to account <paramref name="name"/> as it is stored, and appends the entry
    /// <paramref name="audit"/> makes of the before and after (none when null), all or nothing; a missing account is
    /// <see cref="StoreError.NotFound"/>.
    /// </summary>
    private protected abstract Task<Account> ChangeAsync(string name, Func<Account, Account> change, Func<Account, Account, AccountAudit?> audit,
        CancellationToken cancellationToken);
}
