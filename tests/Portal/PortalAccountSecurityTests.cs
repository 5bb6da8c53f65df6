using System.Net;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 19 item 6 over HTTP: the sign-in page throttles a burst (429 with <c>Retry-After</c>) before the account locks,
/// answers unknown and locked names alike, and the accounts page refuses a unit account for a unit that does not exist.
/// </summary>
public sealed class PortalAccountSecurityTests() : PortalAppTest("portal-accounts")
{
    private const string Right = "Gx7-甲一县-考核-2025";

    private async Task CreateOfficeAsync(string name)
    {
        var accounts = App.Services.GetRequiredService<IAccountStore>();
        await accounts.CreateAsync(new Account(name, "考核办", AccountRole.Office, null, true, Passwords.Hash(Right), false, 0, null, App.Clock.Now, null), "test");
    }

    private static async Task<(HttpStatusCode Status, string Text, string? RetryAfter)> SignInAsync(HttpClient client, string name, string password, string from)
    {
        var token = AntiforgeryToken(await client.GetStringAsync("/signin"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { [Antiforgery.FieldName] = token, ["name"] = name, ["password"] = password }),
        };
        request.Headers.Add("X-Forwarded-For", $"10.0.0.1, {from}");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()),
            response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null);
    }

    [Fact]
    public async Task A_burst_from_one_address_gets_429_with_retry_after_before_the_office_is_locked_out()
    {
        await CreateOfficeAsync("office1");
        using var client = App.Client(null);
        for (var i = 0; i < 3; i++)
        {
            var refused = await SignInAsync(client, "office1", "wrong-password", "203.0.113.9");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
            Assert.Contains(SignInService.RefusedMessage, refused.Text);
        }
        var throttled = await SignInAsync(client, "office1", "wrong-password", "203.0.113.9");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.Status);
        Assert.Equal("300", throttled.RetryAfter);
        Assert.Contains("登录尝试过于频繁，请 5 分钟后再试", throttled.Text);
        var office = (await App.Services.GetRequiredService<IAccountStore>().GetAsync("office1"))!;
        Assert.Null(office.LockedUntil);
        Assert.Equal(3, office.FailedSignIns);

        // Five minutes on, the office signs in with its password.
        App.Clock.Now = App.Clock.Now.AddMinutes(5);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client, "office1", Right, "198.51.100.4")).Status);
    }

    [Fact]
    public async Task One_address_guessing_names_is_throttled_and_unknown_and_locked_names_read_alike()
    {
        await CreateOfficeAsync("office1");
        await CreateOfficeAsync("office2");
        var accounts = App.Services.GetRequiredService<IAccountStore>();
        for (var i = 0; i < 5; i++) await accounts.RecordFailedSignInAsync("office2", App.Clock.Now, SignInService.LockAfter, SignInService.LockFor);
        using var client = App.Client(null);

        var unknown = await SignInAsync(client, "nobody", "wrong-password", "203.0.113.7");
        var locked = await SignInAsync(client, "office2", Right, "203.0.113.7");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.Status);
        Assert.Equal(Alert(unknown.Text), Alert(locked.Text));
        Assert.Equal(SignInService.RefusedMessage, Alert(locked.Text));

        for (var i = 0; i < 8; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(client, $"guess{i}", "x-wrong-password", "203.0.113.7")).Status);
        var eleventh = await SignInAsync(client, "office1", Right, "203.0.113.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.Status);
        Assert.Equal("900", eleventh.RetryAfter);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client, "office1", Right, "203.0.113.8")).Status);
    }

    [Fact]
    public async Task The_accounts_page_refuses_a_unit_account_for_a_unit_that_was_never_imported()
    {
        using var office = App.Client(App.Token("office"));
        await (await office.PutAsync("/api/units?year=2025&file=units.csv", Api.Csv(TestProvince.UnitsCsv()))).JsonAsync(HttpStatusCode.OK);
        var token = AntiforgeryToken(await office.GetStringAsync("/office/accounts"));
        HttpResponseMessage Post(string unit) => office.PostAsync("/office/accounts", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [Antiforgery.FieldName] = token, ["name"] = "liaison", ["displayName"] = "联络员", ["role"] = "unit", ["unit"] = unit,
        })).GetAwaiter().GetResult();

        using var unknown = Post("ZZ9");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("没有代码为 ZZ9 的单位：单位账户须对应已导入的单位名单中的单位", WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()));
        using var malformed = Post("<b>x</b>");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);
        Assert.Contains("单位代码只能是 1–32 个字母、数字、_ 或 -", WebUtility.HtmlDecode(await malformed.Content.ReadAsStringAsync()));
        Assert.Null(await App.Services.GetRequiredService<IAccountStore>().GetAsync("liaison"));

        using var made = Post(TestProvince.CountyA.Code);
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.Equal(TestProvince.CountyA.Code, (await App.Services.GetRequiredService<IAccountStore>().GetAsync("liaison"))!.UnitCode);
    }

    [Fact]
    public async Task The_accounts_page_cannot_disable_the_last_enabled_office()
    {
        await CreateOfficeAsync("office1");
        using var office = App.Client(App.Token("office")); // a machine token: no account of its own, so not "disabling yourself"
        var token = AntiforgeryToken(await office.GetStringAsync("/office/accounts"));
        using var refused = await office.PostAsync("/office/accounts/office1/disable",
            new FormUrlEncodedContent(new Dictionary<string, string> { [Antiforgery.FieldName] = token }));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("不能停用 office1：它是最后一个启用的考核办账户，至少要保留一个", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.True((await App.Services.GetRequiredService<IAccountStore>().GetAsync("office1"))!.Enabled);
    }

    [Theory]
    [InlineData("127.0.0.1", "198.51.100.7", "198.51.100.7")]
    [InlineData("127.0.0.1", "10.1.1.1, 198.51.100.7:52144", "198.51.100.7")] // App Service's front end adds its port
    [InlineData("::1", "2001:db8::5", "2001:db8::5")]
    [InlineData("127.0.0.1", null, "127.0.0.1")]
    [InlineData("127.0.0.1", "not-an-address", "127.0.0.1")]
    [InlineData("192.0.2.10", "198.51.100.7", "192.0.2.10")] // a client on the network cannot name another address
    public void The_client_address_is_forwarded_only_by_a_proxy_on_the_machine(string peer, string? forwarded, string expected)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwarded is not null) http.Request.Headers["X-Forwarded-For"] = forwarded;
        Assert.Equal(expected, ClientAddress.Of(http));
    }

    private static string Alert(string html)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, "role=\"alert\"[^>]*>([^<]*)<");
        Assert.True(match.Success, "the page shows an alert");
        return match.Groups[1].Value.Trim();
    }
}
