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
/// <para>Changes an office makes, a user's own password change and a lockout append an entry to the assessment
/// store's audit log (<see cref="IAuditStore.GetAuditLogAsync"/>) in the same change as the account write, so there is
/// never one without the other: <c>account.create</c>, <c>account.disable</c>, <c>account.enable</c>,
/// <c>account.reset</c> (a one-time password), <c>account.password</c> (a password the user chose), <c>account.lock</c>
/// (actor <see cref="SystemActor"/>). The target is the account's name; no password or hash is ever written there.
/// Counting a failure that does not lock and recording a sign-in are not audited.</para>
/// </remarks>
public interface IAccountStore : IAsyncDisposable
{
    /// <summary>The actor of audit entries no person caused (a lockout after failed sign-ins).</summary>
    const string SystemActor = "system";

    /// <summary>
    /// Creates the table if needed, and the assessment store's schema beside it (the audit log it appends to). Safe to
    /// call on every start.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds an account, audited (<c>account.create</c>) by <paramref name="actor"/> at its creation time; a
    /// <see cref="StoreException"/> (conflict) when the name is taken, (invalid) for bad fields.
    /// </summary>
    Task<Account> CreateAsync(Account account, string actor, CancellationToken cancellationToken = default);

    /// <summary>The account with this name, or null.</summary>
    Task<Account?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every account, ordered by name (ordinal).</summary>
    Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Enables or disables an account, audited (<c>account.enable</c> / <c>account.disable</c>) by <paramref name="actor"/>
    /// at <paramref name="at"/>; a <see cref="StoreException"/> (not found) for an unknown name, (conflict) for disabling the
    /// last enabled office account, checked inside the same atomic change, so two offices disabling each other at once
    /// leave one.
    /// </summary>
    Task<Account> SetEnabledAsync(string name, bool enabled, string actor, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the password hash, sets whether it must be changed at the next sign-in, and clears the failure
    /// count and any lockout (an office's reset unlocks). Audited by <paramref name="actor"/> at <paramref name="at"/>:
    /// <c>account.reset</c> when <paramref name="mustChange"/> (a one-time password), <c>account.password</c> otherwise.
    /// Not found: <see cref="StoreException"/>.
    /// </summary>
    Task<Account> SetPasswordAsync(string name, string passwordHash, bool mustChange, string actor, DateTimeOffset at,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a failed sign-in. When the count reaches <paramref name="lockAfter"/>, the account is locked until
    /// <paramref name="at"/> + <paramref name="lockFor"/> and the count starts again from zero, audited
    /// (<c>account.lock</c>, actor <see cref="SystemActor"/>). Returns the account as it now is; not found: <see cref="StoreException"/>.
    /// </summary>
    Task<Account> RecordFailedSignInAsync(string name, DateTimeOffset at, int lockAfter, TimeSpan lockFor, CancellationToken cancellationToken = default);

    /// <summary>Records a successful sign-in at <paramref name="at"/>: the failure count and lockout are cleared.</summary>
    Task<Account> RecordSignInAsync(string name, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends every portal session of the account (sign-out): its <see cref="Account.SessionEpoch"/> moves on, so a session
    /// issued before is refused on its next request, wherever its cookie was copied. Not audited. Not found:
    /// <see cref="StoreException"/>. <see cref="SetPasswordAsync"/> and <see cref="SetEnabledAsync"/> end them too.
    /// </summary>
    Task<Account> EndSessionsAsync(string name, CancellationToken cancellationToken = default);
}
