using System.Security.Claims;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// Authorization policy names; every HTTP function names exactly one with <see cref="AccessAttribute"/>. The checks
/// here are the only role checks there are: the worker middleware and the standalone pipeline both ask <see cref="Allows"/>.
/// </summary>
public static class Policies
{
    /// <summary>No token needed (the OpenAPI document only).</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Office only: evaluations, publication, imports, rankings, archives.</summary>
    public const string Office = "office";

    /// <summary>Office or author: rulesets and previews.</summary>
    public const string Rulesets = "rulesets";

    /// <summary>
    /// Office or unit: single scorecards and class bulletins (a unit is further limited to its own scorecard, a county's
    /// also its towns', see <see cref="UnitAccess"/>, and to its own class's bulletin, see <see cref="BaiQianWan.Assess.Portal.Auth.BulletinAccess"/>).
    /// </summary>
    public const string Scorecard = "scorecard";

    /// <summary>Every policy name.</summary>
    /// <summary>
    /// Portal pages: the caller is authenticated when credentials come (session cookie, bearer token, Easy Auth) but never
    /// refused here; the page itself sends an anonymous visitor to sign in and answers a wrong role with an HTML 403.
    /// </summary>
    public const string Portal = "portal";

    public static IReadOnlyList<string> All { get; } = [Anonymous, Office, Rulesets, Scorecard, Portal];

    /// <summary>Whether an authenticated caller passes a policy.</summary>
    public static bool Allows(string policy, ClaimsPrincipal user) => policy switch
    {
        Anonymous or Portal => true,
        Office => user.IsInRole(Roles.Office),
        Rulesets => user.IsInRole(Roles.Office) || user.IsInRole(Roles.Author),
        Scorecard => user.IsInRole(Roles.Office) || (user.IsInRole(Roles.Unit) && !string.IsNullOrEmpty(user.FindFirstValue(Roles.UnitClaim))),
        _ => false,
    };
}
