using System.Globalization;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>
/// Signing in to the portal, with no HTTP in it: checks a name and password against the account store, counts
/// failures (five lock the account for 15 minutes), issues session tokens, changes passwords, and maps an
/// identity forwarded by App Service Authentication (Easy Auth) to its account.
/// </summary>
public sealed class SignInService
{
    /// <summary>Failures in a row that lock an account.</summary>
    public const int LockAfter = 5;

    /// <summary>How long a lockout lasts.</summary>
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    /// <summary>The message for every refusal that must not tell whether the name exists.</summary>
    public const string RefusedMessage = "登录名或密码不正确";

    // Verified against when the name is unknown, so an unknown name costs as much time as a wrong password.
    private static readonly Lazy<string> DummyHash = new(() => Passwords.Hash(Passwords.NewOneTime()));

    private readonly IAccountStore _accounts;
    private readonly SessionTokens _tokens;
    private readonly TimeProvider _clock;

    /// <summary>Creates the service.</summary>
    public SignInService(IAccountStore accounts, SessionTokens tokens, TimeProvider clock)
    {
        _accounts = accounts ?? throw new ArgumentNullException(nameof(accounts));
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>The session tokens issued and validated.</summary>
    public SessionTokens Tokens => _tokens;

    /// <summary>Checks a name and password; on success records the sign-in and issues a token.</summary>
    public async Task<SignInResult> SignInAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var account = string.IsNullOrWhiteSpace(name) ? null : await _accounts.GetAsync(name, cancellationToken);
        if (account is null)
        {
            Passwords.Verify(DummyHash.Value, password ?? "");
            return Refused(null);
        }
        if (account.LockedUntil is { } until && until > now) return LockedOut(until);
        if (!Passwords.Verify(account.PasswordHash, password ?? ""))
        {
            var failed = await _accounts.RecordFailedSignInAsync(account.Name, now, LockAfter, LockFor, cancellationToken);
            return failed.LockedUntil is { } lockedNow && lockedNow > now ? LockedOut(lockedNow) : Refused(null);
        }
        if (!account.Enabled) return Refused(null);
        account = await _accounts.RecordSignInAsync(account.Name, now, cancellationToken);
        var user = PortalUser.Of(account);
        return new SignInResult(SignInOutcome.SignedIn, user, _tokens.Issue(user, account.SessionEpoch, now), account.MustChangePassword, null, null);
    }

    /// <summary>
    /// Replaces a signed-in user's password after checking the current one (a one-time password is changed this
    /// way). Returns null on success, or what is wrong (Chinese).
    /// </summary>
    public async Task<string?> ChangePasswordAsync(string name, string current, string replacement, CancellationToken cancellationToken = default)
    {
        var account = await _accounts.GetAsync(name, cancellationToken);
        if (account is null || !account.Enabled) return RefusedMessage;
        if (!Passwords.Verify(account.PasswordHash, current ?? "")) return "当前密码不正确";
        if (Passwords.Problem(replacement ?? "", account.Name) is { } problem) return problem;
        if (string.Equals(current, replacement, StringComparison.Ordinal)) return "新密码不能与当前密码相同";
        await _accounts.SetPasswordAsync(account.Name, Passwords.Hash(replacement!), mustChange: false, account.Name, _clock.GetUtcNow(), cancellationToken);
        return null;
    }

    /// <summary>True while the account must change its one-time password (checked on every page, so a session cannot skip it).</summary>
    public async Task<bool> MustChangePasswordAsync(string name, CancellationToken cancellationToken = default) =>
        (await _accounts.GetAsync(name, cancellationToken))?.MustChangePassword ?? false;

    /// <summary>
    /// The enabled account an Easy Auth identity (<c>X-MS-CLIENT-PRINCIPAL-NAME</c>) names, as a user, or null when no
    /// enabled account has that name. No password is asked: App Service has authenticated the person.
    /// </summary>
    public async Task<PortalUser?> FromEasyAuthAsync(string? principalName, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(principalName)) return null;
        var account = await _accounts.GetAsync(principalName, cancellationToken);
        return account is { Enabled: true } ? PortalUser.Of(account) : null;
    }

    private static SignInResult Refused(DateTimeOffset? lockedUntil) =>
        new(SignInOutcome.Refused, null, null, false, lockedUntil, RefusedMessage);

    private static SignInResult LockedOut(DateTimeOffset until) =>
        new(SignInOutcome.LockedOut, null, null, false, until,
            $"连续 {LockAfter} 次登录失败，账户已锁定至 {until.ToOffset(TimeSpan.FromHours(8)).ToString("HH:mm", CultureInfo.InvariantCulture)}（北京时间），请稍后再试或联系考核办重置密码");
}
