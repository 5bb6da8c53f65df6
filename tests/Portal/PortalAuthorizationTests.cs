using System.Net;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Who gets which portal page, in the app's own pipeline: an anonymous visitor is sent to sign in, a wrong role gets the
/// HTML 403 page, a forged or expired session is nobody, a form without its antiforgery token is refused, and a session
/// cookie authorizes the API like a bearer token.
/// </summary>
public sealed class PortalAuthorizationTests() : PortalAppTest("portal-auth")
{
    public static TheoryData<string, string?, HttpStatusCode> Matrix()
    {
        var data = new TheoryData<string, string?, HttpStatusCode>();
        foreach (var page in new[] { "/office/uploads", "/office/runs", "/office/audit", "/office/accounts" })
        {
            data.Add(page, "office", HttpStatusCode.OK);
            data.Add(page, "author", HttpStatusCode.Forbidden);
            data.Add(page, "unit:A1", HttpStatusCode.Forbidden);
            data.Add(page, null, HttpStatusCode.Redirect);
        }
        foreach (var page in new[] { "/rulesets", "/rulesets/new" })
        {
            data.Add(page, "office", HttpStatusCode.OK);
            data.Add(page, "author", HttpStatusCode.OK);
            data.Add(page, "unit:A1", HttpStatusCode.Forbidden);
            data.Add(page, null, HttpStatusCode.Redirect);
        }
        foreach (var page in new[] { "/units/A1", "/units/A1/scorecards/2025Q3", "/units/A1/scorecards/2025Q3/pdf", "/units/A1/bulletin/2025Q3", "/units/A1/towns" })
        {
            data.Add(page, "author", HttpStatusCode.Forbidden);
            data.Add(page, "unit:B1", HttpStatusCode.Forbidden);
            data.Add(page, null, HttpStatusCode.Redirect);
        }
        data.Add("/", null, HttpStatusCode.Redirect);
        data.Add("/signin", null, HttpStatusCode.OK);
        return data;
    }

    private HttpClient Client(string? who) => who switch
    {
        null => App.Client(null),
        _ when who.StartsWith("unit:", StringComparison.Ordinal) => App.Client(App.Token("unit", who[5..])),
        _ => App.Client(App.Token(who)),
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_page_answers_each_caller_as_the_roles_say(string page, string? who, HttpStatusCode expected)
    {
        using var client = Client(who);
        var response = await client.GetAsync(page);
        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        switch (expected)
        {
            case HttpStatusCode.Redirect when page != "/":
                Assert.Equal($"/signin?returnUrl={Uri.EscapeDataString(page)}", response.Headers.Location!.OriginalString);
                break;
            case HttpStatusCode.Forbidden:
                Assert.Contains("您没有权限查看此页面", body);
                Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
                break;
            case HttpStatusCode.OK:
                Assert.StartsWith("<!DOCTYPE html>", body);
                Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
                break;
        }
    }

    [Fact]
    public async Task A_session_cookie_signed_with_another_key_or_expired_is_nobody()
    {
        var user = new PortalUser("office", "考核办", AccountRole.Office, null);
        await App.Services.GetRequiredService<IAccountStore>().CreateAsync(
            new Account("office", "考核办", AccountRole.Office, null, true, Passwords.Hash("office-password-1"), false, 0, null, App.Clock.Now, null), "test");
        var forged = new SessionTokens(SessionOptions.WithKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))).Issue(user, 0, App.Clock.Now);
        var expired = new SessionTokens(SessionOptions.WithKey(App.Key)).Issue(user, 0, App.Clock.Now.AddHours(-2));
        foreach (var token in new[] { forged, expired })
        {
            using var client = App.Client(null);
            client.DefaultRequestHeaders.Add("Cookie", $"{SessionCookie.Name}={token}");
            var response = await client.GetAsync("/office/runs");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/rulesets")).StatusCode);
        }
    }

    [Fact]
    public async Task A_valid_session_cookie_authorizes_the_api_like_a_bearer_token()
    {
        await App.Services.GetRequiredService<IAccountStore>().CreateAsync(
            new Account("office", "考核办", AccountRole.Office, null, true, Passwords.Hash("office-password-1"), false, 0, null, App.Clock.Now, null), "test");
        var token = new SessionTokens(SessionOptions.WithKey(App.Key)).Issue(new PortalUser("office", "考核办", AccountRole.Office, null), 0, App.Clock.Now);
        using var client = App.Client(null);
        client.DefaultRequestHeaders.Add("Cookie", $"{SessionCookie.Name}={token}");
        var response = await client.GetAsync("/api/rulesets");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var client = App.Client(App.Token("office"));
        var response = await client.PostAsync("/office/accounts", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "intruder", ["displayName"] = "x", ["role"] = "office", ["__af"] = "made-up",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("表单已过期或来源不明", await response.Content.ReadAsStringAsync());
        var accounts = await client.GetStringAsync("/office/accounts");
        Assert.DoesNotContain("intruder", accounts);
    }
}
