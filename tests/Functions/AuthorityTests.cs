using System.Net;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// <c>Auth:Authority</c> against a real OpenID Connect authority on loopback: tokens it signs are accepted, with their
/// <c>role</c>/<c>unit</c> claims or Entra ID's app roles (<c>roles</c>: <c>office</c>, <c>author</c>, <c>unit.CODE</c>);
/// a token signed by another key, issued by another issuer or for another audience is refused; a key rotated in is
/// fetched again; an authority that cannot be reached refuses the token instead of failing the request.
/// </summary>
[Trait("Cost", "Slow")]
public sealed class AuthorityTests : IAsyncLifetime
{
    private OpenIdAuthority _authority = null!;
    private TokenAuthenticator _authenticator = null!;

    public async Task InitializeAsync()
    {
        _authority = await OpenIdAuthority.StartAsync();
        _authenticator = new TokenAuthenticator(Resolve(_authority.Url));
    }

    public async Task DisposeAsync() => await _authority.DisposeAsync();

    // On its own: the loopback authority is http, which only a local identity provider may be (hosted, https is required).
    private static AuthConfiguration Resolve(string authority) => AuthConfiguration.Resolve(
        new ConfigurationBuilder().AddInMemoryCollection([new("Auth:Authority", authority)]).Build(), hosted: false);

    private static Task<Authentication> AuthenticateAsync(TokenAuthenticator authenticator, string token)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = "Bearer " + token;
        return authenticator.AuthenticateAsync(http.Request);
    }

    private Task<Authentication> AuthenticateAsync(string token) => AuthenticateAsync(_authenticator, token);

    [Fact]
    public async Task A_token_the_authority_signed_with_role_and_unit_claims_is_that_caller()
    {
        var result = await AuthenticateAsync(_authority.Issue(new Dictionary<string, object> { ["sub"] = "svc-county", ["role"] = "unit", ["unit"] = "440825" }));
        Assert.Null(result.Refusal);
        var caller = Assert.IsType<System.Security.Claims.ClaimsPrincipal>(result.Principal);
        Assert.Equal("svc-county", caller.Actor());
        Assert.Equal("unit", Assert.Single(caller.FindAll(Roles.RoleClaim)).Value);
        Assert.Equal("440825", caller.FindFirst(Roles.UnitClaim)?.Value);
    }

    [Theory]
    [InlineData("office", "office", null)]
    [InlineData("author", "author", null)]
    [InlineData("unit.440825", "unit", "440825")]
    public async Task Entra_app_roles_become_the_callers_role_and_unit_and_the_actor_is_the_signed_in_name(string appRole, string role, string? unit)
    {
        var result = await AuthenticateAsync(_authority.Issue(new Dictionary<string, object>
        {
            ["sub"] = "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", ["preferred_username"] = "li.ming@gd.example",
            ["roles"] = new[] { appRole },
        }));
        Assert.Null(result.Refusal);
        var caller = Assert.IsType<System.Security.Claims.ClaimsPrincipal>(result.Principal);
        Assert.Equal("li.ming@gd.example", caller.Actor());
        Assert.Equal(role, Assert.Single(caller.FindAll(Roles.RoleClaim)).Value);
        Assert.Equal(unit, caller.FindFirst(Roles.UnitClaim)?.Value);
    }

    [Fact]
    public async Task Two_app_roles_or_an_app_role_beside_another_role_claim_are_refused()
    {
        Assert.Equal("令牌含有多个角色", (await AuthenticateAsync(_authority.Issue(new Dictionary<string, object>
            { ["sub"] = "x", ["roles"] = new[] { "office", "unit.440825" } }))).Refusal);
        Assert.Equal("令牌含有多个角色", (await AuthenticateAsync(_authority.Issue(new Dictionary<string, object>
            { ["sub"] = "x", ["role"] = "author", ["roles"] = new[] { "office" } }))).Refusal);
        Assert.Equal("令牌含有多个单位", (await AuthenticateAsync(_authority.Issue(new Dictionary<string, object>
            { ["sub"] = "x", ["unit"] = "440882", ["roles"] = new[] { "unit.440825" } }))).Refusal);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_or_issuer_or_for_another_audience_or_expired_is_refused()
    {
        var claims = new Dictionary<string, object> { ["sub"] = "x", ["role"] = "office" };
        Assert.Null((await AuthenticateAsync(_authority.Issue(claims))).Refusal);
        Assert.Equal("令牌无效", (await AuthenticateAsync(_authority.Issue(claims, key: OpenIdAuthority.NewKey()))).Refusal);
        Assert.Equal("令牌无效", (await AuthenticateAsync(_authority.Issue(claims, issuer: "https://login.example/other"))).Refusal);
        Assert.Equal("令牌无效", (await AuthenticateAsync(_authority.Issue(claims, audience: "another-api"))).Refusal);
        Assert.Equal("令牌已过期", (await AuthenticateAsync(_authority.Issue(claims, lifetime: TimeSpan.FromMinutes(-10)))).Refusal);
    }

    [Fact]
    public async Task A_key_the_authority_rotates_in_is_fetched_when_a_token_names_it_and_unknown_keys_do_not_refetch()
    {
        var claims = new Dictionary<string, object> { ["sub"] = "x", ["role"] = "office" };
        Assert.Null((await AuthenticateAsync(_authority.Issue(claims))).Refusal);
        var fetches = _authority.KeyFetches;
        _authority.Rotate();
        Assert.Null((await AuthenticateAsync(_authority.Issue(claims))).Refusal);
        // The forced fetch, and perhaps the background refresh the SDK asks for on its own the first time it misses a key.
        Assert.InRange(_authority.KeyFetches, fetches + 1, fetches + 2);

        // Ten tokens naming keys the authority never published make no forced fetch (one per five minutes at most),
        // only the SDK's own background refresh, which it too asks for once per refresh interval.
        for (var i = 0; i < 10; i++)
            Assert.Equal("令牌无效", (await AuthenticateAsync(_authority.Issue(claims, key: OpenIdAuthority.NewKey()))).Refusal);
        Assert.InRange(_authority.KeyFetches, fetches + 1, fetches + 3);
    }

    [Fact]
    public async Task An_authority_that_cannot_be_reached_refuses_the_token_and_the_request_is_401_not_500()
    {
        var token = _authority.Issue(new Dictionary<string, object> { ["sub"] = "x", ["role"] = "office" });
        var url = _authority.Url;
        await _authority.DisposeAsync();
        var result = await AuthenticateAsync(new TokenAuthenticator(Resolve(url)), token);
        Assert.Null(result.Principal);
        Assert.Equal("无法取得令牌颁发者的签名密钥", result.Refusal);
        _authority = await OpenIdAuthority.StartAsync();
    }

    [Fact]
    public void Hosted_an_authority_must_be_https()
    {
        var e = Assert.Throws<ConfigurationException>(() => AuthConfiguration.Resolve(
            new ConfigurationBuilder().AddInMemoryCollection([new("Auth:Authority", _authority.Url)]).Build(), hosted: true));
        Assert.Equal($"托管时 Auth:Authority 必须是 https 地址（签名密钥从那里取得），这里是 '{_authority.Url}'", e.Message);
        Assert.NotNull(AuthConfiguration.Resolve(new ConfigurationBuilder().AddInMemoryCollection(
            [new("Auth:Authority", "https://login.microsoftonline.com/tenant/v2.0")]).Build(), hosted: true));
    }

    [Fact]
    public async Task The_app_with_an_authority_serves_its_tokens_and_refuses_others()
    {
        var dir = Directory.CreateTempSubdirectory("bqw-authority-").FullName;
        try
        {
            await using var app = new AssessAppFactory("sqlite", Path.Combine(dir, "a.db"),
                new Dictionary<string, string?> { ["Auth:SigningKey"] = null, ["Auth:Authority"] = _authority.Url });
            using var office = app.Client(_authority.Issue(new Dictionary<string, object> { ["sub"] = "x", ["preferred_username"] = "chief@gd.example", ["roles"] = new[] { "office" } }));
            Assert.Equal(HttpStatusCode.OK, (await office.GetAsync("/api/rulesets")).StatusCode);
            using var author = app.Client(_authority.Issue(new Dictionary<string, object> { ["sub"] = "y", ["roles"] = new[] { "author" } }));
            Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync("/api/periods/2025Q3/rankings?level=county")).StatusCode);
            using var forged = app.Client(_authority.Issue(new Dictionary<string, object> { ["sub"] = "x", ["roles"] = new[] { "office" } }, key: OpenIdAuthority.NewKey()));
            Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/rulesets")).StatusCode);
            using var shared = app.Client(app.Token("office"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await shared.GetAsync("/api/rulesets")).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
