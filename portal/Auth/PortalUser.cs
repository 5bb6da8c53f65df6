using System.Security.Claims;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>Who is signed in, as the portal needs it: from an account, or from a session token's claims.</summary>
/// <param name="Name">Sign-in name (the token's <c>sub</c>, the actor in the audit log).</param>
/// <param name="DisplayName">Name shown in the header.</param>
/// <param name="Role">Role.</param>
/// <param name="UnitCode">The unit's code for unit accounts.</param>
public sealed record PortalUser(string Name, string DisplayName, AccountRole Role, string? UnitCode)
{
    /// <summary>Claim holding the display name.</summary>
    public const string DisplayNameClaim = "name";

    /// <summary>The user of an account.</summary>
    public static PortalUser Of(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new PortalUser(account.Name, account.DisplayName, account.Role, account.UnitCode);
    }

    /// <summary>
    /// The user a validated token describes (claims <c>sub</c>, <c>role</c>, <c>unit</c>, <c>name</c>), or null when a
    /// claim is missing or the role is unknown. Tokens made by <c>cli token</c> carry no display name: the name is used.
    /// </summary>
    public static PortalUser? FromClaims(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var sub = principal.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(sub) || !AccountRoles.TryParse(principal.FindFirst("role")?.Value, out var role)) return null;
        var unit = principal.FindFirst("unit")?.Value;
        if (role == AccountRole.Unit && string.IsNullOrEmpty(unit)) return null;
        return new PortalUser(sub, principal.FindFirst(DisplayNameClaim)?.Value ?? sub, role, role == AccountRole.Unit ? unit : null);
    }

    /// <summary>The role in Chinese, with the unit code for units (for the header).</summary>
    public string RoleText => UnitCode is null ? Role.ToChinese() : $"{Role.ToChinese()} {UnitCode}";
}
