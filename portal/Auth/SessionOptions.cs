namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>How portal sessions are signed and how long they last.</summary>
/// <param name="SigningKey">The API's HS256 key (<c>Auth:SigningKey</c>), at least 32 bytes.</param>
/// <param name="Issuer">Issuer, the API's (<c>Auth:Issuer</c>).</param>
/// <param name="Audience">Audience, the API's (<c>Auth:Audience</c>).</param>
/// <param name="Lifetime">How long a session token is valid (short: 1 hour by default; the app renews an active session).</param>
public sealed record SessionOptions(byte[] SigningKey, string Issuer, string Audience, TimeSpan Lifetime)
{
    /// <summary>The default session length.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    /// <summary>The default absolute lifetime: no session outlives its sign-in by more than this, however active.</summary>
    public static readonly TimeSpan DefaultAbsoluteLifetime = TimeSpan.FromHours(8);

    /// <summary>How long after signing in a session ends whatever renewals it had (8 hours by default).</summary>
    public TimeSpan AbsoluteLifetime { get; init; } = DefaultAbsoluteLifetime;

    /// <summary>Options with the API's default issuer and audience.</summary>
    public static SessionOptions WithKey(byte[] signingKey) =>
        new(signingKey, "baiqianwan-assess", "baiqianwan-assess-api", DefaultLifetime);
}
