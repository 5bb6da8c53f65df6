namespace BaiQianWan.Assess.Store;

/// <summary>
/// Portal accounts: who may sign in, with which role and unit. One contract, two implementations (SQLite beside
/// the assessment store's tables, an Azure table when hosted); one contract test suite runs on both.
/// </summary>
/// <remarks>
/// Names are stored normalized (<see cref="AccountNames.Normalize"/>) and every lookup normalizes, so
/// <c>Office</c> and <c>office</c> are one account. Each call is atomic; the failed-sign-in counter is
/// incremented without lost updates when two sign-ins fail at once. Times come from the caller.
/// Password hashing is the caller's: the store keeps the hash as given.
/// </remarks>
public interface IAccountStore : IAsyncDisposable
{
    /// <summary>Creates the table if needed. Safe to call on every start.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds an account; a <see cref="StoreException"/> (conflict) when the name is taken, (invalid) for bad fields.</summary>
    Task<Account> CreateAsync(Account account, CancellationToken cancellationToken = default);

    /// <summary>The account with this name, or null.</summary>
    Task<Account?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every account, ordered by name (ordinal).</summary>
    Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Enables or disables an account; a <see cref="StoreException"/> (not found) for an unknown name.</summary>
    Task<Account> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the password hash, sets whether it must be changed at the next sign-in, and clears the failure
    /// count and any lockout (an office's reset unlocks). Not found: <see cref="StoreException"/>.
    /// </summary>
    Task<Account> SetPasswordAsync(string name, string passwordHash, bool mustChange, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a failed sign-in. When the count reaches <paramref name="lockAfter"/>, the account is locked until
    /// <paramref name="at"/> + <paramref name="lockFor"/> and the count starts again from zero.
    /// Returns the account as it now is; not found: <see cref="StoreException"/>.
    /// </summary>
    Task<Account> RecordFailedSignInAsync(string name, DateTimeOffset at, int lockAfter, TimeSpan lockFor, CancellationToken cancellationToken = default);

    /// <summary>Records a successful sign-in at <paramref name="at"/>: the failure count and lockout are cleared.</summary>
    Task<Account> RecordSignInAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default);
}
