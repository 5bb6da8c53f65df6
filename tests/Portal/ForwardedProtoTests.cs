using System.Net;
using BaiQianWan.Assess.Functions.Hosting;
using BaiQianWan.Assess.Functions.Http;
using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Store;
using BaiQianWan.Assess.Tests.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BaiQianWan.Assess.Tests.Portal;

/// <summary>
/// Issue 19 item 6: behind a proxy that ends TLS and forwards <c>X-Forwarded-Proto: https</c> (App Service, the Functions
/// host), the session cookie was not Secure and no HSTS was sent. The header is believed from the configured proxies
/// (<c>ForwardedHeaders:KnownProxies</c>) only.
/// </summary>
public sealed class ForwardedProtoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bqw-forwarded-").FullName;
    private readonly AssessAppFactory _app;

    public ForwardedProtoTests() =>
        _app = new AssessAppFactory("sqlite", Path.Combine(_dir, "a.db"), new Dictionary<string, string?> { [TrustedProxies.Setting] = "10.0.0.4, 10.9.0.0/16" });

    public void Dispose()
    {
        _app.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<HttpContext> SendAsync(string from, string method, string path, string? cookie = null, string? form = null) =>
        _app.Server.SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = IPAddress.Parse(from);
            http.Request.Method = method;
            http.Request.Path = path;
            http.Request.Headers["X-Forwarded-Proto"] = "https";
            if (cookie is not null) http.Request.Headers.Cookie = cookie;
            if (form is not null)
            {
                http.Request.ContentType = "application/x-www-form-urlencoded";
                http.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(form));
            }
        });

    private static string SetCookie(HttpContext http, string name) =>
        http.Response.Headers.SetCookie.Single(c => c!.StartsWith(name + "=", StringComparison.Ordinal))!;

    private async Task<string> SessionCookieAsync(string from)
    {
        var page = await SendAsync(from, "GET", "/signin");
        var af = SetCookie(page, Antiforgery.CookieName).Split(';')[0];
        var html = await new StreamReader(page.Response.Body).ReadToEndAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, """name="__af" value="([^"]+)" """).Groups[1].Value;
        var signedIn = await SendAsync(from, "POST", "/signin", af, $"name=office1&password=correct-horse-42&__af={Uri.EscapeDataString(token)}");
        Assert.Equal(StatusCodes.Status302Found, signedIn.Response.StatusCode);
        return SetCookie(signedIn, SessionCookie.Name);
    }

    [Fact]
    public async Task From_a_configured_proxy_forwarding_https_the_session_cookie_is_secure_and_hsts_is_sent()
    {
        await _app.Services.GetRequiredService<IAccountStore>().CreateAsync(
            new Account("office1", "考核办", AccountRole.Office, null, true, Passwords.Hash("correct-horse-42"), false, 0, null, _app.Clock.Now, null), "test");
        foreach (var proxy in new[] { "10.0.0.4", "10.9.3.7", "::ffff:10.0.0.4" })
        {
            Assert.EndsWith("; Secure", await SessionCookieAsync(proxy));
            Assert.Equal(SecurityHeaders.StrictTransportSecurity, (await SendAsync(proxy, "GET", "/signin")).Response.Headers.StrictTransportSecurity.ToString());
        }
        // From anyone else the header is a claim, not a fact.
        foreach (var other in new[] { "10.0.0.5", "127.0.0.1", "203.0.113.9" })
        {
            Assert.DoesNotContain("Secure", await SessionCookieAsync(other));
            Assert.Equal("", (await SendAsync(other, "GET", "/signin")).Response.Headers.StrictTransportSecurity.ToString());
        }
    }

    [Theory]
    [InlineData("10.0.0.4", false, "10.0.0.4", true)]
    [InlineData("", true, "127.0.0.1", true)]
    [InlineData("", true, "::1", true)]
    [InlineData("", false, "127.0.0.1", false)]
    [InlineData("10.0.0.0/8;192.168.1.1", false, "10.200.1.1", true)]
    [InlineData("10.0.0.0/8;192.168.1.1", false, "192.168.1.2", false)]
    public void Proxies_are_trusted_as_configured_and_the_functions_hosts_loopback_when_hosted(string setting, bool hosted, string remote, bool trusted)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TrustedProxies.Setting] = setting }).Build();
        Assert.Equal(trusted, new TrustedProxies(configuration, hosted).Trusts(IPAddress.Parse(remote)));
    }

    [Theory]
    [InlineData("10.0.0.4", "198.51.100.7")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    public void A_configured_proxy_also_names_the_client_address_sign_ins_are_throttled_by(string peer, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TrustedProxies.Setting] = "10.0.0.4" }).Build();
        var http = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddSingleton(new TrustedProxies(configuration, hosted: false)).BuildServiceProvider(),
        };
        http.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        http.Request.Headers["X-Forwarded-For"] = "198.51.100.7";
        Assert.Equal(expected, ClientAddress.Of(http));
    }

    [Fact]
    public void A_malformed_proxy_address_stops_the_start_with_one_line_naming_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TrustedProxies.Setting] = "10.0.0.4, proxy.example" }).Build();
        var e = Assert.Throws<ConfigurationException>(() => new TrustedProxies(configuration, hosted: false));
        Assert.Equal("ForwardedHeaders:KnownProxies 中的 'proxy.example' 不是 IP 地址或网段", e.Message);
    }
}
