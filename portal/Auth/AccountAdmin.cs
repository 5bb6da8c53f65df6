using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>
/// What an office does with accounts (the portal's accounts page and <c>cli user</c>): create with a one-time
/// password, disable, enable, reset (a new one-time password, unlocking), list.
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
    public async Task<(Account Account, string OneTimePassword)> CreateAsync(string name, string displayName, AccountRole role, string? unitCode,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var password = Passwords.NewOneTime();
        var account = new Account(AccountNames.Normalize(name), (displayName ?? "").Trim(), role,
            string.IsNullOrWhiteSpace(unitCode) ? null : unitCode.Trim(), true, Passwords.Hash(password), true, 0, null, _clock.GetUtcNow(), null);
        return (await _accounts.CreateAsync(account, cancellationToken), password);
    }

    /// <summary>Gives an account a new one-time password (and unlocks it); returns the password.</summary>
    public async Task<string> ResetAsync(string name, CancellationToken cancellationToken = default)
    {
        var password = Passwords.NewOneTime();
        await _accounts.SetPasswordAsync(name, Passwords.Hash(password), mustChange: true, cancellationToken);
        return password;
    }

    /// <summary>Disables or enables an account.</summary>
    public Task<Account> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken = default) =>
        _accounts.SetEnabledAsync(name, enabled, cancellationToken);

    /// <summary>Every account, by name.</summary>
    public Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default) => _accounts.ListAsync(cancellationToken);
}
