using System.Security.Claims;
using BaiQianWan.Assess.Portal.Auth;

namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>
/// Authorization policy names; every HTTP function names exactly one with <see cref="AccessAttribute"/>. Each names a
/// <see cref="Right"/> of the one <see cref="AccessPolicy"/>, which the worker middleware and the standalone pipeline both
/// ask through <see cref="Allows"/> (and the portal's pages through <see cref="Functions.Portal.PortalHttp"/>).
/// </summary>
public static class Policies
{
    /// <summary>No token needed (the OpenAPI document only).</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Office only: evaluations, publication, imports, rankings, archives (<see cref="Right.Office"/>).</summary>
    public const string Office = "office";

    /// <summary>Office or author: rulesets and previews (<see cref="Right.Rulesets"/>).</summary>
    public const string Rulesets = "rulesets";

    /// <summary>
    /// Office or unit: single scorecards and class bulletins (<see cref="Right.Results"/>; which unit's and which class's is
    /// <see cref="AccessPolicy"/>'s to decide from the published run).
    /// </summary>
    public const string Scorecard = "scorecard";

    /// <summary>
    /// Office or unit: the task ledger's API (<see cref="Right.Ledger"/>; what the caller may do there, the ledger's rules
    /// decide from <see cref="AccessPolicy.LedgerActorOf"/>: a unit acts on its own tasks only).
    /// </summary>
    public const string Ledger = "ledger";

    /// <summary>
    /// Office or unit: notice and review (公示、复核; <see cref="Right.Review"/>; what the caller may do there, the review
    /// flow decides from <see cref="AccessPolicy.ReviewActorOf"/>: the office publishes, answers and makes final, a unit
    /// files and withdraws requests on its own results).
    /// </summary>
    public const string Review = "review";

    /// <summary>
    /// Portal pages: the caller is authenticated when credentials come (session cookie, bearer token, Easy Auth) but never
    /// refused here; the page asks <see cref="AccessPolicy"/> for its right and sends an anonymous visitor to sign in and
    /// answers a wrong role with an HTML 403.
    /// </summary>
    public const string Portal = "portal";

    /// <summary>Every policy name.</summary>
    public static IReadOnlyList<string> All { get; } = [Anonymous, Office, Rulesets, Scorecard, Ledger, Review, Portal];

    /// <summary>The right a policy asks for, or null for the ones that let everyone in (<see cref="Anonymous"/>, <see cref="Portal"/>).</summary>
    public static Right? RightOf(string policy) => policy switch
    {
        Office => Right.Office,
        Rulesets => Right.Rulesets,
        Scorecard => Right.Results,
        Ledger => Right.Ledger,
        Review => Right.Review,
        _ => null,
    };

    /// <summary>Whether an authenticated caller passes a policy (<see cref="AccessPolicy.Has"/> for the caller its claims describe).</summary>
    public static bool Allows(string policy, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (policy is Anonymous or Portal) return true;
        return RightOf(policy) is { } right && AccessPolicy.Has(PortalUser.FromClaims(user), right);
    }
}
