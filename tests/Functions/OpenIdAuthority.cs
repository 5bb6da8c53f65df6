using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BaiQianWan.Assess.Tests.Functions;

/// <summary>
/// A real OpenID Connect authority on loopback (Kestrel): its discovery document at
/// <c>/.well-known/openid-configuration</c> and its RSA signing keys at <c>/keys</c>. It issues RS256 tokens as an
/// identity provider such as Microsoft Entra ID would, and can rotate to a new key.
/// </summary>
public sealed class OpenIdAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RsaSecurityKey> _published = [];

    private OpenIdAuthority(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        Rotate();
    }

    /// <summary>The authority (and issuer) URL, without a trailing slash.</summary>
    public string Url { get; }

    /// <summary>How many times the signing keys were fetched.</summary>
    public int KeyFetches { get; private set; }

    /// <summary>The key tokens are signed with now (the newest published).</summary>
    public RsaSecurityKey Current => _published[^1];

    /// <summary>Starts an authority on a free loopback port.</summary>
    public static async Task<OpenIdAuthority> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        OpenIdAuthority? authority = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = authority!.Url,
            ["jwks_uri"] = authority.Url + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/keys", () =>
        {
            authority!.KeyFetches++;
            return Results.Text(JsonSerializer.Serialize(new { keys = authority._published.Select(Jwk).ToList() }), "application/json");
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        authority = new OpenIdAuthority(app, url);
        return authority;
    }

    /// <summary>Publishes a new signing key beside the old ones; tokens are signed with it from now on.</summary>
    public void Rotate() => _published.Add(NewKey());

    /// <summary>A fresh RSA key the authority has never published.</summary>
    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

    /// <summary>A token with <paramref name="claims"/>, signed with <paramref name="key"/> (the current key when null).</summary>
    public string Issue(IDictionary<string, object> claims, string audience = "baiqianwan-assess-api", RsaSecurityKey? key = null,
        string? issuer = null, TimeSpan? lifetime = null)
    {
        var expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromHours(1));
        var issued = expires.AddHours(-1) < DateTime.UtcNow.AddMinutes(-1) ? expires.AddHours(-1) : DateTime.UtcNow.AddMinutes(-1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Url,
            Audience = audience,
            Claims = claims,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key ?? Current, SecurityAlgorithms.RsaSha256),
        });
    }

    private static Dictionary<string, string> Jwk(RsaSecurityKey key)
    {
        var p = key.Rsa.ExportParameters(false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
