using System.Security.Cryptography;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Store;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>Signing in: passwords, lockout, one-time passwords, session tokens, Easy Auth, antiforgery.</summary>
public sealed class SignInServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 8, 1, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private readonly TempSqlite _file = new();
    private readonly TestClock _clock = new(T0);
    private SqliteAccountStore _accounts = null!;
    private SignInService _signIn = null!;
    private AccountAdmin _admin = null!;
    private SqliteAssessStore _units = null!;
    private string _password = "";

    public async Task InitializeAsync()
    {
        _accounts = new SqliteAccountStore(_file.Path);
        await _accounts.InitializeAsync();
        _units = await _file.OpenAsync();
        await new BaiQianWan.Assess.Workflow.AssessmentService(_units, _clock, null).ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        _signIn = new SignInService(_accounts, new SessionTokens(SessionOptions.WithKey(Key)), _clock);
        _admin = new AccountAdmin(_accounts, _clock, _units);
        (_, _password) = await _admin.CreateAsync("a1-office", "甲一县考核联络员", AccountRole.Unit, "A1", "office");
    }

    public async Task DisposeAsync()
    {
        await _units.DisposeAsync();
        await _file.DisposeAsync();
    }

    [Fact]
    public async Task The_one_time_password_signs_in_and_asks_for_a_new_one()
    {
        var result = await _signIn.SignInAsync("A1-Office", _password);
        Assert.Equal(SignInOutcome.SignedIn, result.Outcome);
        Assert.True(result.MustChangePassword);
        Assert.Equal(new PortalUser("a1-office", "甲一县考核联络员", AccountRole.Unit, "A1"), result.User);
        Assert.Equal(T0, (await _accounts.GetAsync("a1-office"))!.LastSignInAt);
    }

    [Fact]
    public async Task The_session_token_carries_the_api_claims_and_lasts_one_hour()
    {
        var token = (await _signIn.SignInAsync("a1-office", _password)).Token;
        var session = _signIn.Tokens.Validate(token, T0.AddMinutes(59));
        Assert.NotNull(session);
        Assert.Equal("a1-office", session.Principal.FindFirst("sub")!.Value);
        Assert.Equal("unit", session.Principal.FindFirst("role")!.Value);
        Assert.Equal("A1", session.Principal.FindFirst("unit")!.Value);
        Assert.Equal(T0.AddHours(1), session.ExpiresAt);
        Assert.Null(_signIn.Tokens.Validate(token, T0.AddHours(1)));
    }

    [Fact]
    public async Task A_session_carries_its_accounts_epoch_and_sign_in_time_and_is_renewed_only_within_eight_hours_of_signing_in()
    {
        // Issue 19 item 3: the server renewed any presented session for another hour, forever.
        await _accounts.EndSessionsAsync("a1-office");
        var token = (await _signIn.SignInAsync("a1-office", _password)).Token;
        var session = _signIn.Tokens.Validate(token, T0)!;
        Assert.Equal(1, session.Epoch);
        Assert.Equal(T0, session.SignedInAt);
        var renewed = session;
        for (var at = T0.AddMinutes(40); at < T0.AddHours(8); at = at.AddMinutes(40))
        {
            var next = _signIn.Tokens.Renew(renewed, at);
            Assert.NotNull(next);
            renewed = _signIn.Tokens.Validate(next, at)!;
            Assert.Equal(session.Id, renewed.Id);
            Assert.Equal(T0, renewed.SignedInAt);
            Assert.Equal(1, renewed.Epoch);
            Assert.Equal(at.AddHours(1) < T0.AddHours(8) ? at.AddHours(1) : T0.AddHours(8), renewed.ExpiresAt);
        }
        Assert.Equal(T0.AddHours(8), renewed.ExpiresAt);
        Assert.Null(_signIn.Tokens.Renew(renewed, T0.AddHours(8)));
        Assert.Null(_signIn.Tokens.Validate(_signIn.Tokens.Renew(renewed, T0.AddHours(8).AddSeconds(-1)), T0.AddHours(8)));
    }

    [Fact]
    public void A_token_without_an_epoch_or_sign_in_time_is_no_session()
    {
        // A cli token (or a session from before epochs) signed with the same key is not a portal session.
        var cli = BaiQianWan.Assess.Cli.Commands.TokenCommand.Issue(Key, "office", null, "a1-office", "baiqianwan-assess", "baiqianwan-assess-api",
            T0, TimeSpan.FromHours(1));
        Assert.Null(_signIn.Tokens.Validate(cli, T0.AddMinutes(1)));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_no_session()
    {
        var other = new SessionTokens(SessionOptions.WithKey(RandomNumberGenerator.GetBytes(32)));
        var forged = other.Issue(new PortalUser("a1-office", "x", AccountRole.Office, null), 0, T0);
        Assert.Null(_signIn.Tokens.Validate(forged, T0));
        Assert.Null(_signIn.Tokens.Validate("not-a-token", T0));
        Assert.Null(_signIn.Tokens.Validate(null, T0));
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_name_get_the_same_answer()
    {
        var wrong = await _signIn.SignInAsync("a1-office", "wrong-password");
        var unknown = await _signIn.SignInAsync("nobody", "wrong-password");
        Assert.Equal(SignInOutcome.Refused, wrong.Outcome);
        Assert.Equal(wrong.Message, unknown.Message);
        Assert.Equal(SignInService.RefusedMessage, wrong.Message);
        Assert.StartsWith("登录名或密码不正确", wrong.Message);
        Assert.Null(wrong.Token);
        Assert.Equal(1, (await _accounts.GetAsync("a1-office"))!.FailedSignIns);
    }

    [Fact]
    public async Task Five_failures_lock_for_fifteen_minutes_even_against_the_right_password()
    {
        for (var i = 0; i < 4; i++) Assert.Equal(SignInOutcome.Refused, (await _signIn.SignInAsync("a1-office", "bad")).Outcome);
        var fifth = await _signIn.SignInAsync("a1-office", "bad");
        Assert.Equal(SignInOutcome.LockedOut, fifth.Outcome);
        Assert.Equal(T0.AddMinutes(15), fifth.LockedUntil);
        Assert.Equal(SignInService.RefusedMessage, fifth.Message); // no time, nothing an unknown name would not get

        _clock.Now = T0.AddMinutes(14).AddSeconds(59);
        Assert.Equal(SignInOutcome.LockedOut, (await _signIn.SignInAsync("a1-office", _password)).Outcome);
        _clock.Now = T0.AddMinutes(15);
        Assert.Equal(SignInOutcome.SignedIn, (await _signIn.SignInAsync("a1-office", _password)).Outcome);
        Assert.Equal(0, (await _accounts.GetAsync("a1-office"))!.FailedSignIns);
    }

    [Fact]
    public async Task A_reset_unlocks_with_a_new_one_time_password()
    {
        for (var i = 0; i < 5; i++) await _signIn.SignInAsync("a1-office", "bad");
        var fresh = await _admin.ResetAsync("a1-office", "office");
        Assert.NotEqual(_password, fresh);
        Assert.Equal(SignInOutcome.Refused, (await _signIn.SignInAsync("a1-office", _password)).Outcome);
        var result = await _signIn.SignInAsync("a1-office", fresh);
        Assert.True(result.Succeeded);
        Assert.True(result.MustChangePassword);
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_or_come_through_easy_auth()
    {
        await _admin.SetEnabledAsync("a1-office", false, "office");
        Assert.Equal(SignInOutcome.Refused, (await _signIn.SignInAsync("a1-office", _password)).Outcome);
        Assert.Null(await _signIn.FromEasyAuthAsync("a1-office"));
    }

    [Fact]
    public async Task Changing_the_password_checks_the_current_one_and_the_rules()
    {
        Assert.Equal("当前密码不正确", await _signIn.ChangePasswordAsync("a1-office", "bad", "a-long-new-password"));
        Assert.Equal("密码至少 10 个字符", await _signIn.ChangePasswordAsync("a1-office", _password, "short"));
        Assert.Null(await _signIn.ChangePasswordAsync("a1-office", _password, "甲一县-2025-新密码"));
        Assert.False(await _signIn.MustChangePasswordAsync("a1-office"));
        Assert.Equal(SignInOutcome.Refused, (await _signIn.SignInAsync("a1-office", _password)).Outcome);
        var result = await _signIn.SignInAsync("a1-office", "甲一县-2025-新密码");
        Assert.True(result.Succeeded);
        Assert.False(result.MustChangePassword);
    }

    [Fact]
    public async Task An_easy_auth_name_maps_to_its_account_case_insensitively()
    {
        Assert.Equal(new PortalUser("a1-office", "甲一县考核联络员", AccountRole.Unit, "A1"), await _signIn.FromEasyAuthAsync("A1-OFFICE"));
        Assert.Null(await _signIn.FromEasyAuthAsync("someone@else"));
        Assert.Null(await _signIn.FromEasyAuthAsync(null));
    }

    [Fact]
    public void Passwords_are_pbkdf2_hashes_that_verify_only_the_same_text()
    {
        var hash = Passwords.Hash("正确的密码-2025");
        Assert.DoesNotContain("正确的密码", hash);
        Assert.Equal(0x01, Convert.FromBase64String(hash)[0]); // Identity v3 format: PBKDF2 with HMAC-SHA512
        Assert.True(Passwords.Verify(hash, "正确的密码-2025"));
        Assert.False(Passwords.Verify(hash, "正确的密码-2024"));
        Assert.False(Passwords.Verify("not base64", "x"));
    }

    [Fact]
    public void Antiforgery_tokens_bind_to_their_session()
    {
        var af = new Antiforgery(Key);
        var token = af.TokenFor("session-1");
        Assert.True(af.IsValid("session-1", token));
        Assert.False(af.IsValid("session-2", token));
        Assert.False(af.IsValid("session-1", token[..^1] + (token[^1] == 'A' ? 'B' : 'A')));
        Assert.False(af.IsValid("session-1", null));
        Assert.False(new Antiforgery(RandomNumberGenerator.GetBytes(32)).IsValid("session-1", token));
    }

    [Fact]
    public void The_session_cookie_is_http_only_strict_and_secure_over_https()
    {
        var at = new DateTimeOffset(2025, 10, 8, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal("bqw_session=abc; Path=/; HttpOnly; SameSite=Strict; Expires=Wed, 08 Oct 2025 02:00:00 GMT; Secure",
            SessionCookie.Format(SessionCookie.Name, "abc", at, secure: true));
        Assert.Equal("bqw_session=abc; Path=/; HttpOnly; SameSite=Strict", SessionCookie.Format(SessionCookie.Name, "abc", null, secure: false));
    }
}
