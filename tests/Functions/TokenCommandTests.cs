using System.IdentityModel.Tokens.Jwt;
using System.Net;
using BaiQianWan.Assess.Cli;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary><c>baiqianwan token</c>: what operators hand out, and what it refuses.</summary>
public sealed class TokenCommandTests
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString().Trim(), stderr.ToString().Trim());
    }

    [Fact]
    public void Unit_token_carries_role_unit_and_subject_signed_with_the_key()
    {
        var (code, token, _) = Run("token", "--role", "unit", "--unit", "440825", "--key", Key, "--hours", "2");
        Assert.Equal(0, code);
        var jwt = new JwtSecurityTokenHandler().ReadJwtToken(token);
        Assert.Equal("HS256", jwt.Header.Alg);
        Assert.Equal("unit", jwt.Claims.Single(c => c.Type == "role").Value);
        Assert.Equal("440825", jwt.Claims.Single(c => c.Type == "unit").Value);
        Assert.Equal("unit:440825", jwt.Subject);
        Assert.Equal("baiqianwan-assess", jwt.Issuer);
        Assert.Equal(["baiqianwan-assess-api"], jwt.Audiences);
        Assert.Equal(TimeSpan.FromHours(2), jwt.ValidTo - jwt.ValidFrom);
    }

    [Theory]
    [InlineData("--role", "unit", "--key", "KEY")]
    [InlineData("--role", "office", "--unit", "440825", "--key", "KEY")]
    [InlineData("--role", "office", "--key", "c2hvcnQ=")]
    [InlineData("--role", "office", "--key", "not base64!")]
    [InlineData("--role", "office", "--key", "KEY", "--hours", "0")]
    public void Bad_requests_for_a_token_exit_2_with_the_reason(params string[] args)
    {
        var (code, token, error) = Run(["token", .. args.Select(a => a == "KEY" ? Key : a)]);
        Assert.Equal(2, code);
        Assert.Empty(token);
        Assert.NotEmpty(error);
    }

    [Fact]
    public async Task A_cli_token_opens_the_api_configured_with_the_same_key()
    {
        var directory = Directory.CreateTempSubdirectory("bqw-token-").FullName;
        await using var app = new AssessAppFactory("sqlite", Path.Combine(directory, "a.db"));
        var (_, token, _) = Run("token", "--role", "author", "--key", Convert.ToBase64String(app.Key));
        using var client = app.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/rulesets")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/evaluations/run-000001")).StatusCode);
    }
}
