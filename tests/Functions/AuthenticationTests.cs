using System.Text;
using BaiQianWan.Assess.Functions.Auth;
using BaiQianWan.Assess.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// Which settings make a start, and what Easy Auth's forwarded identity becomes: trusted only under the Functions
/// host with <c>Auth:EasyAuth</c> on, mapped from its app roles (<c>office</c>, <c>author</c>, <c>unit.CODE</c>) to one role
/// and at most one unit; on its own the header means nothing.
/// </summary>
public sealed class AuthenticationTests
{
    private static IConfiguration Settings(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static string Principal(params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        "{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"name\",\"val\":\"li.ming@example.org\"}"
        + string.Concat(roles.Select(r => $",{{\"typ\":\"roles\",\"val\":\"{r}\"}}")) + "],\"name_typ\":\"name\",\"role_typ\":\"roles\"}"));

    private static async Task<Authentication> AuthenticateAsync(AuthConfiguration auth, string? principal)
    {
        var http = new DefaultHttpContext();
        if (principal is not null) http.Request.Headers[TokenAuthenticator.EasyAuthHeader] = principal;
        return await new TokenAuthenticator(auth).AuthenticateAsync(http.Request);
    }

    [Theory]
    [InlineData("office", "office", null)]
    [InlineData("author", "author", null)]
    [InlineData("unit.440825", "unit", "440825")]
    public async Task Hosted_with_easy_auth_on_an_app_role_becomes_the_callers_role_and_unit(string appRole, string role, string? unit)
    {
        var auth = AuthConfiguration.Resolve(Settings(("Auth:EasyAuth", "true")), hosted: true);
        var result = await AuthenticateAsync(auth, Principal(appRole));
        Assert.NotNull(result.Principal);
        Assert.Equal("easyauth:li.ming@example.org", result.Principal.Actor());
        Assert.Equal(role, Assert.Single(result.Principal.FindAll(Roles.RoleClaim)).Value);
        Assert.Equal(unit, result.Principal.FindFirst(Roles.UnitClaim)?.Value);
    }

    [Fact]
    public async Task Hosted_with_easy_auth_two_app_roles_are_refused()
    {
        var auth = AuthConfiguration.Resolve(Settings(("Auth:EasyAuth", "true")), hosted: true);
        Assert.Equal("令牌含有多个角色", (await AuthenticateAsync(auth, Principal("office", "unit.440825"))).Refusal);
        Assert.Equal("令牌含有多个角色", (await AuthenticateAsync(auth, Principal("unit.440825", "unit.440882"))).Refusal);
        Assert.Equal("Easy Auth 身份无效", (await AuthenticateAsync(auth, "not base64 at all")).Refusal);
    }

    [Fact]
    public async Task A_signed_in_user_without_an_app_role_is_authenticated_but_passes_no_policy()
    {
        var auth = AuthConfiguration.Resolve(Settings(("Auth:EasyAuth", "true")), hosted: true);
        var result = await AuthenticateAsync(auth, Principal());
        Assert.NotNull(result.Principal);
        Assert.All(new[] { Policies.Office, Policies.Rulesets, Policies.Scorecard }, p => Assert.False(Policies.Allows(p, result.Principal)));
    }

    [Fact]
    public async Task On_its_own_the_easy_auth_header_is_ignored_even_with_easy_auth_on()
    {
        var auth = AuthConfiguration.Resolve(Settings(("Auth:EasyAuth", "true"), ("Auth:SigningKey", Convert.ToBase64String(new byte[32]))), hosted: false);
        Assert.False(auth.TrustEasyAuth);
        var result = await AuthenticateAsync(auth, Principal("office"));
        Assert.Null(result.Principal);
        Assert.Equal("缺少访问令牌", result.Refusal);
    }

    [Fact]
    public void Hosted_without_key_authority_or_easy_auth_refuses_to_start()
    {
        var e = Assert.Throws<ConfigurationException>(() => AuthConfiguration.Resolve(Settings(), hosted: true));
        Assert.Contains("Auth__SigningKey", e.Message);
    }

    [Fact]
    public void On_its_own_on_azure_storage_without_a_key_it_refuses_to_start_rather_than_write_a_key_file()
    {
        var e = Assert.Throws<ConfigurationException>(() => AuthConfiguration.Resolve(Settings(("Store:Kind", "azure")), hosted: false));
        Assert.Contains("Auth__Authority", e.Message);
    }

    [Fact]
    public void An_authority_that_is_not_an_address_is_a_configuration_error()
    {
        var e = Assert.Throws<ConfigurationException>(() => AuthConfiguration.Resolve(Settings(("Auth:Authority", "login.example")), hosted: true));
        Assert.Contains("login.example", e.Message);
    }

    [Fact]
    public void On_its_own_on_sqlite_without_a_key_it_keeps_the_key_it_made_at_first_start()
    {
        var directory = Directory.CreateTempSubdirectory("bqw-key-").FullName;
        var settings = Settings(("Store:Connection", Path.Combine(directory, "a.db")));
        var first = AuthConfiguration.Resolve(settings, hosted: false);
        var second = AuthConfiguration.Resolve(settings, hosted: false);
        Assert.Equal(Path.Combine(directory, "a.db.signing-key"), first.CreatedKeyFile);
        Assert.Null(second.CreatedKeyFile);
        Assert.Equal(first.SigningKey, second.SigningKey);
        Directory.Delete(directory, recursive: true);
    }
}
