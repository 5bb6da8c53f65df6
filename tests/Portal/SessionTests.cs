using System.Net;
using System.Text.Json;
using BaiQianWan.Assess.Cli.Commands;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 19 items 2–4 as the attacks were made: a session cookie copied out of a browser, then the account disabled,
/// signed out, reset, its password changed or its role changed; a session kept alive past its absolute lifetime; the
/// session token moved into a bearer header; a unit token named like an office account. Sessions are checked in one place
/// (the gate), so the portal and the API refuse them alike.
/// </summary>
public sealed class SessionTests() : PortalAppTest("sessions")
{
    private const string Password = "correct-horse-42";

    private IAccountStore Accounts => App.Services.GetRequiredService<IAccountStore>();

    private async Task CreateAsync(string name, AccountRole role, string? unit = null) =>
        await Accounts.CreateAsync(new Account(name, name + " 的名字", role, unit, true, Passwords.Hash(Password), false, 0, null, App.Clock.Now, null), "test");

    /// <summary>A browser that keeps its cookies by hand, so a test can copy one out of it.</summary>
    private sealed class Browser(HttpClient client) : IDisposable
    {
        public string? Session { get; set; }

        public string? Antiforgery { get; private set; }

        public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            var cookies = new List<string>();
            if (Session is not null) cookies.Add($"{SessionCookie.Name}={Session}");
            if (Antiforgery is not null) cookies.Add($"{BaiQianWan.Assess.Portal.Auth.Antiforgery.CookieName}={Antiforgery}");
            if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies));
            var response = await client.SendAsync(request);
            if (SetCookie(response, SessionCookie.Name) is { } session) Session = session.Length == 0 ? null : session;
            if (SetCookie(response, BaiQianWan.Assess.Portal.Auth.Antiforgery.CookieName) is { } af) Antiforgery = af;
            return response;
        }

        public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

        /// <summary>Posts a form with the antiforgery token of the page at <paramref name="pageWithForm"/>.</summary>
        public async Task<HttpResponseMessage> PostFormAsync(string pageWithForm, string url, Dictionary<string, string> fields)
        {
            var page = await GetAsync(pageWithForm);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            fields["__af"] = AntiforgeryToken(await page.Content.ReadAsStringAsync());
            return await SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) });
        }

        public void Dispose() => client.Dispose();
    }

    private Browser NewBrowser() =>
        new(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));

    /// <summary>The value a response sets for cookie <paramref name="name"/> ("" when it removes it), or null when it sets none.</summary>
    private static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';')[0]).Where(v => v.StartsWith(name + "=", StringComparison.Ordinal)).Select(v => v[(name.Length + 1)..]).LastOrDefault()
            : null;

    private async Task<Browser> SignInAsync(string name, string password = Password)
    {
        var browser = NewBrowser();
        var signedIn = await browser.PostFormAsync("/signin", "/signin", new() { ["name"] = name, ["password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.NotNull(browser.Session);
        return browser;
    }

    /// <summary>Another machine with nothing but the copied session cookie.</summary>
    private Browser Copy(Browser browser) => new(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }))
    {
        Session = browser.Session,
    };

    /// <summary>The browser's session cookie, used again from elsewhere, opens neither the API nor the portal.</summary>
    private async Task AssertEndedAsync(Browser browser, string page)
    {
        using var copy = Copy(browser);
        var api = await copy.GetAsync("/api/rulesets");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(CallerAuthenticator.SessionEnded, JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.Equal("", SetCookie(api, SessionCookie.Name)); // and the dead cookie is removed
        copy.Session = browser.Session;
        var portal = await copy.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, portal.StatusCode);
        Assert.StartsWith("/signin", portal.Headers.Location!.OriginalString);
    }

    private static HttpRequestMessage Json(HttpMethod method, string url, string json = "{}") =>
        new(method, url) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };

    [Fact]
    public async Task A_disabled_offices_copied_cookie_no_longer_publishes_or_reads_through_the_api_or_the_portal()
    {
        await CreateAsync("office1", AccountRole.Office);
        await CreateAsync("office2", AccountRole.Office);
        using var office1 = await SignInAsync("office1");
        using var copy = Copy(office1);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/rulesets")).StatusCode);

        await App.Services.GetRequiredService<AccountAdmin>().SetEnabledAsync("office1", false, "office2");

        var publish = await copy.SendAsync(Json(HttpMethod.Post, "/api/evaluations/any-run/publish"));
        Assert.Equal(HttpStatusCode.Unauthorized, publish.StatusCode);
        await AssertEndedAsync(office1, "/office/runs");
        // Enabling the account again does not bring the old session back.
        await App.Services.GetRequiredService<AccountAdmin>().SetEnabledAsync("office1", true, "office2");
        await AssertEndedAsync(office1, "/office/runs");
    }

    [Fact]
    public async Task A_disabled_units_cookie_no_longer_downloads_its_scorecard()
    {
        await CreateAsync("county-a", AccountRole.Unit, "A1");
        using var unit = await SignInAsync("county-a");
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync("/api/periods/2025Q3/scorecards/A1.pdf")).StatusCode); // in, nothing published
        await App.Services.GetRequiredService<AccountAdmin>().SetEnabledAsync("county-a", false, "office");
        var pdf = await unit.GetAsync("/api/periods/2025Q3/scorecards/A1.pdf");
        Assert.Equal(HttpStatusCode.Unauthorized, pdf.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await unit.GetAsync("/units/A1")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_every_session_of_the_account_copied_cookies_and_other_browsers_included()
    {
        await CreateAsync("author1", AccountRole.Author);
        using var first = await SignInAsync("author1");
        using var second = await SignInAsync("author1");
        using var copy = Copy(first);
        var signedOut = await first.PostFormAsync("/rulesets", "/signout", []);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Null(first.Session);
        await AssertEndedAsync(copy, "/rulesets");
        await AssertEndedAsync(second, "/rulesets");
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/rulesets")).StatusCode);
        // Signing in again makes a session that works.
        using var again = await SignInAsync("author1");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/rulesets")).StatusCode);
    }

    [Fact]
    public async Task Under_the_functions_worker_a_session_is_checked_the_same_way()
    {
        // The gate runs in the worker middleware too: the same caller, the same refusal.
        await CreateAsync("office1", AccountRole.Office);
        using var office = await SignInAsync("office1");
        HttpRequestMessage Get()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/rulesets");
            request.Headers.Add("Cookie", $"{SessionCookie.Name}={office.Session}");
            return request;
        }
        Assert.Equal(HttpStatusCode.OK, (await WorkerInvocation.SendAsync(App.Services, Get())).Status);
        await Accounts.EndSessionsAsync("office1");
        var ended = await WorkerInvocation.SendAsync(App.Services, Get());
        Assert.Equal(HttpStatusCode.Unauthorized, ended.Status);
        Assert.Equal(CallerAuthenticator.SessionEnded, JsonDocument.Parse(ended.Text).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_password_reset_ends_every_session_of_the_account()
    {
        await CreateAsync("author1", AccountRole.Author);
        using var author = await SignInAsync("author1");
        using var copy = Copy(author);
        var oneTime = await App.Services.GetRequiredService<AccountAdmin>().ResetAsync("author1", "office");
        await AssertEndedAsync(copy, "/rulesets");
        await AssertEndedAsync(author, "/rulesets");
        // The one-time password signs in, and is to be changed first.
        using var again = await SignInAsync("author1", oneTime);
        Assert.Equal("/password", (await again.GetAsync("/rulesets")).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_new_password_ends_copied_sessions_and_keeps_the_browser_that_chose_it_signed_in()
    {
        await CreateAsync("author1", AccountRole.Author);
        using var author = await SignInAsync("author1");
        using var copy = Copy(author);
        var changed = await author.PostFormAsync("/password", "/password",
            new() { ["current"] = Password, ["replacement"] = "another-long-9-pass" });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal("/rulesets?done=password", changed.Headers.Location!.OriginalString);
        Assert.NotEqual(copy.Session, author.Session);
        await AssertEndedAsync(copy, "/rulesets");
        Assert.Equal(HttpStatusCode.OK, (await author.GetAsync("/rulesets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await author.GetAsync("/api/rulesets")).StatusCode);
    }

    [Fact]
    public async Task A_role_changed_in_the_store_ends_the_session()
    {
        await CreateAsync("office1", AccountRole.Office);
        using var office = await SignInAsync("office1");
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync("/office/accounts")).StatusCode);
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Store:Connection"]}"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE account SET role = 'author' WHERE name = 'office1';";
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        await AssertEndedAsync(office, "/office/accounts");
    }

    [Fact]
    public async Task An_account_store_that_fails_while_a_session_is_checked_is_a_problem_500_not_a_crash()
    {
        await CreateAsync("office1", AccountRole.Office);
        using var office = await SignInAsync("office1");
        await ExecuteAsync("ALTER TABLE account RENAME TO account_gone;");
        var answer = await office.GetAsync("/api/rulesets");
        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType!.MediaType);
        Assert.Equal("服务器处理请求时出错，已记录日志", JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        await ExecuteAsync("ALTER TABLE account_gone RENAME TO account;");
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync("/api/rulesets")).StatusCode);
    }

    private async Task ExecuteAsync(string sql)
    {
        var path = App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Store:Connection"];
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        await c.OpenAsync();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task An_active_session_is_renewed_but_ends_eight_hours_after_signing_in()
    {
        await CreateAsync("office1", AccountRole.Office);
        var signedInAt = App.Clock.Now;
        using var office = await SignInAsync("office1");
        var first = office.Session;
        // Not renewed while more than half its hour is left.
        App.Clock.Now = signedInAt.AddMinutes(20);
        Assert.Null(SetCookie(await office.GetAsync("/api/rulesets"), SessionCookie.Name));
        // An unused cookie ends after its hour.
        App.Clock.Now = signedInAt.AddHours(1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Copy(office).GetAsync("/api/rulesets")).StatusCode);
        office.Session = first;
        // Used every 40 minutes, it is renewed each time, up to eight hours after signing in and not beyond.
        var renewals = 0;
        for (var at = signedInAt.AddMinutes(40); at < signedInAt.AddHours(8); at = at.AddMinutes(40))
        {
            App.Clock.Now = at;
            var before = office.Session;
            var answer = await office.GetAsync("/api/rulesets");
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.NotEqual(before, office.Session);
            var expires = answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SessionCookie.Name + "=", StringComparison.Ordinal));
            var end = at.AddHours(1) < signedInAt.AddHours(8) ? at.AddHours(1) : signedInAt.AddHours(8);
            Assert.Contains("Expires=" + end.UtcDateTime.ToString("R", System.Globalization.CultureInfo.InvariantCulture), expires);
            renewals++;
        }
        Assert.Equal(11, renewals);
        App.Clock.Now = signedInAt.AddHours(8).AddSeconds(-1);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync("/office/runs")).StatusCode);
        App.Clock.Now = signedInAt.AddHours(8);
        var late = await office.GetAsync("/api/rulesets");
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Copy(office).GetAsync("/office/runs")).StatusCode);
    }

    [Fact]
    public async Task A_session_token_moved_into_a_bearer_header_is_refused()
    {
        App.Clock.Now = DateTimeOffset.UtcNow; // bearer tokens are checked against the real time
        
        await CreateAsync("office1", AccountRole.Office);
        using var office = await SignInAsync("office1");
        using var client = App.Client(office.Session);
        var api = await client.GetAsync("/api/rulesets");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("会话令牌只能由门户的会话 Cookie 携带", JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/office/accounts")).StatusCode);
    }

    [Fact]
    public async Task A_unit_token_named_like_an_office_account_is_a_unit_on_the_portal_as_on_the_api()
    {
        // Issue 19 item 4: the portal took the office account of the token's sub and let it create an office account.
        await CreateAsync("office1", AccountRole.Office);
        var token = TokenCommand.Issue(App.Key, "unit", "A1", "office1", TokenCommand.DefaultIssuer, TokenCommand.DefaultAudience, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
        using var client = App.Client(token);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/office/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/rulesets")).StatusCode);
        var home = await client.GetAsync("/");
        Assert.Equal("/units/A1", home.Headers.Location!.OriginalString);
        var page = await (await client.GetAsync("/password")).Content.ReadAsStringAsync();
        var create = await client.PostAsync("/office/accounts", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "intruder", ["displayName"] = "x", ["role"] = "office", ["__af"] = AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Null(await Accounts.GetAsync("intruder"));
        // Nor is it the office account on the password page: a token has no password to change.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/password")).StatusCode);
        var change = await client.PostAsync("/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["current"] = Password, ["replacement"] = "taken-over-12345", ["__af"] = AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.True(Passwords.Verify((await Accounts.GetAsync("office1"))!.PasswordHash, Password));
        Assert.Equal(0, (await Accounts.GetAsync("office1"))!.SessionEpoch);
    }

    [Fact]
    public async Task A_cookie_authenticated_api_change_needs_json_and_this_sites_origin()
    {
        await CreateAsync("office1", AccountRole.Office);
        using var office = await SignInAsync("office1");
        const string url = "/api/rulesets/county-2025/deactivate";
        foreach (var (content, type) in new[] { ("{}", "text/plain"), ("a=b", "application/x-www-form-urlencoded"), ("", "multipart/form-data; boundary=x") })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(content) };
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
            var answer = await office.SendAsync(request);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.StatusCode);
            Assert.Equal(FunctionGate.JsonRequired, JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        }
        var withoutBody = await office.SendAsync(new HttpRequestMessage(HttpMethod.Post, url));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, withoutBody.StatusCode);
        foreach (var origin in new[] { "https://evil.example", "null", "http://localhost.evil.example" })
        {
            var foreign = Json(HttpMethod.Post, url);
            foreign.Headers.Add("Origin", origin);
            var answer = await office.SendAsync(foreign);
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            Assert.Equal(FunctionGate.ForeignOrigin, JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        }
        // Past the gate: the function answers (no such ruleset).
        var same = Json(HttpMethod.Post, url);
        same.Headers.Add("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.NotFound, (await office.SendAsync(same)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.SendAsync(Json(HttpMethod.Post, url))).StatusCode);
        // A bearer token is not sent by a browser on its own: its calls are not checked so.
        using var machine = App.Client(App.Token("office"));
        var yaml = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("x", System.Text.Encoding.UTF8, "text/plain") };
        yaml.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.NotFound, (await machine.SendAsync(yaml)).StatusCode);
    }

    [Fact]
    public async Task Run_progress_answers_an_author_403_and_nobody_401()
    {
        await CreateAsync("author1", AccountRole.Author);
        using var author = await SignInAsync("author1");
        Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync("/office/runs/r1/progress")).StatusCode);
        using var token = App.Client(App.Token("author"));
        Assert.Equal(HttpStatusCode.Forbidden, (await token.GetAsync("/office/runs/r1/progress")).StatusCode);
        using var nobody = NewBrowser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await nobody.GetAsync("/office/runs/r1/progress")).StatusCode);
    }

    [Fact]
    public async Task Authenticated_answers_are_not_stored_and_https_answers_carry_hsts()
    {
        using var office = App.Client(App.Token("office"));
        foreach (var url in new[] { "/api/rulesets", "/api/evaluations/no-such-run", "/api/rulesets/none/versions/1", "/office/runs/no-such-run/progress" })
        {
            var answer = await office.GetAsync(url);
            Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
            Assert.False(answer.Headers.Contains("Strict-Transport-Security"), url);
        }
        Assert.NotEqual("no-store", (await office.GetAsync("/api/openapi.json")).Headers.CacheControl?.ToString());
        using var secure = App.Client(App.Token("office"));
        var https = await secure.GetAsync(new Uri("https://localhost/api/rulesets"));
        Assert.Equal(HttpStatusCode.OK, https.StatusCode);
        Assert.Equal("max-age=31536000", https.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Theory]
    [InlineData("/units/A1", "/units/A1")]
    [InlineData("/office/runs?x=1", "/office/runs?x=1")]
    [InlineData("/\t/evil.example", "")]
    [InlineData("/\n/evil.example", "")]
    [InlineData("/%0a", "/%0a")]
    [InlineData("/a\r\nSet-Cookie: x=1", "")]
    [InlineData("/ /evil.example", "")]
    [InlineData("//evil.example", "")]
    [InlineData("/\\evil.example", "")]
    [InlineData("/a\\b", "")]
    [InlineData("https://evil.example", "")]
    [InlineData("/x?next=https://evil.example", "")]
    [InlineData("/\u0085/evil.example", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Return_urls_are_local_paths_without_control_characters(string? url, string expected) =>
        Assert.Equal(expected, BaiQianWan.Assess.Functions.Portal.PortalHttp.LocalOr(url, ""));

    [Fact]
    public async Task A_return_url_with_a_tab_or_a_newline_is_not_followed_and_is_no_500()
    {
        await CreateAsync("office1", AccountRole.Office);
        foreach (var back in new[] { "/\t/evil.example", "/\n/evil.example", "/a\r\nX: y" })
        {
            using var browser = NewBrowser();
            var page = await browser.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(back));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.DoesNotContain("evil.example", await page.Content.ReadAsStringAsync());
            var signedIn = await browser.PostFormAsync("/signin", "/signin", new() { ["name"] = "office1", ["password"] = Password, ["returnUrl"] = back });
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal("/office/runs", signedIn.Headers.Location!.OriginalString);
        }
    }
}
