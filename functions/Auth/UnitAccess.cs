using System.Security.Claims;
using BaiQianWan.Assess.Rules.Data;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// Which unit's published documents a caller may read. The office reads all. A unit token reads its own unit's, and a
/// county's token also its towns' (units of a town run whose parent, when that run was computed, is the county).
/// Anything else is refused with 403 whether or not the unit exists or has results, so a unit cannot probe for others.
/// </summary>
public static class UnitAccess
{
    /// <summary>True when <paramref name="user"/> may read unit <paramref name="code"/>'s documents.</summary>
    /// <param name="user">The caller.</param>
    /// <param name="code">The unit asked for.</param>
    /// <param name="level">The level of the published run that scored it, or null when none did.</param>
    /// <param name="parent">Its parent in that run.</param>
    /// <param name="callerInSameRun">Whether the caller's own unit is scored in that same run (a town, for a town run).</param>
    public static bool MayRead(ClaimsPrincipal user, string code, UnitLevel? level, string? parent, bool callerInSameRun)
    {
        if (user.IsInRole(Roles.Office)) return true;
        if (!user.IsInRole(Roles.Unit)) return false;
        var own = user.FindFirstValue(Roles.UnitClaim);
        if (string.IsNullOrEmpty(own)) return false;
        if (string.Equals(code, own, StringComparison.Ordinal)) return true;
        return level == UnitLevel.Town && parent == own && !callerInSameRun;
    }
}
