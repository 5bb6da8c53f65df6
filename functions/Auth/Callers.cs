using System.Security.Claims;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>What the API reads of a caller.</summary>
public static class Callers
{
    /// <summary>Who did it, for the audit log: the token's subject.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.FindFirstValue(Roles.SubjectClaim) ?? "unknown";
}
