using BaiQianWan.Assess.Store;

namespace BaiQianWan.Assess.Portal.Auth;

/// <summary>
/// Who may read a class's published bulletin, for the API and the portal alike: the office every class's; a unit the
/// bulletin of the class it was ranked in by that published run (通报 are circulated to every unit of the class), and
/// no other. A county does not read its towns' class bulletins: it is not a unit of a town class (it sees its towns'
/// ranks and scorecards instead). Anything else is refused whether or not the bulletin exists.
/// </summary>
public static class BulletinAccess
{
    /// <summary>True when a caller may read the bulletin of <paramref name="class"/> in a published run.</summary>
    /// <param name="role">The caller's role, or null for none the portal knows.</param>
    /// <param name="ownUnit">The caller's unit code (units only).</param>
    /// <param name="class">The class asked for.</param>
    /// <param name="ownClassInRun">The class the caller's own unit had in that run, or null when it was not ranked in it.</param>
    public static bool MayRead(AccountRole? role, string? ownUnit, string @class, string? ownClassInRun)
    {
        ArgumentNullException.ThrowIfNull(@class);
        if (role == AccountRole.Office) return true;
        if (role != AccountRole.Unit || string.IsNullOrEmpty(ownUnit)) return false;
        return ownClassInRun is not null && string.Equals(ownClassInRun, @class, StringComparison.Ordinal);
    }
}
