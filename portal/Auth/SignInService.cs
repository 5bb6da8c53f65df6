using System.Globalization;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>
/// Signing in to the portal, with no HTTP in it: checks a name and password against the account store, counts
/// failures (five lock the account for 15 minutes, told with the same message as any refusal), throttles attempts per
/// name and client address (<see cref="SignInThrottle"/>), issues session tokens, changes passwords, and maps an
/// identity forwarded by App Service Authentication (Easy Auth) to its account.
/// </summary>
public sealed class SignInService
{
    /// <summary>Failures in a row that lock an account.</summary>
    public const int LockAfter = 5;

    /// <summary>How long a lockout lasts.</summary>
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The message for every refusal, whether the name is unknown, the password wrong, the account disabled or locked: it
    /// must not tell whether the name exists.
    /// </summary>
    public const string RefusedMessage = "登录名或密码不正确（连续输错 5 次，账户将锁定 15 分钟；如忘记密码，请联系考核办重置）";

    /// <summary>The change-password form's answer once wrong current passwords have locked the account.</summary>
    public const string ChangeLockedMessage = "当前密码连续输错，账户已锁定 15 分钟；请稍后再试或联系考核办重置密码";

    // Verified against when the name is unknown, so an unknown name costs as much time as a wrong password.
    private static readonly Lazy<string> DummyHash = new(() => Passwords.Hash(Passwords.NewOneTime("")));

    private readonly IAccountStore _accounts;
    private readonly SessionTokens _tokens;
    private readonly TimeProvider _clock;
    private readonly SignInThrottle? _throttle;

    /// <summary>Creates the service; with a <paramref name="throttle"/>, sign-ins are throttled per name and client address.</summary>
    public SignInService(IAccountStore accounts, SessionTokens tokens, TimeProvider clock, SignInThrottle? throttle = null)
    {
        _accounts = accounts ?? throw new ArgumentNullException(nameof(accounts));
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _throttle = throttle;
    }

    /// <summary>The session tokens issued and validated.</summary>
    public SessionTokens Tokens => _tokens;

    /// <summary>Checks a name and password; on success records the sign-in and issues a token.</summary>
    public Task<SignInResult> SignInAsync(string name, string password, CancellationToken cancellationToken = default) =>
        SignInAsync(name, password, null, cancellationToken);

    /// <summary>
    /// Checks a name and password from <paramref name="clientAddress"/> (null when unknown); on success records the sign-in
    /// and issues a token. Over the throttle's limits the answer is <see cref="SignInOutcome.Throttled"/>, with the time to
    /// wait, and neither the account nor the password is looked at.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string name, string password, string? clientAddress, CancellationToken cancellationToken = default)
    {
        name ??= "";
        SignInTicket? ticket = null;
        if (_throttle is not null)
        {
            (ticket, var wait) = _throttle.TryStart(clientAddress, name);
            if (ticket is null) return Throttled(wait);
        }
        var result = await CheckAsync(name, password ?? "", cancellationToken);
        if (result.Succeeded && ticket is not null) _throttle!.Succeeded(ticket);
        return result;
    }

    private async Task<SignInResult> CheckAsync(string name, string password, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var account = string.IsNullOrWhiteSpace(name) ? null : await _accounts.GetAsync(name, cancellationToken);
        if (account is null)
        {
            Passwords.Verify(DummyHash.Value, password);
            return Refused(SignInOutcome.Refused, null);
        }
        if (account.LockedUntil is { } until && until > now)
        {
            Passwords.Verify(account.PasswordHash, password); // the same time as any other refusal
            return Refused(SignInOutcome.LockedOut, until);
        }
        if (!Passwords.Verify(account.PasswordHash, password))
        {
            var failed = await _accounts.RecordFailedSignInAsync(account.Name, now, LockAfter, LockFor, cancellationToken);
            return failed.LockedUntil is { } lockedNow && lockedNow > now ? Refused(SignInOutcome.LockedOut, lockedNow) : Refused(SignInOutcome.Refused, null);
        }
        if (!account.Enabled) return Refused(SignInOutcome.Refused, null);
        account = await _accounts.RecordSignInAsync(account.Name, now, cancellationToken);
        var user = PortalUser.Of(account);
        return new SignInResult(SignInOutcome.SignedIn, user, _tokens.Issue(user, account.SessionEpoch, now), account.MustChangePassword, null, null);
    }

    /// <summary>
    /// Replaces a signed-in user's password after checking the current one (a one-time password is changed this
    /// way). A wrong current password counts toward the lockout as a failed sign-in does, and a locked account cannot
    /// change it. Returns null on success, or what is wrong (Chinese).
    /// </summary>
    public async Task<string?> ChangePasswordAsync(string name, string current, string replacement, CancellationToken cancellationToken = default)
    {
        var account = await _accounts.GetAsync(name, cancellationToken);
        if (account is null || !account.Enabled) return RefusedMessage;
        var now = _clock.GetUtcNow();
        if (account.LockedUntil is { } until && until > now) return ChangeLockedMessage;
        if (!Passwords.Verify(account.PasswordHash, current ?? ""))
        {
            // Counted as a failed sign-in: a stolen session cannot guess the password faster than the sign-in page can.
            var failed = await _accounts.RecordFailedSignInAsync(account.Name, now, LockAfter, LockFor, cancellationToken);
            return failed.LockedUntil is { } lockedNow && lockedNow > now ? ChangeLockedMessage : "当前密码不正确";
        }
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

    private static SignInResult Refused(SignInOutcome outcome, DateTimeOffset? lockedUntil) =>
        new(outcome, null, null, false, lockedUntil, RefusedMessage);

    private static SignInResult Throttled(TimeSpan wait) =>
        new(SignInOutcome.Throttled, null, null, false, null, $"登录尝试过于频繁，请 {Wait(wait)}后再试", wait);

    private static string Wait(TimeSpan wait) =>
        wait.TotalSeconds < 90 ? $"{Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} 秒" : $"{Math.Ceiling(wait.TotalMinutes).ToString(CultureInfo.InvariantCulture)} 分钟";
}
