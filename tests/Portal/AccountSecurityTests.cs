using System.Security.Cryptography;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;
using BaiQianWan.Assess.Tests.Store;
using BaiQianWan.Assess.Workflow;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 19 item 6, the account parts: no name enumeration by the lockout, throttling per name and client address, the
/// change-password form counting toward the lockout, password rules, and unit accounts naming units that exist.
/// </summary>
public sealed class AccountSecurityTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 10, 8, 1, 0, 0, TimeSpan.Zero);
    private const string Address = "203.0.113.9";
    private const string Right = "Gx7-甲一县-考核-2025";

    private readonly TempSqlite _file = new();
    private readonly TestClock _clock = new(T0);
    private SqliteAccountStore _accounts = null!;
    private SqliteAssessStore _units = null!;
    private AccountAdmin _admin = null!;
    private SignInThrottle _throttle = null!;
    private SignInService _signIn = null!;

    public async Task InitializeAsync()
    {
        _accounts = new SqliteAccountStore(_file.Path);
        await _accounts.InitializeAsync();
        _units = await _file.OpenAsync();
        await new AssessmentService(_units, _clock, null).ImportUnitsAsync(2025, Mini.Bytes(Mini.UnitsCsv), "units.csv", "office");
        _admin = new AccountAdmin(_accounts, _clock, _units);
        _throttle = new SignInThrottle(_clock);
        _signIn = new SignInService(_accounts, new SessionTokens(SessionOptions.WithKey(RandomNumberGenerator.GetBytes(32))), _clock, _throttle);
        await _admin.CreateAsync("office1", "考核办", AccountRole.Office, null, "test");
        await _accounts.SetPasswordAsync("office1", Passwords.Hash(Right), mustChange: false, "test", T0);
    }

    public async Task DisposeAsync()
    {
        await _units.DisposeAsync();
        await _accounts.DisposeAsync();
        await _file.DisposeAsync();
    }

    // --- the lockout tells nothing an unknown name would not ---

    [Fact]
    public async Task A_locked_account_gets_the_answer_an_unknown_name_gets()
    {
        var plain = new SignInService(_accounts, _signIn.Tokens, _clock); // no throttle: five failures in a row
        var unknown = await plain.SignInAsync("nobody", "wrong-password");
        for (var i = 0; i < 4; i++) await plain.SignInAsync("office1", "wrong-password");
        var locking = await plain.SignInAsync("office1", "wrong-password");
        var whileLocked = await plain.SignInAsync("office1", Right);

        Assert.Equal(SignInOutcome.LockedOut, locking.Outcome);
        Assert.NotNull((await _accounts.GetAsync("office1"))!.LockedUntil);
        foreach (var answer in new[] { locking, whileLocked })
        {
            Assert.Equal(unknown.Message, answer.Message);
            Assert.Null(answer.Token);
            Assert.Null(answer.RetryAfter);
        }
        Assert.Equal(SignInService.RefusedMessage, unknown.Message);
    }

    // --- throttling ---

    [Fact]
    public async Task A_burst_for_one_name_is_throttled_before_it_can_lock_the_account()
    {
        var outcomes = new List<SignInResult>();
        for (var i = 0; i < 10; i++) outcomes.Add(await _signIn.SignInAsync("office1", "wrong-password", Address));

        Assert.All(outcomes.Take(3), r => Assert.Equal(SignInOutcome.Refused, r.Outcome));
        Assert.All(outcomes.Skip(3), r =>
        {
            Assert.Equal(SignInOutcome.Throttled, r.Outcome);
            Assert.Equal(TimeSpan.FromMinutes(5), r.RetryAfter);
            Assert.Equal("登录尝试过于频繁，请 5 分钟后再试", r.Message);
        });
        var account = (await _accounts.GetAsync("office1"))!;
        Assert.Equal(3, account.FailedSignIns); // the throttled ones never reached the account
        Assert.Null(account.LockedUntil);

        // From another address too (the limit is the name's), even with the right password: it is not checked.
        Assert.Equal(SignInOutcome.Throttled, (await _signIn.SignInAsync("office1", Right, "198.51.100.1")).Outcome);
        _clock.Now = T0.AddMinutes(4).AddSeconds(59);
        Assert.Equal(TimeSpan.FromSeconds(1), (await _signIn.SignInAsync("office1", Right, Address)).RetryAfter);
        _clock.Now = T0.AddMinutes(5);
        Assert.Equal(SignInOutcome.SignedIn, (await _signIn.SignInAsync("office1", Right, Address)).Outcome);
    }

    [Fact]
    public async Task An_unknown_name_is_throttled_exactly_as_a_known_one()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(SignInOutcome.Refused, (await _signIn.SignInAsync("nobody", "wrong-password", Address)).Outcome);
        var known = await _signIn.SignInAsync("office1", "wrong-password", "198.51.100.2");
        for (var i = 0; i < 2; i++) await _signIn.SignInAsync("office1", "wrong-password", "198.51.100.2");
        var throttledUnknown = await _signIn.SignInAsync("nobody", "wrong-password", Address);
        var throttledKnown = await _signIn.SignInAsync("office1", "wrong-password", "198.51.100.2");
        Assert.Equal(SignInService.RefusedMessage, known.Message);
        Assert.Equal(SignInOutcome.Throttled, throttledUnknown.Outcome);
        Assert.Equal((throttledKnown.Outcome, throttledKnown.Message, throttledKnown.RetryAfter), (throttledUnknown.Outcome, throttledUnknown.Message, throttledUnknown.RetryAfter));
    }

    [Fact]
    public async Task One_address_trying_many_names_is_throttled_and_other_addresses_are_not()
    {
        for (var i = 0; i < 10; i++)
            Assert.Equal(SignInOutcome.Refused, (await _signIn.SignInAsync($"guess{i}", "wrong-password", Address)).Outcome);
        var eleventh = await _signIn.SignInAsync("office1", Right, Address);
        Assert.Equal(SignInOutcome.Throttled, eleventh.Outcome);
        Assert.Equal(TimeSpan.FromMinutes(15), eleventh.RetryAfter);
        Assert.Equal("登录尝试过于频繁，请 15 分钟后再试", eleventh.Message);
        Assert.Equal(SignInOutcome.SignedIn, (await _signIn.SignInAsync("office1", Right, "198.51.100.3")).Outcome);
    }

    [Fact]
    public async Task A_successful_sign_in_is_not_counted_as_a_failure()
    {
        await _signIn.SignInAsync("office1", "wrong-password", Address);
        await _signIn.SignInAsync("office1", "wrong-password", Address);
        Assert.Equal(SignInOutcome.SignedIn, (await _signIn.SignInAsync("office1", Right, Address)).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await _signIn.SignInAsync("office1", "wrong-password", Address)).Outcome); // the third failure
        Assert.Equal(SignInOutcome.Throttled, (await _signIn.SignInAsync("office1", Right, Address)).Outcome);
    }

    [Fact]
    public async Task A_parallel_burst_is_counted_as_it_starts_so_none_slips_past_the_limit()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => _signIn.SignInAsync("office1", "wrong-password", Address))));
        Assert.Equal(3, outcomes.Count(r => r.Outcome == SignInOutcome.Refused));
        Assert.Equal(17, outcomes.Count(r => r.Outcome == SignInOutcome.Throttled));
        Assert.Equal(3, (await _accounts.GetAsync("office1"))!.FailedSignIns);
        Assert.Null((await _accounts.GetAsync("office1"))!.LockedUntil);
    }

    [Fact]
    public void Names_and_addresses_whose_failures_have_expired_are_forgotten()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 0; i <= 10_000; i++) Assert.NotNull(throttle.TryStart(null, $"random-{i}").Ticket);
        Assert.Equal(10_001, throttle.Tracked);
        _clock.Now = T0.AddMinutes(15);
        Assert.NotNull(throttle.TryStart("203.0.113.9", "office1").Ticket);
        Assert.Equal(2, throttle.Tracked); // the new name and address only
        Assert.NotNull(throttle.TryStart(null, new string('x', 100_000)).Ticket); // a huge name is kept short
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9", true)]
    [InlineData("203.0.113.9", "::ffff:203.0.113.9", true)]
    [InlineData("203.0.113.9", "203.0.113.10", false)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    public void Addresses_are_counted_per_ipv4_address_and_per_ipv6_network(string a, string b, bool same) =>
        Assert.Equal(same, SignInThrottle.AddressKey(a) == SignInThrottle.AddressKey(b));

    // --- the change-password form counts toward the lockout ---

    [Fact]
    public async Task Wrong_current_passwords_on_the_change_form_count_toward_the_lockout()
    {
        await _signIn.SignInAsync("office1", "wrong-password");
        await _signIn.SignInAsync("office1", "wrong-password");
        for (var i = 0; i < 2; i++) Assert.Equal("当前密码不正确", await _signIn.ChangePasswordAsync("office1", "wrong-password", "Another-long-pass-2025"));
        Assert.Equal(4, (await _accounts.GetAsync("office1"))!.FailedSignIns);
        Assert.Equal(SignInService.ChangeLockedMessage, await _signIn.ChangePasswordAsync("office1", "wrong-password", "Another-long-pass-2025"));
        Assert.Equal(T0.AddMinutes(15), (await _accounts.GetAsync("office1"))!.LockedUntil);

        // Locked: neither the form (even with the right current password) nor the sign-in page lets it through.
        Assert.Equal(SignInService.ChangeLockedMessage, await _signIn.ChangePasswordAsync("office1", Right, "Another-long-pass-2025"));
        Assert.Equal(SignInOutcome.LockedOut, (await new SignInService(_accounts, _signIn.Tokens, _clock).SignInAsync("office1", Right)).Outcome);
        Assert.True(Passwords.Verify((await _accounts.GetAsync("office1"))!.PasswordHash, Right));
        Assert.Contains("account.lock", (await _units.GetAuditLogAsync()).Select(e => e.Action));
    }

    // --- password rules ---

    [Theory]
    [InlineData("short", "office1", "密码至少 10 个字符")]
    [InlineData("123456789", "office1", "密码至少 10 个字符")]
    [InlineData("my-OFFICE1-pass", "office1", "密码不能包含登录名（不分大小写）")]
    [InlineData("Zhang.San-2025!", "zhang.san@example.cn", "密码不能包含登录名（不分大小写）")]
    [InlineData("1qaz2wsx3edc", "office1", "密码太常见：它在常用密码清单中，请换一个不易猜到的密码")]
    [InlineData("Password123", "office1", "密码太常见：它在常用密码清单中，请换一个不易猜到的密码")]
    [InlineData("woaini1314", "office1", "密码太常见：它在常用密码清单中，请换一个不易猜到的密码")]
    [InlineData("ababababab", "office1", "密码太简单：至少要有 4 个不同的字符")]
    [InlineData("Gx7-甲一县-考核-2025", "office1", null)]
    [InlineData("ab-longer-password", "ab", null)] // a two-letter name is not looked for: it would refuse half the alphabet
    public void Passwords_must_be_long_not_contain_the_name_and_not_be_common(string password, string name, string? problem) =>
        Assert.Equal(problem, Passwords.Problem(password, name));

    [Fact]
    public void The_common_password_list_ships_embedded()
    {
        Assert.True(Passwords.Common.Count >= 100);
        Assert.All(Passwords.Common, p => Assert.Equal(p.ToLowerInvariant(), p));
        Assert.Contains("password123", Passwords.Common);
        Assert.Null(BaiQianWan.Assess.Portal.Rendering.PortalAssets.Get("common-passwords.txt")); // not served as a portal asset
    }

    [Fact]
    public async Task The_change_form_refuses_a_weak_password_naming_the_rule()
    {
        Assert.Equal("密码不能包含登录名（不分大小写）", await _signIn.ChangePasswordAsync("office1", Right, "Office1-is-my-name"));
        Assert.Equal("密码太常见：它在常用密码清单中，请换一个不易猜到的密码", await _signIn.ChangePasswordAsync("office1", Right, "qwertyuiop"));
        Assert.True(Passwords.Verify((await _accounts.GetAsync("office1"))!.PasswordHash, Right));
        Assert.Equal(0, (await _accounts.GetAsync("office1"))!.FailedSignIns); // a weak new password is no failed guess
    }

    [Fact]
    public void A_generated_one_time_password_that_breaks_a_rule_is_drawn_again()
    {
        // The first draw spells the account's name ("abcd" + ten more letters), the second is random.
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var rigged = new Queue<int>("abcdabcdabcdab".Select(c => alphabet.IndexOf(c)));
        var password = Passwords.NewOneTime("abcd", n => rigged.Count > 0 ? rigged.Dequeue() : RandomNumberGenerator.GetInt32(n));
        Assert.Empty(rigged);
        Assert.DoesNotContain("abcd", password, StringComparison.OrdinalIgnoreCase);
        Assert.Null(Passwords.Problem(password, "abcd"));
        Assert.Equal(14, password.Length);
    }

    [Fact]
    public async Task Created_and_reset_one_time_passwords_meet_the_rules()
    {
        var (account, created) = await _admin.CreateAsync("author1", "规则作者", AccountRole.Author, null, "test");
        var reset = await _admin.ResetAsync("author1", "test");
        Assert.Null(Passwords.Problem(created, account.Name));
        Assert.Null(Passwords.Problem(reset, account.Name));
    }

    // --- unit accounts name units that exist ---

    [Theory]
    [InlineData("ZZ9", "没有代码为 ZZ9 的单位：单位账户须对应已导入的单位名单中的单位")]
    [InlineData("a1", "没有代码为 a1 的单位：单位账户须对应已导入的单位名单中的单位")]
    [InlineData("A 1", "单位代码只能是 1–32 个字母、数字、_ 或 -")]
    [InlineData("甲一县", "单位代码只能是 1–32 个字母、数字、_ 或 -")]
    [InlineData("A1/../B1", "单位代码只能是 1–32 个字母、数字、_ 或 -")]
    [InlineData("A123456789012345678901234567890123", "单位代码只能是 1–32 个字母、数字、_ 或 -")]
    public async Task A_unit_account_must_name_an_imported_unit_by_its_code(string code, string message)
    {
        var e = await Assert.ThrowsAsync<StoreException>(() => _admin.CreateAsync("liaison", "联络员", AccountRole.Unit, code, "test"));
        Assert.Equal(StoreError.Invalid, e.Error);
        Assert.Equal(message, e.Message);
        Assert.Null(await _accounts.GetAsync("liaison"));
    }

    [Fact]
    public async Task A_unit_account_may_name_a_county_or_a_town_of_any_imported_year()
    {
        await new AssessmentService(_units, _clock, null).ImportUnitsAsync(2024, Mini.Bytes(Mini.UnitsCsv.Replace("T1,某镇", "T0,旧镇")), "u24.csv", "office");
        Assert.Equal("A1", (await _admin.CreateAsync("a1-liaison", "联络员", AccountRole.Unit, " A1 ", "test")).Account.UnitCode);
        Assert.Equal("T1", (await _admin.CreateAsync("t1-liaison", "联络员", AccountRole.Unit, "T1", "test")).Account.UnitCode);
        Assert.Equal("T0", (await _admin.CreateAsync("t0-liaison", "联络员", AccountRole.Unit, "T0", "test")).Account.UnitCode); // 2024 only
    }
}
