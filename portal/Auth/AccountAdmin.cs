using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>
/// What an office does with accounts (the portal's accounts page and <c>cli user</c>): create with a one-time
/// password, disable, enable, reset (a new one-time password, unlocking), list. Each change names its actor, for the
/// audit entry the store appends with it.
/// </summary>
public sealed class AccountAdmin
{
    private readonly IAccountStore _accounts;
    private readonly TimeProvider _clock;

    /// <summary>Creates the service.</summary>
    public AccountAdmin(IAccountStore accounts, TimeProvider clock)
    {
        _accounts = accounts ?? throw new ArgumentNullException(nameof(accounts));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>
    /// Creates an account with a one-time password (changed at the first sign-in) and returns it with that password,
    /// which is shown once and never stored. Bad fields or a taken name: <see cref="StoreException"/>.
    /// </summary>
    /// <param name="name">Sign-in name.</param>
    /// <param name="displayName">Display name.</param>
    /// <param name="role">Role.</param>
    /// <param name="unitCode">Unit code (units).</param>
    /// <param name="actor">Who creates it (the audit log's actor).</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<(Account Account, string OneTimePassword)> CreateAsync(string name, string displayName, AccountRole role, string? unitCode,
        string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var password = Passwords.NewOneTime();
        var account = new Account(AccountNames.Normalize(name), (displayName ?? "").Trim(), role,
            string.IsNullOrWhiteSpace(unitCode) ? null : unitCode.Trim(), true, Passwords.Hash(password), true, 0, null, _clock.GetUtcNow(), null);
        return (await _accounts.CreateAsync(account, actor, cancellationToken), password);
    }

    /// <summary>Gives an account a new one-time password (and unlocks it), by <paramref name="actor"/>; returns the password.</summary>
    public async Task<string> ResetAsync(string name, string actor, CancellationToken cancellationToken = default)
    {
        var password = Passwords.NewOneTime();
        await _accounts.SetPasswordAsync(name, Passwords.Hash(password), mustChange: true, actor, _clock.GetUtcNow(), cancellationToken);
        return password;
    }

    /// <summary>Disables or enables an account, by <paramref name="actor"/>.</summary>
    public Task<Account> SetEnabledAsync(string name, bool enabled, string actor, CancellationToken cancellationToken = default) =>
        _accounts.SetEnabledAsync(name, enabled, actor, _clock.GetUtcNow(), cancellationToken);

    /// <summary>Every account, by name.</summary>
    public Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default) => _accounts.ListAsync(cancellationToken);
}
