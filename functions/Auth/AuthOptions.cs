namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>HS256 signing key, base64 of at least 32 bytes (environment <c>Auth__SigningKey</c>).</summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect authority whose keys sign tokens, instead of a shared key.</summary>
    public string? Authority { get; set; }

    /// <summary>Expected issuer (shared-key tokens).</summary>
    public string Issuer { get; set; } = "baiqianwan-assess";

    /// <summary>Expected audience.</summary>
    public string Audience { get; set; } = "baiqianwan-assess-api";

    /// <summary>
    /// Accept the identity App Service Authentication (Easy Auth) forwards in <c>X-MS-CLIENT-PRINCIPAL</c>. Honoured
    /// only under the Functions host, where the platform strips that header from clients; on its own it is ignored.
    /// </summary>
    public bool EasyAuth { get; set; }
}
