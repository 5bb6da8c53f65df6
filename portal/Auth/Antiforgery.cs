using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>
/// Antiforgery tokens for the portal's forms: an HMAC (with the signing key) of a purpose and a binding value — the
/// session id when signed in, or a random value kept in its own HttpOnly cookie before sign-in. A form's hidden
/// field must carry the token the server computes for the request's session, so a page on another site cannot
/// post a valid form (it can neither read the cookie nor compute the HMAC).
/// </summary>
public sealed class Antiforgery
{
    /// <summary>The form field carrying the token.</summary>
    public const string FieldName = "__af";

    /// <summary>The cookie binding forms before sign-in.</summary>
    public const string CookieName = "bqw_af";

    private readonly byte[] _key;

    /// <summary>Creates tokens keyed with <paramref name="signingKey"/> (a purpose prefix keeps them distinct from other uses).</summary>
    public Antiforgery(byte[] signingKey)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (signingKey.Length < 32) throw new ArgumentException("签名密钥至少需要 32 字节", nameof(signingKey));
        _key = signingKey;
    }

    /// <summary>A fresh random binding value for the pre-sign-in cookie.</summary>
    public static string NewBinding() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));

    /// <summary>The token for a binding (session id or pre-sign-in cookie value).</summary>
    public string TokenFor(string binding)
    {
        ArgumentException.ThrowIfNullOrEmpty(binding);
        return Base64UrlEncoder.Encode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("antiforgery|" + binding)));
    }

    /// <summary>True when <paramref name="token"/> is the one for <paramref name="binding"/> (constant-time comparison).</summary>
    public bool IsValid(string? binding, string? token)
    {
        if (string.IsNullOrEmpty(binding) || string.IsNullOrEmpty(token)) return false;
        var expected = Encoding.ASCII.GetBytes(TokenFor(binding));
        var given = Encoding.ASCII.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
