using System.Security.Cryptography;
using System.Text.RegularExpressions;
using BaiQianWan.Assess.Cli;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Store.Sqlite;

namespace BaiQianWan.Assess.Tests.Cli;

/// <summary><c>user add|disable|enable|reset|list</c> on a SQLite store, checked by signing in with what it prints.</summary>
[Trait("Cost", "Slow")]
public sealed partial class UserCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-user-").FullName;

    private string Db => Path.Combine(_dir, "store.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<SignInResult> SignInAsync(string name, string password)
    {
        await using var accounts = new SqliteAccountStore(Db);
        await accounts.InitializeAsync();
        return await new SignInService(accounts, new SessionTokens(SessionOptions.WithKey(RandomNumberGenerator.GetBytes(32))), TimeProvider.System)
            .SignInAsync(name, password);
    }

    /// <summary>A fresh store with the mini units of 2025 (A1, A2, B1, B2 and town T1).</summary>
    private void InitWithUnits()
    {
        Assert.Equal(0, Run("init", "--store", Db).Code);
        var units = Path.Combine(_dir, "units.csv");
        File.WriteAllText(units, BaiQianWan.Assess.Tests.Store.Mini.UnitsCsv);
        Assert.Equal(0, Run("import", "units", units, "--year", "2025", "--store", Db).Code);
    }

    [Fact]
    public async Task An_added_account_signs_in_with_the_printed_one_time_password()
    {
        InitWithUnits();
        var (code, output, error) = Run("user", "add", "A1-Liaison", "--display", "甲一县联络员", "--role", "unit", "--unit", "A1", "--store", Db);
        Assert.True(code == 0, error);
        Assert.Contains("已新建账户 a1-liaison（甲一县联络员，单位 A1）", output);
        var password = OneTime().Match(output).Groups[1].Value;
        Assert.Equal(14, password.Length);
        var result = await SignInAsync("a1-liaison", password);
        Assert.True(result.Succeeded);
        Assert.True(result.MustChangePassword);
        Assert.Equal("a1-liaison\t甲一县联络员\tunit\tA1\tenabled\tone-time" + Environment.NewLine, Run("user", "list", "--store", Db).Out);
    }

    [Fact]
    public async Task Disable_refuses_sign_in_and_reset_issues_a_new_password()
    {
        Run("init", "--store", Db);
        Run("user", "add", "office0", "--role", "office", "--store", Db); // office1 is not the last office
        var first = OneTime().Match(Run("user", "add", "office1", "--role", "office", "--store", Db).Out).Groups[1].Value;
        Assert.Equal("账户 office1 已停用" + Environment.NewLine, Run("user", "disable", "office1", "--store", Db).Out);
        Assert.False((await SignInAsync("office1", first)).Succeeded);
        Run("user", "enable", "office1", "--store", Db);
        var reset = Run("user", "reset", "office1", "--store", Db);
        var second = Regex.Match(reset.Out, "一次性密码：(\\S+)").Groups[1].Value;
        Assert.NotEqual(first, second);
        Assert.False((await SignInAsync("office1", first)).Succeeded);
        Assert.True((await SignInAsync("office1", second)).Succeeded);
    }

    [Fact]
    public async Task Each_change_is_audited_with_the_actor_given()
    {
        Run("init", "--store", Db);
        Run("user", "add", "author1", "--role", "author", "--store", Db, "--actor", "张三"); // office1 is not the last office
        Run("user", "add", "office0", "--role", "office", "--store", Db, "--actor", "张三");
        Run("user", "add", "office1", "--role", "office", "--store", Db, "--actor", "张三");
        Run("user", "disable", "office1", "--store", Db, "--actor", "李四");
        Run("user", "enable", "office1", "--store", Db, "--actor", "李四");
        var reset = Run("user", "reset", "office1", "--store", Db, "--actor", "王五");
        var password = Regex.Match(reset.Out, "一次性密码：(\\S+)").Groups[1].Value;
        Assert.Equal(14, password.Length);
        Run("user", "disable", "office1", "--store", Db);
        await using var store = new SqliteAssessStore(Db);
        var log = (await store.GetAuditLogAsync()).Where(e => e.Target == "office1").ToList();
        Assert.Equal(
            [("张三", "account.create"), ("李四", "account.disable"), ("李四", "account.enable"), ("王五", "account.reset"), (Environment.UserName is { Length: > 0 } u ? u : "cli", "account.disable")],
            log.Select(e => (e.Actor, e.Action)));
        Assert.All(log, e => Assert.Equal("office1", e.Target));
        Assert.DoesNotContain(log, e => (e.Detail ?? "").Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_accounts_and_missing_stores_are_refused_with_their_exit_codes()
    {
        Assert.Equal(StoreSession.StoreStateError, Run("user", "list", "--store", Db).Code); // no store file
        InitWithUnits();
        var unitless = Run("user", "add", "u1", "--role", "unit", "--store", Db);
        Assert.Equal(CliApp.InvalidInput, unitless.Code);
        Assert.Contains("单位账户必须有单位代码", unitless.Err);
        Run("user", "add", "u1", "--role", "unit", "--unit", "A1", "--store", Db);
        var taken = Run("user", "add", "U1", "--role", "author", "--store", Db);
        Assert.Equal(StoreSession.StoreStateError, taken.Code);
        Assert.Contains("登录名 u1 已被使用", taken.Err);
        Assert.Equal(StoreSession.StoreStateError, Run("user", "disable", "ghost", "--store", Db).Code);
    }

    [Fact]
    public void The_last_active_office_cannot_be_disabled()
    {
        Run("init", "--store", Db);
        Run("user", "add", "office1", "--role", "office", "--store", Db);
        Run("user", "add", "author1", "--role", "author", "--store", Db);
        var refused = Run("user", "disable", "office1", "--store", Db);
        Assert.Equal(StoreSession.StoreStateError, refused.Code);
        Assert.Equal("不能停用 office1：它是最后一个启用的考核办账户，至少要保留一个" + Environment.NewLine, refused.Err);
        Assert.Contains("office1\toffice1\toffice\t-\tenabled", Run("user", "list", "--store", Db).Out);
    }

    [Fact]
    public void A_unit_account_must_name_an_imported_unit_with_a_valid_code()
    {
        InitWithUnits();
        var unknown = Run("user", "add", "liaison", "--role", "unit", "--unit", "ZZ9", "--store", Db);
        Assert.Equal(CliApp.InvalidInput, unknown.Code);
        Assert.Equal("没有代码为 ZZ9 的单位：单位账户须对应已导入的单位名单中的单位" + Environment.NewLine, unknown.Err);
        var malformed = Run("user", "add", "liaison", "--role", "unit", "--unit", "A1;B1", "--store", Db);
        Assert.Equal(CliApp.InvalidInput, malformed.Code);
        Assert.Equal("单位代码只能是 1–32 个字母、数字、_ 或 -" + Environment.NewLine, malformed.Err);
        Assert.Equal("没有账户" + Environment.NewLine, Run("user", "list", "--store", Db).Out);
        Assert.Equal(0, Run("user", "add", "liaison", "--role", "unit", "--unit", "T1", "--store", Db).Code);
    }

    [GeneratedRegex("一次性密码：(\\S+)")]
    private static partial Regex OneTime();
}
