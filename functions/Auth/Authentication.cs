using System.Security.Claims;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>Who a request comes from: a caller, nobody (no credentials), or credentials that were refused and why.</summary>
/// <param name="Principal">The caller, when authenticated.</param>
/// <param name="Refusal">Why the credentials were refused (shown in the 401), or null.</param>
public sealed record Authentication(ClaimsPrincipal? Principal, string? Refusal)
{
    /// <summary>No credentials at all.</summary>
    public static Authentication None { get; } = new(null, "缺少访问令牌");

    /// <summary>Refused credentials.</summary>
    public static Authentication Refused(string reason) => new(null, reason);
}
