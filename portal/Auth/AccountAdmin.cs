using BaiQianWan.Assess.Rules.Data;
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
    private readonly IAssessStore _units;

    /// <summary>Creates the service; <paramref name="units"/> is the assessment store whose units unit accounts must name.</summary>
    public AccountAdmin(IAccountStore accounts, TimeProvider clock, IAssessStore units)
    {
        _accounts = accounts ?? throw new ArgumentNullException(nameof(accounts));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _units = units ?? throw new ArgumentNullException(nameof(units));
    }

    /// <summary>
    /// Creates an account with a one-time password (changed at the first sign-in) and returns it with that password,
    /// which is shown once and never stored. Bad fields or a taken name: <see cref="StoreException"/>; a unit account's
    /// code must be a code (<see cref="TextRules.CodePattern"/>) of a unit imported for some year (invalid otherwise).
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
        unitCode = string.IsNullOrWhiteSpace(unitCode) ? null : unitCode.Trim();
        if (role == AccountRole.Unit && unitCode is not null)
        {
            if (!TextRules.IsCode(unitCode)) throw new StoreException(StoreError.Invalid, AccountNames.UnitCodeProblem);
            if (!await UnitExistsAsync(unitCode, cancellationToken))
                throw new StoreException(StoreError.Invalid, $"没有代码为 {unitCode} 的单位：单位账户须对应已导入的单位名单中的单位");
        }
        var password = Passwords.NewOneTime(AccountNames.Normalize(name));
        var account = new Account(AccountNames.Normalize(name), (displayName ?? "").Trim(), role,
            unitCode, true, Passwords.Hash(password), true, 0, null, _clock.GetUtcNow(), null);
        return (await _accounts.CreateAsync(account, actor, cancellationToken), password);
    }

    /// <summary>Gives an account a new one-time password (and unlocks it), by <paramref name="actor"/>; returns the password.</summary>
    public async Task<string> ResetAsync(string name, string actor, CancellationToken cancellationToken = default)
    {
        var password = Passwords.NewOneTime(AccountNames.Normalize(name));
        await _accounts.SetPasswordAsync(name, Passwords.Hash(password), mustChange: true, actor, _clock.GetUtcNow(), cancellationToken);
        return password;
    }

    /// <summary>Disables or enables an account, by <paramref name="actor"/>.</summary>
    public Task<Account> SetEnabledAsync(string name, bool enabled, string actor, CancellationToken cancellationToken = default) =>
        _accounts.SetEnabledAsync(name, enabled, actor, _clock.GetUtcNow(), cancellationToken);

    /// <summary>True when some year's units (the years units were imported for) include <paramref name="code"/> (ordinal).</summary>
    private async Task<bool> UnitExistsAsync(string code, CancellationToken cancellationToken)
    {
        var years = (await _units.ListImportsAsync(cancellationToken)).Where(b => b.Kind == ImportKind.Units).Select(b => b.Year).OfType<int>().Distinct();
        foreach (var year in years.OrderDescending())
            if ((await _units.GetUnitsAsync(year, cancellationToken)).Any(u => string.Equals(u.Code, code, StringComparison.Ordinal)))
                return true;
        return false;
    }

    /// <summary>Every account, by name.</summary>
    public Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default) => _accounts.ListAsync(cancellationToken);
}
