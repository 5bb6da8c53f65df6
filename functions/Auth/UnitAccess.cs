using System.Security.Claims;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// Which unit's documents a caller may read. The office reads all. A unit token reads its own unit's, and a
/// county's token also its towns' (units whose parent is the county). Anything else is refused with 403 whether
/// or not the unit exists or has results, so a unit cannot probe for other units.
/// </summary>
public static class UnitAccess
{
    /// <summary>True when <paramref name="user"/> may read unit <paramref name="code"/>'s documents.</summary>
    /// <param name="user">The caller.</param>
    /// <param name="code">The unit asked for.</param>
    /// <param name="units">The units of the period's year (for parents and levels).</param>
    public static bool MayRead(ClaimsPrincipal user, string code, IReadOnlyList<Unit> units)
    {
        if (user.IsInRole(Roles.Office)) return true;
        if (!user.IsInRole(Roles.Unit)) return false;
        var own = user.FindFirstValue(Roles.UnitClaim);
        if (string.IsNullOrEmpty(own)) return false;
        if (string.Equals(code, own, StringComparison.Ordinal)) return true;
        Unit? asked = null, self = null;
        foreach (var u in units)
        {
            if (u.Code == code) asked = u;
            if (u.Code == own) self = u;
        }
        return asked is { Level: UnitLevel.Town } && self is { Level: UnitLevel.County } && asked.Parent == own;
    }
}
