namespace BaiQianWan.Assess.Functions.Auth;

/// <summary>Authorization policy names; every endpoint names exactly one (or allows anonymous access).</summary>
public static class Policies
{
    /// <summary>Office only: evaluations, publication, imports, rankings, bulletins, archives.</summary>
    public const string Office = "office";

    /// <summary>Office or author: rulesets and previews.</summary>
    public const string Rulesets = "rulesets";

    /// <summary>Office or unit: single scorecards (a unit is further limited to its own, see <see cref="UnitAccess"/>).</summary>
    public const string Scorecard = "scorecard";
}
