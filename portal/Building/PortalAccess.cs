using BaiQianWan.Assess.Portal.Auth;
using BaiQianWan.Assess.Rules.Data;
using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Building;

/// <summary>
/// Who may see which unit's pages, the API's rule: the office every unit; a unit itself; a county also its towns.
/// Anything else is refused the same way whether or not the unit exists, so a unit cannot probe for others.
/// </summary>
public static class PortalAccess
{
    /// <summary>True when <paramref name="user"/> may read unit <paramref name="code"/> given the units of a year.</summary>
    public static bool MayReadUnit(PortalUser user, string code, IReadOnlyList<Unit> units)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(units);
        if (user.Role == AccountRole.Office) return true;
        if (user.Role != AccountRole.Unit || string.IsNullOrEmpty(user.UnitCode)) return false;
        if (string.Equals(code, user.UnitCode, StringComparison.Ordinal)) return true;
        var asked = units.FirstOrDefault(u => u.Code == code);
        var self = units.FirstOrDefault(u => u.Code == user.UnitCode);
        return asked is { Level: UnitLevel.Town } && self is { Level: UnitLevel.County } && asked.Parent == user.UnitCode;
    }

    /// <summary>Throws a 403 unless the user has one of <paramref name="roles"/>.</summary>
    public static void Require(PortalUser user, params AccountRole[] roles)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!roles.Contains(user.Role)) throw PortalException.Forbidden();
    }
}
